"""The demo ward's cases: made through the actions, at their own moments."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tsunagari.cases.demo import load_demo_cases
from tsunagari.cases.models import (
    Assessment,
    Case,
    CaseState,
    Conference,
    MonitoringNote,
    Regime,
    Stage,
)
from tsunagari.cases.services import overdue_actions
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
    # the 8050 case and the closed one were assessed, planned, agreed at a meeting and monitored
    worked = [meeting_case, closed[0]]
    for case in worked:
        assert case.assessments.exists() and case.conferences.exists()
        plan = case.plan
        assert plan.agreed_version == plan.version == 1
        assert MonitoringNote.objects.filter(case=case).exists()
        # every conference was held under the case's regime, by agencies on its team
        for held in case.conferences.all():
            assert held.regime == case.regime
            team = set(case.team.values_list("agency_id", flat=True))
            assert set(held.agencies.values_list("agency_id", flat=True)) <= team
    # the 8050 child was assessed on their own, and the lead's agency confirmed the duty
    assert meeting_case.assessments.values("person_id").distinct().count() == 2
    assert meeting_case.confirmations.count() >= 2
    # the 8050 plan has an action past its due date on the coordinator's list
    assert any(o.case == meeting_case for o in overdue_actions(meeting_case.opened_by))
    # the stages moved only one step at a time (the stage rule's events)
    for event in DomainEvent.objects.filter(kind=EventKind.CASE_STAGE_MOVED):
        order = [s.value for s in Stage]
        assert abs(order.index(event.data["stage_to"]) - order.index(event.data["stage_from"])) == 1
    # every step is in the past
    latest = DomainEvent.objects.filter(object_type="cases.case").order_by("-at").first()
    assert latest is not None and latest.at < timezone.now()
    # a second run changes nothing
    counts = (
        Assessment.objects.count(),
        Conference.objects.count(),
        MonitoringNote.objects.count(),
    )
    assert "already present" in load_demo_cases(7)
    assert counts == (Assessment.objects.count(), Conference.objects.count(),
                      MonitoringNote.objects.count())  # fmt: skip
