"""A small hand-made ward for the plan's figures: consultations and referrals
with known counts on both sides of the fiscal-year boundary (March 31 / April 1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.people.conftest import residents  # noqa: F401  (fixture)
from tsunagari.accounts.models import Agency, Staff
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    Referral,
    ReferralStatus,
)
from tsunagari.people.models import Person
from tsunagari.plan.loading import load_plans
from tsunagari.plan.models import PlanPeriod

JST = ZoneInfo("Asia/Tokyo")


def at(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=JST)


def consult(staff: Staff, agency: str, day: date, person: Person | None = None,
            status: str = ConsultationStatus.RECORDED) -> Consultation:  # fmt: skip
    return Consultation.objects.create(
        agency=Agency.objects.get(code=agency), received_by=staff, received_on=day,
        status=status, service="elderly", person=person,
    )  # fmt: skip


def refer(base: Consultation, sent: datetime, status: str, *, answered_after: float | None = None,
          closed: datetime | None = None) -> Referral:  # fmt: skip
    """A referral sent at ``sent`` with a due date 5 days on, answered after ``answered_after`` days."""
    assert base.person is not None
    return Referral.objects.create(
        consultation=base, person=base.person, from_agency=base.agency,
        to_agency=Agency.objects.get(code="srs-01"), sent_by=base.received_by, sent_at=sent,
        due_at=sent + timedelta(days=5), summary="つなぎ", status=status,
        responded_at=None if answered_after is None else sent + timedelta(days=answered_after),
        closed_at=closed,
    )  # fmt: skip


@pytest.fixture
def period(db: None) -> PlanPeriod:
    return load_plans()[0]


@pytest.fixture
def small_ward(personas: dict[str, Staff], residents: dict[str, Person]) -> dict[str, object]:  # noqa: F811
    """Known counts for FY2026 (2026-04-01 .. 2027-03-31).

    Local agency (lsc-16): 1 on 2026-03-31 (FY2025), 1 on 2026-04-01, 6 on
    2027-03-31, 2 on 2027-04-01 (FY2027), 1 draft in FY2026. Ward department
    (dept-01): 3 in FY2026. So FY2026: 7 local, 10 received.
    Referrals sent in FY2026: 4 closed (3 answered in time, 1 late), 1 still
    open and overdue, 1 revoked; 1 sent on 2027-04-01 (FY2027).
    """
    staff = personas["consultant.elderly"]
    taro = residents["taro"]
    consult(staff, "lsc-16", date(2026, 3, 31), taro)
    first = consult(staff, "lsc-16", date(2026, 4, 1), taro)
    for _ in range(6):
        consult(staff, "lsc-16", date(2027, 3, 31), taro)
    for _ in range(2):
        consult(staff, "lsc-16", date(2027, 4, 1), taro)
    consult(staff, "lsc-16", date(2026, 10, 1), taro, status=ConsultationStatus.DRAFT)
    for _ in range(3):
        consult(staff, "dept-01", date(2026, 6, 1))
    for days in (1, 2, 5):
        refer(first, at(2026, 5, 1), ReferralStatus.CLOSED, answered_after=days,
              closed=at(2026, 6, 1))  # fmt: skip
    refer(first, at(2026, 5, 1), ReferralStatus.CLOSED, answered_after=8, closed=at(2026, 6, 1))
    refer(first, at(2027, 3, 20), ReferralStatus.SENT)
    refer(first, at(2026, 5, 1), ReferralStatus.REVOKED)
    refer(first, at(2027, 4, 1, 0), ReferralStatus.SENT)
    return {"first": first}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    return tmp_path
