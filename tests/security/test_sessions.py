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
from tsunagari.accounts.sessions import SIGNED_IN_AT, SessionStore
from tsunagari.audit.models import AuditAction, AuditEvent

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


def test_production_mode_turns_on_secure_cookies_hsts_redirects_and_short_sessions(
    tmp_path: Path,
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECURE_COOKIES",
            "HSTS_SECONDS",
            "HSTS_INCLUDE_SUBDOMAINS",
            "SSL_REDIRECT",
            "SESSION_MINUTES",
            "SESSION_MAX_HOURS",
            "DATABASE_URL",
        }
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
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE,"
        " s.SESSION_MAX_HOURS, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    debug, secure, csrf_secure, hsts, subdomains, redirect, httponly, browser_close, idle, \
        lifetime, session_cookie, csrf_cookie = result.stdout.split()  # fmt: skip
    assert (debug, secure, csrf_secure, httponly, browser_close) == (
        "False", "True", "True", "True", "True",
    )  # fmt: skip
    # HSTS for a year, subdomains included (ASVS 14.4.5); plain HTTP redirected (9.1.1)
    assert (hsts, subdomains, redirect) == ("31536000", "True", "True")
    # 30 minutes idle at most, and an absolute lifetime of 12 hours at most (ASVS 3.3.2)
    assert int(idle) <= 30 * 60
    assert 1 <= int(lifetime) <= 12
    # the __Host- prefix: Secure, this host only, Path=/ (ASVS 3.4.4)
    assert (session_cookie, csrf_cookie) == ("__Host-sessionid", "__Host-csrftoken")


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


def _session_of(client: Client) -> SessionStore:
    return SessionStore(session_key=client.cookies[COOKIE].value)


def _signed_in_hours_ago(client: Client, hours: float) -> None:
    session = _session_of(client)
    session[SIGNED_IN_AT] = int((timezone.now() - timedelta(hours=hours)).timestamp())
    session.save()


def test_a_busy_session_ends_at_its_absolute_lifetime(
    personas: dict[str, Staff], settings: Any
) -> None:
    settings.SESSION_MAX_HOURS = 10
    client = Client()
    _sign_in(client)
    key = client.cookies[COOKIE].value
    # sign-in noted the time the lifetime counts from
    started = _session_of(client)[SIGNED_IN_AT]
    assert abs(started - timezone.now().timestamp()) < 60
    # kept busy for just under the lifetime: still signed in
    _signed_in_hours_ago(client, 9.9)
    assert _signed_in(client)
    # just past it: the same cookie, however recently used, opens nothing
    _signed_in_hours_ago(client, 10.1)
    assert not _signed_in(client)
    assert not Session.objects.filter(session_key=key).exists()
    # and the end is in the audit log, with the reason
    ended = AuditEvent.objects.filter(
        action=AuditAction.SIGN_OUT, actor_username="consultant.elderly"
    ).latest("pk")
    assert "10時間" in ended.reason
    # signing in again starts a new lifetime
    _sign_in(client)
    assert _signed_in(client)


def test_a_signed_in_session_without_a_start_time_gets_one(personas: dict[str, Staff]) -> None:
    # a session opened before the lifetime rule is given one, not left without a limit
    client = Client()
    _sign_in(client)
    session = _session_of(client)
    del session[SIGNED_IN_AT]
    session.save()
    assert _signed_in(client)
    assert isinstance(_session_of(client).get(SIGNED_IN_AT), int)


def test_the_idle_timeout_is_thirty_minutes_unless_set(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SESSION_MINUTES", "SESSION_MAX_HOURS", "DATABASE_URL", "TSUNAGARI_MODE"}
    }
    env.update(TSUNAGARI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="tsunagari.settings")
    code = "from tsunagari import settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_MAX_HOURS)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1800", "10"]
