"""Initial passwords (ASVS 2.3.1): random, printed once, short-lived, good only
for choosing one's own password, and never kept as the long-term one."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tsunagari.accounts.initial import issue_initial_password
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent

USER = "consultant.toyosu"
OWN = "豊洲の運河に朝の光がさす"


def _initial(days: int = 3) -> str:
    out = io.StringIO()
    call_command("initial_password", USER, "--days", str(days), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def _sign_in(password: str) -> tuple[Client, int]:
    client = Client()
    response = client.post("/signin/", {"username": USER, "password": password})
    return client, response.status_code


def test_it_draws_a_random_password_and_marks_the_account(personas: dict[str, Staff]) -> None:
    first, second = _initial(), _initial()
    assert first != second and len(first) == 19 and first.count("-") == 3
    staff = Staff.objects.get(username=USER)
    assert staff.password_must_change and staff.check_password(second)
    assert staff.initial_password_expires is not None
    assert (
        timedelta(days=2, hours=23)
        < staff.initial_password_expires - timezone.now()
        <= timedelta(days=3)
    )
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, reason="初期パスワードの発行"
    ).latest("pk")
    assert second not in str(event.detail)


def test_it_opens_only_the_password_page_until_one_of_ones_own_is_chosen(
    personas: dict[str, Staff],
) -> None:
    initial = _initial()
    client, status = _sign_in(initial)
    assert status == 302
    # every page leads to the password page; the API refuses
    for path in ("/", "/consultations/new/", "/people/search/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/password/", path
    assert client.get("/api/me").status_code == 403
    page = client.get("/password/")
    assert (
        page.status_code == 200 and "初期パスワードでサインインしています" in page.content.decode()
    )
    # the initial password cannot become the long-term one
    kept = client.post(
        "/password/",
        {"current_password": initial, "new_password": initial, "new_password_again": initial},
    )
    assert kept.status_code == 400
    # one's own opens everything and clears the mark
    done = client.post(
        "/password/", {"current_password": initial, "new_password": OWN, "new_password_again": OWN}
    )
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    staff = Staff.objects.get(username=USER)
    assert not staff.password_must_change and staff.initial_password_expires is None


def test_an_expired_initial_password_signs_in_no_more(personas: dict[str, Staff]) -> None:
    initial = _initial(days=1)
    Staff.objects.filter(username=USER).update(
        initial_password_expires=timezone.now() - timedelta(minutes=1)
    )
    _client, status = _sign_in(initial)
    assert status == 200  # the sign-in page again, with the usual message
    # a fresh one from the administrator works
    _client, status = _sign_in(_initial())
    assert status == 302


def test_the_command_refuses_an_unknown_account_or_a_long_life(personas: dict[str, Staff]) -> None:
    with pytest.raises(CommandError):
        call_command("initial_password", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("initial_password", USER, "--days", "30", stdout=io.StringIO())
    with pytest.raises(ValueError):
        issue_initial_password(Staff.objects.get(username=USER), days=0)
