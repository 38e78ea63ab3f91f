"""Targets, entered values with evidence, evaluations frozen, committee comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.plan import services
from tsunagari.plan.figures import direction_figures
from tsunagari.plan.models import EnteredValue, Evaluation, PlanPeriod, Target


def test_only_planners_set_targets(period: PlanPeriod, personas: dict[str, Staff]) -> None:
    indicator = period.indicators.get(code="6-2.fraud_damage")
    with pytest.raises(PermissionDenied):
        services.set_target(personas["consultant.elderly"], indicator.pk, 2026, "10")
    assert not Target.objects.exists()
    services.set_target(personas["planner"], indicator.pk, 2026, "10")
    assert Target.objects.get().value == 10
    assert DomainEvent.objects.filter(kind=EventKind.PLAN_TARGET_SET).count() == 1
    # changing the target set for that year is a revision of the plan
    services.set_target(personas["planner"], indicator.pk, 2026, "8")
    assert DomainEvent.objects.filter(kind=EventKind.PLAN_TARGET_SET).count() == 1
    revised = DomainEvent.objects.get(kind=EventKind.PLAN_REVISED)
    assert revised.data["value"] == 8 and revised.data["previous"] == 10


def test_a_baseline_is_an_event_of_its_own(period: PlanPeriod, personas: dict[str, Staff]) -> None:
    indicator = period.indicators.get(code="6-2.fraud_damage")
    services.set_baseline(personas["planner"], indicator.pk, 2025, "12")
    event = DomainEvent.objects.get(kind=EventKind.PLAN_BASELINE_SET)
    assert event.data["baseline"] == 12 and event.data["baseline_year"] == 2025
    assert not DomainEvent.objects.filter(kind=EventKind.PLAN_TARGET_SET).exists()


@pytest.mark.parametrize(
    ("year", "value", "field"),
    [("26", "10", "fiscal_year"), ("2040", "10", "fiscal_year"), ("2026", "abc", "value"),
     ("2026", "-1", "value")],
)  # fmt: skip
def test_it_refuses_bad_targets_with_what_to_fix(
    period: PlanPeriod, personas: dict[str, Staff], year: str, value: str, field: str
) -> None:
    indicator = period.indicators.get(code="6-2.fraud_damage")
    with pytest.raises(services.PlanError) as caught:
        services.set_target(personas["planner"], indicator.pk, year, value)
    assert field in caught.value.errors
    assert not Target.objects.exists()


def test_a_rate_above_100_is_refused(period: PlanPeriod, personas: dict[str, Staff]) -> None:
    indicator = period.indicators.get(code="7-1.barrier_free_facilities")
    with pytest.raises(services.PlanError):
        services.set_target(personas["planner"], indicator.pk, 2026, "120")


def test_it_enters_a_value_with_its_evidence_file(
    period: PlanPeriod, personas: dict[str, Staff], media: Path
) -> None:
    indicator = period.indicators.get(code="9-1.welfare_training_participants")
    upload = SimpleUploadedFile("研修出席簿.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    row = services.enter_value(
        personas["planner"], indicator.pk, 2026, "320", "出席簿から集計", upload
    )
    assert row.evidence_name == "研修出席簿.pdf" and row.evidence.name.startswith("plan/evidence/")
    assert (media / row.evidence.name).read_bytes() == b"%PDF-1.4 test"
    rows = {r.code: r for f in direction_figures(2026) for r in f.rows}
    assert rows[indicator.code].value == 320 and rows[indicator.code].evidence
    # a correction keeps the file
    services.enter_value(personas["planner"], indicator.pk, 2026, "330", "訂正")
    assert EnteredValue.objects.get().evidence.name == row.evidence.name
    assert AuditEvent.objects.filter(object_type="plan.enteredvalue").count() == 2


def test_it_refuses_a_file_that_is_not_what_it_says(
    period: PlanPeriod, personas: dict[str, Staff], media: Path
) -> None:
    indicator = period.indicators.get(code="9-1.welfare_training_participants")
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(services.PlanError) as caught:
        services.enter_value(personas["planner"], indicator.pk, 2026, "3", "note", fake)
    assert "evidence" in caught.value.errors
    assert not EnteredValue.objects.exists() and not list(media.rglob("*.pdf"))


def test_a_computed_indicator_cannot_be_entered(
    period: PlanPeriod, personas: dict[str, Staff]
) -> None:
    indicator = period.indicators.get(code="1-3.local_consultations")
    with pytest.raises(services.PlanError):
        services.enter_value(personas["planner"], indicator.pk, 2026, "3", "note")


def test_an_evaluation_freezes_the_values_it_was_made_on(
    period: PlanPeriod, personas: dict[str, Staff]
) -> None:
    planner = personas["planner"]
    indicator = period.indicators.get(code="9-1.welfare_training_participants")
    direction = indicator.direction
    services.enter_value(planner, indicator.pk, 2026, "300", "出席簿")
    evaluation = services.record_evaluation(planner, direction.pk, 2026, "B", "順調", "継続")
    # a later correction does not change what was evaluated
    services.enter_value(planner, indicator.pk, 2026, "10", "訂正")
    frozen = Evaluation.objects.get(pk=evaluation.pk).values
    assert [v["value"] for v in frozen if v["code"] == indicator.code] == [300.0]
    comment = services.add_committee_comment(planner, evaluation.pk, "研修の内容も示すこと")
    assert comment.evaluation_id == evaluation.pk
    with pytest.raises(services.PlanError):
        services.record_evaluation(planner, direction.pk, 2026, "Z", "x", "y")
    with pytest.raises(PermissionDenied):
        services.add_committee_comment(personas["council"], evaluation.pk, "x")
