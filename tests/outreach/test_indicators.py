"""The outreach counts on a hand-made set across the fiscal-year boundary
(FY2025 ends 2026-03-31, JST)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.outreach.conftest import contact
from tsunagari.accounts.models import Agency
from tsunagari.consultations.models import Consultation
from tsunagari.lib import clock
from tsunagari.outreach import indicators as ind
from tsunagari.outreach.models import OutreachTarget
from tsunagari.outreach.services import (
    ConnectInput,
    connect_target,
    create_target_from_consultation,
    log_contact,
)
from tsunagari.plan.registry import FiscalYear, indicators, programme_items

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
FY25, FY26 = FiscalYear(2025), FiscalYear(2026)


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=JST)


def new_target(ward: Any, personas: Any, when: datetime) -> OutreachTarget:
    consultation = Consultation.objects.create(
        agency=Agency.objects.get(code="srs-01"), received_by=personas["consultant.self"],
        person=ward["alone"], outcome="outreach", status="recorded")  # fmt: skip
    with clock.frozen(when):
        return create_target_from_consultation(personas["outreach"], consultation.pk)


def log(staff: Any, target: OutreachTarget, day: date, **kw: Any) -> None:
    with clock.frozen(at(day.year, day.month, day.day, 15)):
        log_contact(staff, target.pk, contact(on=day.isoformat(), **kw))


@pytest.fixture
def year_end(ward: Any, personas: Any) -> dict[str, OutreachTarget]:
    staff = personas["outreach"]
    a = new_target(ward, personas, at(2026, 3, 20))
    b = new_target(ward, personas, at(2026, 3, 31, 23, 30))  # last half hour of FY2025
    c = new_target(ward, personas, at(2026, 4, 1, 0, 10))  # first minutes of FY2026
    log(staff, a, date(2026, 3, 20), method="visit")
    log(staff, b, date(2026, 3, 31), method="letter", result="note_left")
    log(staff, c, date(2026, 4, 1), method="phone", result="met")
    log(staff, a, date(2026, 4, 2), method="phone", result="met")
    log(staff, b, date(2026, 4, 6), method="visit", result="met")
    with clock.frozen(at(2026, 4, 10)):
        connect_target(staff, a.pk, ConnectInput(to="agency", agency="lsc-16", handover_note="x"))
    return {"a": a, "b": b, "c": c}


def items(fy: FiscalYear) -> dict[str, int]:
    return {i.item: i.compute(fy) for i in programme_items() if i.programme == "outreach"}


def test_each_count_falls_in_the_fiscal_year_of_its_local_date(year_end: Any) -> None:
    assert items(FY25) == {
        "outreach_targets": 2, "outreach_contacts_visit": 1, "outreach_contacts_phone": 0,
        "outreach_contacts_letter": 1, "outreach_contacts_partner": 0,
        "outreach_people_reached": 0, "outreach_connections": 0,
        "outreach_median_days_to_meeting": 0,
    }  # fmt: skip
    assert items(FY26) == {
        "outreach_targets": 1, "outreach_contacts_visit": 1, "outreach_contacts_phone": 2,
        "outreach_contacts_letter": 0, "outreach_contacts_partner": 0,
        "outreach_people_reached": 3, "outreach_connections": 1,
        "outreach_median_days_to_meeting": 6,
    }  # fmt: skip


def test_days_to_first_meeting_count_from_the_first_attempt(year_end: Any) -> None:
    assert sorted(ind.days_to_first_meeting(FY26)) == [0, 6, 13]
    assert ind.days_to_first_meeting(FY25) == []


def test_the_4_3_indicator_is_the_share_of_people_met_who_were_connected(year_end: Any) -> None:
    indicator = next(i for i in indicators() if i.code == "4-3.outreach_connected_share")
    assert indicator.direction == "4-3"
    measure = indicator.compute(FY26)
    assert (measure.numerator, measure.denominator, measure.value) == (1, 3, 33.3)
    assert measure.records == (("outreach.outreachtarget", str(year_end["a"].pk)),)
    assert indicator.compute(FY25).value is None
