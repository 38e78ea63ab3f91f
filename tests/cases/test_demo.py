"""The demo ward's cases: made through the actions, at their own moments."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from tsunagari.cases.demo import load_demo_cases
from tsunagari.cases.models import (
    Assessment,
    Case,
    CaseState,
    Conference,
    ConferenceAction,
    EndReason,
    MonitoringNote,
    PlanRevision,
    Regime,
    Stage,
)
from tsunagari.cases.services import agency_actions, overdue_actions
from tsunagari.consent.models import ConsentForm, DecisionStatus
from tsunagari.events.models import DomainEvent, EventKind


@pytest.fixture
def summary(demo_ward: str, db: None) -> str:
    return demo_ward


def test_it_gives_the_demo_ward_cases_under_both_regimes_and_one_closed(summary: str) -> None:
    # (the cases opened from the other sources are tested in test_demo_sources)
    cases = list(Case.objects.filter(source_kind="need"))
    assert {c.regime for c in cases} == {Regime.SUPPORT_MEETING, Regime.LAYERED}, summary
    # the 8050 household: under 支援会議, with the middle-aged child concerned, in support
    meeting_case = next(
        c for c in cases if c.regime == Regime.SUPPORT_MEETING and c.members.exists()
    )
    assert meeting_case.stage == Stage.SUPPORT and meeting_case.members.count() == 1
    # closed ones; those handed over went to the agency that raised the need
    closed = [c for c in cases if c.state == CaseState.CLOSED]
    handed = [c for c in closed if c.end_reason == EndReason.HANDED_OVER]
    assert handed and all(c.handover_agency == c.need.raised_agency for c in handed)  # type: ignore[union-attr]
    # each case was opened through the action, after its need was picked up, before now
    for case in cases:
        opened = DomainEvent.objects.get(kind=EventKind.CASE_OPENED, object_id=str(case.pk),
                                         person_id=case.person_id)  # fmt: skip
        assert case.need is not None and case.need.picked_up_at is not None
        assert case.need.picked_up_at < opened.at == case.opened_at
    moves = DomainEvent.objects.filter(kind=EventKind.CASE_STAGE_MOVED).order_by("at", "pk")
    assert moves.exists()
    # the 8050 case and the closed ones were assessed, planned, agreed at a meeting and monitored
    worked = [meeting_case, *closed]
    for case in worked:
        assert case.assessments.exists() and case.conferences.exists()
        plan = case.plan
        assert plan.agreed_version == plan.version >= 1
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
    # its conference assigned the agency that raised the need an action, in its worker's worklist
    assert meeting_case.need is not None
    action = ConferenceAction.objects.filter(conference__case=meeting_case).first()
    assert action is not None and action.agency_id == meeting_case.need.raised_agency_id
    assert any(a.action == action for a in agency_actions(meeting_case.need.raised_by))
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
        ConferenceAction.objects.count(),
    )
    assert "already present" in load_demo_cases(7)
    assert counts == (Assessment.objects.count(), Conference.objects.count(),
                      MonitoringNote.objects.count(), ConferenceAction.objects.count())  # fmt: skip


def test_it_opens_a_year_of_cases_over_every_stage_each_on_a_valid_basis(summary: str) -> None:
    # given the demo ward, a ward's year of cases: more than the three above,
    cases = list(
        Case.objects.filter(source_kind="need").select_related("need", "support_meeting", "consent")
    )
    assert len(cases) >= 10, summary
    # at every stage from 受付 to モニタリング, and several closed
    open_stages = {c.stage for c in cases if c.state == CaseState.OPEN}
    assert open_stages == {
        Stage.INTAKE,
        Stage.ASSESSMENT,
        Stage.PLAN,
        Stage.SUPPORT,
        Stage.MONITORING,
    }
    least = settings.SMALL_CELL_MIN
    assert sum(c.state == CaseState.CLOSED for c in cases) >= least
    # and among them the patterns the programme meets: a young carer and a double carer
    summaries = " ".join(
        Assessment.objects.filter(case__in=cases).values_list("summary", flat=True)
    )
    assert "ヤングケアラー" in summaries and "子育てと親の介護" in summaries
    # each on a basis in force when it was opened, recorded before it
    for case in cases:
        assert case.need is not None and case.need.picked_up_at is not None
        if case.regime == Regime.SUPPORT_MEETING:
            decision = case.support_meeting
            assert decision is not None and decision.status == DecisionStatus.CONFIRMED
            assert decision.confirmed_agency_id not in {None, decision.recorded_agency_id}
            assert decision.confirmed_at is not None
            assert (
                case.need.picked_up_at
                < decision.decided_at
                <= decision.confirmed_at
                <= case.opened_at
            )
            members = set(decision.agencies.values_list("pk", flat=True))
            assert set(case.team.values_list("agency_id", flat=True)) <= members
        else:
            consent = case.consent
            assert consent is not None and consent.form == ConsentForm.WITH_CONSENT
            assert case.need.picked_up_at < consent.recorded_at <= case.opened_at
            named = set(consent.agencies.values_list("pk", flat=True))
            assert set(case.team.values_list("agency_id", flat=True)) <= named
    # the year's counts reach past the small-cell limit: plans agreed at a meeting,
    # meetings under each regime, and progress notes
    agreed = PlanRevision.objects.filter(agreed_at__isnull=False, conference__isnull=False)
    assert agreed.values("plan_id").distinct().count() >= least
    for regime in Regime.values:
        assert Conference.objects.filter(regime=regime).count() >= least, regime
    assert MonitoringNote.objects.count() >= least
    # some plans were revised and agreed again, a revision at a later meeting
    assert agreed.filter(number__gt=1).exists()
    for revision in agreed.select_related("conference", "plan"):
        assert revision.conference is not None
        assert revision.conference.regime == revision.plan.case.regime
    # every step of every case is in the past
    latest = DomainEvent.objects.filter(object_type="cases.case").order_by("-at").first()
    assert latest is not None and latest.at < timezone.now()
