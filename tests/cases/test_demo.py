"""The demo ward's cases: made through the actions, at their own moments."""

from __future__ import annotations

import pytest

from tsunagari.cases.demo import load_demo_cases
from tsunagari.cases.models import Case, CaseState, Regime, Stage
from tsunagari.demo.loader import load_demo
from tsunagari.events.models import DomainEvent, EventKind


@pytest.fixture
def summary(db: None) -> str:
    return load_demo(people=400, seed=7, progress=False)


def test_it_gives_the_demo_ward_cases_under_both_regimes_and_one_closed(summary: str) -> None:
    cases = list(Case.objects.all())
    assert {c.regime for c in cases} == {Regime.SUPPORT_MEETING, Regime.LAYERED}, summary
    # the 8050 household: under 支援会議, with the middle-aged child concerned, in support
    meeting_case = next(c for c in cases if c.regime == Regime.SUPPORT_MEETING)
    assert meeting_case.stage == Stage.SUPPORT and meeting_case.members.count() == 1
    # one closed, handed over to the agency that raised the need
    closed = [c for c in cases if c.state == CaseState.CLOSED]
    assert len(closed) == 1 and closed[0].handover_agency == closed[0].need.raised_agency  # type: ignore[union-attr]
    # each case was opened through the action, after its need was picked up, before now
    for case in cases:
        opened = DomainEvent.objects.get(kind=EventKind.CASE_OPENED, object_id=str(case.pk),
                                         person_id=case.person_id)  # fmt: skip
        assert case.need is not None and case.need.picked_up_at is not None
        assert case.need.picked_up_at < opened.at == case.opened_at
    moves = DomainEvent.objects.filter(kind=EventKind.CASE_STAGE_MOVED).order_by("at", "pk")
    assert moves.exists()
    # a second run changes nothing
    assert "already present" in load_demo_cases(7)
