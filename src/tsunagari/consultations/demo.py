"""Demo consultations, consents, referrals and needs for the synthetic ward.

Deterministic for a seed: the same residents and seed give the same
consultations, the same referral states and the same events. Every row is
written by the same actions the pages and API call (consultations, consents,
referrals and their steps, needs, support meetings, at-desk openings), each
at its own moment of the last six months through the actions' clock
(``lib.clock``), so the demo proves the actions and what each persona may
see follows the rules of real use: a report by someone else opens nothing,
a person at the desk opens their record provisionally, a consent or a
referral needs an agency entitled to the person.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from tsunagari.accounts.models import Agency, AgencyKind, Role, Staff
from tsunagari.accounts.personas import DEMO_PASSWORD
from tsunagari.consent.models import ConsentForm, InfoCategory, WithdrawalChannel
from tsunagari.consent.services import (
    ConsentInput,
    SupportMeetingInput,
    WithdrawalInput,
    confirm_support_meeting,
    place_under_support_meeting,
    record_consent,
    withdraw_consent,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.consultations.models import (
    Channel,
    Consultation,
    FirstOutcome,
    NeedKind,
    Referral,
    ReferralOutcome,
    Service,
    Visitor,
)
from tsunagari.consultations.services import (
    ConsultationInput,
    accept_referral,
    decline_referral,
    pick_up_need,
    receive_referral,
    record_referral_outcome,
    revoke_referral,
    save_consultation,
    send_referral,
)
from tsunagari.lib import clock
from tsunagari.people.access import active_links
from tsunagari.people.models import AccessOpening, AgencyLink, LinkBasis, OpeningStatus, Person
from tsunagari.people.openings import confirm_opening, revoke_opening

DAYS_BACK = 180
# Persona agencies get more consultations, so the demo personas have full worklists.
FRONT_DOORS = {
    "lsc-16": 9, "lsc-08": 6, "dis-02": 5, "cfc-03": 5, "srs-01": 8, "swc-01": 4, "msd-08": 2,
    "lsc-01": 2, "lsc-12": 2, "lsc-17": 2, "dis-06": 2, "cfc-05": 2, "dis-03": 1,
}  # fmt: skip
SERVICE_OF_KIND = {
    AgencyKind.LONGEVITY_SUPPORT_CENTRE: Service.ELDERLY,
    AgencyKind.DISABILITY_CONSULTATION: Service.DISABILITY,
    AgencyKind.CHILD_FAMILY_CENTRE: Service.CHILD,
    AgencyKind.SELF_RELIANCE_SUPPORT: Service.SELF_RELIANCE,
}
PROBLEMS_OF_SERVICE = {
    Service.ELDERLY: ["care", "health", "family", "community", "income", "housing"],
    Service.DISABILITY: ["health", "job_search", "work_worry", "family", "withdrawal", "income"],
    Service.CHILD: ["child_rearing", "family", "withdrawal", "dv_abuse", "income", "health"],
    Service.SELF_RELIANCE: ["income", "debt", "rent_loan", "job_search", "tax_utilities", "food", "housing"],
}  # fmt: skip
NOTES = {
    "care": "介護保険の申請方法と、デイサービスの利用について相談。",
    "health": "通院が続いており、体調の不安が大きい。",
    "family": "家族との関係に悩んでいる。同居家族の負担も大きい様子。",
    "community": "近所づきあいがなく、日中ひとりで過ごしている。",
    "income": "収入が減り、生活費が足りない月がある。",
    "housing": "住まいの更新時期が近く、転居先を探している。",
    "job_search": "仕事を探しているが、面接に進めていない。",
    "work_worry": "職場での人間関係に悩み、休みがちになっている。",
    "withdrawal": "家族によると、半年以上ほとんど外出していない。",
    "child_rearing": "子育ての負担が大きく、一時預かりを利用したい。",
    "dv_abuse": "家庭内での暴言があり、安全な相談先を知りたい。",
    "debt": "複数の借入があり、返済の見通しが立たない。",
    "rent_loan": "家賃を2か月滞納している。",
    "tax_utilities": "住民税と電気料金の支払いが遅れている。",
    "food": "今週の食べ物がない。フードバンクを紹介してほしい。",
}
TARGET_OF_PROBLEM = {
    "income": "srs-01", "debt": "srs-01", "rent_loan": "srs-01", "job_search": "srs-01",
    "tax_utilities": "srs-01", "food": "swc-01", "community": "swc-01", "withdrawal": "swc-01",
    "care": "lsc", "health": "dis", "work_worry": "dis", "child_rearing": "cfc",
    "dv_abuse": "cfc", "family": "mac-01", "housing": "srs-01", "consumer_damage": "dept-16",
}  # fmt: skip
DECLINE_REASONS = (
    "当センターの担当地区外のため。担当のセンターをご案内ください。",
    "現在、新規の受け入れ枠がありません。来月以降に再度ご相談ください。",
    "対象年齢外のため。",
)
CONTACT_PREFERENCES = (
    "", "平日の午前中に携帯電話へ", "夕方以降に自宅の電話へ", "長女を通じて連絡",
    "郵便は家族に見られるため不可。携帯へ",
)  # fmt: skip
RELATIONS = ("長女", "長男", "妻", "夫", "母", "父", "次女", "姉", "弟")


@dataclass
class _Ward:
    agencies: dict[str, Agency]
    staff: dict[str, Staff]
    linked: dict[int, list[int]]  # agency id -> person ids with a service link
    people: list[int]


def _staff_for(agencies: dict[str, Agency]) -> dict[str, Staff]:
    """One consultant per front door: the persona where there is one, else a demo account."""
    staff: dict[str, Staff] = {}
    for s in Staff.objects.filter(agency__code__in=list(FRONT_DOORS)).order_by("username"):
        if s.has_role(Role.CONSULTANT) and s.agency is not None:
            staff.setdefault(s.agency.code, s)
    for code in FRONT_DOORS:
        if code not in staff and code in agencies:
            account, _ = Staff.objects.get_or_create(
                username=f"demo.{code}",
                defaults={"display_name": f"相談員（{agencies[code].name}）",
                          "agency": agencies[code], "roles": [Role.CONSULTANT],
                          "password": make_password(None)},
            )  # fmt: skip
            staff[code] = account
    for code in ("mac-01", "swc-01"):
        for s in Staff.objects.filter(agency__code=code).order_by("username"):
            staff.setdefault(f"{code}:{s.roles[0] if s.roles else ''}", s)
    return staff


def _ward_supervisor(agencies: dict[str, Agency]) -> Staff | None:
    """The ward's coordinating supervisor (福祉課), who confirms support-meeting decisions.

    Signs in with the demo password, so the pending decision can be confirmed by hand.
    """
    ward = agencies.get("dept-01")
    if ward is None:
        return None
    account, _ = Staff.objects.get_or_create(
        username="demo.ward-supervisor",
        defaults={"display_name": "統括 監督（福祉課）", "agency": ward,
                  "roles": [Role.SUPERVISOR], "password": make_password(DEMO_PASSWORD)},
    )  # fmt: skip
    return account


def _play_support_meetings(recorded: list[tuple[int, date, list[str]]], coordinator: Staff,
                           confirmer: Staff | None) -> Counter[str]:  # fmt: skip
    """Record each decision through the services; a second agency confirms all but the last,
    which stays pending for the demo's supervisor to confirm or reject."""
    counts: Counter[str] = Counter()
    for i, (person_id, decided_on, members) in enumerate(recorded):
        meeting = place_under_support_meeting(coordinator, person_id, SupportMeetingInput(
            decided_on=decided_on.isoformat(), agencies=members,
            reason="本人の同意が得られないが、世帯として支援が必要なため（8050の疑い）。"))  # fmt: skip
        if confirmer is not None and (i < len(recorded) - 1 or len(recorded) == 1):
            confirm_support_meeting(confirmer, meeting.pk)
            counts["support meetings"] += 1
        else:
            counts["pending support meetings"] += 1
    return counts


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))))
    )


def _target(
    problem: str, sender: Agency, agencies: dict[str, Agency], rng: random.Random
) -> Agency:
    code = TARGET_OF_PROBLEM.get(problem, "srs-01")
    if code in {"lsc", "dis", "cfc"}:
        kind = {"lsc": AgencyKind.LONGEVITY_SUPPORT_CENTRE, "dis": AgencyKind.DISABILITY_CONSULTATION,
                "cfc": AgencyKind.CHILD_FAMILY_CENTRE}[code]  # fmt: skip
        persona = {"lsc": "lsc-16", "dis": "dis-02", "cfc": "cfc-03"}[code]
        if persona in agencies and persona != sender.code and rng.random() < 0.4:
            return agencies[persona]  # the demo personas get referrals to answer
        same_town = [a for a in agencies.values() if a.kind == kind and a.town == sender.town]
        pool = same_town or sorted(
            (a for a in agencies.values() if a.kind == kind), key=lambda a: a.code
        )
        target = rng.choice(pool)
    else:
        target = agencies[code]
    if target.pk == sender.pk:
        target = agencies["srs-01"] if sender.code != "srs-01" else agencies["swc-01"]
    return target


def _receiver_staff(ward: _Ward, agency: Agency) -> Staff:
    """Who answers referrals at an agency: its demo consultant, made if it has none."""
    staff = ward.staff.get(agency.code)
    if staff is None:
        staff = next((s for s in Staff.objects.filter(agency=agency, is_active=True)
                      .order_by("username") if s.has_role(Role.CONSULTANT)), None)  # fmt: skip
    if staff is None:
        staff, _ = Staff.objects.get_or_create(
            username=f"demo.{agency.code}",
            defaults={"display_name": f"相談員（{agency.name}）", "agency": agency,
                      "roles": [Role.CONSULTANT], "password": make_password(None)},
        )  # fmt: skip
    ward.staff[agency.code] = staff
    return staff


def _play_referral(referral: Referral, ward: _Ward, rng: random.Random, now: datetime) -> None:
    """Move a sent referral to a realistic state for its age, through the referral actions.

    Each step happens at its own moment; a step that would fall after now
    has not happened yet, and the referral stays where it is.
    """
    receiver = _receiver_staff(ward, referral.to_agency)
    sender = referral.sent_by
    age = (now - referral.sent_at).days
    t = referral.sent_at
    roll = rng.random()
    if age < 3 and roll < 0.6:
        return  # still sent, within its limit
    if roll < 0.08:
        return  # never opened: overdue once past its limit
    t += timedelta(hours=rng.randint(2, 30))
    if t >= now:
        return
    with clock.frozen(t):
        receive_referral(receiver, referral.pk)
    if roll < 0.16 or (age < 6 and roll < 0.5):
        return  # received, no answer yet
    if roll < 0.2:
        if t + timedelta(days=1) < now:
            with clock.frozen(t + timedelta(days=1)):
                revoke_referral(sender, referral.pk, reason="本人が自分で連絡できたため")
        return
    t += timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 6))
    if t >= now:
        return
    if roll < 0.32:
        with clock.frozen(t):
            decline_referral(receiver, referral.pk, reason=rng.choice(DECLINE_REASONS))
        closed = t + timedelta(days=rng.randint(1, 7))
        if age > 20 and rng.random() < 0.6 and closed < now:
            with clock.frozen(closed):
                record_referral_outcome(sender, referral.pk, outcome=rng.choice(
                    [ReferralOutcome.NOT_ELIGIBLE, ReferralOutcome.NO_CAPACITY]))  # fmt: skip
        return
    with clock.frozen(t):
        accept_referral(receiver, referral.pk)
    if age > 14 and rng.random() < 0.85:
        outcome = rng.choices(
            [ReferralOutcome.CONNECTED, ReferralOutcome.NO_CONTACT, ReferralOutcome.NOT_INTERESTED],
            weights=[80, 12, 8],
        )[0]
        closed = t + timedelta(days=rng.randint(3, 14))
        if closed < now:
            with clock.frozen(closed):
                record_referral_outcome(receiver, referral.pk, outcome=outcome)


def _review_openings(supervisor: Staff | None, rng: random.Random, now: datetime) -> Counter[str]:
    """The ward's supervisor reviews at-desk openings a few days after each; the last
    days' openings stay on the review list for the demo's supervisors."""
    counts: Counter[str] = Counter()
    if supervisor is None:
        return counts
    for opening in AccessOpening.objects.filter(status=OpeningStatus.PROVISIONAL).order_by(
        "opened_at", "pk"
    ):
        when = opening.opened_at + timedelta(days=rng.randint(1, 3))
        if when >= now - timedelta(days=2):
            counts["openings awaiting review"] += 1
            continue
        with clock.frozen(when):
            if rng.random() < 0.9:
                confirm_opening(supervisor, opening.pk, note="継続して支援するため")
                counts["openings confirmed"] += 1
            else:
                revoke_opening(supervisor, opening.pk, note="本人確認の記録が不十分だったため")
                counts["openings revoked"] += 1
    return counts


def is_entitled_on(staff: Staff, person: Person, day: date) -> bool:
    """Whether the staff member's agency could see the person on that day."""
    if staff.agency_id is None:
        return False
    return active_links(day).filter(person=person, agency_id=staff.agency_id).exists()


def _load_ward() -> _Ward | None:
    agencies = {a.code: a for a in Agency.objects.filter(is_active=True)}
    if not {"srs-01", "swc-01", "mac-01"} <= set(agencies):
        return None
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    if not people:
        return None
    linked: dict[int, list[int]] = {}
    for person_id, agency_id in (
        AgencyLink.objects.filter(basis=LinkBasis.SERVICE).order_by("person_id", "agency_id")
        .values_list("person_id", "agency_id")
    ):  # fmt: skip
        linked.setdefault(agency_id, []).append(person_id)
    return _Ward(agencies, _staff_for(agencies), linked, people)


def load_demo_consultations(seed: int, *, count: int = 360) -> str:
    """Create the demo ward's consultations; returns a one-line summary.

    Run once, after residents and their service links are loaded; a second
    run leaves an existing front door untouched.
    """
    if Consultation.objects.exists():
        return f"{Consultation.objects.count():,} consultations already present"
    ward = _load_ward()
    if ward is None:
        return "no consultations (no residents or agencies)"
    rng = random.Random(seed * 7919 + 11)
    now = clock.now()
    today = clock.today()
    doors = [code for code in FRONT_DOORS if code in ward.agencies and code in ward.staff]
    weights = [FRONT_DOORS[c] for c in doors]
    people = {p.pk: p for p in Person.objects.filter(
        pk__in=set(rng.sample(ward.people, min(len(ward.people), count * 2)))
        | {pid for ids in ward.linked.values() for pid in ids[:60]})}  # fmt: skip
    pool = sorted(people)
    counts: Counter[str] = Counter()
    calendar = working_calendar()
    coordinator = ward.staff.get("mac-01:coordinator")
    outreach = ward.staff.get("swc-01:outreach")
    meeting_people: set[int] = set()
    meetings: list[tuple[int, date, list[str]]] = []
    for i in range(count):
        code = rng.choices(doors, weights=weights)[0]
        agency, staff = ward.agencies[code], ward.staff[code]
        day = today - timedelta(days=int(DAYS_BACK * rng.random() ** 1.3))
        while not calendar.is_working_day(day):  # front doors are closed then
            day -= timedelta(days=1)
        own = [p for p in ward.linked.get(agency.pk, [])[:60] if p in people]
        person = people[rng.choice(own)] if own and rng.random() < 0.7 else people[rng.choice(pool)]
        service = SERVICE_OF_KIND.get(AgencyKind(agency.kind)) or rng.choice(list(Service))
        areas = rng.sample(PROBLEMS_OF_SERVICE[service], rng.randint(1, 3))
        visitor = rng.choices(list(Visitor), weights=[55, 28, 5, 5, 5, 2])[0]
        outcome = rng.choices(
            [FirstOutcome.RESOLVED, FirstOutcome.REFERRAL, FirstOutcome.ESCALATION, FirstOutcome.OUTREACH],
            weights=[45, 37, 9, 9],
        )[0]  # fmt: skip
        draft = i % 40 == 0 and staff.username.startswith("consultant")
        channel = Channel.COMMISSIONER if agency.kind == AgencyKind.COMMISSIONER else rng.choices(
            list(Channel), weights=[30, 40, 7, 5, 10, 8])[0]  # fmt: skip
        received = (
            now - timedelta(minutes=30) if draft else min(_at(day, rng), now - timedelta(minutes=5))
        )
        checked = visitor == Visitor.SELF and rng.random() < 0.85
        data = ConsultationInput(
            received_on=timezone.localdate(received).isoformat(), channel=channel, service=service,
            visitor=visitor, visitor_relation=rng.choice(RELATIONS) if visitor == Visitor.FAMILY else "",
            person_id=person.pk, problems=[p for p in PROBLEMS_OF_SERVICE[service] if p in areas] or areas,
            main_problem=areas[0], work="retired" if service == Service.ELDERLY else rng.choice(["", "non_regular", "seeking", "not_working"]),
            housing=rng.choice(["rented", "owned", "public", ""]),
            health_insurance="late_elderly" if service == Service.ELDERLY else rng.choice(["national", "employee", ""]),
            pension="old_age" if service == Service.ELDERLY else rng.choice(["none", "", "disability"]),
            notes="\n".join(NOTES.get(a, "") for a in areas), outcome="" if draft else outcome,
            identity_check=rng.choice(["document", "document", "known", "questions"]) if checked else "",
        )  # fmt: skip
        with clock.frozen(received):
            consultation = save_consultation(staff, data, final=not draft)
        counts["drafts" if draft else "recorded"] += 1
        if draft:
            continue
        if outcome in {FirstOutcome.ESCALATION, FirstOutcome.OUTREACH}:
            kind = (
                NeedKind.MULTI_AGENCY if outcome == FirstOutcome.ESCALATION else NeedKind.OUTREACH
            )
            taker = coordinator if kind == NeedKind.MULTI_AGENCY else outreach
            picked = taker is not None and (today - day).days > 10 and rng.random() < 0.7
            need = consultation.needs.get(kind=kind)
            if picked and taker is not None:
                with clock.frozen(received + timedelta(days=rng.randint(1, 9))):
                    pick_up_need(taker, need.pk)
            counts["needs"] += 1
            if kind == NeedKind.MULTI_AGENCY and picked and coordinator and len(meeting_people) < 4 \
                    and person.pk not in meeting_people:  # fmt: skip
                members = sorted({agency.code, "mac-01", "srs-01"})
                meetings.append((person.pk, min(day + timedelta(days=3), today), members))
                meeting_people.add(person.pk)
            continue
        if not is_entitled_on(staff, person, day):
            # A report by someone else: the agency cannot ask the person for
            # consent or refer them until it meets them.
            counts["reports without a basis"] += 1
            continue
        if outcome == FirstOutcome.RESOLVED:
            if rng.random() < 0.06:
                with clock.frozen(received):
                    record_consent(staff, person.pk, ConsentInput(form=ConsentForm.WITHOUT_CONSENT,
                                                                  given_on=day.isoformat()))  # fmt: skip
                counts["refusals"] += 1
            continue
        target = _target(areas[0], agency, ward.agencies, rng)
        categories = [InfoCategory.BASIC, InfoCategory.CONSULTATION,
                      rng.choice([InfoCategory.HEALTH, InfoCategory.MONEY, InfoCategory.FAMILY])]  # fmt: skip
        with clock.frozen(received):
            consent = record_consent(staff, person.pk, ConsentInput(
                form=ConsentForm.WITH_CONSENT, given_on=day.isoformat(),
                expires_on=(day + timedelta(days=365)).isoformat(), agencies=[target.code],
                categories=list(categories)))  # fmt: skip
        counts["consents"] += 1
        withdrawn = rng.random() < 0.05
        sent_at = min(received + timedelta(hours=rng.randint(1, 20)), now)
        with clock.frozen(sent_at):
            referral = send_referral(staff, consultation.pk, to_agency=target.code, summary=(
                f"{consultation.notes.splitlines()[0]}（{consultation.get_visitor_display()}より）"),
                urgency=rng.choices(["normal", "soon", "urgent"], weights=[85, 10, 5])[0],
                contact_preference=rng.choice(CONTACT_PREFERENCES),
                explained="つなぎ先から連絡が来ること、相談の内容を共有すること")  # fmt: skip
        if withdrawn:
            said = min(received + timedelta(days=2), now)
            with clock.frozen(said):
                revoke_referral(staff, referral.pk, reason="本人が同意を撤回したため")
                withdraw_consent(staff, consent.pk, WithdrawalInput(
                    said_on=timezone.localdate(said).isoformat(), channel=WithdrawalChannel.PHONE,
                    told_to=f"{agency.name} {staff}"[:100], note="本人から電話で撤回の申し出"))  # fmt: skip
            counts["withdrawn consents"] += 1
        else:
            _play_referral(referral, ward, rng, now)
        referral.refresh_from_db()
        counts[f"referrals {referral.status}"] += 1
    supervisor = _ward_supervisor(ward.agencies)
    counts.update(_review_openings(supervisor, rng, now))
    if coordinator is not None:
        counts.update(_play_support_meetings(meetings, coordinator, supervisor))
    referrals = Referral.objects.all()
    overdue = sum(1 for r in referrals if r.is_overdue(now))
    states = ", ".join(
        f"{n} {k.split(' ', 1)[1]}" for k, n in sorted(counts.items()) if k.startswith("referrals")
    )
    return (
        f"{counts['recorded']} consultations ({counts['drafts']} drafts), {counts['consents']} consents "
        f"({counts['withdrawn consents']} withdrawn, {counts['refusals']} refusals), "
        f"{referrals.count()} referrals ({states}; {overdue} overdue), {counts['needs']} needs, "
        f"{counts['support meetings']} support meetings confirmed by a second agency "
        f"({counts['pending support meetings']} pending), {counts['openings confirmed']} records "
        f"opened at the desk and confirmed ({counts['openings awaiting review']} awaiting review)"
    )


__all__ = ["load_demo_consultations"]
