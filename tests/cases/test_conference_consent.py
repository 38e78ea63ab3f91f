"""A 重層的支援会議 conference's paper prints the consent in force on the
conference's day: a consent withdrawn or renewed afterwards changes neither an
earlier conference's record nor a later one's."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import open_for
from tsunagari.accounts.models import Staff
from tsunagari.cases.documents import conference_consent
from tsunagari.cases.models import Conference, Regime
from tsunagari.cases.services import ConferenceInput, TeamInput, hold_conference
from tsunagari.consent.models import Consent
from tsunagari.consent.services import (
    ConsentInput,
    MemberInput,
    WithdrawalInput,
    record_consent,
    withdraw_consent,
)
from tsunagari.lib import clock

TEAM = ("mac-01", "srs-01", "lsc-16")
BASE = ["basic", "consultation", "family", "support"]
Clients = Callable[[str], Client]


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


def consent(ward: dict[str, Any], personas: dict[str, Staff], day: date, extra: list[str],
            years_days: int) -> Consent:  # fmt: skip
    with clock.frozen(at(day)):
        return record_consent(personas["coordinator"], ward["mother"].pk, ConsentInput(
            form="with", given_on=day.isoformat(),
            expires_on=(day + timedelta(days=years_days)).isoformat(), agencies=list(TEAM),
            categories=BASE + extra,
            members=[MemberInput(person=str(ward["son"].pk), agreement="self")]))  # fmt: skip


def conference(personas: dict[str, Staff], case_id: int, day: date) -> Conference:
    with clock.frozen(at(day)):
        return hold_conference(personas["coordinator"], case_id, ConferenceInput(
            held_on=day.isoformat(), agencies=[TeamInput(c, "役割") for c in TEAM],
            staff=["coordinator"], agenda="検討", minutes="共有した。", decisions="続ける。"))  # fmt: skip


@pytest.fixture
def history(ward: dict[str, Any], personas: dict[str, Staff]) -> dict[str, Any]:
    """Consent A; conference 1 under it; A withdrawn, then consent B; conference 2
    under B; then B renewed by consent C."""
    day = clock.today()
    a = consent(ward, personas, day, [], 365)
    with clock.frozen(at(day)):
        case = open_for(ward, personas, Regime.LAYERED, TEAM)
    first = conference(personas, case.pk, day)
    with clock.frozen(at(day + timedelta(days=2))):
        withdraw_consent(personas["consultant.self"], a.pk, WithdrawalInput(
            said_on=(day + timedelta(days=2)).isoformat(), channel="phone", told_to="自立"))  # fmt: skip
    b = consent(ward, personas, day + timedelta(days=3), ["health"], 400)
    second = conference(personas, case.pk, day + timedelta(days=3))
    c = consent(ward, personas, day + timedelta(days=5), ["money"], 430)
    return {"case": case, "a": a, "b": b, "c": c, "first": first, "second": second,
            "later": day + timedelta(days=6)}  # fmt: skip


def test_each_conference_keeps_the_consent_of_its_own_day(history: dict[str, Any]) -> None:
    # long after A was withdrawn and B renewed by C
    with clock.frozen(at(history["later"])):
        # the first conference still rests on A, the second on B, neither on C
        assert conference_consent(history["first"]) == history["a"]
        assert conference_consent(history["second"]) == history["b"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_conference_papers_print_the_consent_of_their_own_day(
    history: dict[str, Any], client_for: Clients, tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    client = client_for("coordinator")
    case = history["case"]

    def text(held: Conference) -> str:
        with clock.frozen(at(history["later"])):
            response = client.get(f"/cases/{case.pk}/conferences/{held.pk}/record.pdf")
        assert response.status_code == 200
        path = tmp_path / f"c{held.pk}.pdf"
        path.write_bytes(response.content)
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                             check=True, text=True).stdout  # fmt: skip
        return "".join(out.split())

    def until(consent: Consent) -> str:
        assert consent.expires_on is not None
        return f"有効期限{consent.expires_on.isoformat()}"

    first, second = text(history["first"]), text(history["second"])
    a, b, c = history["a"], history["b"], history["c"]
    # the first conference's paper: A's dates and scope, not B's or C's
    assert until(a) in first and until(b) not in first and until(c) not in first
    assert "健康・障害・介護" not in first and "収入・債務・住まい" not in first
    # the second's: B's (health shared), not C's (money) nor the withdrawn A's
    assert until(b) in second and until(c) not in second and until(a) not in second
    assert "健康・障害・介護" in second and "収入・債務・住まい" not in second
