"""Shared fixtures: the fixed personas (one per role and agency, plus an
outsider), signed-in clients, and fast password hashing for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

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
