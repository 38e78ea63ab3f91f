"""The write functions of the front door: one per action, used by pages and API alike.

Consultations are saved as drafts while typed and recorded when complete.
Referrals move through named states; each transition below checks who may
make it and from which state, writes a referral event, and raises
:class:`ReferralError` (nothing changed) when the move is not allowed.

    sent ──receive──▶ received
    sent/received ──accept──▶ accepted ──record_outcome (receiver)──▶ closed
    sent/received ──decline──▶ declined ──record_outcome (sender)──▶ closed
    sent/received ──revoke (sender)──▶ revoked
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext, pgettext

from tsunagari.accounts.models import Agency, AgencyKind
from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.consent.services import active_support_meeting, consent_covering
from tsunagari.consultations.access import get_consultation_for, get_referral_for
from tsunagari.consultations.events import write_event
from tsunagari.consultations.intake import ConsultationInput, IntakeError, clean_intake
from tsunagari.consultations.limits import due_at
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    FirstOutcome,
    Need,
    NeedKind,
    NeedStatus,
    Referral,
    ReferralEventKind,
    ReferralOutcome,
    ReferralStatus,
    Urgency,
    Visitor,
)
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event as write_domain_event
from tsunagari.lib import clock
from tsunagari.people.links import grant_links, source_note
from tsunagari.people.lookup import Match
from tsunagari.people.models import LinkBasis, Person
from tsunagari.people.openings import open_at_desk
from tsunagari.people.services import PersonError, PersonInput, create_person

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

SUMMARY_MAX = 2000
REASON_MAX = 500

__all__ = [
    "ConsultationInput",
    "DuplicatePerson",
    "EditConflict",
    "IntakeError",
    "ReferralError",
    "accept_referral",
    "decline_referral",
    "pick_up_need",
    "receive_referral",
    "record_referral_outcome",
    "revoke_referral",
    "save_consultation",
    "send_referral",
]


class EditConflict(Exception):
    """Someone saved the consultation after this edit began; nothing was changed."""

    def __init__(self, current: Consultation, mine: dict[str, Any]) -> None:
        super().__init__(
            gettext(
                "この相談は、編集を始めた後に別の職員が保存しています。"
                "あなたの入力は保存していません。"
            )
        )
        self.current = current
        self.mine = mine


class DuplicatePerson(Exception):
    """The new person looks like someone already registered; ask before creating."""

    def __init__(self, matches: list[Match]) -> None:
        super().__init__(
            gettext("似た方がすでに登録されています。同じ方ではないか確認してください。")
        )
        self.matches = matches


class ReferralError(Exception):
    """A referral action that is not allowed now; ``errors`` says why. Nothing changed."""

    def __init__(self, message: str, field: str = "referral") -> None:
        super().__init__(message)
        self.errors = {field: message}


# ── consultations ───────────────────────────────────────────────────────────


def _resolve_person(actor: Staff, values: dict[str, Any]) -> Person:
    if values["person_id"] is not None:
        person = Person.objects.filter(pk=values["person_id"]).first()
        if person is None:
            raise IntakeError(
                {"person": gettext("その番号の本人は登録されていません。検索し直してください。")}
            )
        return person
    new = values["new_person"]
    try:
        result = create_person(
            actor,
            PersonInput(**{k: new.get(k, "") for k in ("name", "kana", "birth_date", "sex", "address", "phone")}),
            confirm_new=values["confirm_new"],
        )  # fmt: skip
    except PersonError as exc:
        raise IntakeError({f"new_{k}": v for k, v in exc.errors.items()}) from None
    if result.person is None:
        raise DuplicatePerson(result.duplicates)
    return result.person


def _own_draft(consultation: Consultation, actor: Staff) -> bool:
    """A draft last saved by the same person: the newer version is their own autosave
    (e.g. still in flight when they pressed 保存), not a colleague's edit."""
    return (
        consultation.status == ConsultationStatus.DRAFT and consultation.updated_by_id == actor.pk
    )


def save_consultation(
    actor: Staff,
    data: ConsultationInput,
    *,
    consultation_id: int | None = None,
    expected_version: int | None = None,
    final: bool = False,
) -> Consultation:
    """Save a draft (``final=False``) or record the consultation (``final=True``).

    A save against an older ``expected_version`` raises :class:`EditConflict`;
    recording with a new person that resembles a registered one raises
    :class:`DuplicatePerson` until ``confirm_new`` is set. Either way nothing
    is written. Recording links the person to the receiving agency (basis
    case) and raises a :class:`Need` when the first outcome asks for
    multi-agency work or outreach.
    """
    require(actor, Action.WORK_CONSULTATIONS)
    if actor.agency_id is None:
        raise PermissionDenied(gettext("相談を受け付けるには、所属機関の登録が必要です。"))
    values = clean_intake(data, final=final)
    try:
        return _save(actor, values, consultation_id, expected_version, final=final)
    except DuplicatePerson as exc:
        # The look-up that found them was rolled back with the save, but its
        # results are shown to the consultant: log that view.
        record(actor, AuditAction.VIEW, object_type="people.search",
               reason="duplicate check at intake",
               detail={"results": [m.view.id for m in exc.matches]})  # fmt: skip
        raise


def _save(
    actor: Staff,
    values: dict[str, Any],
    consultation_id: int | None,
    expected_version: int | None,
    *,
    final: bool,
) -> Consultation:
    now = clock.now()
    agency_id = actor.agency_id
    if agency_id is None:
        raise PermissionDenied(gettext("相談を受け付けるには、所属機関の登録が必要です。"))
    with transaction.atomic():
        if consultation_id is None:
            consultation = Consultation(
                agency_id=agency_id, received_by=actor, version=0, created=now
            )
            was_recorded = False
        else:
            get_consultation_for(actor, consultation_id, to_work=True)
            consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
            was_recorded = consultation.status == ConsultationStatus.RECORDED
            if consultation.version != expected_version and not _own_draft(consultation, actor):
                raise EditConflict(consultation, values)
            if consultation.status == ConsultationStatus.RECORDED and not final:
                raise IntakeError(
                    {
                        "status": gettext(
                            "受付済みの相談は下書きにできません。「保存」で保存してください。"
                        )
                    }
                )
        person = _resolve_person(actor, values) if final else None
        if not final and values["person_id"] is not None:
            person = Person.objects.filter(pk=values["person_id"]).first()
        for name in ("received_on", "channel", "service", "visitor", "visitor_relation", "problems",
                     "main_problem", "work", "housing", "health_insurance", "pension", "notes",
                     "outcome", "identity_check", "identity_note"):  # fmt: skip
            setattr(consultation, name, values[name])
        consultation.person = person
        consultation.pending_person = {} if person is not None else values["new_person"]
        created = consultation.pk is None
        if final:
            consultation.status = ConsultationStatus.RECORDED
        consultation.version += 1
        consultation.updated = now
        consultation.updated_by = actor
        consultation.save()
        event = (
            EventKind.CONSULTATION_CHANGED
            if was_recorded
            else EventKind.CONSULTATION_RECORDED
            if final
            else EventKind.CONSULTATION_DRAFTED
        )
        if final or created:
            # A draft's autosaves are not steps of anyone's support: only its
            # first save is named.
            write_domain_event(event, consultation, actor, person_id=person.pk if person else None,
                        service=consultation.service, visitor=consultation.visitor,
                        version=consultation.version)  # fmt: skip
        if final:
            assert person is not None
            if consultation.visitor == Visitor.SELF:
                # The person is at the desk: with their identity confirmed the
                # record opens provisionally (break-the-glass, never for a
                # sealed person). A report by someone else opens nothing; that
                # needs the person's consent or a support meeting.
                open_at_desk(actor, person, identity_check=consultation.identity_check,
                             identity_note=consultation.identity_note,
                             source=source_note("consultation", consultation.pk))  # fmt: skip
            kind = {
                FirstOutcome.ESCALATION: NeedKind.MULTI_AGENCY,
                FirstOutcome.OUTREACH: NeedKind.OUTREACH,
            }.get(FirstOutcome(consultation.outcome or ""))
            if kind is not None:
                need, raised = Need.objects.get_or_create(
                    consultation=consultation,
                    kind=kind,
                    defaults={"person": person, "raised_by": actor,
                              "raised_agency_id": agency_id, "raised_at": now},
                )  # fmt: skip
                if raised:
                    write_domain_event(EventKind.NEED_RAISED, need, actor, need_kind=kind,
                                consultation=consultation.pk)  # fmt: skip
        record(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=consultation,
            person_id=person.pk if person else "",
            detail={"status": consultation.status, "version": consultation.version},
        )
    return consultation


# ── referrals ───────────────────────────────────────────────────────────────


def _clean_text(value: Any, name: str, limit: int, *, required: str) -> str:
    if not isinstance(value, str):
        raise ReferralError(gettext("文字で入力してください。"), name)
    if len(value) > limit:
        raise ReferralError(
            gettext("%(limit)s文字以内で入力してください（いま%(length)s文字）。")
            % {"limit": f"{limit:,}", "length": f"{len(value):,}"},
            name,
        )
    if "\x00" in value:
        raise ReferralError(gettext("使えない文字（制御文字）が含まれています。"), name)
    text = value.strip()
    if not text and required:
        raise ReferralError(required, name)
    return text


def send_referral(
    actor: Staff,
    consultation_id: int,
    *,
    to_agency: str,
    summary: str,
    urgency: str = Urgency.NORMAL,
    contact_preference: str = "",
    explained: str = "",
) -> Referral:
    """Refer the consultation's person to another agency.

    Only when an in-date consent of the person names the receiving agency,
    or the person is under the support-meeting regime (支援会議).
    """
    require(actor, Action.WORK_CONSULTATIONS)
    summary = _clean_text(summary, "summary", SUMMARY_MAX,
                          required=gettext("相手の機関に伝える内容（要約）を入力してください。"))  # fmt: skip
    if not isinstance(to_agency, str) or len(to_agency) > 64:
        raise ReferralError(gettext("つなぐ先の機関を選んでください。"), "to_agency")
    if urgency not in Urgency.values:
        raise ReferralError(gettext("緊急度は一覧から選んでください。"), "urgency")
    contact_preference = _clean_text(contact_preference, "contact_preference", 200, required="")
    explained = _clean_text(explained, "explained", REASON_MAX, required="")
    with transaction.atomic():
        consultation = get_consultation_for(actor, consultation_id, to_work=True)
        # Senders of one consultation take turns, so the check below that no
        # referral to the same agency is under way sees the one sent a moment ago.
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        if consultation.status != ConsultationStatus.RECORDED or consultation.person_id is None:
            raise ReferralError(
                gettext("下書きの相談からはつなげません。まず相談を受付済みにしてください。")
            )
        receiver = Agency.objects.filter(code=to_agency.strip(), is_active=True).first()
        if receiver is None or receiver.kind == AgencyKind.COMMISSIONER:
            raise ReferralError(
                gettext("つなぐ先の機関が見つかりません。一覧から選んでください。"), "to_agency"
            )
        if receiver.pk == actor.agency_id:
            raise ReferralError(gettext("自分の機関にはつなげません。"), "to_agency")
        if Referral.objects.filter(
            consultation=consultation,
            to_agency=receiver,
            status__in=[ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED],
        ).exists():
            raise ReferralError(
                gettext("%(agency)sへのつなぎはすでに進行中です。") % {"agency": receiver.name},
                "to_agency",
            )
        consent = consent_covering(consultation.person_id, receiver.pk)
        meeting = None if consent else active_support_meeting(consultation.person_id)
        if consent is None and meeting is None:
            raise ReferralError(
                gettext(
                    "%(agency)sと情報を共有する本人の同意（有効期限内）がなく、"
                    "支援会議の対象でもないため、つなげません。先に同意を記録してください。"
                )
                % {"agency": receiver.name},
                "consent",
            )
        now = clock.now()
        referral = Referral.objects.create(
            consultation=consultation,
            person_id=consultation.person_id,
            from_agency=consultation.agency,
            to_agency=receiver,
            sent_by=actor,
            sent_at=now,
            due_at=due_at(now, receiver.kind),
            summary=summary,
            urgency=urgency,
            contact_preference=contact_preference,
            explained=explained,
            consent=consent,
            support_meeting=meeting,
        )
        write_event(referral, ReferralEventKind.SENT, actor, at=now, to_agency=receiver.code,
                    basis="consent" if consent else "support_meeting", urgency=urgency)  # fmt: skip
        record(
            actor,
            AuditAction.CREATE if consent else AuditAction.RELEASE,
            obj=referral,
            person_id=consultation.person_id,
            detail={"to": receiver.code, "basis": "consent" if consent else "support_meeting"},
        )
    return referral


_STATE_WORDS = dict(ReferralStatus.choices)


def _locked(
    actor: Staff, referral_id: int, *, side: str, allowed_from: set[str], doing: str
) -> Referral:
    """Fetch and lock a referral for a transition; refuse the wrong side or state."""
    require(actor, Action.WORK_CONSULTATIONS)
    get_referral_for(actor, referral_id)
    referral = (
        Referral.objects.select_for_update()
        .select_related("to_agency", "from_agency")
        .get(pk=referral_id)
    )
    if referral.status not in allowed_from:
        state = _STATE_WORDS.get(referral.status, referral.status)
        raise ReferralError(
            gettext("このつなぎは「%(state)s」のため、「%(doing)s」はできません。")
            % {"state": state, "doing": doing}
        )
    own = referral.to_agency_id if side == "receiver" else referral.from_agency_id
    if actor.agency_id != own:
        if side == "receiver":
            only = gettext("「%(doing)s」は受け取った機関だけができます。")
        else:
            only = gettext("「%(doing)s」は送った機関だけができます。")
        raise PermissionDenied(only % {"doing": doing})
    return referral


def receive_referral(actor: Staff, referral_id: int) -> Referral:
    """The receiving agency has opened the referral."""
    with transaction.atomic():
        referral = _locked(actor, referral_id, side="receiver", allowed_from={ReferralStatus.SENT},
                           doing=pgettext("referral action", "受領"))  # fmt: skip
        referral.status = ReferralStatus.RECEIVED
        referral.save(update_fields=["status"])
        write_event(referral, ReferralEventKind.RECEIVED, actor)
    return referral


def _basis_still_holds(referral: Referral) -> bool:
    if referral.consent_id is not None:
        return consent_covering(referral.person_id, referral.to_agency_id) is not None
    return active_support_meeting(referral.person_id) is not None


def accept_referral(actor: Staff, referral_id: int, *, note: str = "") -> Referral:
    """The receiving agency takes the person on; it gets a case link."""
    note = _clean_text(note, "note", REASON_MAX, required="")
    with transaction.atomic():
        referral = _locked(actor, referral_id, side="receiver",
                           allowed_from={ReferralStatus.SENT, ReferralStatus.RECEIVED},
                           doing=pgettext("referral action", "受け入れ"))  # fmt: skip
        if not _basis_still_holds(referral):
            raise ReferralError(
                gettext(
                    "本人の同意が撤回されたか期限が切れたため、このつなぎは受け入れられません。"
                    "送った機関に確認してください。"
                ),
                "consent",
            )
        now = clock.now()
        referral.status = ReferralStatus.ACCEPTED
        referral.responded_at = now
        referral.save(update_fields=["status", "responded_at"])
        grant_links(referral.person, [referral.to_agency_id], LinkBasis.CASE,
                    note=source_note("referral", referral.pk))  # fmt: skip
        write_event(referral, ReferralEventKind.ACCEPTED, actor, at=now, note=note)
        record(actor, AuditAction.UPDATE, obj=referral, person_id=referral.person_id,
               reason="referral accepted")  # fmt: skip
    return referral


def decline_referral(actor: Staff, referral_id: int, *, reason: str) -> Referral:
    """The receiving agency declines; a reason is required."""
    reason = _clean_text(reason, "reason", REASON_MAX,
                         required=gettext("辞退の理由を入力してください。送った機関が次の手を考えるのに必要です。"))  # fmt: skip
    with transaction.atomic():
        referral = _locked(actor, referral_id, side="receiver",
                           allowed_from={ReferralStatus.SENT, ReferralStatus.RECEIVED},
                           doing=pgettext("referral action", "辞退"))  # fmt: skip
        now = clock.now()
        referral.status = ReferralStatus.DECLINED
        referral.responded_at = now
        referral.decline_reason = reason
        referral.save(update_fields=["status", "responded_at", "decline_reason"])
        write_event(referral, ReferralEventKind.DECLINED, actor, at=now, reason=reason)
        record(actor, AuditAction.UPDATE, obj=referral, person_id=referral.person_id,
               reason="referral declined")  # fmt: skip
    return referral


def revoke_referral(actor: Staff, referral_id: int, *, reason: str = "") -> Referral:
    """The sender withdraws the referral before the receiver answers."""
    reason = _clean_text(reason, "reason", REASON_MAX, required="")
    with transaction.atomic():
        referral = _locked(actor, referral_id, side="sender",
                           allowed_from={ReferralStatus.SENT, ReferralStatus.RECEIVED},
                           doing=pgettext("referral action", "取り下げ"))  # fmt: skip
        referral.status = ReferralStatus.REVOKED
        referral.save(update_fields=["status"])
        write_event(referral, ReferralEventKind.REVOKED, actor, reason=reason)
        record(actor, AuditAction.UPDATE, obj=referral, person_id=referral.person_id,
               reason="referral revoked")  # fmt: skip
    return referral


def record_referral_outcome(
    actor: Staff, referral_id: int, *, outcome: str, note: str = ""
) -> Referral:
    """Close the loop: the receiver after accepting, the sender after a decline."""
    if not isinstance(outcome, str) or outcome not in ReferralOutcome.values or not outcome:
        raise ReferralError(gettext("結果を一覧から選んでください。"), "outcome")
    note = _clean_text(note, "note", REASON_MAX, required="")
    with transaction.atomic():
        require(actor, Action.WORK_CONSULTATIONS)
        current = get_referral_for(actor, referral_id)
        side = "sender" if current.status == ReferralStatus.DECLINED else "receiver"
        referral = _locked(actor, referral_id, side=side,
                           allowed_from={ReferralStatus.ACCEPTED, ReferralStatus.DECLINED},
                           doing=pgettext("referral action", "結果の記録"))  # fmt: skip
        now = clock.now()
        referral.status = ReferralStatus.CLOSED
        referral.outcome = outcome
        referral.closed_at = now
        referral.save(update_fields=["status", "outcome", "closed_at"])
        write_event(referral, ReferralEventKind.OUTCOME, actor, at=now, outcome=outcome, note=note)
        record(actor, AuditAction.UPDATE, obj=referral, person_id=referral.person_id,
               reason="referral outcome", detail={"outcome": outcome})  # fmt: skip
    return referral


# ── needs ───────────────────────────────────────────────────────────────────


class NeedError(Exception):
    """A need that cannot be picked up now; nothing changed."""


def pick_up_need(actor: Staff, need_id: int) -> Need:
    """A coordinator or outreach worker takes on a need raised at intake."""
    require(actor, Action.WORK_NEEDS)
    with transaction.atomic():
        need = Need.objects.select_for_update().filter(pk=need_id).first()
        if need is None:
            raise NeedError(gettext("その番号の依頼はありません。"))
        if need.status != NeedStatus.OPEN:
            raise NeedError(gettext("この依頼はすでに対応が始まっています。"))
        need.status = NeedStatus.PICKED_UP
        need.picked_up_by = actor
        need.picked_up_at = clock.now()
        need.save(update_fields=["status", "picked_up_by", "picked_up_at"])
        write_domain_event(EventKind.NEED_PICKED_UP, need, actor, need_kind=need.kind)
        record(
            actor, AuditAction.UPDATE, obj=need, person_id=need.person_id, reason="need picked up"
        )
    return need


# ── reading, with audit ─────────────────────────────────────────────────────


def open_consultation(actor: Staff, consultation_id: int, *, via: str = "page") -> Consultation:
    """Fetch a consultation for display and log the view."""
    consultation = get_consultation_for(actor, consultation_id)
    record(actor, AuditAction.VIEW, obj=consultation, person_id=consultation.person_id or "",
           detail={"via": via})  # fmt: skip
    return consultation


def open_referral(actor: Staff, referral_id: int, *, via: str = "page") -> Referral:
    """Fetch a referral for display and log the view; the receiver's first look marks it received."""
    referral = get_referral_for(actor, referral_id)
    if referral.status == ReferralStatus.SENT and actor.agency_id == referral.to_agency_id:
        try:
            referral = receive_referral(actor, referral_id)
        except (PermissionDenied, ReferralError):
            pass  # e.g. a supervisor without the role to answer: viewing is still fine
        referral = get_referral_for(actor, referral_id)
    record(actor, AuditAction.VIEW, obj=referral, person_id=referral.person_id, detail={"via": via})
    return referral
