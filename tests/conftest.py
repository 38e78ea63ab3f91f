"""Shared fixtures: the fixed personas (one per role and agency, plus an
outsider), signed-in clients, and fast password hashing for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from django.test import Client

    from tsunagari.accounts.models import Staff

_DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that never touch the database are marked "nodb", so the
    # PostgreSQL run can leave them out instead of running them twice.
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if not names & _DB_FIXTURES and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.nodb)
    # Tests on the shared demo ward run last: the ward stays in the database
    # from the first of them to the end of the run (see ``demo_ward``).
    items.sort(key=lambda item: "demo_ward" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def demo_ward(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The small demo ward (400 people, seed 7), loaded once for every test that asks.

    Loading it takes as long as many other tests together, and nine apps'
    demo tests read the same ward. It is loaded inside a transaction that is
    rolled back at the end of the run; each test still runs in its own
    savepoint, so what one test changes the next does not see. The tests
    that ask for it run after all others, which never see the ward.
    """
    from django.db import transaction

    from tsunagari.demo.loader import load_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        summary = load_demo(people=400, seed=7, progress=False)
    try:
        yield summary
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _language_back_to_japanese() -> Iterator[None]:
    # A test that switches the language (translation.activate) must not leave
    # the next test's data in English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_hashing(request: pytest.FixtureRequest) -> None:
    # Argon2 is deliberately slow; tests that check hashing ask for it again.
    # (Engine tests also run with -p no:django, where there are no settings.)
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db: None) -> dict[str, Staff]:
    """Every persona by username (see tsunagari.accounts.personas)."""
    from tsunagari.accounts.personas import ensure_personas

    return ensure_personas()


@pytest.fixture
def client_for(personas: dict[str, Staff]) -> Callable[[str], Client]:
    """``client_for("consultant.elderly")`` gives a client signed in as that persona."""

    from django.test import Client

    def make(username: str) -> Client:
        client = Client()
        client.force_login(personas[username])
        return client

    return make


@pytest.fixture
def counted_client(client_for: Callable[[str], Client], settings: Any) -> Callable[[str], Client]:
    """Signed-in clients whose next pages cost what every later page costs
    (see ``tests/page_queries.py``): past the sign-in's first request, in a
    process that has asked whether this is the demo ward, with no session
    renewal due during the test."""
    from tsunagari.demo.context import demo_ward_loaded

    settings.SESSION_EXTEND_AFTER = settings.SESSION_COOKIE_AGE // 2

    def make(username: str) -> Client:
        client = client_for(username)
        assert client.get("/api/me").status_code == 200
        demo_ward_loaded()
        return client

    return make
