"""The demo plan on the small demo ward: realistic pages, idempotent, the contract filled."""

from __future__ import annotations

from pathlib import Path

from tsunagari.events.models import DomainEvent
from tsunagari.plan.demo import load_demo_plan
from tsunagari.plan.export import directions_rows, programmes_rows
from tsunagari.plan.models import CommitteeComment, EnteredValue, Evaluation, Target


def _state() -> tuple[int, ...]:
    return (Target.objects.count(), EnteredValue.objects.count(), Evaluation.objects.count(),
            CommitteeComment.objects.count(), DomainEvent.objects.count())  # fmt: skip


def test_it_loads_targets_values_and_an_evaluation_once(
    demo_ward: str, db: None, media: Path
) -> None:
    # given the small demo ward, whose loader plays the plan's demo last
    summary = demo_ward
    # then targets for three years, entered values with evidence and one evaluation exist
    assert "targets" in summary
    assert set(Target.objects.values_list("fiscal_year", flat=True)) == {2025, 2026, 2027}
    assert EnteredValue.objects.exclude(evidence="").exists()
    evaluation = Evaluation.objects.get()
    assert evaluation.values and evaluation.committee_comments.count() == 1
    # and the contract has a row for all 19 directions and consultation counts
    assert len({r[0] for r in directions_rows(2026)}) == 19
    consultation = [r for r in programmes_rows(2026) if r[0] == "consultation"]
    assert consultation and any(r[3] not in ("", 0) for r in consultation)
    # a second run adds nothing
    before = _state()
    load_demo_plan(7)
    assert _state() == before
