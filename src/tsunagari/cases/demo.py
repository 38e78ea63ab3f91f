"""Demo multi-agency cases for the synthetic ward, made through the actions.

Run after the front door's demo (``consultations.demo``), from needs the
coordinator picked up there. Each step happens at its own moment
(``lib.clock.frozen``), after the need was picked up and before now:

* an 8050 household under 支援会議: the coordinator records the decision
  naming the middle-aged child, the ward's supervisor confirms it, the case
  is opened with the child concerned and moved to 支援;
* a household under 重層的支援会議: the person's consent names the team;
* a case carried to モニタリング and closed, handed over to the agency that
  raised the need.

The 8050 case and the closed one get what the team did on the way: an
assessment of each person concerned (life areas with the person's own words
and strengths), a support plan saved and agreed at a case conference held
under the case's regime, and monitoring notes; one action of the 8050 plan
is left past its due date, so the coordinator's list shows an overdue action.
The stages move through the stage rules (an assessment moves 受付 to
アセスメント, a saved plan アセスメント to プラン, its agreement プラン to 支援).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone

from tsunagari.accounts.models import Role, Staff
from tsunagari.cases.models import Case, EndReason, Regime, Stage
from tsunagari.cases.services import (
    AgreementInput,
    AreaInput,
    AssessmentInput,
    CaseInput,
    ConferenceInput,
    EndInput,
    MonitoringInput,
    PlanActionInput,
    PlanInput,
    TeamInput,
    agree_plan,
    confirm_confidentiality,
    end_case,
    hold_conference,
    move_stage,
    open_case,
    record_assessment,
    record_monitoring,
    save_plan,
)
from tsunagari.consent.models import ConsentForm, InfoCategory
from tsunagari.consent.services import (
    ConsentInput,
    SupportMeetingInput,
    active_support_meeting,
    confirm_support_meeting,
    current_household,
    is_ward_supervisor,
    place_under_support_meeting,
    record_consent,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.consultations.models import Need, NeedKind, NeedStatus
from tsunagari.lib import clock
from tsunagari.lib.dates import age_on

# Days between the steps of a demo case.
STEP_DAYS = 6


def _moments(start: datetime, now: datetime) -> Iterator[datetime]:
    """Moments a few working days apart from ``start``, never after ``now``."""
    at = start
    while True:
        yield min(at, now - timedelta(minutes=5))
        at += timedelta(days=STEP_DAYS)


def _picked(need: Need) -> datetime:
    # The demo's needs are read with ``picked_up_at`` set (see load_demo_cases).
    return need.picked_up_at or timezone.now()


def _coordinator() -> Staff | None:
    rows = Staff.objects.filter(agency__code="mac-01", is_active=True).order_by("username")
    return next((s for s in rows if s.has_role(Role.COORDINATOR)), None)


def _supervisor() -> Staff | None:
    rows = Staff.objects.filter(is_active=True, agency__isnull=False).order_by("username")
    return next((s for s in rows if is_ward_supervisor(s)), None)


def _team(need: Need) -> list[TeamInput]:
    codes = ["mac-01", "srs-01", need.raised_agency.code]
    roles = {"mac-01": "調整（多機関協働）", "srs-01": "生活費・就労の相談"}
    return [TeamInput(c, roles.get(c, "最初の相談先・見守り")) for c in dict.fromkeys(codes)]


def _lead(need: Need, coordinator: Staff) -> str:
    return (
        need.raised_by.username
        if need.raised_by.agency_id == need.raised_agency_id
        else coordinator.username
    )


def _eightyfifty(needs: list[Need]) -> tuple[Need, int] | None:
    """A need for an elderly person living with a middle-aged child, not under a decision yet."""
    today = timezone.localdate()
    for need in needs:
        age = age_on(need.person.birth_date, today)
        if age is None or age < 70 or active_support_meeting(need.person_id) is not None:
            continue
        for pk, m in current_household(need.person).items():
            child = age_on(m.person.birth_date, today)
            if child is not None and 40 <= child <= 65:
                return need, pk
    return None


def _due(working_days: int) -> str:
    return working_calendar().add_working_days(clock.today(), working_days).isoformat()


def _work(coordinator: Staff, need: Need, case: Case, steps: Iterator[datetime],
          child: int | None, *, overdue: bool) -> None:  # fmt: skip
    """Assess, plan, meet and agree, and note progress, each at its own moment."""
    worker = need.raised_by
    with clock.frozen(next(steps)):
        record_assessment(coordinator, case.pk, AssessmentInput(
            person=str(case.person_id), summary="本人の生活は家族の支えで保たれているが、支える側が限界に近い。",
            areas=[AreaInput("health", "膝の痛みで外出が減っている", "病院は遠くて行けない", "服薬は自分で管理できている"),
                   AreaInput("money", "年金のみで家計が苦しい", "息子に迷惑をかけたくない", "家計簿をつけている"),
                   AreaInput("isolation", "近所付き合いが途絶えている", "昔はサロンに行っていた", "民生委員とは顔見知り")]))  # fmt: skip
        if child is not None:
            record_assessment(coordinator, case.pk, AssessmentInput(
                person=str(child), summary="長くひきこもっているが、母の介護は担っている。",
                areas=[AreaInput("work", "10年以上働いていない", "何から始めればいいかわからない", "パソコンが得意"),
                       AreaInput("family", "母の介護を一人で担っている", "母をほうっておけない", "母の体調をよく見ている")]))  # fmt: skip
    with clock.frozen(next(steps)):
        plan = save_plan(coordinator, case.pk, PlanInput(
            version=0, goals=["この家で暮らし続けたい", "お金の心配を減らしたい"],
            actions=[PlanActionInput("家計の見直しと就労準備の相談", "srs-01", _due(5)),
                     PlanActionInput("月1回の訪問による見守り", need.raised_agency.code, _due(25))],
            review_on=_due(60)))  # fmt: skip
        agencies = [TeamInput(t.agency.code, t.role) for t in case.team.select_related("agency")]
        held = hold_conference(coordinator, case.pk, ConferenceInput(
            held_on=clock.today().isoformat(), agencies=agencies,
            staff=list(dict.fromkeys([coordinator.username, worker.username])),
            agenda="アセスメントの共有と支援プランの検討",
            minutes="各機関の把握している状況を共有した。本人は自宅での生活の継続を望んでいる。",
            decisions="支援プラン第1版に合意。家計相談を生活サポートセンターが、見守りを最初の相談先が担う。"))  # fmt: skip
        agree_plan(coordinator, case.pk, AgreementInput(plan.version, str(held.pk), True))
    first, second = list(plan.actions.filter(active=True).order_by("order"))
    with clock.frozen(next(steps)):
        if case.regime == Regime.SUPPORT_MEETING:
            confirm_confidentiality(worker, case.pk)
        record_monitoring(worker, case.pk, MonitoringInput(
            str(second.pk), "on_track", "訪問時、表情が明るくなっていた。"))  # fmt: skip
        if not overdue:
            record_monitoring(coordinator, case.pk, MonitoringInput(
                str(first.pk), "done", "家計の見直しを終え、滞納が解消した。"))  # fmt: skip
        else:
            record_monitoring(coordinator, case.pk, MonitoringInput(
                str(first.pk), "stalled", "本人と連絡がつかず、面談が延期になっている。"))  # fmt: skip


def load_demo_cases(seed: int) -> str:
    """Create the demo ward's cases; returns a one-line summary (a second run changes nothing)."""
    del seed  # the choice of households is deterministic from the front door's demo
    if Case.objects.exists():
        return f"{Case.objects.count()} cases already present"
    coordinator = _coordinator()
    if coordinator is None:
        return "no cases (no coordinator)"
    now = timezone.now()
    needs = list(
        Need.objects.filter(kind=NeedKind.MULTI_AGENCY, status=NeedStatus.PICKED_UP,
                            picked_up_by=coordinator, picked_up_at__lte=now - timedelta(days=40))
        .select_related("person", "raised_agency", "raised_by").order_by("picked_up_at", "pk")
    )  # fmt: skip
    made: list[str] = []
    supervisor = _supervisor()
    found = _eightyfifty(needs) if supervisor is not None else None
    if found is not None and supervisor is not None:
        need, child = found
        needs.remove(need)
        steps = _moments(_picked(need) + timedelta(days=2), now)
        team = _team(need)
        with clock.frozen(next(steps)):
            meeting = place_under_support_meeting(coordinator, need.person_id, SupportMeetingInput(
                decided_on=clock.today().isoformat(), agencies=[t.agency for t in team],
                reason="8050世帯。高齢の親と無職の子が孤立しており、子の同意が得られないため。",
                members=[str(child)]))  # fmt: skip
            confirm_support_meeting(supervisor, meeting.pk)
        with clock.frozen(next(steps)):
            case = open_case(coordinator, need.pk, CaseInput(regime=Regime.SUPPORT_MEETING,
                             team=team, lead=_lead(need, coordinator), members=[str(child)]))  # fmt: skip
        _work(coordinator, need, case, steps, child, overdue=True)
        made.append("an 8050 household under 支援会議")
    for closing in (False, True):
        if not needs:
            break
        need = needs.pop(0)
        steps = _moments(_picked(need) + timedelta(days=3), now)
        team = _team(need)
        with clock.frozen(next(steps)):
            record_consent(coordinator, need.person_id, ConsentInput(
                form=ConsentForm.WITH_CONSENT, given_on=clock.today().isoformat(),
                expires_on=(clock.today() + timedelta(days=365)).isoformat(),
                agencies=[t.agency for t in team],
                categories=[InfoCategory.BASIC, InfoCategory.CONSULTATION, InfoCategory.FAMILY,
                            InfoCategory.SUPPORT],
                members=[]))  # fmt: skip
        with clock.frozen(next(steps)):
            case = open_case(coordinator, need.pk, CaseInput(regime=Regime.LAYERED, team=team,
                                                             lead=_lead(need, coordinator)))  # fmt: skip
        if closing:
            _work(coordinator, need, case, steps, None, overdue=False)
            with clock.frozen(next(steps)):
                move_stage(coordinator, case.pk, Stage.MONITORING)
        else:
            with clock.frozen(next(steps)):
                record_assessment(coordinator, case.pk, AssessmentInput(
                    person=str(case.person_id), summary="相談につながったばかり。生活の全体をこれから聞き取る。",
                    areas=[AreaInput("money", "家賃の滞納が2か月", "なんとか払いたい", "就労意欲がある")]))  # fmt: skip
        if closing:
            with clock.frozen(next(steps)):
                end_case(coordinator, case.pk, EndInput(
                    state="closed", reason=EndReason.HANDED_OVER, handover_agency=need.raised_agency.code,
                    note="生活が安定し、定期的な見守りで足りるようになった。",
                    handover_note="月1回の訪問による見守りを継続。変化があれば多機関協働の窓口へ連絡。"))  # fmt: skip
            made.append("one closed with a handover")
        else:
            made.append("one under 重層的支援会議 with consent")
    if not made:
        return "no cases (no picked-up multi-agency needs old enough)"
    return f"{len(made)} cases ({', '.join(made)})"


__all__ = ["load_demo_cases"]
