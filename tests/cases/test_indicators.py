"""The multi-agency programme's yearly counts and the 4-3 indicator, per fiscal year."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.cases.conftest import meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.cases import indicators as ind
from tsunagari.cases.models import Case, Conference, PlanRevision, Regime
from tsunagari.cases.services import (
    AgreementInput,
    ConferenceInput,
    EndInput,
    MonitoringInput,
    PlanActionInput,
    PlanInput,
    TeamInput,
    agree_plan,
    end_case,
    hold_conference,
    record_monitoring,
    save_plan,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.plan.registry import FiscalYear, indicators, programme_items

TEAM = ("mac-01", "srs-01", "lsc-16")


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def worked(ward: dict[str, Any], personas: dict[str, Staff]) -> Case:
    """A 支援会議 case with a plan agreed twice, two conferences, a note, then closed."""
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)
    actor = case.opened_by
    due = working_calendar().add_working_days(timezone.localdate(), 10).isoformat()
    review = working_calendar().add_working_days(timezone.localdate(), 30).isoformat()
    for version in (0, 1):
        save_plan(actor, case.pk, PlanInput(version=version, goals=[f"目標{version}"], review_on=review,
                  actions=[PlanActionInput("家計の相談", "srs-01", due)]))  # fmt: skip
        held = hold_conference(actor, case.pk, ConferenceInput(
            held_on=timezone.localdate().isoformat(), agencies=[TeamInput("mac-01")], decisions="合意"))  # fmt: skip
        agree_plan(actor, case.pk, AgreementInput(version + 1, str(held.pk), True))
    action = case.plan.actions.get(active=True)
    record_monitoring(actor, case.pk, MonitoringInput(str(action.pk), "on_track", ""))
    end_case(actor, case.pk, EndInput(state="closed", reason="resolved"))
    return case


def test_it_counts_the_programme_items_in_the_year_they_happened(worked: Case) -> None:
    this = FiscalYear.of(timezone.localdate())
    before = FiscalYear(this.year - 1)
    assert ind.cases_opened(this) == 1 and ind.people_supported(this) == 1
    assert ind.plans_made(this) == 1 and ind.plans_revised(this) == 1
    assert ind.conferences_held(this, Regime.SUPPORT_MEETING) == 2
    assert ind.conferences_held(this, Regime.LAYERED) == 0
    assert ind.cases_closed(this) == 1 and ind.monitoring_reviews(this) == 1
    for count in (ind.cases_opened, ind.people_supported, ind.plans_made, ind.plans_revised,
                  ind.cases_closed, ind.monitoring_reviews):  # fmt: skip
        assert count(before) == 0, count.__name__
    # a conference dated on the last day of the previous year counts there, not here
    first = Conference.objects.order_by("pk").first()
    assert first is not None
    Conference.objects.filter(pk=first.pk).update(held_on=before.last_day)
    assert ind.conferences_held(before, Regime.SUPPORT_MEETING) == 1
    assert ind.conferences_held(this, Regime.SUPPORT_MEETING) == 1
    # the first agreement moved to the previous year: the plan was made then, revised now
    PlanRevision.objects.filter(number=1).update(agreed_at=_at(before.last_day))
    assert ind.plans_made(before) == 1 and ind.plans_made(this) == 0
    assert ind.plans_revised(this) == 1 and ind.plans_revised(before) == 0


def test_people_supported_counts_a_case_still_open_from_an_earlier_year(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)
    this = FiscalYear.of(timezone.localdate())
    Case.objects.filter(pk=case.pk).update(opened_at=_at(this.first_day - timedelta(days=400)))
    assert ind.people_supported(this) == 1 and ind.cases_opened(this) == 0
    # closed before the year began: not supported in it
    Case.objects.filter(pk=case.pk).update(
        state="closed", ended_at=_at(this.first_day - timedelta(days=1))
    )
    assert ind.people_supported(this) == 0


def test_the_4_3_indicator_counts_cases_with_a_plan_agreed_at_a_meeting(worked: Case) -> None:
    this = FiscalYear.of(timezone.localdate())
    measure = ind.cases_with_agreed_plan(this)
    # two agreements of one plan: the case counts once
    assert measure.value == 1 and measure.records == (("cases.case", str(worked.pk)),)
    assert ind.cases_with_agreed_plan(FiscalYear(this.year - 1)).value == 0


def test_the_registry_lists_the_items_and_the_indicator() -> None:
    items = {i.item for i in programme_items() if i.programme == "multi_agency"}
    assert {"cases_opened", "people_supported", "plans_made", "plans_revised",
            "support_meetings_held", "layered_meetings_held", "cases_closed",
            "monitoring_reviews"} <= items  # fmt: skip
    assert any(i.code == "4-3.multi_agency_plans_agreed" and i.direction == "4-3"
               for i in indicators())  # fmt: skip
