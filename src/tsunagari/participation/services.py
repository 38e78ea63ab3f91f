"""The actions of participation support, one function per domain verb.

Each checks the permission (``Action.WORK_PARTICIPATION``, and for a person's
records that the actor's agency is entitled to the person), runs in one
transaction, writes a named event and the audit record, and reads the time
from ``lib.clock``. Pages and the demo call these.

Follow-ups fall on working days (``lib.calendar`` through the ward's
calendar): after a proposal, a call within ``FOLLOW_UP_DAYS["proposed"]``
working days; after a trial visit, within 3; while participating, every 10;
once settled, one last check (定着の確認) after 20. A stop clears the open
reminders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext

from tsunagari.accounts.policy import Action, allowed, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.consultations.limits import working_calendar
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.dates import age_on
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.participation import adapter
from tsunagari.participation.access import check
from tsunagari.participation.engine import Suggestion, eligible, rank
from tsunagari.participation.models import (
    MOVES,
    FollowUp,
    HostSupportKind,
    HostSupportNote,
    Offer,
    Opportunity,
    ParticipationProfile,
    Placement,
    PlacementState,
    StopReason,
)
from tsunagari.people.models import Person
from tsunagari.resources.models import GATHERING_KINDS, Organization
from tsunagari.resources.towns import TOWNS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

    Actor = Staff | AnonymousUser | None

FOLLOW_UP_DAYS: dict[str, int] = {"proposed": 5, "trial": 3, "participating": 10, "settled": 20}
GOALS_MAX = 1000
NOTE_MAX = 1000
TITLE_MAX = 120
LANGUAGES = ("ja", "en", "zh", "ko", "vi", "ne", "tl", "pt")
WEEKDAYS = adapter.WEEKDAYS
MOVES_OPEN = (PlacementState.PROPOSED, PlacementState.TRIAL, PlacementState.PARTICIPATING)
PERIODS = tuple(adapter.PERIOD_START)


class ParticipationError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


@dataclass
class ProfileInput:
    interests: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    free_times: list[str] = field(default_factory=list)  # "MO-am" …
    home_town: str = ""
    towns: list[str] = field(default_factory=list)
    max_travel_minutes: int | None = None
    wheelchair: bool = False
    needs_companion: bool = False
    max_cost_yen: int | None = None
    languages: list[str] = field(default_factory=lambda: ["ja"])
    max_group_size: int | None = None
    prefers_small_groups: bool = False
    sensory_needs: bool = False
    goals: str = ""
    version: int | None = None  # the version the form was read at (None: new)


@dataclass
class OpportunityInput:
    title: str = ""
    kind: str = ""
    host_id: str = ""
    town: str = ""
    description: str = ""
    interests: list[str] = field(default_factory=list)
    seeks: list[str] = field(default_factory=list)
    free_times: list[str] = field(default_factory=list)
    flexible_time: bool = False
    walk_minutes: int | None = None
    cost_yen: int = 0
    group_size: int | None = None
    wheelchair: bool = False
    companion_ok: bool = True
    sensory_friendly: bool = False
    capacity: int | None = None


_read = Reader(gettext)
_text = _read.text


def _choices(values: object, allowed_: set[str], name: str, errors: dict[str, str]) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        errors[name] = gettext("一覧から選んでください。")
        return []
    unknown = [v for v in values if v not in allowed_]
    if unknown:
        errors[name] = gettext("一覧にない値があります: %(values)s") % {
            "values": "、".join(v[:20] for v in unknown[:3])
        }
    return sorted(set(values) - set(unknown))


def _number(value: object, name: str, top: int, errors: dict[str, str]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        errors[name] = gettext("0から%(top)sまでの整数で入力してください。") % {"top": top}
        return None
    return value


def _times() -> set[str]:
    return {f"{d}-{p}" for d in WEEKDAYS for p in PERIODS}


def _working_day_after(start: date, days: int) -> date:
    return working_calendar().add_working_days(start, days)


# ── the profile ─────────────────────────────────────────────────────────────


def save_profile(actor: Actor, person_id: int, data: ProfileInput) -> ParticipationProfile:
    """Record (or change) the person's wishes, constraints and goals."""
    require_actor(actor, Action.WORK_PARTICIPATION)
    errors: dict[str, str] = {}
    interests = _choices(data.interests, set(adapter.interest_terms()), "interests", errors)
    offers = _choices(data.offers, set(Offer.values), "offers", errors)
    free_times = _choices(data.free_times, _times(), "free_times", errors)
    towns = _choices(data.towns, set(TOWNS), "towns", errors)
    languages = _choices(data.languages, set(LANGUAGES), "languages", errors)
    if not languages and "languages" not in errors:
        errors["languages"] = gettext("使える言語を1つ以上選んでください。")
    home = _text(data.home_town, "home_town", errors, limit=40)
    if home and home not in TOWNS:
        errors["home_town"] = gettext("住まいの町は江東区の町名から選んでください。")
    travel = _number(data.max_travel_minutes, "max_travel_minutes", 180, errors)
    if travel is not None and not home:
        errors["home_town"] = gettext("移動時間の上限を使うときは、住まいの町を選んでください。")
    cost = _number(data.max_cost_yen, "max_cost_yen", 100_000, errors)
    group = _number(data.max_group_size, "max_group_size", 1000, errors)
    if group == 0:
        errors["max_group_size"] = gettext("人数の上限は1人以上で入力してください。")
    goals = _text(data.goals, "goals", errors, limit=GOALS_MAX)
    if errors:
        raise ParticipationError(errors)
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise ParticipationError({"person": gettext("その番号の方は見つかりません。")})
        check(actor, person)
        profile = ParticipationProfile.objects.filter(person=person).first()
        if profile is not None and data.version is not None and data.version != profile.version:
            raise ParticipationError(
                {
                    "version": gettext(
                        "ほかの職員が先に変更しました。画面を読み込み直してから入力してください。"
                    )
                }
            )
        created = profile is None
        if profile is None:
            profile = ParticipationProfile(person=person, version=0)
        values: dict[str, Any] = {
            "interests": interests, "offers": offers, "free_times": free_times,
            "home_town": home, "towns": towns, "max_travel_minutes": travel,
            "wheelchair": bool(data.wheelchair), "needs_companion": bool(data.needs_companion),
            "max_cost_yen": cost, "languages": languages, "max_group_size": group,
            "prefers_small_groups": bool(data.prefers_small_groups),
            "sensory_needs": bool(data.sensory_needs), "goals": goals,
        }  # fmt: skip
        for key, value in values.items():
            setattr(profile, key, value)
        profile.updated_at = clock.now()
        profile.updated_by = _staff(actor)
        profile.agency_id = getattr(actor, "agency_id", None)
        profile.version += 1
        profile.save()
        write_event(EventKind.PARTICIPATION_PROFILE_RECORDED, profile, _staff(actor),
                    person_id=person.pk, created=created, interests=interests,
                    constraints=sorted(k for k in ("wheelchair", "needs_companion",
                                                   "sensory_needs", "prefers_small_groups")
                                       if values[k]))  # fmt: skip
        record(actor, AuditAction.CREATE if created else AuditAction.UPDATE, obj=profile,
               person_id=person.pk)  # fmt: skip
    return profile


def _is_staff(actor: Actor) -> bool:
    return getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) is not None


def _staff(actor: Actor) -> Staff | None:
    return actor if _is_staff(actor) else None  # type: ignore[return-value]


def suggestions_for(
    actor: Actor, profile: ParticipationProfile, limit: int = 10
) -> list[Suggestion]:
    """Ranked opportunities for the person (read only; the page audits the view)."""
    require_actor(actor, Action.WORK_PARTICIPATION)
    check(actor, profile)
    proposed = list(
        Placement.objects.filter(person_id=profile.person_id, state__in=MOVES_OPEN).values_list(
            "service_id", "opportunity_id"
        )
    )
    exclude = [f"service:{s}" if s else f"opportunity:{o}" for s, o in proposed]
    age = age_on(profile.person.birth_date, clock.today())
    return rank(
        adapter.profile_input(profile, age),
        adapter.all_entries(),
        travel=adapter.travel_table(),
        limit=limit,
        exclude=exclude,
    )


# ── placements ──────────────────────────────────────────────────────────────


def propose_placement(
    actor: Actor, person_id: int, source: str, *, case_id: int | None = None, reason: str = ""
) -> Placement:
    """Propose an opportunity (``service:<id>`` or ``opportunity:<pk>``) to the person."""
    require_actor(actor, Action.WORK_PARTICIPATION)
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", errors, limit=200)
    entry = adapter.entry_for(source) if isinstance(source, str) else None
    if entry is None:
        errors["source"] = gettext(
            "参加先は提案の一覧から選んでください（終了・非公開の場は選べません）。"
        )
    elif entry.full:
        errors["source"] = gettext("この参加先は満員です。空きのある参加先を選んでください。")
    if errors:
        raise ParticipationError(errors)
    assert entry is not None
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise ParticipationError({"person": gettext("その番号の方は見つかりません。")})
        check(actor, person)
        case = None
        if case_id is not None:
            from tsunagari.cases.models import Case

            case = Case.objects.filter(pk=case_id, person=person).first()
            if case is None or (
                actor is not None and not allowed(actor, Action.VIEW_PERSONAL_DATA, case)
            ):
                raise ParticipationError(
                    {"case": gettext("この方の、あなたの機関が見られる事例を選んでください。")}
                )
        profile = ParticipationProfile.objects.filter(person=person).first()
        if profile is not None and not eligible(
            adapter.profile_input(profile, age_on(person.birth_date, clock.today())),
            entry,
            adapter.travel_table(),
        ):
            raise ParticipationError(
                {
                    "source": gettext(
                        "この参加先は本人の条件（曜日・時間帯、移動、配慮、費用など）に合いません。"
                    )
                }
            )
        kind, _, key = source.partition(":")
        service_id = key if kind == "service" else ""
        opportunity = Opportunity.objects.get(pk=int(key)) if kind == "opportunity" else None
        already = Placement.objects.filter(person=person, state__in=MOVES_OPEN)
        if already.filter(service_id=service_id, opportunity=opportunity).exists():
            raise ParticipationError({"source": gettext("この参加先はすでに提案中です。")})
        host_name = (
            opportunity.host_name
            if opportunity is not None
            else adapter.host_names([entry.host]).get(entry.host, "")
        )
        today = clock.today()
        placement = Placement.objects.create(
            person=person, case=case, service_id=service_id, opportunity=opportunity,
            title=entry.title[:200], host_id=entry.host, host_name=host_name[:200],
            kind=entry.kind, reason=reason, proposed_on=today, worker=_staff(actor),
            agency_id=getattr(actor, "agency_id", None),
        )  # fmt: skip
        due = _working_day_after(today, FOLLOW_UP_DAYS["proposed"])
        FollowUp.objects.create(placement=placement, due_on=due)
        write_event(EventKind.PLACEMENT_PROPOSED, placement, _staff(actor), person_id=person.pk,
                    source=source, entry_kind=entry.kind, host=entry.host,
                    case=case.pk if case else None, follow_up=due.isoformat())  # fmt: skip
        record(actor, AuditAction.CREATE, obj=placement, person_id=person.pk)
    return placement


def move_placement(
    actor: Actor,
    placement_id: int,
    to: str,
    *,
    on: object = None,
    stop_reason: str = "",
    note: str = "",
    version: int | None = None,
) -> Placement:
    """Move a placement on: trial visit, participating, settled (定着) or stopped with a reason.

    ``on`` is the day it happened (a date or ``YYYY-MM-DD``; nothing given: today).
    """
    require_actor(actor, Action.WORK_PARTICIPATION)
    errors: dict[str, str] = {}
    note = _text(note, "note", errors, limit=NOTE_MAX)
    today = clock.today()
    day = _read.date(on, "on", errors) or today
    if day > today:
        errors["on"] = gettext("日付は今日までの日を入力してください。")
    if to == PlacementState.STOPPED and stop_reason not in StopReason.values:
        errors["stop_reason"] = gettext("中止の理由を選んでください。")
    if to == PlacementState.STOPPED and stop_reason == StopReason.OTHER and not note:
        errors["note"] = gettext("「その他」のときは、理由をメモに書いてください。")
    if errors:
        raise ParticipationError(errors)
    with transaction.atomic():
        placement = Placement.objects.select_for_update().filter(pk=placement_id).first()
        if placement is None:
            raise ParticipationError({"placement": gettext("その番号の参加先はありません。")})
        check(actor, placement)
        if version is not None and version != placement.version:
            raise ParticipationError(
                {"version": gettext("ほかの職員が先に変更しました。画面を読み込み直してください。")}
            )
        if to not in MOVES.get(placement.state, ()):
            raise ParticipationError(
                {"state": gettext("「%(from)s」から「%(to)s」には進めません。") % {
                    "from": placement.get_state_display(),
                    "to": dict(PlacementState.choices).get(to, to),
                }}
            )  # fmt: skip
        last = max(
            d for d in (placement.proposed_on, placement.trial_on, placement.started_on) if d
        )
        if day < last:
            raise ParticipationError(
                {"on": gettext("日付は前の段階の日（%(day)s）以降にしてください。") % {"day": last}}
            )
        before = placement.state
        placement.state = to
        if to == PlacementState.TRIAL:
            placement.trial_on = day
        elif to == PlacementState.PARTICIPATING:
            placement.started_on = day
        else:
            placement.ended_on = day
            placement.stop_reason = stop_reason if to == PlacementState.STOPPED else ""
            placement.end_note = note
        placement.version += 1
        placement.save()
        pending = placement.follow_ups.filter(done_on__isnull=True)
        pending.delete()
        due = None
        if to in FOLLOW_UP_DAYS:
            due = _working_day_after(max(day, today), FOLLOW_UP_DAYS[to])
            FollowUp.objects.create(placement=placement, due_on=due)
        kind = (
            EventKind.PLACEMENT_ENDED
            if to in (PlacementState.SETTLED, PlacementState.STOPPED)
            else EventKind.PLACEMENT_MOVED
        )
        write_event(kind, placement, _staff(actor), person_id=placement.person_id,
                    before=before, after=to, on=day.isoformat(), stop_reason=placement.stop_reason,
                    follow_up=due.isoformat() if due else None)  # fmt: skip
        record(actor, AuditAction.UPDATE, obj=placement, person_id=placement.person_id,
               detail={"state": to})  # fmt: skip
    return placement


def record_follow_up(
    actor: Actor, follow_up_id: int, note: str, *, next_in: int | None = None
) -> FollowUp:
    """Record how the person is doing; schedule the next check ``next_in`` working days on."""
    require_actor(actor, Action.WORK_PARTICIPATION)
    errors: dict[str, str] = {}
    note = _text(note, "note", errors, limit=NOTE_MAX)
    if not note:
        errors.setdefault("note", gettext("様子を書いてください。"))
    if next_in is not None and (isinstance(next_in, bool) or not 1 <= next_in <= 120):
        errors["next_in"] = gettext("次の予定は1から120営業日後で入力してください。")
    if errors:
        raise ParticipationError(errors)
    with transaction.atomic():
        follow = (
            FollowUp.objects.select_for_update()
            .select_related("placement", "placement__person")
            .filter(pk=follow_up_id)
            .first()
        )
        if follow is None:
            raise ParticipationError({"follow_up": gettext("その予定は見つかりません。")})
        check(actor, follow)
        if follow.done_on is not None:
            raise ParticipationError({"follow_up": gettext("この予定はすでに記録済みです。")})
        today = clock.today()
        follow.done_on = today
        follow.note = note
        follow.done_by = _staff(actor)
        follow.save()
        placement = follow.placement
        due = None
        if placement.is_open:
            days = next_in or FOLLOW_UP_DAYS.get(placement.state, 10)
            due = _working_day_after(today, days)
            FollowUp.objects.create(placement=placement, due_on=due)
        write_event(EventKind.PLACEMENT_FOLLOWED_UP, placement, _staff(actor),
                    person_id=placement.person_id, state=placement.state,
                    follow_up_done=today.isoformat(),
                    follow_up=due.isoformat() if due else None)  # fmt: skip
        record(actor, AuditAction.UPDATE, obj=follow, person_id=placement.person_id)
    return follow


# ── hosts ───────────────────────────────────────────────────────────────────


def _host(host_id: object, errors: dict[str, str]) -> Organization | None:
    org = Organization.objects.filter(pk=host_id).first() if isinstance(host_id, str) else None
    if org is None:
        errors["host_id"] = gettext("受入先は地域資源の団体・機関から選んでください。")
    return org


def record_host_support(
    actor: Actor,
    host_id: str,
    kind: str,
    note: str = "",
    *,
    placement_id: int | None = None,
    on: date | None = None,
) -> HostSupportNote:
    """Note support given to a host organisation (受入先支援)."""
    require_actor(actor, Action.WORK_PARTICIPATION)
    errors: dict[str, str] = {}
    org = _host(host_id, errors)
    if kind not in HostSupportKind.values:
        errors["kind"] = gettext("支援の内容を選んでください。")
    note = _text(note, "note", errors, limit=NOTE_MAX)
    day = on or clock.today()
    if day > clock.today():
        errors["on"] = gettext("日付は今日までの日を入力してください。")
    if errors:
        raise ParticipationError(errors)
    assert org is not None
    with transaction.atomic():
        placement = None
        if placement_id is not None:
            placement = Placement.objects.filter(pk=placement_id, host_id=org.pk).first()
            if placement is None:
                raise ParticipationError(
                    {"placement": gettext("この受入先の参加先を選んでください。")}
                )
            check(actor, placement)
        item = HostSupportNote.objects.create(
            host_id=org.pk, host_name=org.name[:200], placement=placement, on=day, kind=kind,
            note=note, by=_staff(actor), agency_id=getattr(actor, "agency_id", None),
        )  # fmt: skip
        write_event(EventKind.HOST_SUPPORT_RECORDED, item, _staff(actor),
                    person_id=placement.person_id if placement else None, host=org.pk,
                    support=kind, on=day.isoformat())  # fmt: skip
        record(actor, AuditAction.CREATE, obj=item,
               person_id=placement.person_id if placement else "")  # fmt: skip
    return item


def create_opportunity(actor: Actor, data: OpportunityInput) -> Opportunity:
    """Record a new place to take part created with a host (メニュー創出)."""
    require_actor(actor, Action.WORK_PARTICIPATION)
    errors: dict[str, str] = {}
    title = _text(data.title, "title", errors, limit=TITLE_MAX)
    if not title and "title" not in errors:
        errors["title"] = gettext("名称を入力してください。")
    if data.kind not in {str(k) for k in GATHERING_KINDS}:
        errors["kind"] = gettext("種別を選んでください。")
    org = _host(data.host_id, errors)
    if data.town not in TOWNS:
        errors["town"] = gettext("町名を選んでください。")
    description = _text(data.description, "description", errors, limit=NOTE_MAX)
    interests = _choices(data.interests, set(adapter.interest_terms()), "interests", errors)
    seeks = _choices(data.seeks, set(Offer.values), "seeks", errors)
    free_times = _choices(data.free_times, _times(), "free_times", errors)
    if not free_times and not data.flexible_time and "free_times" not in errors:
        errors["free_times"] = gettext(
            "曜日・時間帯を選ぶか、「日時は相談で決める」にしてください。"
        )
    walk = _number(data.walk_minutes, "walk_minutes", 120, errors)
    cost = _number(data.cost_yen, "cost_yen", 100_000, errors)
    group = _number(data.group_size, "group_size", 1000, errors)
    capacity = _number(data.capacity, "capacity", 1000, errors)
    if errors:
        raise ParticipationError(errors)
    assert org is not None
    with transaction.atomic():
        item = Opportunity.objects.create(
            title=title, kind=data.kind, host_id=org.pk, host_name=org.name[:200], town=data.town,
            description=description, interests=interests, seeks=seeks, free_times=free_times,
            flexible_time=bool(data.flexible_time), walk_minutes=walk, cost_yen=cost or 0,
            group_size=group, wheelchair=bool(data.wheelchair),
            companion_ok=bool(data.companion_ok), sensory_friendly=bool(data.sensory_friendly),
            capacity=capacity, created_on=clock.today(), created_by=_staff(actor),
            agency_id=getattr(actor, "agency_id", None),
        )  # fmt: skip
        write_event(EventKind.OPPORTUNITY_CREATED, item, _staff(actor), host=org.pk,
                    entry_kind=data.kind, town=data.town)  # fmt: skip
        record(actor, AuditAction.CREATE, obj=item)
    return item
