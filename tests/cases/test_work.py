"""The work on an open case: assessment, the shared plan and its agreement at a
conference, conferences under each regime, monitoring and overdue actions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.cases.conftest import consent_for, meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.cases.models import (
    Assessment,
    Case,
    Conference,
    MonitoringNote,
    PlanAction,
    Regime,
    Stage,
    SupportPlan,
)
from tsunagari.cases.services import (
    PLAN_EXPECTED_DAYS,
    AgreementInput,
    AreaInput,
    AssessmentInput,
    CaseError,
    ConferenceInput,
    MonitoringInput,
    PlanActionInput,
    PlanConflict,
    PlanInput,
    TeamInput,
    agree_plan,
    cases_without_plan,
    confirm_confidentiality,
    hold_conference,
    latest_assessments,
    overdue_actions,
    record_assessment,
    record_monitoring,
    reviews_due,
    save_plan,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock

TEAM = ("mac-01", "srs-01", "lsc-16")


def working(days: int) -> str:
    return working_calendar().add_working_days(timezone.localdate(), days).isoformat()


def closed_day() -> date:
    """The next day the ward is closed (a Saturday at the latest)."""
    day = timezone.localdate() + timedelta(days=1)
    while working_calendar().is_working_day(day):
        day += timedelta(days=1)
    return day


@pytest.fixture
def sm_case(ward: dict[str, Any], personas: dict[str, Staff]) -> Case:
    meeting_for(ward, personas, [*TEAM, "dis-02"])
    return open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)


def assess(case: Case, person: int, **areas: tuple[str, str, str]) -> Assessment:
    return record_assessment(case.opened_by, case.pk, AssessmentInput(
        person=str(person), summary="見立て",
        areas=[AreaInput(k, *v) for k, v in areas.items()]))  # fmt: skip


def plan_input(version: int = 0, **kw: Any) -> PlanInput:
    data: dict[str, Any] = {
        "version": version, "goals": ["母の介護を続けながら、自分の時間も持ちたい"],
        "actions": [PlanActionInput("介護保険サービスの見直し", "lsc-16", working(10)),
                    PlanActionInput("家計の相談", "srs-01", working(15))],
        "review_on": working(40),
    }  # fmt: skip
    data.update(kw)
    return PlanInput(**data)


def conference(case: Case, agencies: tuple[str, ...] = TEAM, **kw: Any) -> Conference:
    data: dict[str, Any] = {
        "held_on": clock.today().isoformat(), "agencies": [TeamInput(c, f"{c}の分担") for c in agencies],
        "staff": ["coordinator"], "agenda": "支援方針", "minutes": "母と息子の状況を共有した。",
        "decisions": "プランに合意",
    }  # fmt: skip
    data.update(kw)
    return hold_conference(case.opened_by, case.pk, ConferenceInput(**data))


# ── assessment ──


def test_an_assessment_is_per_person_versioned_and_moves_intake_one_step(
    ward: dict[str, Any], sm_case: Case
) -> None:
    mother, son = ward["mother"].pk, ward["son"].pk
    first = assess(sm_case, mother, care=("要介護2", "家にいたい", "近所に友人"))
    sm_case.refresh_from_db()
    assert sm_case.stage == Stage.ASSESSMENT and first.version == 1
    area = first.areas.get()
    assert (area.situation, area.own_words, area.strengths) == (
        "要介護2",
        "家にいたい",
        "近所に友人",
    )
    # a new assessment keeps the old one
    second = assess(
        sm_case, mother, care=("要介護3", "まだ家にいたい", ""), money=("年金のみ", "", "")
    )
    assert second.version == 2 and Assessment.objects.filter(person_id=mother).count() == 2
    assert first.areas.get().situation == "要介護2"
    # the son has his own
    assess(sm_case, son, isolation=("10年以上外出なし", "人に会うのがこわい", "ゲームが得意"))
    latest = latest_assessments(sm_case)
    assert [(a.person_id, a.version) for a in latest] == [(mother, 2), (son, 1)]
    # the stage moved once only (from 受付), through the stage rule's event
    moves = DomainEvent.objects.filter(kind=EventKind.CASE_STAGE_MOVED, person_id=mother)
    assert moves.count() == 1
    sm_case.refresh_from_db()
    assert sm_case.stage == Stage.ASSESSMENT
    assessed = DomainEvent.objects.filter(kind=EventKind.CASE_ASSESSED, person_id=mother)
    assert assessed.count() == 3 and "要介護" not in str(
        list(assessed.values_list("data", flat=True))
    )


def test_it_refuses_an_assessment_of_someone_the_case_does_not_concern(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM, members=False)
    with pytest.raises(CaseError) as exc:
        assess(case, ward["son"].pk, care=("x", "", ""))
    assert "person" in exc.value.errors
    with pytest.raises(CaseError) as exc:
        assess(case, ward["mother"].pk, care=("", "", ""))
    assert "areas" in exc.value.errors
    with pytest.raises(CaseError) as exc:
        assess(case, ward["mother"].pk, spirit=("x", "", ""))
    assert "areas" in exc.value.errors
    assert not Assessment.objects.exists()
    case.refresh_from_db()
    assert case.stage == Stage.INTAKE


def test_a_member_agency_without_the_coordinating_role_cannot_assess(
    ward: dict[str, Any], sm_case: Case, personas: dict[str, Staff]
) -> None:
    confirm_confidentiality(personas["consultant.elderly"], sm_case.pk)
    with pytest.raises(PermissionDenied):
        record_assessment(personas["consultant.elderly"], sm_case.pk, AssessmentInput(
            person=str(ward["mother"].pk), areas=[AreaInput("care", "x")]))  # fmt: skip


# ── plan ──


def test_a_plan_is_saved_in_revisions_with_actions_kept_across_them(sm_case: Case) -> None:
    assess(sm_case, sm_case.person_id, care=("要介護2", "", ""))
    plan = save_plan(sm_case.opened_by, sm_case.pk, plan_input())
    sm_case.refresh_from_db()
    assert plan.version == 1 and sm_case.stage == Stage.PLAN  # アセスメント → プラン
    first, second = list(plan.actions.all())
    # the second revision changes one action, drops the other, adds a third
    save_plan(sm_case.opened_by, sm_case.pk, plan_input(version=1, actions=[
        PlanActionInput("介護保険サービスの見直し（ショートステイ）", "lsc-16", working(12), id=str(first.pk)),
        PlanActionInput("息子の居場所探し", "srs-01", working(20))]))  # fmt: skip
    plan.refresh_from_db()
    assert plan.version == 2 and plan.revisions.count() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.active and "ショートステイ" in first.text
    assert not second.active and second.removed_in == 2
    # the earlier revision reads as it was saved
    old = plan.revisions.get(number=1).content
    assert [a["text"] for a in old["actions"]] == ["介護保険サービスの見直し", "家計の相談"]
    assert AuditEvent.objects.filter(reason="case plan saved").count() == 2


def test_a_stale_save_is_refused_and_nothing_is_lost(sm_case: Case) -> None:
    save_plan(sm_case.opened_by, sm_case.pk, plan_input())
    # two workers opened version 1; the first saves
    save_plan(sm_case.opened_by, sm_case.pk, plan_input(version=1, goals=["一人目の目標"]))
    # the second's save, from version 1, is refused with the stored text to compare
    with pytest.raises(PlanConflict) as exc:
        save_plan(sm_case.opened_by, sm_case.pk, plan_input(version=1, goals=["二人目の目標"]))
    assert (
        "消えていません" in exc.value.errors["version"] and "第2版" in exc.value.errors["version"]
    )
    assert exc.value.current["goals"] == ["一人目の目標"]
    plan = SupportPlan.objects.get()
    assert plan.version == 2 and plan.goals == ["一人目の目標"] and plan.revisions.count() == 2


def test_plan_actions_need_a_team_agency_and_working_day_deadlines(sm_case: Case) -> None:
    cases = {
        "off the team": [PlanActionInput("障害福祉の申請", "dis-02", working(10))],
        "closed day": [PlanActionInput("家計の相談", "srs-01", closed_day().isoformat())],
        "past": [PlanActionInput("家計の相談", "srs-01", "2020-04-01")],
        "no text": [PlanActionInput("", "srs-01", working(10))],
    }
    for name, actions in cases.items():
        with pytest.raises(CaseError) as exc:
            save_plan(sm_case.opened_by, sm_case.pk, plan_input(actions=actions))
        assert "actions.1" in exc.value.errors, name
    with pytest.raises(CaseError) as exc:
        save_plan(sm_case.opened_by, sm_case.pk, plan_input(review_on=closed_day().isoformat()))
    assert "区の休みの日" in exc.value.errors["review_on"]
    with pytest.raises(CaseError) as exc:
        save_plan(sm_case.opened_by, sm_case.pk, plan_input(goals=["  "]))
    assert "goals" in exc.value.errors
    assert not SupportPlan.objects.exists()
    # while a working day, a team agency and a goal are accepted (the checks are not vacuous)
    assert save_plan(sm_case.opened_by, sm_case.pk, plan_input()).version == 1


def test_a_plan_is_agreed_at_a_conference_with_the_persons_agreement(sm_case: Case) -> None:
    sm_case.stage = Stage.PLAN
    sm_case.save()
    plan = save_plan(sm_case.opened_by, sm_case.pk, plan_input())
    held = conference(sm_case)
    with pytest.raises(CaseError) as exc:
        agree_plan(sm_case.opened_by, sm_case.pk, AgreementInput(1, str(held.pk), False))
    assert "person_agreed" in exc.value.errors
    with pytest.raises(CaseError) as exc:
        agree_plan(sm_case.opened_by, sm_case.pk, AgreementInput(1, "999999", True))
    assert "conference" in exc.value.errors
    revision = agree_plan(sm_case.opened_by, sm_case.pk, AgreementInput(1, str(held.pk), True))
    assert revision.conference == held and revision.agreed_at is not None
    plan.refresh_from_db()
    sm_case.refresh_from_db()
    assert plan.agreed_version == 1 and sm_case.stage == Stage.SUPPORT  # プラン → 支援
    assert DomainEvent.objects.filter(kind=EventKind.CASE_PLAN_AGREED,
                                      person_id=sm_case.person_id).count() == 1  # fmt: skip
    # agreeing a version that is no longer the newest is refused
    save_plan(sm_case.opened_by, sm_case.pk, plan_input(version=1, goals=["変更"]))
    with pytest.raises(CaseError) as exc:
        agree_plan(sm_case.opened_by, sm_case.pk, AgreementInput(1, str(held.pk), True))
    assert "version" in exc.value.errors


# ── conferences ──


def test_a_support_meeting_conference_admits_only_the_meetings_members(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)
    held = conference(case, staff=["coordinator", "consultant.elderly"])
    assert held.regime == Regime.SUPPORT_MEETING and held.support_meeting == case.support_meeting
    assert sorted(held.agencies.values_list("agency__code", flat=True)) == sorted(TEAM)
    assert DomainEvent.objects.filter(kind=EventKind.CASE_CONFERENCE_HELD).count() == 2
    # an agency off the team is refused
    with pytest.raises(CaseError) as exc:
        conference(case, agencies=("mac-01", "dis-02"))
    assert "チームの機関" in exc.value.errors["agencies"]
    # staff of an agency that did not attend are refused
    with pytest.raises(CaseError) as exc:
        conference(case, agencies=("mac-01",), staff=["consultant.elderly"])
    assert "staff" in exc.value.errors
    # a date in the future is refused
    with pytest.raises(CaseError) as exc:
        conference(case, held_on=working(5))
    assert "held_on" in exc.value.errors
    assert Conference.objects.count() == 1


def test_a_layered_conference_admits_only_agencies_the_consent_names(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    consent = consent_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.LAYERED, TEAM)
    assert conference(case).regime == Regime.LAYERED
    # the consent is narrowed: the longevity centre is no longer named
    consent.agencies.remove(consent.agencies.get(code="lsc-16"))
    with pytest.raises(CaseError) as exc:
        conference(case)
    assert "同意が含んでいない" in exc.value.errors["agencies"]
    assert conference(case, agencies=("mac-01", "srs-01")).agencies.count() == 2


# ── monitoring ──


@pytest.fixture
def agreed(sm_case: Case) -> SupportPlan:
    plan = save_plan(sm_case.opened_by, sm_case.pk, plan_input())
    agree_plan(sm_case.opened_by, sm_case.pk, AgreementInput(1, str(conference(sm_case).pk), True))
    return plan


def test_the_responsible_agency_or_the_coordinator_notes_progress(
    sm_case: Case, agreed: SupportPlan, personas: dict[str, Staff]
) -> None:
    care = agreed.actions.get(agency__code="lsc-16")
    money = agreed.actions.get(agency__code="srs-01")
    elderly = personas["consultant.elderly"]
    confirm_confidentiality(elderly, sm_case.pk)
    note = record_monitoring(elderly, sm_case.pk, MonitoringInput(str(care.pk), "done", "利用開始"))
    care.refresh_from_db()
    assert note.agency == elderly.agency and care.done_on == clock.today()
    # another agency's action is not theirs to note
    with pytest.raises(PermissionDenied):
        record_monitoring(elderly, sm_case.pk, MonitoringInput(str(money.pk), "on_track", ""))
    # the coordinator notes any action
    record_monitoring(
        sm_case.opened_by, sm_case.pk, MonitoringInput(str(money.pk), "stalled", "連絡待ち")
    )
    with pytest.raises(CaseError):
        record_monitoring(
            sm_case.opened_by, sm_case.pk, MonitoringInput(str(money.pk), "later", "")
        )
    assert MonitoringNote.objects.count() == 2
    assert DomainEvent.objects.filter(kind=EventKind.CASE_MONITORED,
                                      person_id=sm_case.person_id).count() == 2  # fmt: skip


def test_overdue_actions_count_working_days_and_leave_done_ones_out(
    sm_case: Case, agreed: SupportPlan, personas: dict[str, Staff]
) -> None:
    care = agreed.actions.get(agency__code="lsc-16")
    coordinator = sm_case.opened_by
    assert overdue_actions(coordinator) == []
    # three working days after the care action's due date
    later = working_calendar().add_working_days(care.due_on, 3)
    with clock.frozen(datetime.combine(later, time(10), tzinfo=timezone.get_current_timezone())):
        rows = overdue_actions(coordinator)
        assert [(o.action.pk, o.days) for o in rows] == [(care.pk, 3)]
        # an agency that has not confirmed the duty does not see the case's actions
        assert overdue_actions(personas["consultant.elderly"]) == []
        record_monitoring(coordinator, sm_case.pk, MonitoringInput(str(care.pk), "done", ""))
        assert overdue_actions(coordinator) == []
    assert PlanAction.objects.filter(done_on__isnull=False).count() == 1


def _on(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


def test_the_coordinator_sees_cases_without_an_agreed_plan_and_reviews_due(
    sm_case: Case, personas: dict[str, Staff]
) -> None:
    coordinator = sm_case.opened_by
    calendar = working_calendar()
    opened = timezone.localdate(sm_case.opened_at)
    late = calendar.add_working_days(opened, PLAN_EXPECTED_DAYS)
    early = calendar.add_working_days(opened, PLAN_EXPECTED_DAYS - 1)
    with clock.frozen(_on(early)):
        assert cases_without_plan(coordinator) == []
    with clock.frozen(_on(late)):
        rows = cases_without_plan(coordinator)
        assert [(w.case.pk, w.days) for w in rows] == [(sm_case.pk, PLAN_EXPECTED_DAYS)]
        # a member agency that has not confirmed the duty does not see it listed
        assert cases_without_plan(personas["consultant.elderly"]) == []
    # a saved plan is not enough; an agreed one is
    plan = save_plan(coordinator, sm_case.pk, plan_input())
    with clock.frozen(_on(late)):
        assert len(cases_without_plan(coordinator)) == 1
    agree_plan(coordinator, sm_case.pk, AgreementInput(1, str(conference(sm_case).pk), True))
    with clock.frozen(_on(late)):
        assert cases_without_plan(coordinator) == []
    # the review date: listed from that day on, with the working days past it
    assert plan.review_on is not None
    before = calendar.add_working_days(plan.review_on - timedelta(days=7), 0)
    with clock.frozen(_on(before)):
        assert reviews_due(coordinator) == []
    with clock.frozen(_on(plan.review_on)):
        assert [(w.case.pk, w.days) for w in reviews_due(coordinator)] == [(sm_case.pk, 0)]
    with clock.frozen(_on(calendar.add_working_days(plan.review_on, 2))):
        assert [w.days for w in reviews_due(coordinator)] == [2]
