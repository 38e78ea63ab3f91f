from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import reverse

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD
from tsunagari.audit.models import AuditAction, AuditEvent


def sign_in(client: Client, username: str, password: str) -> object:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_signs_in_with_the_right_password(personas: dict[str, Staff]) -> None:
    client = Client()
    response = sign_in(client, "consultant.elderly", DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN, actor_username="consultant.elderly"
    ).exists()


def test_it_stores_passwords_with_argon2(db: None, settings: object) -> None:
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    staff = Staff.objects.create(username="alice")
    staff.set_password("correct horse battery staple")
    staff.save()
    assert identify_hasher(staff.password).algorithm == "argon2"


def test_it_says_what_went_wrong_on_a_wrong_password(personas: dict[str, Staff]) -> None:
    response = sign_in(Client(), "consultant.elderly", "wrong")
    assert response.status_code == 200
    assert "ユーザー名またはパスワードが違います" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 1


def test_it_locks_the_account_after_repeated_failures(
    personas: dict[str, Staff], settings: object
) -> None:
    limit = settings.AXES_FAILURE_LIMIT  # type: ignore[attr-defined]
    client = Client()
    for _ in range(limit):
        sign_in(client, "consultant.elderly", "guess")
    # even the right password, from another browser, is now refused
    response = sign_in(Client(), "consultant.elderly", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "ロック" in response.content.decode()
    # another account is not affected
    assert sign_in(Client(), "planner", DEMO_PASSWORD).status_code == 302


def test_it_redirects_anonymous_visitors_to_sign_in(db: None) -> None:
    response = Client().get(reverse("accounts:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    "username", ["", "x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", "\x00"]
)
def test_it_refuses_hostile_sign_in_input_calmly(personas: dict[str, Staff], username: str) -> None:
    response = sign_in(Client(), username, "whatever")
    assert response.status_code in {200, 400}
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_it_signs_out_only_by_post(client_for: object) -> None:
    client = client_for("planner")  # type: ignore[operator]
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302


def test_it_expires_idle_sessions(settings: object) -> None:
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600  # type: ignore[attr-defined]
    # each request extends the session, within a minute (tests/security/test_sessions.py)
    assert settings.SESSION_EXTEND_AFTER <= 60  # type: ignore[attr-defined]
    assert "tsunagari.accounts.sessions.RollingSessionMiddleware" in settings.MIDDLEWARE  # type: ignore[attr-defined]
