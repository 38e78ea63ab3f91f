"""A member of staff sees where they are signed in and, with their password
again, ends every other session (ASVS 3.3.4)."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD
from tsunagari.audit.models import AuditAction, AuditEvent

URL = "/sessions/"
COOKIE = django_settings.SESSION_COOKIE_NAME


def _signed_in(username: str, browser: str) -> Client:
    client = Client(HTTP_USER_AGENT=browser)
    response = client.post("/signin/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def test_it_lists_ones_own_sessions_without_their_keys(personas: dict[str, Staff]) -> None:
    assert reverse("accounts:sessions") == URL
    here = _signed_in("consultant.elderly", "Firefox on the office PC")
    phone = _signed_in("consultant.elderly", "Safari on the outreach phone")
    someone_else = _signed_in("consultant.toyosu", "Edge of a colleague")
    page = here.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Firefox on the office PC" in html and "Safari on the outreach phone" in html
    assert "この端末" in html and "ほかの端末" in html
    # another person's session is not listed, and no session key is ever shown
    assert "Edge of a colleague" not in html
    for client in (here, phone, someone_else):
        assert client.cookies[COOKIE].value not in html


def test_it_ends_the_other_sessions_after_the_password_is_given_again(
    personas: dict[str, Staff],
) -> None:
    here = _signed_in("consultant.elderly", "office PC")
    phone = _signed_in("consultant.elderly", "outreach phone")
    colleague = _signed_in("consultant.toyosu", "colleague")
    phone_key = phone.cookies[COOKIE].value
    # a wrong password ends nothing and counts as a failed sign-in
    wrong = here.post(URL, {"password": "not the password at all"})
    assert wrong.status_code == 400 and "パスワードが違います" in wrong.content.decode()
    assert phone.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, detail__username="consultant.elderly"
    ).exists()
    # the right one ends the phone's session on the server, not this one nor a colleague's
    done = here.post(URL, {"password": DEMO_PASSWORD})
    assert done.status_code == 302 and done["Location"] == URL
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert phone.get("/").status_code == 302
    assert here.get("/").status_code == 200
    assert colleague.get("/").status_code == 200
    event = AuditEvent.objects.filter(
        action=AuditAction.SIGN_OUT, actor_username="consultant.elderly"
    ).latest("pk")
    assert event.detail == {"other_sessions_ended": 1}
    assert (
        "ほかの端末" not in here.get(URL).content.decode().split("<tbody>")[1].split("</tbody>")[0]
    )
