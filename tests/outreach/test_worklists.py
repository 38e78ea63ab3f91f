"""Overdue next contacts on the ward's working-day calendar, and the team's
monthly table of states read from the named events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.outreach.conftest import contact
from tsunagari.lib import clock
from tsunagari.lib.calendar import WorkingCalendar
from tsunagari.outreach.models import OutreachTarget, State
from tsunagari.outreach.services import create_target_from_need, log_contact
from tsunagari.outreach.worklists import overdue_days, rows_for, team_counts, visit_list

JST = ZoneInfo("Asia/Tokyo")
FRIDAY = date(2026, 11, 20)  # Monday 11-23 is 勤労感謝の日


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=JST)


def test_a_contact_planned_before_a_holiday_is_not_late_on_the_holiday() -> None:
    cal = WorkingCalendar()
    assert overdue_days(FRIDAY, date(2026, 11, 20), cal) == 0
    assert overdue_days(FRIDAY, date(2026, 11, 22), cal) == 0  # Sunday
    assert overdue_days(FRIDAY, date(2026, 11, 23), cal) == 0  # holiday
    assert overdue_days(FRIDAY, date(2026, 11, 24), cal) == 1
    assert overdue_days(FRIDAY, date(2026, 11, 25), cal) == 2
    assert overdue_days(None, date(2026, 11, 25), cal) == 0


def test_over_the_year_end_closure_only_working_days_count() -> None:
    assert overdue_days(date(2026, 12, 28), date(2027, 1, 3), WorkingCalendar()) == 0
    assert overdue_days(date(2026, 12, 28), date(2027, 1, 4), WorkingCalendar()) == 1


@pytest.mark.django_db
def test_the_worker_list_counts_overdue_over_a_holiday(ward: Any, personas: Any) -> None:
    staff = personas["outreach"]
    with clock.frozen(at(date(2026, 11, 18))):
        target = create_target_from_need(staff, ward["need"].pk)
        log_contact(staff, target.pk, contact(on="2026-11-18", next_on=FRIDAY.isoformat()))
    target.refresh_from_db()
    with clock.frozen(at(date(2026, 11, 23))):
        row = rows_for(staff, [target])[0]
        assert (row.overdue, row.days_since, row.next_on) == (0, 5, FRIDAY)
        assert visit_list(staff) == [target]
    with clock.frozen(at(date(2026, 11, 24))):
        assert rows_for(staff, [target])[0].overdue == 1
    with clock.frozen(at(date(2026, 11, 19))):
        assert visit_list(staff) == []  # the next visit is planned for tomorrow


@pytest.mark.django_db
def test_the_monthly_table_places_each_target_in_its_state_at_each_month_end(
    ward: Any, personas: Any
) -> None:
    staff = personas["outreach"]
    with clock.frozen(at(date(2026, 9, 10))):
        target = create_target_from_need(staff, ward["need"].pk)
    with clock.frozen(at(date(2026, 10, 5))):
        log_contact(staff, target.pk, contact(on="2026-10-05"))
    with clock.frozen(at(date(2026, 11, 9))):
        log_contact(staff, target.pk, contact(on="2026-11-09", result="met"))
    with clock.frozen(at(date(2026, 11, 30))):
        counts = team_counts(staff, months=4)
    assert counts.months == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert counts.flow[State.NEW] == [0, 1, 0, 0]
    assert counts.flow[State.TRYING] == [0, 0, 1, 0]
    assert counts.flow[State.IN_CONTACT] == [0, 0, 0, 1]
    assert OutreachTarget.objects.get().state == State.IN_CONTACT
