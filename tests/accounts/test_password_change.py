"""Staff change their own password (ASVS 2.1.5, 2.1.6, 2.1.2, 3.3.3): the current
password is required and counts as a sign-in attempt, the new one passes the
project's validators, the change is audited and other sessions end."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD
from tsunagari.audit.models import AuditAction, AuditEvent

URL = "/password/"
USER = "consultant.elderly"
NEW = "夜の公園で猫が三匹ねている"  # 13 characters, Japanese


def _signed_in(username: str = USER, password: str = DEMO_PASSWORD) -> Client:
    client = Client()
    response = client.post("/signin/", {"username": username, "password": password})
    assert response.status_code == 302, "could not sign in"
    return client


def _change(client: Client, current: str, new: str, again: str | None = None) -> Any:
    return client.post(
        URL,
        {"current_password": current, "new_password": new, "new_password_again": again or new},
    )


def _can_sign_in(password: str) -> bool:
    response = Client().post("/signin/", {"username": USER, "password": password})
    return response.status_code == 302


def test_the_url_is_named_and_asks_for_a_signed_in_user(personas: dict[str, Staff]) -> None:
    assert reverse("accounts:password_change") == URL
    response = Client().get(URL)
    assert response.status_code == 302 and "/signin/" in response["Location"]


def test_the_page_asks_for_the_current_password_and_the_new_one_twice(
    personas: dict[str, Staff],
) -> None:
    page = _signed_in().get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "パスワードの変更" in html
    assert 'name="current_password"' in html and 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert "12文字以上" in html
    assert "accounts/password.js" in html  # show-password button and length meter
    assert page["Cache-Control"] == "no-store"


def test_it_changes_the_password_audits_it_and_ends_other_sessions(
    personas: dict[str, Staff],
) -> None:
    # given the same member of staff signed in on two devices
    here = _signed_in()
    elsewhere = _signed_in()
    other_key = elsewhere.cookies[django_settings.SESSION_COOKIE_NAME].value
    before = here.cookies[django_settings.SESSION_COOKIE_NAME].value
    # when they change their password on one
    response = _change(here, DEMO_PASSWORD, NEW)
    # then this browser stays signed in, under a new session key
    assert response.status_code == 302 and response["Location"] == "/"
    home = here.get("/")
    assert home.status_code == 200
    assert "パスワードを変更しました" in home.content.decode()
    assert here.cookies[django_settings.SESSION_COOKIE_NAME].value != before
    # the other device's session is deleted on the server and opens nothing
    assert not Session.objects.filter(session_key=other_key).exists()
    assert elsewhere.get("/").status_code == 302
    # only the new password signs in
    assert _can_sign_in(NEW) and not _can_sign_in(DEMO_PASSWORD)
    # and the change is in the audit log, without the password
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, actor_username=USER).latest("pk")
    assert event.object_type == "accounts.staff"
    assert event.detail == {"changed": "password", "other_sessions_ended": 1}
    assert NEW not in str(event.detail) and DEMO_PASSWORD not in str(event.detail)


def test_it_requires_the_current_password_and_counts_a_wrong_one_as_a_failed_sign_in(
    personas: dict[str, Staff],
) -> None:
    client = _signed_in()
    response = _change(client, "not my password at all", NEW)
    assert response.status_code == 400
    assert "現在のパスワードが違います" in response.content.decode()
    assert _can_sign_in(DEMO_PASSWORD) and not _can_sign_in(NEW)
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, detail__username=USER
    ).exists()


def test_guessing_the_current_password_locks_the_account(
    personas: dict[str, Staff], settings: Any
) -> None:
    # a stolen session cannot be used to guess the password without limit
    client = _signed_in()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _change(client, "a wrong guess 12345", NEW)
    # now even the right current password is refused (the lock-out page), and so is signing in
    response = _change(client, DEMO_PASSWORD, NEW)
    assert response.status_code == 429
    assert "ロック" in response.content.decode()
    assert not _can_sign_in(DEMO_PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "says"),
    [
        ("short pw 11", None, "短すぎ"),  # 11 characters: under the 12 of ASVS 2.1.1
        ("password1234", None, "一般的すぎます"),  # on the common-password list
        ("384729105638", None, "数字しか"),  # digits only
        ("x" * 129, None, "128文字以内"),  # over 128 characters (ASVS 2.1.2)
        (NEW, NEW + "!", "一致しません"),  # the two entries differ
        (DEMO_PASSWORD, None, "現在のパスワードと同じ"),
    ],
    ids=["short", "common", "numeric", "too-long", "mismatch", "unchanged"],
)
def test_it_refuses_a_weak_or_mistyped_new_password_and_says_why(
    personas: dict[str, Staff], new: str, again: str | None, says: str
) -> None:
    client = _signed_in()
    response = _change(client, DEMO_PASSWORD, new, again)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert _can_sign_in(DEMO_PASSWORD)


def test_it_accepts_a_long_passphrase_without_composition_rules(
    personas: dict[str, Staff],
) -> None:
    passphrase = "the ward office opens at half past eight " * 3  # 123 characters, no digits
    assert _change(_signed_in(), DEMO_PASSWORD, passphrase).status_code == 302
    assert _can_sign_in(passphrase)


def test_staff_without_a_role_may_change_their_own_password(personas: dict[str, Staff]) -> None:
    # the password is the person's own, whatever they may do in the application
    client = _signed_in("outsider")
    assert client.get(URL).status_code == 200


def test_every_staff_page_links_to_the_password_sessions_and_authenticator_pages(
    personas: dict[str, Staff],
) -> None:
    # given a signed-in member of staff on their home page
    html = _signed_in().get("/").content.decode()
    # then the header leads to their own account's pages
    for name in ("accounts:password_change", "accounts:sessions", "accounts:mfa_setup"):
        assert f'href="{reverse(name)}"' in html
    # and a visitor who is not signed in sees none of them
    assert 'href="/password/"' not in Client().get("/signin/").content.decode()
