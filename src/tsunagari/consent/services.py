"""The one place consents and support-meeting decisions are written.

Recording a consent links the named agencies to the person (basis
``consent``) until the consent's expiry; withdrawing it ends those links
at once. A withdrawal is the person's statement: any agency the person told
records when, how and to whom they said it, and the agency that recorded the
consent and every agency it named see it on their worklists
(:func:`withdrawals_to_notice`).

A 支援会議 decision takes four eyes. One member agency records it (at least
two member agencies, the recorder's among them); it stays *pending* and opens
nothing until a second agency confirms it: a member agency other than the
recorder's, through its staff who may decide support meetings, or the ward's
coordinating supervisor (:func:`is_ward_supervisor`). Only then are the
member agencies linked (basis ``support_meeting``), logged as a release. A
pending decision can be rejected with a reason.

There is no generic domain-event model for consents yet (the named events in
``consultations.events`` belong to referrals), so these changes are recorded
in the audit log, with who and when, and on the records themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from tsunagari.accounts.models import Agency, AgencyKind, Role
from tsunagari.accounts.policy import Action, Decision, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.consent.models import (
    Consent,
    ConsentForm,
    DecisionStatus,
    InfoCategory,
    SupportMeeting,
    WithdrawalChannel,
    WithdrawalSeen,
)
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.locale import reason_of
from tsunagari.people.links import end_links, grant_links, source_note
from tsunagari.people.models import LinkBasis, Person
from tsunagari.text import TextError, parse_date

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

MAX_CONSENT_YEARS = 3
MAX_AGENCIES = 60
NOTE_MAX = 500
TOLD_TO_MAX = 100
MIN_MEETING_MEMBERS = 2
# How long a withdrawal stays on the worklists of the agencies it concerns.
NOTICE_DAYS = 30


class ConsentError(Exception):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class ConsentInput:
    form: str
    given_on: str = ""
    expires_on: str = ""
    agencies: list[str] = field(default_factory=list)  # agency codes
    categories: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class SupportMeetingInput:
    decided_on: str = ""  # the date of the meeting that decided it
    agencies: list[str] = field(default_factory=list)  # member agency codes, the recorder's too
    reason: str = ""


@dataclass
class WithdrawalInput:
    """What the person said: the date, how (``WithdrawalChannel``), to whom, and a note."""

    said_on: str = ""
    channel: str = ""
    told_to: str = ""
    note: str = ""


def _text(value: object, name: str, limit: int, errors: dict[str, str]) -> str:
    if not isinstance(value, str):
        errors[name] = gettext("文字で入力してください。")
        return ""
    if len(value) > limit:
        errors[name] = gettext("%(limit)s文字以内で入力してください。") % {"limit": limit}
    elif "\x00" in value:
        errors[name] = gettext("使えない文字が含まれています。")
    return value.strip()


def _date(value: object, name: str, errors: dict[str, str], *, required: bool) -> date | None:
    if not isinstance(value, str) or len(value) > 40:
        errors[name] = gettext("日付は 2026-04-01 や 令和8年4月1日 の形で入力してください。")
        return None
    if not value.strip():
        if required:
            errors[name] = gettext("日付を入力してください。")
        return None
    parsed = parse_date(value)
    if isinstance(parsed, TextError):
        errors[name] = reason_of(parsed)
        return None
    return parsed


def _agencies(codes: object, errors: dict[str, str]) -> list[Agency]:
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        errors["agencies"] = gettext("機関は機関コードのリストで指定してください。")
        return []
    wanted = sorted({c.strip() for c in codes if c.strip()})
    if len(wanted) > MAX_AGENCIES:
        errors["agencies"] = gettext("共有先は%(max)s機関までです。") % {"max": MAX_AGENCIES}
        return []
    found = list(Agency.objects.filter(code__in=wanted, is_active=True))
    unknown = sorted(set(wanted) - {a.code for a in found})
    if unknown:
        errors["agencies"] = gettext("見つからない機関があります: %(codes)s") % {
            "codes": ", ".join(c[:20] for c in unknown[:5])
        }
    return found


def clean_consent(data: ConsentInput) -> dict[str, object]:
    """Check a consent as typed; raise ConsentError naming each bad field."""
    errors: dict[str, str] = {}
    if data.form not in ConsentForm.values:
        errors["form"] = gettext("「同意あり」か「同意なし」を選んでください。")
    today = clock.today()
    given_on = _date(data.given_on, "given_on", errors, required=True)
    if given_on is not None and given_on > today:
        errors["given_on"] = gettext("同意日が未来の日付です。")
    elif given_on is not None and given_on < today - timedelta(days=365 * MAX_CONSENT_YEARS):
        errors["given_on"] = gettext(
            "%(years)s年以上前の同意は記録できません。改めて確認してください。"
        ) % {"years": MAX_CONSENT_YEARS}
    expires_on = _date(data.expires_on, "expires_on", errors, required=False)
    note = _text(data.note, "note", NOTE_MAX, errors)
    agencies = _agencies(data.agencies, errors)
    categories = data.categories
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        errors["categories"] = gettext("共有する情報を選んでください。")
        categories = []
    elif set(categories) - set(InfoCategory.values):
        errors["categories"] = gettext("不明な情報の種類があります。")
    if data.form == ConsentForm.WITH_CONSENT:
        if expires_on is None and "expires_on" not in errors:
            errors["expires_on"] = gettext("有効期限を入力してください（最長3年）。")
        elif given_on and expires_on:
            if expires_on < given_on:
                errors["expires_on"] = gettext("有効期限が同意日より前です。")
            elif expires_on > given_on + timedelta(days=365 * MAX_CONSENT_YEARS + 1):
                errors["expires_on"] = gettext(
                    "有効期限は同意日から%(years)s年以内にしてください。"
                ) % {"years": MAX_CONSENT_YEARS}
        if not agencies and "agencies" not in errors:
            errors["agencies"] = gettext("共有先の機関を1つ以上選んでください。")
        if not categories and "categories" not in errors:
            errors["categories"] = gettext("共有する情報を1つ以上選んでください。")
    elif data.form == ConsentForm.WITHOUT_CONSENT and (agencies or categories or expires_on):
        errors["form"] = gettext("「同意なし」のときは共有先・情報・期限を選ばないでください。")
    if errors:
        raise ConsentError(errors)
    ordered = [c for c in InfoCategory.values if c in set(categories)]
    return {
        "form": data.form,
        "given_on": given_on,
        "expires_on": expires_on,
        "agencies": agencies,
        "categories": ordered,
        "note": note,
    }


def _person_for(actor: Staff, person_id: int) -> Person:
    require(actor, Action.WORK_CONSULTATIONS)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise ConsentError({"person": gettext("その番号の本人は登録されていません。")})
    require(actor, Action.VIEW_PERSONAL_DATA, person)
    return person


def record_consent(actor: Staff, person_id: int, data: ConsentInput) -> Consent:
    """Record a consent (or its refusal) and link the named agencies until it expires."""
    values = clean_consent(data)
    with transaction.atomic():
        person = _person_for(actor, person_id)
        agencies: list[Agency] = values.pop("agencies")  # type: ignore[assignment]
        consent = Consent.objects.create(
            person=person,
            recorded_by=actor,
            recorded_agency_id=actor.agency_id,
            recorded_at=clock.now(),
            **values,
        )
        consent.agencies.set(agencies)
        write_event(
            EventKind.CONSENT_GIVEN
            if consent.form == ConsentForm.WITH_CONSENT
            else EventKind.CONSENT_REFUSED,
            consent, actor, agencies=[a.code for a in agencies], categories=consent.categories,
            given_on=consent.given_on, expires_on=consent.expires_on,
        )  # fmt: skip
        if consent.form == ConsentForm.WITH_CONSENT:
            grant_links(
                person,
                [a.pk for a in agencies],
                LinkBasis.CONSENT,
                note=source_note("consent", consent.pk),
                since=consent.given_on,
                until=consent.expires_on,
            )
        record(
            actor,
            AuditAction.CREATE,
            obj=consent,
            person_id=person.pk,
            detail={
                "form": consent.form,
                "agencies": [a.code for a in agencies],
                "categories": consent.categories,
                "expires_on": consent.expires_on,
            },
        )
    return consent


def clean_withdrawal(data: WithdrawalInput) -> dict[str, object]:
    """Check a withdrawal statement as typed; raise ConsentError naming each bad field."""
    errors: dict[str, str] = {}
    said_on = _date(data.said_on, "said_on", errors, required=True)
    if said_on is not None and said_on > clock.today():
        errors["said_on"] = gettext("本人が撤回を伝えた日が未来の日付です。")
    channel = data.channel if isinstance(data.channel, str) else ""
    if channel not in WithdrawalChannel.values:
        errors["channel"] = gettext("本人がどのように撤回を伝えたかを選んでください。")
    told_to = _text(data.told_to, "told_to", TOLD_TO_MAX, errors)
    if not told_to and "told_to" not in errors:
        errors["told_to"] = gettext("本人が撤回を伝えた相手（機関と職員）を入力してください。")
    note = _text(data.note, "note", NOTE_MAX, errors)
    if errors:
        raise ConsentError(errors)
    return {"said_on": said_on, "channel": channel, "told_to": told_to, "note": note}


def withdraw_consent(actor: Staff, consent_id: int, statement: WithdrawalInput) -> Consent:
    """Record the person's withdrawal, as they said it; every agency it covered loses access at once.

    Any agency that may see the person (the person may tell whichever agency
    they are in touch with) records it; the agency that recorded the consent
    and the agencies it named are told through their worklists.
    """
    values = clean_withdrawal(statement)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(pk=consent_id).first()
        if consent is None:
            raise ConsentError({"consent": gettext("その番号の同意は記録されていません。")})
        _person_for(actor, consent.person_id)
        if consent.form != ConsentForm.WITH_CONSENT:
            raise ConsentError({"consent": gettext("「同意なし」の記録は撤回できません。")})
        if consent.withdrawn_on is not None:
            raise ConsentError(
                {
                    "consent": gettext("この同意は %(date)s に撤回済みです。")
                    % {"date": f"{consent.withdrawn_on:%Y-%m-%d}"}
                }
            )
        said_on: date = values["said_on"]  # type: ignore[assignment]
        if said_on < consent.given_on:
            raise ConsentError({"said_on": gettext("本人が撤回を伝えた日が同意日より前です。")})
        consent.withdrawn_on = clock.today()
        consent.withdrawn_at = clock.now()
        consent.withdrawn_by = actor
        consent.withdrawn_agency_id = actor.agency_id
        consent.withdrawal_said_on = said_on
        consent.withdrawal_channel = str(values["channel"])
        consent.withdrawal_told_to = str(values["told_to"])
        consent.withdrawal_note = str(values["note"])
        consent.save()
        ended = end_links(
            basis=LinkBasis.CONSENT,
            note=source_note("consent", consent.pk),
            person=consent.person,
        )
        told = sorted(
            {a.code for a in consent.agencies.all()}
            | ({consent.recorded_agency.code} if consent.recorded_agency else set())
        )
        write_event(EventKind.CONSENT_WITHDRAWN, consent, actor, told=told,
                    said_on=consent.withdrawal_said_on, channel=consent.withdrawal_channel)  # fmt: skip
        record(
            actor,
            AuditAction.UPDATE,
            obj=consent,
            person_id=consent.person_id,
            reason="consent withdrawn (the person's statement)",
            detail={
                "links_ended": ended,
                "said_on": said_on,
                "channel": consent.withdrawal_channel,
                "told_to": consent.withdrawal_told_to,
                "agencies_told": told,
            },
        )
    return consent


@dataclass(frozen=True)
class WithdrawalNotice:
    """A withdrawal an agency should know of: it recorded the consent, or was named in it."""

    consent: Consent
    recorded_by_agency: bool  # True: the agency recorded the consent; False: it was named
    seen_at: datetime | None


def withdrawals_to_notice(
    agency: Agency | None, since: datetime | None = None, *, limit: int = 50
) -> list[WithdrawalNotice]:
    """Recent withdrawals (since ``since``, by default NOTICE_DAYS ago) of consents
    the agency recorded or was named in, recorded by another agency, newest first."""
    if agency is None:
        return []
    since = since or clock.now() - timedelta(days=NOTICE_DAYS)
    rows = (
        Consent.objects.filter(withdrawn_at__gte=since)
        .filter(Q(recorded_agency=agency) | Q(agencies=agency))
        .exclude(withdrawn_agency=agency)
        .select_related("person", "recorded_agency", "withdrawn_agency", "withdrawn_by")
        .distinct()
        .order_by("-withdrawn_at", "-pk")[:limit]
    )
    consents = list(rows)
    seen = dict(
        WithdrawalSeen.objects.filter(
            agency=agency, consent_id__in=[c.pk for c in consents]
        ).values_list("consent_id", "seen_at")
    )
    return [
        WithdrawalNotice(c, c.recorded_agency_id == agency.pk, seen.get(c.pk)) for c in consents
    ]


def mark_withdrawal_seen(actor: Staff, consent_id: int) -> WithdrawalSeen:
    """The actor's agency has taken note of a withdrawal it was told of (idempotent)."""
    require(actor, Action.VIEW_PERSONAL_DATA)
    agency_id = actor.agency_id
    with transaction.atomic():
        consent = Consent.objects.filter(pk=consent_id, withdrawn_at__isnull=False).first()
        if (
            consent is None
            or agency_id is None
            or not (
                consent.recorded_agency_id == agency_id
                or consent.agencies.filter(pk=agency_id).exists()
            )
        ):
            # The same answer for an unknown id and someone else's consent.
            raise ConsentError({"consent": gettext("あなたの機関に知らされた撤回ではありません。")})
        seen, created = WithdrawalSeen.objects.get_or_create(
            consent=consent, agency_id=agency_id, defaults={"seen_by": actor}
        )
        if created:
            record(actor, AuditAction.CREATE, obj=seen, person_id=consent.person_id,
                   reason="consent withdrawal seen")  # fmt: skip
    return seen


def consent_covering(person_id: int, agency_id: int, today: date | None = None) -> Consent | None:
    """The most recent in-force consent of the person that names the agency."""
    today = today or clock.today()
    for consent in Consent.objects.filter(
        person_id=person_id,
        form=ConsentForm.WITH_CONSENT,
        withdrawn_on__isnull=True,
        given_on__lte=today,
        agencies__id=agency_id,
    ).order_by("-given_on", "-pk"):
        if consent.in_force(today):
            return consent
    return None


def active_support_meeting(person_id: int) -> SupportMeeting | None:
    """The person's confirmed, not ended 支援会議 decision: the only kind that opens anything."""
    return (
        SupportMeeting.objects.filter(
            person_id=person_id, status=DecisionStatus.CONFIRMED, ended_on__isnull=True
        )
        .order_by("-decided_on", "-pk")
        .first()
    )


def _open_meetings() -> QuerySet[SupportMeeting]:
    """Decisions still in play: pending, or confirmed and not ended."""
    return SupportMeeting.objects.filter(
        status__in=[DecisionStatus.PENDING, DecisionStatus.CONFIRMED], ended_on__isnull=True
    )


def is_ward_supervisor(actor: Staff | None) -> bool:
    """The ward's coordinating supervisor: a supervisor (``Role.SUPERVISOR``) of a
    ward department (``AgencyKind.WARD_DEPARTMENT``, active), i.e. the ward itself,
    which is answerable for 支援会議. A supervisor of a centre or partner is not."""
    agency = getattr(actor, "agency", None)
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.has_role(Role.SUPERVISOR)
        and agency is not None
        and agency.is_active
        and agency.kind == AgencyKind.WARD_DEPARTMENT
    )


def may_review_support_meetings(actor: Staff) -> bool:
    """May see the decisions awaiting a second agency (list page, counts)."""
    return allowed(actor, Action.DECIDE_SUPPORT_MEETING) or is_ward_supervisor(actor)


def _require_reviewer(actor: Staff) -> None:
    if not may_review_support_meetings(actor):
        raise PermissionDenied(
            gettext(
                "支援会議の決定を確認できるのは、構成機関の決定権限をもつ職員か、"
                "区の統括スーパーバイザーです。"
            )
        )


def may_confirm(actor: Staff, meeting: SupportMeeting) -> Decision:
    """Four eyes: the confirmer is a second agency, never the recorder's.

    Either staff of another member agency who may decide support meetings,
    or the ward's coordinating supervisor (if not the recorder's agency).
    """
    agency_id = getattr(actor, "agency_id", None)
    if agency_id is None:
        return Decision(False, gettext("所属機関のない職員は支援会議の決定を確認できません。"))
    if meeting.decided_by_id == actor.pk:
        return Decision(
            False,
            gettext(
                "自分で記録した決定は確認できません。ほかの構成機関の職員か、"
                "区の統括スーパーバイザーに確認を依頼してください。"
            ),
        )
    if agency_id == meeting.recorded_agency_id:
        return Decision(
            False,
            gettext(
                "記録した機関と同じ機関の職員は確認できません。"
                "確認は別の機関（ほかの構成機関か区の統括スーパーバイザー）が行います。"
            ),
        )
    if is_ward_supervisor(actor):
        return Decision(True)
    member = meeting.agencies.filter(pk=agency_id).exists()
    if member and allowed(actor, Action.DECIDE_SUPPORT_MEETING):
        return Decision(True)
    return Decision(
        False,
        gettext(
            "この決定を確認できるのは、ほかの構成機関の決定権限をもつ職員か、"
            "区の統括スーパーバイザーです。"
        ),
    )


def place_under_support_meeting(
    actor: Staff, person_id: int, data: SupportMeetingInput
) -> SupportMeeting:
    """Record a 支援会議 decision as pending; it opens nothing until a second agency confirms it."""
    require(actor, Action.DECIDE_SUPPORT_MEETING)
    errors: dict[str, str] = {}
    decided_on = _date(data.decided_on, "decided_on", errors, required=True)
    if decided_on is not None and decided_on > clock.today():
        errors["decided_on"] = gettext("決定日が未来の日付です。")
    reason = _text(data.reason, "reason", NOTE_MAX, errors)
    if not reason and "reason" not in errors:
        errors["reason"] = gettext("支援会議で扱う理由を入力してください。")
    agencies = _agencies(data.agencies, errors)
    if "agencies" not in errors:
        if len(agencies) < MIN_MEETING_MEMBERS:
            errors["agencies"] = gettext(
                "支援会議の構成機関を%(min)s機関以上選んでください（記録する機関を含む）。"
            ) % {"min": MIN_MEETING_MEMBERS}
        elif actor.agency_id not in {a.pk for a in agencies}:
            errors["agencies"] = gettext(
                "記録するのは構成機関の職員です。あなたの機関を構成機関に含めてください。"
            )
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        errors["person"] = gettext("その番号の本人は登録されていません。")
    if errors:
        raise ConsentError(errors)
    assert person is not None and decided_on is not None
    with transaction.atomic():
        existing = _open_meetings().filter(person=person).first()
        if existing is not None:
            raise ConsentError(
                {
                    "person": gettext("この方には確認待ちの支援会議の決定があります。")
                    if existing.pending
                    else gettext("この方はすでに支援会議で扱われています。")
                }
            )
        meeting = SupportMeeting.objects.create(
            person=person,
            decided_on=decided_on,
            decided_by=actor,
            recorded_agency_id=actor.agency_id,
            reason=reason,
            status=DecisionStatus.PENDING,
            decided_at=clock.now(),
        )
        meeting.agencies.set(agencies)
        write_event(EventKind.MEETING_PROPOSED, meeting, actor,
                    agencies=[a.code for a in agencies], decided_on=decided_on)  # fmt: skip
        record(
            actor,
            AuditAction.CREATE,
            obj=meeting,
            person_id=person.pk,
            reason="支援会議の決定を記録（確認待ち）",
            detail={"agencies": [a.code for a in agencies], "decided_on": decided_on,
                    "status": meeting.status},
        )  # fmt: skip
    return meeting


def _meeting_for_review(actor: Staff, meeting_id: int) -> SupportMeeting:
    _require_reviewer(actor)
    meeting = (
        SupportMeeting.objects.select_for_update()
        .select_related("person")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise ConsentError({"meeting": gettext("その番号の支援会議は記録されていません。")})
    return meeting


def _still_pending(meeting: SupportMeeting) -> None:
    if meeting.status == DecisionStatus.CONFIRMED:
        raise ConsentError({"meeting": gettext("この決定はすでに確認されています。")})
    if meeting.status == DecisionStatus.REJECTED:
        raise ConsentError({"meeting": gettext("この決定は差し戻されています。")})
    if meeting.ended_on is not None:
        raise ConsentError({"meeting": gettext("この支援会議はすでに終了しています。")})


def confirm_support_meeting(actor: Staff, meeting_id: int) -> SupportMeeting:
    """A second agency confirms a pending decision; the member agencies are linked now."""
    with transaction.atomic():
        meeting = _meeting_for_review(actor, meeting_id)
        decision = may_confirm(actor, meeting)
        if not decision:
            raise PermissionDenied(decision.reason)
        _still_pending(meeting)
        members = list(meeting.agencies.order_by("code"))
        if len(members) < MIN_MEETING_MEMBERS:
            raise ConsentError(
                {
                    "meeting": gettext(
                        "構成機関が%(min)s機関未満の決定は確認できません。"
                        "差し戻して、改めて記録してください。"
                    )
                    % {"min": MIN_MEETING_MEMBERS}
                }
            )
        meeting.status = DecisionStatus.CONFIRMED
        meeting.confirmed_by = actor
        meeting.confirmed_agency_id = actor.agency_id
        meeting.confirmed_at = clock.now()
        meeting.save()
        grant_links(
            meeting.person,
            [a.pk for a in members],
            LinkBasis.SUPPORT_MEETING,
            note=source_note("support_meeting", meeting.pk),
            since=clock.today(),
        )
        write_event(EventKind.MEETING_CONFIRMED, meeting, actor,
                    agencies=[a.code for a in members])  # fmt: skip
        record(
            actor,
            AuditAction.RELEASE,
            obj=meeting,
            person_id=meeting.person_id,
            reason="支援会議 (社会福祉法第106条の6) の決定を確認",
            detail={"agencies": [a.code for a in members], "decided_on": meeting.decided_on,
                    "recorded_by": meeting.decided_by_id, "confirmed_at": meeting.confirmed_at,
                    "ward_supervisor": is_ward_supervisor(actor)},
        )  # fmt: skip
    return meeting


def reject_support_meeting(actor: Staff, meeting_id: int, *, reason: str) -> SupportMeeting:
    """Turn down a pending decision, with a reason; it never opened anything.

    Whoever may confirm it may reject it, and so may the recorder (a mistaken entry).
    """
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", NOTE_MAX, errors)
    if not reason and "reason" not in errors:
        errors["reason"] = gettext("差し戻しの理由を入力してください。")
    with transaction.atomic():
        meeting = _meeting_for_review(actor, meeting_id)
        if meeting.decided_by_id != actor.pk:
            decision = may_confirm(actor, meeting)
            if not decision:
                raise PermissionDenied(decision.reason)
        if errors:
            raise ConsentError(errors)
        _still_pending(meeting)
        meeting.status = DecisionStatus.REJECTED
        meeting.rejected_by = actor
        meeting.rejected_at = clock.now()
        meeting.rejection_reason = reason
        meeting.save()
        write_event(EventKind.MEETING_REJECTED, meeting, actor)
        record(actor, AuditAction.UPDATE, obj=meeting, person_id=meeting.person_id,
               reason="支援会議の決定を差し戻し",
               detail={"reason": reason, "rejected_at": meeting.rejected_at})  # fmt: skip
    return meeting


def pending_support_meetings(actor: Staff) -> list[SupportMeeting]:
    """Pending decisions shown to the actor: all of them to the ward's coordinating
    supervisor; to deciding staff, those their agency is a member of."""
    if not may_review_support_meetings(actor):
        return []
    rows = SupportMeeting.objects.filter(status=DecisionStatus.PENDING, ended_on__isnull=True)
    if not is_ward_supervisor(actor):
        rows = rows.filter(agencies=actor.agency_id)
    return list(
        rows.select_related("person", "decided_by", "recorded_agency")
        .prefetch_related("agencies")
        .distinct()
        .order_by("decided_at", "pk")[:200]
    )


def support_meetings_to_confirm(actor: Staff) -> int:
    """How many pending decisions the actor may confirm (not their agency's own)."""
    return sum(1 for m in pending_support_meetings(actor) if may_confirm(actor, m))


def end_support_meeting(actor: Staff, meeting_id: int, *, reason: str) -> SupportMeeting:
    require(actor, Action.DECIDE_SUPPORT_MEETING)
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", NOTE_MAX, errors)
    if not reason and "reason" not in errors:
        errors["reason"] = gettext("終了の理由を入力してください。")
    if errors:
        raise ConsentError(errors)
    with transaction.atomic():
        meeting = SupportMeeting.objects.select_for_update().filter(pk=meeting_id).first()
        if meeting is None:
            raise ConsentError({"meeting": gettext("その番号の支援会議は記録されていません。")})
        if meeting.ended_on is not None:
            raise ConsentError({"meeting": gettext("この支援会議はすでに終了しています。")})
        if meeting.status != DecisionStatus.CONFIRMED:
            raise ConsentError(
                {"meeting": gettext("確認されていない決定は終了できません。差し戻してください。")}
            )
        meeting.ended_on = clock.today()
        meeting.ended_by = actor
        meeting.end_reason = reason
        meeting.save()
        end_links(
            basis=LinkBasis.SUPPORT_MEETING,
            note=source_note("support_meeting", meeting.pk),
            person=meeting.person,
        )
        write_event(EventKind.MEETING_ENDED, meeting, actor)
        record(actor, AuditAction.UPDATE, obj=meeting, person_id=meeting.person_id,
               reason="support meeting ended")  # fmt: skip
    return meeting


def consenting_agencies() -> list[Agency]:
    """Agencies a consent may name (commissioners are reached through the ward)."""
    return list(
        Agency.objects.filter(is_active=True)
        .exclude(kind=AgencyKind.COMMISSIONER)
        .order_by("kind", "code")
    )


def may_decide_support_meeting(actor: Staff) -> bool:
    try:
        require(actor, Action.DECIDE_SUPPORT_MEETING)
    except PermissionDenied:
        return False
    return True
