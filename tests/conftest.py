"""Shared fixtures: the fixed personas (one per role and agency, plus an
outsider), signed-in clients, and fast password hashing for tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import ensure_personas

_DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that never touch the database are marked "nodb", so the
    # PostgreSQL run can leave them out instead of running them twice.
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if not names & _DB_FIXTURES and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.nodb)


@pytest.fixture(autouse=True)
def _fast_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is deliberately slow; tests that check hashing ask for it again.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def personas(db: None) -> dict[str, Staff]:
    """Every persona by username (see tsunagari.accounts.personas)."""
    return ensure_personas()


@pytest.fixture
def client_for(personas: dict[str, Staff]) -> Callable[[str], Client]:
    """``client_for("consultant.elderly")`` gives a client signed in as that persona."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(personas[username])
        return client

    return make
