"""Shared fixtures: the fixed personas (one per role and agency, plus an
outsider), signed-in clients, and fast password hashing for tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import ensure_personas


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
