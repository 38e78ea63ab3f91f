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

A ward this size runs some 10–20 cases a year, so the demo then opens about
ten more from the other needs the coordinator picked up (``PROFILES``), in
turn under 支援会議 (a decision the ward's supervisor confirms) and under
重層的支援会議 (the person's consent naming the team), spread over the
stages: the oldest needs carried through a plan revised at a second
conference to モニタリング and some closed, the most recent ones still at
受付, アセスメント or プラン. So every yearly count of the programme is past
the small-cell limit.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from tsunagari.accounts.models import Role, Staff
from tsunagari.cases.models import Case, Conference, EndReason, Regime, SourceKind, Stage
from tsunagari.cases.services import (
    AgreementInput,
    AreaInput,
    AssessmentInput,
    AssignInput,
    CaseInput,
    CaseSource,
    ConferenceActionInput,
    ConferenceInput,
    EndInput,
    MonitoringInput,
    PlanActionInput,
    PlanInput,
    TeamInput,
    add_conference_action,
    agree_plan,
    assign_worker,
    confirm_confidentiality,
    end_case,
    hold_conference,
    move_stage,
    open_case,
    record_assessment,
    record_monitoring,
    save_plan,
)
from tsunagari.consent.models import ConsentForm, DecisionStatus, InfoCategory, SupportMeeting
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
from tsunagari.consultations.models import Consultation, Need, NeedKind, NeedStatus
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
    return need.picked_up_at or clock.now()


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
    today = clock.today()
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
        # The conference also assigns the first agency a step of its own (its worklist).
        add_conference_action(coordinator, case.pk, held.pk, ConferenceActionInput(
            "通院の付き添いの手配を確かめる", need.raised_agency.code, _due(3)))  # fmt: skip
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


# ── the ward's year of cases ──
#
# A ward this size opens some 10–20 multi-agency cases a year. Besides the
# three above, the demo opens more from the needs the coordinator picked up,
# each carried as far as its time since the pick-up allows: the deepest
# (closed) from the oldest needs, the early stages from recent ones.

# What each further case goes through, deepest first: (stage reached, closing
# reason or "", steps it takes). A step is one moment STEP_DAYS apart.
PROFILES: list[tuple[str, str, int]] = [
    ("closed", EndReason.RESOLVED, 8),
    ("closed", EndReason.HANDED_OVER, 8),
    ("closed", EndReason.RESOLVED, 8),
    ("closed", EndReason.HANDED_OVER, 8),
    (Stage.MONITORING, "", 7),
    (Stage.SUPPORT, "", 5),
    (Stage.SUPPORT, "", 5),
    (Stage.SUPPORT, "", 5),
    (Stage.PLAN, "", 4),
    (Stage.ASSESSMENT, "", 3),
    (Stage.INTAKE, "", 2),
]

# Households the further cases concern: the assessment of the person (a summary
# and life areas with the person's words and strengths), goals in the person's
# words, and the plan's actions ("srs-01", "mac-01" or "raised" for the agency
# that raised the need).
Area = tuple[str, str, str, str]
HOUSEHOLDS: list[tuple[str, list[Area], list[str], list[tuple[str, str]]]] = [
    ("家賃の滞納と借入が重なり、生活の立て直しが必要。",
     [("money", "家賃の滞納が3か月、消費者金融に借入がある", "もう一度ちゃんと暮らしたい", "毎月の収支を説明できる"),
      ("work", "派遣の仕事が途切れた", "体を使う仕事ならできる", "運転免許がある")],
     ["住まいを失わずに暮らしたい", "借金の見通しを立てたい"],
     [("家計の見直しと債務整理の相談", "srs-01"), ("就労準備の面談", "srs-01"), ("月2回の電話での様子確認", "raised")]),
    ("子育てと親の介護が重なり、母親が疲れ切っている。",
     [("childrearing", "小学生の子が学校を休みがち", "子どもの話を聞いてほしい", "子どもとの関係は良い"),
      ("care", "同居の父の介護を一人で担っている", "少し休みたい", "介護の手順をよく知っている")],
     ["子どもが安心して学校に行けるようにしたい", "自分の休む時間をつくりたい"],
     [("父の短期入所の調整", "raised"), ("子どもの居場所の紹介", "mac-01"), ("家計の相談", "srs-01")]),
    ("障害のある本人が、親亡き後の暮らしに不安を抱えている。",
     [("disability", "知的障害があり、お金の管理が苦手", "ひとりで暮らしてみたい", "作業所に毎日通えている"),
      ("housing", "親の持ち家が古くなっている", "今の家に住み続けたい", "近所に見守ってくれる人がいる")],
     ["自分のお金を自分で使えるようになりたい", "この町で暮らし続けたい"],
     [("金銭管理の支援（日常生活自立支援事業）の申込", "raised"), ("住まいの修繕費用の相談", "srs-01"), ("体験宿泊の見学", "mac-01")]),
    ("長くひきこもり、家族以外との接点がない。",
     [("isolation", "3年以上ほとんど外出していない", "人に会うのが怖い", "夜にコンビニには行ける"),
      ("health", "昼夜が逆転して眠れない", "体調を整えたい", "オンラインで話せる友人がいる")],
     ["昼間に少し外に出られるようになりたい", "家族とけんかせずに暮らしたい"],
     [("自宅への訪問（週1回）", "mac-01"), ("通院先の相談", "raised"), ("居場所の見学の同行", "srs-01")]),
    ("一人暮らしの高齢者。物が片付かず、近所から心配の声がある。",
     [("housing", "部屋に物があふれ、転びそうになる", "迷惑はかけたくない", "片付けの手伝いなら受け入れる"),
      ("isolation", "親族と疎遠になっている", "昔の職場の話をするのが好き", "民生委員の訪問には応じる")],
     ["転ばずに家の中を歩けるようにしたい", "話し相手がほしい"],
     [("片付けの段取りと費用の相談", "srs-01"), ("介護保険の申請の支援", "raised"), ("サロンの紹介と同行", "mac-01")]),
    ("本人の世話と家事を中学生の孫が担い、孫が学校を休みがちになっている（ヤングケアラー）。",
     [("family", "中学生の孫が食事・服薬・通院の付き添いを毎日している", "孫に迷惑をかけたくない", "孫との仲は良い"),
      ("care", "介護保険の申請をしていない", "知らない人が家に来るのは不安", "近所の薬局とは顔なじみ")],
     ["孫が部活に戻れるようにしたい", "自分のことは少しずつ人に頼みたい"],
     [("介護保険の申請と訪問介護の調整", "raised"), ("孫の学校・スクールソーシャルワーカーとの連絡", "mac-01"),
      ("孫が話せる居場所の紹介", "srs-01")]),
    ("暴力から逃れて転入し、生活の基盤を作り直している。",
     [("safety", "元の配偶者から連絡が来ることがある", "子どもと安全に暮らしたい", "支援者とつながる力がある"),
      ("money", "収入が手当のみ", "働けるようになりたい", "事務の経験がある")],
     ["子どもと安心して暮らしたい", "仕事を見つけたい"],
     [("住所の秘匿と手続きの確認", "mac-01"), ("就労の相談", "srs-01"), ("子育ての相談", "raised")]),
]  # fmt: skip

# Closing notes by reason, and what the revision of the plan changed.
CLOSING: dict[str, str] = {
    EndReason.RESOLVED: "目標に届き、本人が自分で相談先に連絡できるようになった。",
    EndReason.HANDED_OVER: "生活が安定し、最初の相談先の見守りで足りるようになった。",
}
REVISION = "1つ目の行動を終えたので、残りの行動の期限を見直し、次の行動を加えた。"


def _regime_free(person_id: int) -> bool:
    """No 支援会議 decision in play concerns the person (a new one may be recorded)."""
    return not SupportMeeting.objects.filter(
        Q(person_id=person_id) | Q(members__person_id=person_id),
        status__in=[DecisionStatus.PENDING, DecisionStatus.CONFIRMED], ended_on__isnull=True,
    ).exists()  # fmt: skip


def _basis(coordinator: Staff, supervisor: Staff | None, need: Need, team: list[TeamInput],
           meeting: bool) -> str:  # fmt: skip
    """Record the basis for sharing at the clock's moment: a 支援会議 decision that the
    ward's supervisor confirms, or the person's consent naming the team."""
    codes = [t.agency for t in team]
    if meeting and supervisor is not None:
        decision = place_under_support_meeting(coordinator, need.person_id, SupportMeetingInput(
            decided_on=clock.today().isoformat(), agencies=codes,
            reason="本人が支援を拒んでいるが、世帯の生活が立ち行かなくなるおそれがあるため。"))  # fmt: skip
        confirm_support_meeting(supervisor, decision.pk)
        return Regime.SUPPORT_MEETING
    record_consent(coordinator, need.person_id, ConsentInput(
        form=ConsentForm.WITH_CONSENT, given_on=clock.today().isoformat(),
        expires_on=(clock.today() + timedelta(days=365)).isoformat(), agencies=codes,
        categories=[InfoCategory.BASIC, InfoCategory.CONSULTATION, InfoCategory.FAMILY,
                    InfoCategory.MONEY, InfoCategory.SUPPORT]))  # fmt: skip
    return Regime.LAYERED


def _meet(coordinator: Staff, case: Case, lead: Staff, agenda: str, decisions: str) -> Conference:
    agencies = [TeamInput(t.agency.code, t.role) for t in case.team.select_related("agency")]
    return hold_conference(coordinator, case.pk, ConferenceInput(
        held_on=clock.today().isoformat(), agencies=agencies,
        staff=list(dict.fromkeys([coordinator.username, lead.username])), agenda=agenda,
        minutes="各機関の把握している状況を共有し、本人の希望を確かめた。", decisions=decisions))  # fmt: skip


def _further(coordinator: Staff, supervisor: Staff | None, need: Need, profile: tuple[str, str, int],
             household: tuple[str, list[Area], list[str], list[tuple[str, str]]],
             meeting: bool, now: datetime) -> None:  # fmt: skip
    """One further case, carried to the profile's stage, each step at its own moment."""
    stage, reason, _ = profile
    summary, areas, goals, actions = household
    steps = _moments(_picked(need) + timedelta(days=2), now)
    team = _team(need)
    code = {"raised": need.raised_agency.code}
    with clock.frozen(next(steps)):
        regime = _basis(coordinator, supervisor, need, team, meeting)
    with clock.frozen(next(steps)):
        case = open_case(coordinator, need.pk, CaseInput(regime=regime, team=team,
                                                         lead=_lead(need, coordinator)))  # fmt: skip
    if stage == Stage.INTAKE:
        return
    with clock.frozen(next(steps)):
        record_assessment(coordinator, case.pk, AssessmentInput(
            person=str(case.person_id), summary=summary, areas=[AreaInput(*a) for a in areas]))  # fmt: skip
    if stage == Stage.ASSESSMENT:
        return
    with clock.frozen(next(steps)):
        plan = save_plan(coordinator, case.pk, PlanInput(version=0, goals=goals, actions=[
            PlanActionInput(text, code.get(who, who), _due(10 + 10 * i))
            for i, (text, who) in enumerate(actions[:2])], review_on=_due(60)))  # fmt: skip
        if stage == Stage.PLAN:
            return
        held = _meet(coordinator, case, case.lead, "アセスメントの共有と支援プランの検討",
                     "支援プラン第1版に合意。各機関の役割と期限を確認した。")  # fmt: skip
        agree_plan(coordinator, case.pk, AgreementInput(plan.version, str(held.pk), True))
    first, second = list(plan.actions.filter(active=True).order_by("order"))
    with clock.frozen(next(steps)):
        if regime == Regime.SUPPORT_MEETING and case.lead != coordinator:
            confirm_confidentiality(case.lead, case.pk)
        record_monitoring(coordinator, case.pk, MonitoringInput(
            str(first.pk), "done", "予定どおり終えた。本人も手応えを話していた。"))  # fmt: skip
        record_monitoring(coordinator, case.pk, MonitoringInput(
            str(second.pk), "on_track", "始めたところ。本人の負担にならない頻度で進める。"))  # fmt: skip
    if stage == Stage.SUPPORT:
        return
    with clock.frozen(next(steps)):
        text, who = actions[2]
        plan = save_plan(coordinator, case.pk, PlanInput(version=plan.version, goals=goals, actions=[
            PlanActionInput(second.text, second.agency.code, _due(15), id=str(second.pk)),
            PlanActionInput(text, code.get(who, who), _due(25))], review_on=_due(60)))  # fmt: skip
        held = _meet(coordinator, case, case.lead, "支援プランの見直し", REVISION)
        agree_plan(coordinator, case.pk, AgreementInput(plan.version, str(held.pk), True))
    with clock.frozen(next(steps)):
        move_stage(coordinator, case.pk, Stage.MONITORING)
        for action in plan.actions.filter(active=True).order_by("order"):
            record_monitoring(coordinator, case.pk, MonitoringInput(
                str(action.pk), "done", "終えた。本人の生活は落ち着いている。"))  # fmt: skip
    if stage == Stage.MONITORING:
        return
    with clock.frozen(next(steps)):
        end_case(coordinator, case.pk, EndInput(
            state="closed", reason=reason, note=CLOSING[reason],
            handover_agency=need.raised_agency.code if reason == EndReason.HANDED_OVER else "",
            handover_note="月1回の見守りを継続。変化があれば多機関協働の窓口へ連絡。"
            if reason == EndReason.HANDED_OVER else ""))  # fmt: skip


def _more_cases(coordinator: Staff, supervisor: Staff | None, now: datetime,
                rng: random.Random) -> Counter[str]:  # fmt: skip
    """The further cases of the year, from picked-up needs of persons without a case."""
    taken = set(Case.objects.values_list("person_id", flat=True))
    needs = list(
        Need.objects.filter(kind=NeedKind.MULTI_AGENCY, status=NeedStatus.PICKED_UP,
                            picked_up_by=coordinator, picked_up_at__lte=now - timedelta(days=3))
        .exclude(person_id__in=taken).select_related("person", "raised_agency", "raised_by")
        .order_by("picked_up_at", "pk")
    )  # fmt: skip
    households = rng.sample(HOUSEHOLDS, len(HOUSEHOLDS))
    made: Counter[str] = Counter()
    for i, profile in enumerate(PROFILES):
        # closed and later from the oldest needs, early stages from the most recent
        old_enough = [
            n for n in needs if n.person_id not in taken
            and _picked(n) + timedelta(days=3 + STEP_DAYS * profile[2]) < now
        ]  # fmt: skip
        if not old_enough:
            continue
        need = old_enough[0] if profile[2] >= 5 else old_enough[-1]
        needs.remove(need)
        taken.add(need.person_id)
        meeting = i % 2 == 0 and _regime_free(need.person_id)
        _further(coordinator, supervisor, need, profile, households[i % len(households)],
                 meeting, now)  # fmt: skip
        made[f"at {profile[0]}" if profile[0] != "closed" else "closed"] += 1
    return made


def load_demo_cases(seed: int) -> str:
    """Create the demo ward's cases; returns a one-line summary (a second run changes nothing)."""
    # The needs come from the front door's demo; the seed picks the further cases' households.
    if Case.objects.exists():
        return f"{Case.objects.count()} cases already present"
    coordinator = _coordinator()
    if coordinator is None:
        return "no cases (no coordinator)"
    now = clock.now()
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
    more = _more_cases(coordinator, supervisor, now, random.Random(seed * 4099 + 17))
    made += [f"{n} {what}" for what, n in more.items()]
    if not made:
        return "no cases (no picked-up multi-agency needs old enough)"
    return f"{Case.objects.count()} cases ({', '.join(made)})"


# ── cases from the other sources ──
#
# Run after the outreach demo (which runs after linkage): one case each from a
# consultation of the coordinating agency, a referral it received, an outreach
# target the outreach worker connects to it, and an early-detection candidate.

SOURCE_NOTE = "本人の了解を得て、多機関協働の窓口に引き継いだ。訪問は午前中が良い。"


def _evening(day: date) -> datetime:
    """17:00 in the ward on ``day`` (after the day's consultations were recorded)."""
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


def _free(person_id: int) -> bool:
    """No case concerns the person yet, and no 支援会議 decision is in play."""
    from tsunagari.cases.models import CaseMember

    return (
        not Case.objects.filter(person_id=person_id).exists()
        and not CaseMember.objects.filter(person_id=person_id).exists()
        and _regime_free(person_id)
    )


def _source_team(*codes: str) -> list[TeamInput]:
    roles = {"mac-01": "調整（多機関協働）", "srs-01": "生活費・就労の相談",
             "swc-01": "訪問・見守り（アウトリーチ）", "lsc-16": "介護・高齢者の相談"}  # fmt: skip
    picked = list(dict.fromkeys(["mac-01", "srs-01", *codes]))
    if len(picked) < 3:
        picked.append("lsc-16" if "lsc-16" not in picked else "swc-01")
    return [TeamInput(c, roles.get(c, "最初の相談先・見守り")) for c in picked]


def _agency_worker(code: str) -> Staff | None:
    from tsunagari.accounts.policy import Action, allowed

    rows = Staff.objects.filter(agency__code=code, is_active=True).order_by("username")
    return next((s for s in rows if allowed(s, Action.VIEW_PERSONAL_DATA)), None)


def _after(since: datetime, now: datetime) -> Iterator[datetime]:
    """Moments STEP_DAYS apart from ``since``, never after now, never before ``since``."""
    for at in _moments(since, now):
        yield max(at, since)


def _open_from(coordinator: Staff, supervisor: Staff, source: CaseSource, person_id: int,
               since: datetime, now: datetime, team: list[TeamInput], *,
               choose: bool = False) -> Case:  # fmt: skip
    """Put the person under a 支援会議 decision the ward's supervisor confirms, open
    the case from ``source``, and name the other agencies' workers, step by step."""
    # A record stamped by the database's own clock (a linkage candidate's
    # creation) can be later than the demo's now; the case follows it, before now.
    since = min(since, now - timedelta(hours=4))
    steps = _after(since + timedelta(hours=2), now)
    with clock.frozen(next(steps)):
        decision = place_under_support_meeting(coordinator, person_id, SupportMeetingInput(
            decided_on=clock.today().isoformat(), agencies=[t.agency for t in team],
            reason="本人が同意をためらっているが、生活が立ち行かなくなるおそれがあるため。"))  # fmt: skip
        confirm_support_meeting(supervisor, decision.pk)
    with clock.frozen(next(steps)):
        case = open_case(coordinator, source, CaseInput(
            regime=Regime.SUPPORT_MEETING, team=team, person=str(person_id) if choose else ""))  # fmt: skip
    with clock.frozen(next(steps)):
        for t in team[1:]:
            worker = _agency_worker(t.agency)
            if worker is not None:
                assign_worker(coordinator, case.pk, AssignInput(t.agency, worker.username))
    return case


def _desk_consultation(
    coordinator: Staff, rng: random.Random, now: datetime
) -> Consultation | None:
    """A consultation the coordinator takes at the 多機関協働 desk three weeks ago: a
    daughter worried about her parent living with a brother who has withdrawn."""
    from tsunagari.consultations.intake import ConsultationInput
    from tsunagari.consultations.services import IntakeError, save_consultation
    from tsunagari.people.models import Membership, Person

    today = clock.today()
    day = working_calendar().add_working_days(today - timedelta(days=21), 0)
    households = Membership.objects.values("household_id").annotate(n=Count("pk")).filter(n__gte=2)
    rows = list(Person.objects.filter(sealed=False, memberships__household_id__in=households.values(
        "household_id")).order_by("pk")[:300])  # fmt: skip
    rng.shuffle(rows)
    person = next((p for p in rows[:60] if (age_on(p.birth_date, today) or 0) >= 65
                   and _free(p.pk)), None)  # fmt: skip
    if person is None or day >= today:
        return None
    data = ConsultationInput(
        received_on=day.isoformat(), channel="visit", service="self_reliance", visitor="family",
        visitor_relation="娘",
        person_id=person.pk, problems=["family", "care", "withdrawal"], main_problem="family",
        notes="別居の娘が来所。親の介護と、同居する兄のひきこもりが重なり、どこに相談すればよいかわからない。",
        outcome="referral")  # fmt: skip
    try:
        with clock.frozen(min(_evening(day) - timedelta(hours=3), now - timedelta(hours=1))):
            return save_consultation(coordinator, data, final=True)
    except IntakeError:
        return None


def _from_consultation(coordinator: Staff, supervisor: Staff, now: datetime,
                       rng: random.Random) -> Case | None:  # fmt: skip
    from tsunagari.consultations.models import Consultation, ConsultationStatus

    rows = (
        Consultation.objects.filter(agency__code="mac-01", status=ConsultationStatus.RECORDED,
                                    person__isnull=False,
                                    received_on__lte=clock.today() - timedelta(days=3))
        .order_by("received_on", "pk")
    )  # fmt: skip
    row = next((c for c in rows if c.person_id and _free(c.person_id)), None)
    if row is None:
        row = _desk_consultation(coordinator, rng, now)
    if row is None or row.person_id is None:
        return None
    return _open_from(coordinator, supervisor, CaseSource(SourceKind.CONSULTATION, row.pk),
                      row.person_id, _evening(row.received_on), now, _source_team())  # fmt: skip


def _from_referral(coordinator: Staff, supervisor: Staff, now: datetime,
                   rng: random.Random) -> Case | None:  # fmt: skip
    from tsunagari.consultations.models import Referral, ReferralStatus

    rows = (
        Referral.objects.filter(to_agency__code="mac-01",
                                status__in=[ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED],
                                sent_at__lte=now - timedelta(days=2))
        .select_related("from_agency").order_by("sent_at", "pk")
    )  # fmt: skip
    row = next((r for r in rows if _free(r.person_id)), None)
    if row is None:
        return None
    return _open_from(coordinator, supervisor, CaseSource(SourceKind.REFERRAL, row.pk),
                      row.person_id, row.responded_at or row.sent_at, now,
                      _source_team(row.from_agency.code))  # fmt: skip


def _from_outreach(coordinator: Staff, supervisor: Staff, now: datetime,
                   rng: random.Random) -> Case | None:  # fmt: skip
    from tsunagari.outreach.models import OutreachTarget, State
    from tsunagari.outreach.services import ConnectInput, connect_target

    rows = (
        OutreachTarget.objects.filter(state__in=[State.IN_CONTACT, State.BUILDING_TRUST],
                                      person__isnull=False, worker__isnull=False)
        .select_related("worker").order_by("state_since", "pk")
    )  # fmt: skip
    row = next((t for t in rows if t.person_id and _free(t.person_id)), None)
    if row is None or row.person_id is None or row.worker is None:
        return None
    steps = _moments(row.state_since + timedelta(hours=3), now)
    at = next(steps)
    with clock.frozen(at):
        connect_target(row.worker, row.pk, ConnectInput(to="agency", agency="mac-01",
                                                        handover_note=SOURCE_NOTE))  # fmt: skip
    return _open_from(coordinator, supervisor, CaseSource(SourceKind.OUTREACH, row.pk),
                      row.person_id, at, now, _source_team("swc-01"))  # fmt: skip


def _from_candidate(coordinator: Staff, supervisor: Staff, now: datetime,
                    rng: random.Random) -> Case | None:  # fmt: skip
    from tsunagari.linkage.models import Candidate, CandidateStatus

    rows = (
        Candidate.objects.exclude(status=CandidateStatus.NOT_NEEDED).order_by("created", "pk")
        .prefetch_related("members")
    )  # fmt: skip
    for row in rows:
        person = next((p for p in row.members.all() if _free(p.pk)), None)
        if person is not None:
            return _open_from(coordinator, supervisor, CaseSource(SourceKind.CANDIDATE, row.pk),
                              person.pk, row.created, now, _source_team("lsc-16"),
                              choose=True)  # fmt: skip
    return None


def load_demo_case_sources(seed: int) -> str:
    """Cases opened from a consultation, a referral, an outreach target and an
    early-detection candidate (after the outreach demo); a second run adds nothing.
    Each source is the oldest that fits; the seed picks the desk consultation's person
    when the coordinating agency has no consultation of its own yet."""
    others = Case.objects.exclude(source_kind=SourceKind.NEED)
    if others.exists():
        return f"{others.count()} cases from other sources already present"
    coordinator, supervisor = _coordinator(), _supervisor()
    if coordinator is None or supervisor is None:
        return "no cases from other sources (no coordinator or supervisor)"
    now, rng = clock.now(), random.Random(seed * 7919 + 3)
    made = [kind for kind, play in (
        ("consultation", _from_consultation), ("referral", _from_referral),
        ("outreach target", _from_outreach), ("candidate", _from_candidate),
    ) if play(coordinator, supervisor, now, rng) is not None]  # fmt: skip
    if not made:
        return "no cases from other sources (none fits)"
    return f"{len(made)} cases from other sources ({', '.join(made)})"


__all__ = ["load_demo_case_sources", "load_demo_cases"]
