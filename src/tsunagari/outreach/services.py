"""The actions on outreach targets, one function per domain verb.

Each checks the permission, runs in one transaction, writes a named event
(``EventKind.OUTREACH_*``) and the audit record, and reads the time from
``lib.clock``. Pages, the demo and tests call these; none writes the models
around them.

The states a target moves through::

    new → trying → in contact → building trust → connected
                                               ↘ closed (with a reason)
    any open state → paused (with a date to look again) → trying again

Connecting takes a handover (an agency, or a multi-agency case, and a note);
closing takes a reason; pausing takes a date. Logging a contact moves a new
target to "trying" and a first meeting to "in contact" by itself. Every
change raises the target's ``version``: a note written offline against an
older version is refused and shown to the worker, never applied over a
change made meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext

from tsunagari.accounts.models import Agency
from tsunagari.accounts.policy import Action, require, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.cases.models import Case, CaseMember, CaseState
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    FirstOutcome,
    Need,
    NeedKind,
    NeedStatus,
    Referral,
    ReferralOutcome,
)
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.linkage.models import Candidate, CandidateStatus
from tsunagari.outreach.access import get_target_for
from tsunagari.outreach.models import (
    IMMEDIATE_RISKS,
    OPEN_STATES,
    CloseReason,
    Contact,
    Method,
    OutreachTarget,
    Result,
    Risk,
    Source,
    State,
    TargetKind,
    Tip,
    Tipster,
    latest_next_on,
)
from tsunagari.people.models import Membership, Person

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

TEXT_MAX = 2000
SHORT_MAX = 500
TOLD_MAX = 200
TOWN_MAX = 40
ADDRESS_MAX = 300
# How far back a contact may be dated, and how far ahead the next one planned.
BACK_DAYS = 60
AHEAD_DAYS = 366
CODE_MAX = 64


class OutreachError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


class StaleVersion(OutreachError):
    """The target changed after the note was written (offline, say); nothing was written."""


# Manual moves between the working states. Connecting, closing and pausing
# have their own actions (they need a handover, a reason, a date).
MOVES: dict[str, tuple[str, ...]] = {
    State.NEW: (State.TRYING,),
    State.TRYING: (State.IN_CONTACT,),
    State.IN_CONTACT: (State.BUILDING_TRUST, State.TRYING),
    State.BUILDING_TRUST: (State.IN_CONTACT, State.TRYING),
    State.PAUSED: (State.TRYING,),
    State.CONNECTED: (),
    State.CLOSED: (),
}
# States from which a target may be connected: someone has been met.
CONNECTABLE = (State.IN_CONTACT, State.BUILDING_TRUST)


_read = Reader(gettext)
_text = _read.text
_date = _read.date


def _events(kind: EventKind, target: OutreachTarget, actor: Staff | None, **data: Any) -> None:
    write_event(kind, target, actor, person_id=target.person_id, **data)


def _audit(actor: Staff | None, action: AuditAction, target: OutreachTarget, reason: str,
           **detail: object) -> None:  # fmt: skip
    record(actor, action, obj=target, person_id=target.person_id or "", reason=reason,
           detail=detail)  # fmt: skip


def _bump(target: OutreachTarget, *fields: str) -> None:
    target.version += 1
    target.save(update_fields=["version", *fields])


def _set_state(target: OutreachTarget, actor: Staff | None, to: str, **data: Any) -> None:
    before = target.state
    target.state = to
    target.state_since = clock.now()
    _events(EventKind.OUTREACH_STATE_CHANGED, target, actor, state_from=before, state_to=to,
            **data)  # fmt: skip


# ── creating targets ─────────────────────────────────────────────────────────


def _create(actor: Staff | None, *, created_by: Staff, **fields: Any) -> OutreachTarget:
    now = clock.now()
    target = OutreachTarget.objects.create(
        created_by=created_by, created_at=now, state_since=now, **fields
    )
    _events(EventKind.OUTREACH_TARGET_ADDED, target, actor, source=target.source,
            target_kind=target.kind)  # fmt: skip
    _audit(actor, AuditAction.CREATE, target, "outreach target added", source=target.source)
    return target


def create_target_from_alert(
    actor: Staff | None,
    *,
    created_by: Staff,
    person: Person,
    household_id: int | None,
    description: str,
) -> OutreachTarget:
    """A visit to a person at risk in the area of a consumer-damage alert.

    Called by the consumer app's action that sends the alert, inside its
    transaction and after its own permission check (the consumer centre issues
    alerts; it does not work outreach): the target lands on the outreach
    team's list like any other, with the alert in its description.
    """
    require_actor(actor, Action.ISSUE_CONSUMER_ALERTS)
    return _create(
        actor, created_by=created_by, kind=TargetKind.PERSON, person=person,
        household_id=household_id, town=person.town, description=description[:2000],
        source=Source.ALERT,
    )  # fmt: skip


def _creator(actor: Staff | None, fallback: Staff) -> Staff:
    return actor if actor is not None else fallback


def _household_of(person: Person) -> Membership | None:
    return Membership.objects.filter(person=person, until__isnull=True).first()


def create_target_from_candidate(actor: Staff | None, candidate_id: int) -> OutreachTarget:
    """A target from an early-detection candidate designated staff passed to outreach.

    The candidate's decision must be 「アウトリーチへつないだ」; one target per candidate.
    """
    require_actor(actor, Action.WORK_OUTREACH)
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
        if candidate is None:
            raise OutreachError({"candidate": gettext("その番号の候補はありません。")})
        if candidate.status != CandidateStatus.REFERRED:
            raise OutreachError({"candidate": gettext(
                "対象にできるのは、指定職員が「アウトリーチへつないだ」と判断した候補だけです。")})  # fmt: skip
        if OutreachTarget.objects.filter(candidate=candidate).exists():
            raise OutreachError({"candidate": gettext("この候補はすでにアウトリーチの対象です。")})
        members = list(candidate.members.order_by("pk"))
        if not members:
            raise OutreachError({"candidate": gettext(
                "この候補には区の記録と結びついた人がいません。気づきの連絡として登録してください。")})  # fmt: skip
        person = members[0]
        membership = _household_of(person)
        by = candidate.decided_by
        if by is None and actor is None:
            raise OutreachError({"candidate": gettext("判断した職員が記録されていません。")})
        return _create(
            actor, created_by=_creator(actor, by),  # type: ignore[arg-type]
            kind=TargetKind.HOUSEHOLD if len(members) > 1 else TargetKind.PERSON,
            person=person, household=membership.household if membership else None,
            town=person.town, description=candidate.pattern_ja, source=Source.CANDIDATE,
            candidate=candidate, worker=actor,
        )  # fmt: skip


def create_target_from_need(actor: Staff | None, need_id: int) -> OutreachTarget:
    """A target from an outreach need the actor picked up (one target per need)."""
    require_actor(actor, Action.WORK_OUTREACH)
    with transaction.atomic():
        need = Need.objects.select_for_update().select_related("person").filter(pk=need_id).first()
        if need is None:
            raise OutreachError({"need": gettext("その番号の依頼はありません。")})
        if need.kind != NeedKind.OUTREACH:
            raise OutreachError({"need": gettext("対象にできるのは、アウトリーチの依頼だけです。")})
        if need.status != NeedStatus.PICKED_UP or (
            actor is not None and need.picked_up_by_id != actor.pk
        ):
            reason = gettext("対象にできるのは、この依頼の対応を始めた職員だけです。")
            raise OutreachError({"need": reason})
        if OutreachTarget.objects.filter(need=need).exists():
            raise OutreachError(
                {"need": gettext("この依頼にはすでにアウトリーチの対象があります。")}
            )
        membership = _household_of(need.person)
        return _create(
            actor, created_by=_creator(actor, need.picked_up_by),  # type: ignore[arg-type]
            kind=TargetKind.PERSON, person=need.person,
            household=membership.household if membership else None, town=need.person.town,
            source=Source.NEED, need=need, consultation_id=need.consultation_id,
            worker=need.picked_up_by,
        )  # fmt: skip


def create_target_from_consultation(
    actor: Staff | None, consultation_id: int, *, by: Staff | None = None
) -> OutreachTarget:
    """A target from a consultation whose person could not be reached.

    The consultation is recorded, about a known person, and either ended in
    「アウトリーチが必要」 or has a referral whose outcome is 「連絡がつかなかった」.
    """
    require_actor(actor, Action.WORK_OUTREACH)
    with transaction.atomic():
        consultation = Consultation.objects.select_related("person").filter(
            pk=consultation_id).first()  # fmt: skip
        if consultation is None or consultation.status != ConsultationStatus.RECORDED:
            raise OutreachError({"consultation": gettext("その番号の相談はありません。")})
        if consultation.person is None:
            raise OutreachError({"consultation": gettext(
                "本人が登録されていない相談です。気づきの連絡として登録してください。")})  # fmt: skip
        unreached = Referral.objects.filter(
            consultation=consultation, outcome=ReferralOutcome.NO_CONTACT
        ).exists()
        if consultation.outcome != FirstOutcome.OUTREACH and not unreached:
            raise OutreachError({"consultation": gettext(
                "対象にできるのは、本人に連絡がつかなかった相談（つなぎの結果が「連絡がつかなかった」"
                "か、初回の対応が「アウトリーチが必要」）だけです。")})  # fmt: skip
        if OutreachTarget.objects.filter(
            consultation=consultation, source=Source.CONSULTATION, state__in=OPEN_STATES
        ).exists():
            raise OutreachError({"consultation": gettext(
                "この相談からの対象がすでに進行中です。")})  # fmt: skip
        person = consultation.person
        membership = _household_of(person)
        creator = actor or by or consultation.received_by
        return _create(
            actor, created_by=creator, kind=TargetKind.PERSON, person=person,
            household=membership.household if membership else None, town=person.town,
            source=Source.CONSULTATION, consultation=consultation, worker=actor or by,
        )  # fmt: skip


@dataclass
class TipInput:
    tipster: str = ""
    town: str = ""
    address: str = ""
    description: str = ""


def _reference(tip: Tip) -> str:
    return f"T{clock.today():%Y%m}-{tip.pk:05d}"


def send_tip(actor: Staff, data: TipInput) -> Tip:
    """A tip from a 民生委員, neighbour, landlord, utility or agency: a partly
    identified target for the team; the sender gets the reference only."""
    require(actor, Action.SEND_OUTREACH_TIP)
    errors: dict[str, str] = {}
    if data.tipster not in Tipster.values:
        errors["tipster"] = gettext("連絡元を一覧から選んでください。")
    town = _text(data.town, "town", errors, limit=TOWN_MAX)
    address = _text(data.address, "address", errors, limit=ADDRESS_MAX)
    description = _text(data.description, "description", errors, limit=TEXT_MAX)
    if not town and not address and "town" not in errors and "address" not in errors:
        errors["address"] = gettext(
            "訪ねる先がわかるよう、住所か場所、または町名を書いてください。"
        )
    if not description and "description" not in errors:
        errors["description"] = gettext("気づいたこと（どなたの、どんな様子か）を書いてください。")
    if errors:
        raise OutreachError(errors)
    with transaction.atomic():
        tip = Tip.objects.create(
            reference=f"pending-{uuid4().hex[:12]}", tipster=data.tipster, sent_by=actor,
            sent_agency_id=actor.agency_id, sent_at=clock.now(), town=town, address=address,
            description=description,
        )  # fmt: skip
        tip.reference = _reference(tip)
        tip.save(update_fields=["reference"])
        write_event(EventKind.OUTREACH_TIP_RECEIVED, tip, actor, tipster=tip.tipster,
                    reference=tip.reference)  # fmt: skip
        record(actor, AuditAction.CREATE, obj=tip, reason="outreach tip sent",
               detail={"reference": tip.reference})  # fmt: skip
        _create(actor, created_by=actor, kind=TargetKind.PARTIAL, town=town, address=address,
                description=description, source=Source.TIP, tip=tip)  # fmt: skip
    return tip


# ── working a target ─────────────────────────────────────────────────────────


def _locked(target_id: int, version: int | None = None) -> OutreachTarget:
    """The target, locked for the action's transaction; refused when ``version``
    (the one the form was opened at) is no longer the target's."""
    target = OutreachTarget.objects.select_for_update().get(pk=target_id)
    _check_version(target, version)
    return target


def _check_version(target: OutreachTarget, version: int | None) -> None:
    if version is not None and version != target.version:
        raise StaleVersion({"version": gettext(
            "この対象は、あなたが開いた後にほかの記録で変わりました。最新の内容を確かめてから、"
            "もう一度記録してください。")})  # fmt: skip


def take_target(actor: Staff, target_id: int) -> OutreachTarget:
    """Become the target's worker."""
    get_target_for(actor, target_id, to_work=True)
    with transaction.atomic():
        target = _locked(target_id)
        if not target.is_open and target.state != State.PAUSED:
            raise OutreachError({"worker": gettext("終了・つないだ対象の担当は変えられません。")})
        before = target.worker_id
        target.worker = actor
        _bump(target, "worker")
        _events(EventKind.OUTREACH_STATE_CHANGED, target, actor, state_from=target.state,
                state_to=target.state, worker=actor.username)  # fmt: skip
        _audit(actor, AuditAction.UPDATE, target, "outreach worker set", worker_from=before)
    return target


def identify_target(actor: Staff, target_id: int, query: str, person_id: int) -> OutreachTarget:
    """Tie a partly identified target to a person found through the look-up.

    The person must be among the look-up's answers to ``query`` for the
    actor (so no one is tied by a number guessed or typed). The typed
    address is cleared: the person's record carries it from now on, with its seal.
    """
    from tsunagari.people.lookup import lookup

    get_target_for(actor, target_id, to_work=True)
    text = query.strip()[:200] if isinstance(query, str) else ""
    if not text:
        raise OutreachError(
            {"query": gettext("探す人の氏名・生年月日・住所などを入力してください。")}
        )
    found = {m.view.id for m in lookup(actor, text, purpose="outreach").matches}
    if person_id not in found:
        raise OutreachError({"person": gettext(
            "選んだ人は検索の結果にありません。もう一度検索して、結果から選んでください。")})  # fmt: skip
    with transaction.atomic():
        target = _locked(target_id)
        if target.person_id is not None:
            raise OutreachError({"person": gettext("この対象はすでに本人と結びついています。")})
        person = Person.objects.get(pk=person_id)
        membership = _household_of(person)
        target.person = person
        target.household = membership.household if membership else None
        target.kind = TargetKind.PERSON
        target.address = ""
        target.town = person.town or target.town
        _bump(target, "person", "household", "kind", "address", "town")
        _events(EventKind.OUTREACH_TARGET_IDENTIFIED, target, actor)
        _audit(actor, AuditAction.UPDATE, target, "outreach target identified")
    return target


def allowed_moves(target: OutreachTarget) -> list[str]:
    return list(MOVES.get(target.state, ()))


def move_state(actor: Staff, target_id: int, to: str, version: int | None = None) -> OutreachTarget:
    """Move a target between the working states (not to connected, closed or paused)."""
    get_target_for(actor, target_id, to_work=True)
    with transaction.atomic():
        target = _locked(target_id, version)
        if to in {State.CONNECTED, State.CLOSED, State.PAUSED}:
            raise OutreachError({"state": gettext(
                "「支援につながった」「終了」「一時休止」は、それぞれの欄から、引き継ぎ・理由・"
                "見直す日とともに記録します。")})  # fmt: skip
        if target.state in {State.CONNECTED, State.CLOSED}:
            raise OutreachError({"state": gettext(
                "つないだ対象・終了した対象の段階は変えられません。必要なら新しい対象として登録してください。")})  # fmt: skip
        if to not in MOVES.get(target.state, ()):
            labels = "・".join(str(State(s).label) for s in MOVES.get(target.state, ()))
            raise OutreachError({"state": gettext(
                "「%(here)s」から移れるのは %(to)s です。") % {
                    "here": State(target.state).label, "to": labels or "—"}})  # fmt: skip
        if (
            to in {State.IN_CONTACT, State.BUILDING_TRUST}
            and not target.contacts.filter(result=Result.MET).exists()
        ):
            raise OutreachError({"state": gettext(
                "まだ本人に会えた記録がありません。会えた訪問・連絡を記録してください。")})  # fmt: skip
        if target.state == State.PAUSED:
            target.pause_until = None
        _set_state(target, actor, to)
        _bump(target, "state", "state_since", "pause_until")
        _audit(actor, AuditAction.UPDATE, target, "outreach state changed", state_to=to)
    return target


@dataclass
class ContactInput:
    on: str | date = ""
    method: str = ""
    result: str = ""
    living: str = ""
    risks: list[str] = field(default_factory=list)
    risk_note: str = ""
    next_on: str | date = ""
    told: str = ""
    client_ref: str = ""


def _contact_fields(data: ContactInput, errors: dict[str, str]) -> dict[str, Any]:
    today = clock.today()
    on = _date(data.on, "on", errors)
    if on is None and "on" not in errors:
        errors["on"] = gettext("訪問・連絡の日付を入力してください。")
    elif on is not None and on > today:
        errors["on"] = gettext("これからの予定は「次回の予定」に書いてください（日付は今日以前）。")
    elif on is not None and on < today - timedelta(days=BACK_DAYS):
        errors["on"] = gettext("%(days)s日より前の日付は記録できません。") % {"days": BACK_DAYS}
    if data.method not in Method.values:
        errors["method"] = gettext("方法を一覧から選んでください。")
    if data.result not in Result.values:
        errors["result"] = gettext("結果を一覧から選んでください。")
    risks = data.risks if isinstance(data.risks, list) else []
    if any(r not in Risk.values for r in risks) or len(risks) > len(Risk.values):
        errors["risks"] = gettext("気になる兆候は一覧から選んでください。")
        risks = []
    risks = [r for r in Risk.values if r in set(risks)]
    next_on = _date(data.next_on, "next_on", errors)
    if next_on is not None and on is not None and next_on < on:
        errors["next_on"] = gettext("次回の予定は、この訪問・連絡の日以降にしてください。")
    elif next_on is not None and next_on > today + timedelta(days=AHEAD_DAYS):
        errors["next_on"] = gettext("次回の予定は1年以内にしてください。")
    told = _text(data.told, "told", errors, limit=TOLD_MAX)
    immediate = [r for r in risks if r in IMMEDIATE_RISKS]
    if immediate and not told and "told" not in errors:
        errors["told"] = gettext(
            "緊急性の高い兆候があります。すぐに上司・関係機関（警察・消防を含む）へ報告し、"
            "報告した相手（氏名・所属）を書いてください。"
        )
    ref = data.client_ref.strip() if isinstance(data.client_ref, str) else ""
    if len(ref) > 40 or not all(c.isalnum() or c == "-" for c in ref):
        errors["client_ref"] = gettext("記録の識別子が正しくありません。")
    return {
        "on": on, "method": data.method, "result": data.result,
        "living": _text(data.living, "living", errors, limit=TEXT_MAX), "risks": risks,
        "risk_note": _text(data.risk_note, "risk_note", errors, limit=SHORT_MAX), "next_on": next_on,
        "told": told, "client_ref": ref, "immediate": immediate,
    }  # fmt: skip


def log_contact(
    actor: Staff, target_id: int, data: ContactInput, version: int | None = None
) -> Contact:
    """Log an attempt or meeting. A sign of immediate risk needs who was told.

    ``version``: the target's version the note was written against (offline
    notes send it); a stale one is refused (:class:`StaleVersion`). A note
    sent twice with the same ``client_ref`` is recorded once.
    """
    get_target_for(actor, target_id, to_work=True)
    errors: dict[str, str] = {}
    fields = _contact_fields(data, errors)
    with transaction.atomic():
        target = _locked(target_id)
        if fields["client_ref"]:
            done = Contact.objects.filter(target=target, client_ref=fields["client_ref"]).first()
            if done is not None:
                return done
        _check_version(target, version)
        if target.state in {State.CONNECTED, State.CLOSED}:
            errors["target"] = gettext("つないだ対象・終了した対象には記録できません。")
        if errors:
            raise OutreachError(errors)
        immediate = fields.pop("immediate")
        now = clock.now()
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    target=target, recorded_by=actor, recorded_at=now,
                    told_at=now if fields["told"] else None, **fields,
                )  # fmt: skip
        except IntegrityError as exc:  # the same note, sent at the same moment
            raise OutreachError(
                {"client_ref": gettext("この記録はすでに送られています。")}
            ) from exc
        _events(EventKind.OUTREACH_CONTACT_LOGGED, target, actor, contact=contact.pk,
                method=contact.method, result=contact.result, on=contact.on,
                next_on=contact.next_on, risks=contact.risks or None)  # fmt: skip
        if immediate:
            _events(EventKind.OUTREACH_RISK_ESCALATED, target, actor, contact=contact.pk,
                    risks=immediate)  # fmt: skip
            _audit(actor, AuditAction.UPDATE, target, "outreach risk escalated", risks=immediate,
                   told=contact.told)  # fmt: skip
        # The latest contact plans the next one: a note dated before the
        # latest (written up late) does not move it.
        target.next_contact_on = latest_next_on(target.pk)
        changed = ["state", "state_since", "next_contact_on"]
        if target.state == State.PAUSED:
            target.pause_until = None
            changed.append("pause_until")
        if contact.result == Result.MET and target.state in {State.NEW, State.TRYING, State.PAUSED}:
            _set_state(target, actor, State.IN_CONTACT, contact=contact.pk)
        elif target.state in {State.NEW, State.PAUSED}:
            _set_state(target, actor, State.TRYING, contact=contact.pk)
        if target.worker_id is None:
            target.worker = actor
            changed.append("worker")
        _bump(target, *changed)
        _audit(actor, AuditAction.CREATE, target, "outreach contact logged", contact=contact.pk)
    return contact


@dataclass
class ConnectInput:
    to: str = ""  # "agency" or "case"
    agency: str = ""  # agency code
    referral: str = ""  # optional: the referral that handed the person over
    case: str = ""  # case number
    handover_note: str = ""


def _number(value: object) -> int | None:
    text = value.strip() if isinstance(value, str) else str(value or "")
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 13 else None


def cases_for(target: OutreachTarget) -> list[Case]:
    """Open multi-agency cases about the target's person (as person or household member)."""
    if target.person_id is None:
        return []
    member_of = CaseMember.objects.filter(person_id=target.person_id).values("case_id")
    return list(
        Case.objects.filter(state=CaseState.OPEN)
        .filter(Q(person_id=target.person_id) | Q(pk__in=member_of))
        .order_by("-opened_at")[:20]
    )


def connect_target(
    actor: Staff, target_id: int, data: ConnectInput, version: int | None = None
) -> OutreachTarget:
    """Connect a target to an agency (optionally through a referral) or to a
    multi-agency case, with a handover note. Only someone met can be connected."""
    get_target_for(actor, target_id, to_work=True)
    with transaction.atomic():
        target = _locked(target_id, version)
        errors: dict[str, str] = {}
        if target.state not in CONNECTABLE:
            errors["state"] = gettext(
                "つなげるのは「接触できた」か「関係づくり」の対象だけです。本人に会えた記録が先です。"
            )
        if target.person_id is None:
            errors["person"] = gettext("つなぐ前に、検索で本人と結びつけてください。")
        note = _text(data.handover_note, "handover_note", errors, limit=TEXT_MAX)
        if not note and "handover_note" not in errors:
            errors["handover_note"] = gettext(
                "引き継ぎの内容（本人の様子、これまでの関わり、気をつけること）を書いてください。"
            )
        agency: Agency | None = None
        referral: Referral | None = None
        case: Case | None = None
        if data.to == "agency":
            code = data.agency.strip()[:CODE_MAX] if isinstance(data.agency, str) else ""
            agency = Agency.objects.filter(code=code, is_active=True).first() if code else None
            if agency is None:
                errors["agency"] = gettext("つなぐ機関を一覧から選んでください。")
            ref_id = _number(data.referral)
            if data.referral and ref_id is None:
                errors["referral"] = gettext("つなぎ（紹介）の番号は数字で入力してください。")
            elif ref_id is not None:
                referral = Referral.objects.filter(pk=ref_id).first()
                if referral is None or referral.person_id != target.person_id or (
                    agency is not None and referral.to_agency_id != agency.pk
                ):  # fmt: skip
                    errors["referral"] = gettext(
                        "このつなぎ（紹介）は、この方を選んだ機関へ紹介したものではありません。"
                    )
        elif data.to == "case":
            case_id = _number(data.case)
            case = next((c for c in cases_for(target) if c.pk == case_id), None)
            if case is None:
                errors["case"] = gettext(
                    "つなぐ事例は、この方の進行中の多機関協働の事例から選んでください。"
                )
        else:
            errors["to"] = gettext(
                "「機関へつなぐ」か「多機関協働の事例へつなぐ」を選んでください。"
            )
        if errors:
            raise OutreachError(errors)
        target.handover_agency = agency if agency is not None else None
        target.referral = referral
        target.case = case
        target.handover_note = note
        target.connected_at = clock.now()
        _set_state(target, actor, State.CONNECTED)
        _bump(target, "handover_agency", "referral", "case", "handover_note", "connected_at",
              "state", "state_since")  # fmt: skip
        _events(EventKind.OUTREACH_CONNECTED, target, actor,
                agency=agency.code if agency else None, case=case.pk if case else None,
                referral=referral.pk if referral else None)  # fmt: skip
        _audit(actor, AuditAction.UPDATE, target, "outreach target connected",
               agency=agency.code if agency else None, case=case.pk if case else None)  # fmt: skip
    return target


def close_target(
    actor: Staff, target_id: int, reason: str, note: str = "", version: int | None = None
) -> OutreachTarget:
    """End the outreach, with a reason (「その他」 with a note)."""
    get_target_for(actor, target_id, to_work=True)
    with transaction.atomic():
        target = _locked(target_id, version)
        errors: dict[str, str] = {}
        if target.state == State.CLOSED:
            errors["state"] = gettext("この対象はすでに終了しています。")
        if reason not in CloseReason.values:
            errors["reason"] = gettext("終了の理由を一覧から選んでください。")
        text = _text(note, "note", errors, limit=SHORT_MAX)
        if reason == CloseReason.OTHER and not text and "note" not in errors:
            errors["note"] = gettext("「その他」のときは理由を書いてください。")
        if errors:
            raise OutreachError(errors)
        target.close_reason, target.close_note = reason, text
        _set_state(target, actor, State.CLOSED, reason=reason)
        _bump(target, "close_reason", "close_note", "state", "state_since")
        _events(EventKind.OUTREACH_CLOSED, target, actor, reason=reason)
        _audit(actor, AuditAction.UPDATE, target, "outreach target closed", reason_code=reason)
    return target


def pause_target(
    actor: Staff, target_id: int, until: str | date, note: str = "", version: int | None = None
) -> OutreachTarget:
    """Put an open target aside with a date (after today) to look at it again."""
    get_target_for(actor, target_id, to_work=True)
    with transaction.atomic():
        target = _locked(target_id, version)
        errors: dict[str, str] = {}
        if target.state not in OPEN_STATES:
            errors["state"] = gettext("一時休止できるのは、進行中の対象だけです。")
        day = _date(until, "until", errors)
        if day is None and "until" not in errors:
            errors["until"] = gettext("見直す日を入力してください。")
        elif day is not None and day <= clock.today():
            errors["until"] = gettext("見直す日は明日以降にしてください。")
        elif day is not None and day > clock.today() + timedelta(days=AHEAD_DAYS):
            errors["until"] = gettext("見直す日は1年以内にしてください。")
        text = _text(note, "note", errors, limit=SHORT_MAX)
        if errors:
            raise OutreachError(errors)
        target.pause_until, target.pause_note = day, text
        _set_state(target, actor, State.PAUSED, until=day)
        _bump(target, "pause_until", "pause_note", "state", "state_since")
        _events(EventKind.OUTREACH_PAUSED, target, actor, until=day)
        _audit(actor, AuditAction.UPDATE, target, "outreach target paused", until=str(day))
    return target
