"""The one place consents and support-meeting decisions are written.

Recording a consent links the named agencies to the person (basis
``consent``) until the consent's expiry; withdrawing it ends those links
at once. Putting a person under 支援会議 links the member agencies (basis
``support_meeting``) without consent, and is logged as a release.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext

from tsunagari.accounts.models import Agency, AgencyKind
from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.consent.models import Consent, ConsentForm, InfoCategory, SupportMeeting
from tsunagari.people.links import end_links, grant_links, source_note
from tsunagari.people.models import LinkBasis, Person
from tsunagari.text import TextError, parse_date

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

MAX_CONSENT_YEARS = 3
MAX_AGENCIES = 60
NOTE_MAX = 500


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
    decided_on: str = ""
    agencies: list[str] = field(default_factory=list)
    reason: str = ""


def _reason(error: TextError) -> str:
    """The date parser's reason in the interface's language."""
    return error.reason_ja if (get_language() or "ja").startswith("ja") else error.reason


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
        errors[name] = _reason(parsed)
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
    today = timezone.localdate()
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
            **values,
        )
        consent.agencies.set(agencies)
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


def withdraw_consent(actor: Staff, consent_id: int, *, note: str = "") -> Consent:
    """Record a withdrawal; the agencies it linked lose access at once."""
    errors: dict[str, str] = {}
    note = _text(note, "note", NOTE_MAX, errors)
    if errors:
        raise ConsentError(errors)
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
        consent.withdrawn_on = timezone.localdate()
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        consent.withdrawal_note = note
        consent.save()
        ended = end_links(
            basis=LinkBasis.CONSENT,
            note=source_note("consent", consent.pk),
            person=consent.person,
        )
        record(
            actor,
            AuditAction.UPDATE,
            obj=consent,
            person_id=consent.person_id,
            reason="consent withdrawn",
            detail={"links_ended": ended},
        )
    return consent


def consent_covering(person_id: int, agency_id: int, today: date | None = None) -> Consent | None:
    """The most recent in-force consent of the person that names the agency."""
    today = today or timezone.localdate()
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
    return (
        SupportMeeting.objects.filter(person_id=person_id, ended_on__isnull=True)
        .order_by("-decided_on", "-pk")
        .first()
    )


def place_under_support_meeting(
    actor: Staff, person_id: int, data: SupportMeetingInput
) -> SupportMeeting:
    """Record the ward's 支援会議 decision and link its member agencies."""
    require(actor, Action.DECIDE_SUPPORT_MEETING)
    errors: dict[str, str] = {}
    decided_on = _date(data.decided_on, "decided_on", errors, required=True)
    if decided_on is not None and decided_on > timezone.localdate():
        errors["decided_on"] = gettext("決定日が未来の日付です。")
    reason = _text(data.reason, "reason", NOTE_MAX, errors)
    if not reason and "reason" not in errors:
        errors["reason"] = gettext("支援会議で扱う理由を入力してください。")
    agencies = _agencies(data.agencies, errors)
    if not agencies and "agencies" not in errors:
        errors["agencies"] = gettext("構成機関を1つ以上選んでください。")
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        errors["person"] = gettext("その番号の本人は登録されていません。")
    if errors:
        raise ConsentError(errors)
    assert person is not None and decided_on is not None
    with transaction.atomic():
        if active_support_meeting(person.pk) is not None:
            raise ConsentError({"person": gettext("この方はすでに支援会議で扱われています。")})
        meeting = SupportMeeting.objects.create(
            person=person, decided_on=decided_on, decided_by=actor, reason=reason
        )
        meeting.agencies.set(agencies)
        grant_links(
            person,
            [a.pk for a in agencies],
            LinkBasis.SUPPORT_MEETING,
            note=source_note("support_meeting", meeting.pk),
            since=min(decided_on, timezone.localdate()),
        )
        record(
            actor,
            AuditAction.RELEASE,
            obj=meeting,
            person_id=person.pk,
            reason="支援会議 (社会福祉法第106条の6)",
            detail={"agencies": [a.code for a in agencies], "decided_on": decided_on},
        )
    return meeting


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
        meeting.ended_on = timezone.localdate()
        meeting.ended_by = actor
        meeting.end_reason = reason
        meeting.save()
        end_links(
            basis=LinkBasis.SUPPORT_MEETING,
            note=source_note("support_meeting", meeting.pk),
            person=meeting.person,
        )
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
