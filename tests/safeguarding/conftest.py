"""A ward for the safeguarding tests: an older woman served by the Kitasuna
longevity centre (reported on by a neighbour), and helpers that walk a report
through its steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Staff
from tsunagari.lib import clock
from tsunagari.people.models import AgencyLink, LinkBasis, Person
from tsunagari.safeguarding.models import Report
from tsunagari.safeguarding.services import (
    DecisionInput,
    ReportInput,
    confirm_safety,
    decide,
    file_report,
    record_facts,
)

JST = ZoneInfo("Asia/Tokyo")
REPORTER_NAME = "近所　見守"
REPORTER_CONTACT = "090-7777-1212"
ADDRESS = "江東区北砂五丁目20番1号 北砂コーポ202"


@pytest.fixture
def elder(personas: dict[str, Staff]) -> Person:
    """木村 トメ (84), served by the Kitasuna longevity centre (lsc-16) and the
    disability office (dis-02): two agencies that must never learn who reported."""
    person = make_person(name="木村　トメ", kana="キムラ　トメ", birth_date="1942-05-05", sex="2",
                         address=ADDRESS, phone="03-3644-5151")  # fmt: skip
    for code in ("lsc-16", "dis-02"):
        AgencyLink.objects.create(person=person, agency=Agency.objects.get(code=code),
                                  basis=LinkBasis.CASE)  # fmt: skip
    return person


def report_on(filer: Staff, person: Person, **kwargs: Any) -> Report:
    values: dict[str, Any] = {
        "law": "elder_carer", "person": str(person.pk), "kinds": ["physical"],
        "summary": "夜に大きな声と物音。腕にあざ。", "reporter_type": "neighbour",
        "reporter_name": REPORTER_NAME, "reporter_relation": "隣人",
        "reporter_contact": REPORTER_CONTACT,
    }  # fmt: skip
    values.update(kwargs)
    return file_report(filer, ReportInput(**values))


def walk_to_decision(team: Staff, report: Report) -> Report:
    confirm_safety(team, report.pk, "訪問して本人と面談。けがの手当て済み。")
    record_facts(team, report.pk, "長男から聞き取り。介護疲れ。")
    return decide(team, report.pk, DecisionInput(recognised="yes", urgency="medium",
                  separation="none", kinds=["physical"], note="コアメンバー会議: 課長、係長、担当。"))  # fmt: skip


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JST)  # type: ignore[misc]


__all__ = ["at", "clock", "report_on", "walk_to_decision"]
