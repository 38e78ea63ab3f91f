"""The safety plan is kept with the report and linked to the person's open case."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cases.conftest import meeting_for, open_for, ward  # noqa: F401  (fixture)
from tests.safeguarding.conftest import report_on
from tsunagari.accounts.models import Staff
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.safeguarding.services import SafeguardingError, SafetyPlanInput, record_safety_plan


def test_it_links_the_safety_plan_to_the_persons_open_case(
    personas: dict[str, Staff],
    ward: dict[str, Any],  # noqa: F811
) -> None:
    report = report_on(personas["consultant.self"], ward["mother"])
    team = personas["safeguarding"]
    plan = record_safety_plan(team, report.pk, SafetyPlanInput(measures="毎週訪問する。"))
    assert plan.case is None  # no case yet
    meeting_for(ward, personas, ["mac-01", "srs-01", "lsc-16"])
    case = open_for(ward, personas, "support_meeting", ("mac-01", "srs-01", "lsc-16"))
    plan = record_safety_plan(team, report.pk, SafetyPlanInput(measures="毎週訪問し、長男の受診を支える。",
                                                               expected_version=plan.version))  # fmt: skip
    assert plan.case == case and plan.version == 2
    assert DomainEvent.objects.filter(kind=EventKind.SAFETY_PLAN_RECORDED,
                                      data__case=case.pk).count() == 1  # fmt: skip


def test_it_refuses_a_plan_saved_over_a_newer_one(
    personas: dict[str, Staff],
    ward: dict[str, Any],  # noqa: F811
) -> None:
    report = report_on(personas["consultant.self"], ward["mother"])
    team = personas["safeguarding"]
    record_safety_plan(team, report.pk, SafetyPlanInput(measures="一"))
    record_safety_plan(team, report.pk, SafetyPlanInput(measures="二", expected_version=1))
    with pytest.raises(SafeguardingError):
        record_safety_plan(team, report.pk, SafetyPlanInput(measures="古い版", expected_version=1))


def test_the_review_day_is_optional_and_refused_when_no_date(
    personas: dict[str, Staff],
    ward: dict[str, Any],  # noqa: F811
) -> None:
    report = report_on(personas["consultant.self"], ward["mother"])
    team = personas["safeguarding"]
    with pytest.raises(SafeguardingError) as refused:
        record_safety_plan(team, report.pk, SafetyPlanInput(measures="一", review_on="来月"))
    assert "2026-04-01 の形" in refused.value.errors["review_on"]
    plan = record_safety_plan(team, report.pk, SafetyPlanInput(measures="一", review_on=" "))
    assert plan.review_on is None
    plan = record_safety_plan(team, report.pk, SafetyPlanInput(
        measures="一", review_on="2027-05-01", expected_version=plan.version))  # fmt: skip
    assert plan.review_on is not None and plan.review_on.isoformat() == "2027-05-01"
