"""Session management (ASVS V3): a new session on sign-in, sign-out and idle
time end it on the server, the cookie's flags, production's secure cookies."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD

COOKIE = django_settings.SESSION_COOKIE_NAME


def _sign_in(client: Client, username: str = "consultant.elderly") -> Any:
    response = client.post("/signin/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, "the persona could not sign in"
    return response


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_signing_in_issues_a_new_session_key(personas: dict[str, Staff]) -> None:
    # given a visitor who already holds a session (e.g. planted by an attacker)
    client = Client()
    session = client.session
    session["planted"] = "yes"
    session.save()
    planted = session.session_key
    client.cookies[COOKIE] = planted
    # when they sign in
    _sign_in(client)
    # then the session they are signed in with has a new key, and the old key is gone
    assert client.cookies[COOKIE].value != planted
    assert not Session.objects.filter(session_key=planted).exists()


def test_session_keys_are_long_random_and_never_reused(personas: dict[str, Staff]) -> None:
    keys = set()
    for _ in range(5):
        client = Client()
        _sign_in(client)
        keys.add(client.cookies[COOKIE].value)
    # 32 characters of [a-z0-9]: about 165 bits, well over ASVS's 64
    assert len(keys) == 5
    assert all(len(k) == 32 and k.isalnum() and k.islower() for k in keys)


def test_signing_out_ends_the_session_on_the_server(personas: dict[str, Staff]) -> None:
    client = Client()
    _sign_in(client)
    key = client.cookies[COOKIE].value
    assert client.post("/signout/").status_code == 302
    # the old cookie, replayed from another browser (or the back button), opens nothing
    replay = Client()
    replay.cookies[COOKIE] = key
    assert not _signed_in(replay)
    assert not Session.objects.filter(session_key=key).exists()


def test_an_idle_session_ends_and_each_request_extends_it(
    personas: dict[str, Staff], settings: Any
) -> None:
    client = Client()
    _sign_in(client)
    key = client.cookies[COOKIE].value
    # each request moves the expiry to SESSION_COOKIE_AGE from now (idle timeout)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(seconds=30)
    )
    assert _signed_in(client)
    expiry = Session.objects.get(session_key=key).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expiry - expected).total_seconds()) < 60
    # once the idle time has passed, the same cookie is refused
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert not _signed_in(client)


def test_the_session_cookie_is_httponly_samesite_and_ends_with_the_browser(
    personas: dict[str, Staff],
) -> None:
    response = _sign_in(Client())
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # no expiry date: the browser forgets it when closed
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["path"] == "/"


def test_the_session_cookie_is_secure_when_secure_cookies_are_on(
    personas: dict[str, Staff], settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = _sign_in(Client())
    assert response.cookies[COOKIE]["secure"] is True


def test_production_mode_turns_on_secure_cookies_hsts_and_no_debug(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECURE_COOKIES", "HSTS_SECONDS", "SESSION_MINUTES", "DATABASE_URL"}
    }
    env.update(
        TSUNAGARI_DATA_DIR=str(tmp_path),
        TSUNAGARI_MODE="production",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="ward.example",
        DJANGO_SETTINGS_MODULE="tsunagari.settings",
    )
    code = (
        "from tsunagari import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "31536000", "True", "True", "3600"]


def test_a_password_change_ends_the_sessions_signed_in_with_the_old_one(
    personas: dict[str, Staff],
) -> None:
    client = Client()
    _sign_in(client)
    assert _signed_in(client)
    # an administrator resets the password (e.g. `tsunagari changepassword`)
    staff = Staff.objects.get(username="consultant.elderly")
    staff.set_password("a new passphrase for the ward office")
    staff.save()
    assert not _signed_in(client)


def test_a_deactivated_account_loses_its_open_session(personas: dict[str, Staff]) -> None:
    client = Client()
    _sign_in(client)
    Staff.objects.filter(username="consultant.elderly").update(is_active=False)
    assert not _signed_in(client)


def test_a_page_view_writes_the_session_only_when_its_expiry_has_run_down(
    personas: dict[str, Staff], settings: Any
) -> None:
    # Writing the session row on every request would queue every page view of
    # every member of staff on SQLite's one write lock.
    client = Client()
    _sign_in(client)
    key = client.cookies[COOKIE].value
    first = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert _signed_in(client)
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and
              not q["sql"].lstrip().upper().startswith("SELECT")]  # fmt: skip
    assert writes == []
    assert Session.objects.get(session_key=key).expire_date == first
    # once the expiry is more than the margin closer, the next request moves it
    Session.objects.filter(session_key=key).update(
        expire_date=first - timedelta(seconds=settings.SESSION_EXTEND_AFTER + 5)
    )
    assert _signed_in(client)
    assert Session.objects.get(session_key=key).expire_date > first - timedelta(seconds=5)
