"""Community building's figures for the plan, per fiscal year (April to March)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.community.conftest import activity_input, place
from tsunagari.accounts.models import Staff
from tsunagari.community.models import Activity
from tsunagari.community.services import (
    AttendanceInput,
    create_activity,
    plan_sessions,
    record_attendance,
)
from tsunagari.lib import clock
from tsunagari.plan.registry import FiscalYear, indicators, programme_items
from tsunagari.resources.models import Organization

JST = ZoneInfo("Asia/Tokyo")


def held(staff: Staff, activity: Activity, day: str, total: int, first: int) -> None:
    session = plan_sessions(staff, activity.pk, [day])[0]
    record_attendance(staff, session.pk, AttendanceInput(
        total=total, first_timers=first, bands={"age_75_plus": total}))  # fmt: skip


@pytest.fixture
def year(activity: Activity, directory: dict[str, Any], personas: dict[str, Staff]) -> None:
    """FY2026: the salon met on 2026-04-07 (10, 3 new) and 2027-03-30 (8, 1 new); an event at a
    second place run by a second group met on 2026-06-01 (20, 20 new); the salon's 2026-03-31
    session (FY2025) and a planned one that never met do not count."""
    staff = personas["community"]
    Organization.objects.create(id="org-2", name="大島の会")
    event = create_activity(staff, activity_input(directory, title="夏祭り", kind="event",
                                                  location=place("o2", "大島").id, service="",
                                                  organization="org-2", volunteers=12))  # fmt: skip
    with clock.frozen(datetime(2027, 4, 2, 10, tzinfo=JST)):
        held(staff, activity, "2026-04-07", 10, 3)
        held(staff, activity, "2027-03-30", 8, 1)
        held(staff, activity, "2026-03-31", 50, 50)
        held(staff, event, "2026-06-01", 20, 20)
        plan_sessions(staff, activity.pk, ["2026-05-05"])


def figures(fy: int) -> dict[str, object]:
    out: dict[str, object] = {
        item.item: item.compute(FiscalYear(fy))
        for item in programme_items() if item.programme == "community"
    }  # fmt: skip
    for indicator in indicators():
        if indicator.code.split(".")[1].startswith("community_"):
            out[indicator.code] = indicator.compute(FiscalYear(fy)).value
    return out


def test_it_counts_the_programme_items_and_indicators_of_a_fiscal_year(year: None) -> None:
    assert figures(2026) == {
        "places": 2, "activities": 2, "sessions": 3, "participants": 38, "first_timers": 24,
        "organisations": 2, "volunteers": 18,
        "1-1.community_regular_places": 1, "1-1.community_participants": 38,
        "1-2.community_active_groups": 2,
    }  # fmt: skip
    assert figures(2025)["participants"] == 50 and figures(2025)["places"] == 1


def test_an_empty_year_counts_zero(db: None) -> None:
    assert set(figures(2030).values()) == {0}


def test_the_people_counts_are_marked_for_suppression(db: None) -> None:
    sensitive = {i.item for i in programme_items() if i.programme == "community" and i.sensitive}
    assert sensitive == {"participants", "first_timers", "volunteers"}
