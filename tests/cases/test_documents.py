"""The printable support plan and conference record: the regime on every page
(支援会議: not to leave the meeting, with its member agencies; 重層的支援会議: the
consent's scope), each download audited, only the team may download, and no
sealed person's address or phone on any page."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import ADDRESS, PHONE, TODAY, consent_for, meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.cases.models import Case, Conference, Regime
from tsunagari.cases.services import (
    ConferenceInput,
    PlanActionInput,
    PlanInput,
    TeamInput,
    hold_conference,
    save_plan,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.lib import clock

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)
weasyprint = pytest.importorskip("weasyprint")

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16")
# Long minutes, so the record runs over several pages.
MINUTES = "\n".join(f"{i}. 各機関の把握している状況を共有し、本人の希望を確かめた。" * 3
                    for i in range(1, 90))  # fmt: skip


def _work(case: Case, coordinator: Staff) -> Conference:
    due = working_calendar().add_working_days(clock.today(), 10).isoformat()
    save_plan(coordinator, case.pk, PlanInput(version=0, goals=["この家で暮らし続けたい"], actions=[
        PlanActionInput("介護サービスの見直し", "lsc-16", due)], review_on=due))  # fmt: skip
    return hold_conference(coordinator, case.pk, ConferenceInput(
        held_on=TODAY, agencies=[TeamInput(c, "役割") for c in TEAM], staff=["coordinator"],
        agenda="支援プランの検討", minutes=MINUTES, decisions="第1版に合意する。"))  # fmt: skip


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    return [p for p in text.split("\f") if p.strip()]


def _flat(page: str) -> str:
    return "".join(page.split())


def test_support_meeting_papers_say_on_every_page_not_to_leave_the_meeting(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients, tmp_path: Path
) -> None:
    meeting_for(ward, personas, [*TEAM, "dis-02"])
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)
    held = _work(case, personas["coordinator"])
    client = client_for("coordinator")
    response = client.get(f"/cases/{case.pk}/conferences/{held.pk}/record.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = _pages(response.content, tmp_path)
    assert len(pages) >= 2
    for page in pages:
        flat = _flat(page)
        assert "会議の外に持ち出さない" in flat
        # the member agencies, including one not on the team
        assert ("多機関協働" in flat and "障害者相談支援" in flat) or "あおぞら" in flat
    text = _flat("".join(pages))
    assert "高橋ふみ" in text and "高橋健二" in text and "第1版に合意する" in text
    # the sealed son's address and phone never appear; nor the mother's (no address on papers)
    assert _flat(ADDRESS) not in text and PHONE not in text
    plan = client.get(f"/cases/{case.pk}/plan.pdf")
    assert plan.status_code == 200
    plan_text = _flat("".join(_pages(plan.content, tmp_path)))
    assert "この家で暮らし続けたい" in plan_text and "会議の外に持ち出さない" in plan_text
    # each download is audited as an export of the case
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(case.pk),
                                        object_type="cases.case", reason__startswith="case ")  # fmt: skip
    assert sorted(e.reason for e in exports) == ["case conference pdf", "case plan pdf"]


def test_layered_papers_print_the_consents_scope(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients, tmp_path: Path
) -> None:
    consent_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.LAYERED, TEAM)
    held = _work(case, personas["coordinator"])
    pdf = client_for("coordinator").get(f"/cases/{case.pk}/conferences/{held.pk}/record.pdf")
    pages = _pages(pdf.content, tmp_path)
    assert len(pages) >= 2
    for page in pages:
        flat = _flat(page)
        assert "本人の同意" in flat and "の範囲でだけ共有します" in flat
        assert "共有する情報" in flat and "会議の外に持ち出さない" not in flat


def test_only_the_team_downloads(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)
    held = _work(case, personas["coordinator"])
    urls = [f"/cases/{case.pk}/plan.pdf", f"/cases/{case.pk}/conferences/{held.pk}/record.pdf"]
    # an agency not on the team is refused, with the refusal audited
    for url in urls:
        assert client_for("consultant.disability").get(url).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_id=str(case.pk)).exists()
    # a team member's worker who has not confirmed the duty is sent to confirm first
    unconfirmed = client_for("consultant.self").get(urls[0])
    assert unconfirmed.status_code == 302 and unconfirmed["Location"] == f"/cases/{case.pk}/"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(case.pk),
                                         reason__startswith="case ").exists()  # fmt: skip
