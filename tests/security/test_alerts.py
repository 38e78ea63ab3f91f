"""Alerts for the security officer (ASVS 11.1.8): failed sign-ins and refusals
over configurable thresholds are reported by a command a timer runs."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.audit.services import record


def _run(minutes: int = 60) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("security_alerts", "--minutes", str(minutes), stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_it_is_silent_when_nothing_crosses_a_threshold(personas: dict[str, Staff]) -> None:
    Client().post("/signin/", {"username": "consultant.elderly", "password": "wrong once"})
    assert _run() == (0, "")


def test_it_reports_an_account_being_guessed_and_a_probing_member_of_staff(
    personas: dict[str, Staff], settings: Any
) -> None:
    settings.ALERT_SIGN_IN_FAILURES = 3
    settings.ALERT_REFUSALS = 4
    for _ in range(3):
        Client().post("/signin/", {"username": "supervisor.elderly", "password": "a guess"})
    for _ in range(4):
        record(personas["outsider"], AuditAction.DENIED, reason="probing")
    code, out = _run()
    assert code == 1
    assert "3 failed sign-ins (password or code) for account 'supervisor.elderly'" in out
    assert "4 refusals for staff 'outsider'" in out
    # raising the thresholds silences them: they are the settings that decide
    settings.ALERT_SIGN_IN_FAILURES = 4
    settings.ALERT_REFUSALS = 5
    assert _run() == (0, "")


def test_it_reports_many_usernames_tried_and_looks_back_only_over_its_window(
    personas: dict[str, Staff], settings: Any
) -> None:
    settings.ALERT_SIGN_IN_FAILURES_TOTAL = 6
    for name in ("alice", "bob", "carol", "dave", "erin", "frank"):
        Client().post("/signin/", {"username": name, "password": "spray"})
    code, out = _run()
    assert code == 1 and "6 failed sign-ins across all accounts" in out
    AuditEvent.objects.update(at=F("at") - timedelta(hours=2))
    assert _run(60) == (0, "")
    assert _run(180)[0] == 1


def test_it_refuses_a_window_out_of_range(db: None) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("security_alerts", "--minutes", "0")


def test_it_reports_every_replayed_one_time_code(personas: dict[str, Staff]) -> None:
    record(
        None, AuditAction.SIGN_IN_FAILED, reason="確認コードの誤り", detail={"username": "admin"}
    )
    assert _run() == (0, "")
    record(
        None, AuditAction.SIGN_IN_FAILED, reason="確認コードの再使用", detail={"username": "admin"}
    )
    code, out = _run()
    assert code == 1 and "1 replayed one-time codes for account 'admin'" in out
