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

Household: a consent or a decision may also name current members of the
person's household (the son in an 8050 case). For a consent each member's
own answer is recorded (agreed themselves; agreed on their behalf, by whom
and on what basis; did not agree), and only members who agreed are linked.
A decision names the members it concerns; its confirmation opens them all.
Links are written per person with the consent's or decision's one source
note, so the meeting's end (or the consent's expiry) closes them all, while
a withdrawal, being one person's statement, ends only that person's links.
Each action writes its named event per person covered, and the audit record.

The staff member who picked up a need for multi-agency work may record the
need's person's consent or a decision from the need's consultation
(``consultations.access.need_basis``), and sees the household's names and
relations on those forms to do so.
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
    ConsentMember,
    DecisionStatus,
    InfoCategory,
    MemberAgreement,
    ProxyBasis,
    SupportMeeting,
    SupportMeetingMember,
    WithdrawalChannel,
    WithdrawalSeen,
)
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.dates import age_on
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.lib.locale import reason_of
from tsunagari.people import sections
from tsunagari.people.links import end_links, grant_links, source_note
from tsunagari.people.models import LinkBasis, Membership, Person
from tsunagari.people.presenter import entitlements
from tsunagari.text import TextError, parse_date

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

MAX_CONSENT_YEARS = 3
MAX_AGENCIES = 60
NOTE_MAX = 500
TOLD_TO_MAX = 100
MIN_MEETING_MEMBERS = 2
# Household members one consent or decision may name (a household is rarely above 10).
MAX_HOUSEHOLD_MEMBERS = 20
PROXY_NAME_MAX = 100
PROXY_NOTE_MAX = 200
ADULT_AGE = 18
# How long a withdrawal stays on the worklists of the agencies it concerns.
NOTICE_DAYS = 30


class ConsentError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


@dataclass
class MemberInput:
    """A household member a consent names, and their own answer (``MemberAgreement``).

    For ``proxy``: who agreed on their behalf and on what basis (``ProxyBasis``;
    ``other`` needs the note).
    """

    person: str  # the member's person id
    agreement: str = ""
    proxy_name: str = ""
    proxy_basis: str = ""
    proxy_note: str = ""


@dataclass
class ConsentInput:
    form: str
    given_on: str = ""
    expires_on: str = ""
    agencies: list[str] = field(default_factory=list)  # agency codes
    categories: list[str] = field(default_factory=list)
    note: str = ""
    members: list[MemberInput] = field(default_factory=list)  # household members it names


@dataclass
class SupportMeetingInput:
    decided_on: str = ""  # the date of the meeting that decided it
    agencies: list[str] = field(default_factory=list)  # member agency codes, the recorder's too
    reason: str = ""
    members: list[str] = field(default_factory=list)  # household members' person ids


@dataclass
class WithdrawalInput:
    """What the person said: the date, how (``WithdrawalChannel``), to whom, and a note."""

    said_on: str = ""
    channel: str = ""
    told_to: str = ""
    note: str = ""


_text = Reader(gettext).text


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
    note = _text(data.note, "note", errors, limit=NOTE_MAX)
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


def _person_for(actor: Staff, person_id: int, *, need_ok: bool = False) -> Person:
    """The person, if the actor may record for them: their agency may see the
    person, or (``need_ok``) the actor picked up a need for them."""
    require(actor, Action.WORK_CONSULTATIONS)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise ConsentError({"person": gettext("その番号の本人は登録されていません。")})
    if not (need_ok and has_need_basis(actor, person.pk)):
        require(actor, Action.VIEW_PERSONAL_DATA, person)
    return person


def has_need_basis(actor: Staff, person_id: int) -> bool:
    """The actor picked up a need (multi-agency work, outreach) raised for the person."""
    from tsunagari.consultations.access import need_basis

    return need_basis(actor, person_id=person_id) is not None


def may_record_consent_for(actor: Staff, person: Person) -> bool:
    """May record the person's consent: their agency may see the person, or the
    actor picked up a need for them (escalation from the need's consultation)."""
    return allowed(actor, Action.WORK_CONSULTATIONS) and (
        allowed(actor, Action.VIEW_PERSONAL_DATA, person) or has_need_basis(actor, person.pk)
    )


def may_see_household(actor: Staff, person_id: int) -> bool:
    """The actor may see who lives with the person (names, relations, ages):
    their agency's basis opens the household section, or the actor picked up
    a need for the person (the forms naming household members need it)."""
    right = entitlements(actor, [person_id]).get(person_id)
    return (right is not None and sections.HOUSEHOLD in right.sections) or has_need_basis(
        actor, person_id
    )


def current_household(person: Person) -> dict[int, Membership]:
    """The person's current household members other than the person, by person id."""
    home = (
        Membership.objects.filter(person=person, until__isnull=True)
        .values_list("household_id", flat=True)
        .first()
    )
    if home is None:
        return {}
    rows = (
        Membership.objects.filter(household_id=home, until__isnull=True)
        .exclude(person=person)
        .select_related("person")
    )
    return {m.person_id: m for m in rows}


def chosen_members(
    actor: Staff, person: Person, raw: object, errors: dict[str, str]
) -> list[Membership]:
    """The household members a form names (person ids as text), checked: current
    members of the person's household, whom the actor may see, at most
    ``MAX_HOUSEHOLD_MEMBERS``. One message for every id refused, so the answer
    never tells who lives where. Consents, support meetings and cases use it."""
    if not raw:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_HOUSEHOLD_MEMBERS:
        errors["members"] = gettext("世帯員は%(max)s人まで選べます。") % {
            "max": MAX_HOUSEHOLD_MEMBERS
        }
        return []
    wanted: list[int] = []
    for value in raw:
        text = value.strip() if isinstance(value, str) else ""
        if not text.isascii() or not text.isdigit() or len(text) > 12:
            wanted = []
            break
        wanted.append(int(text))
    household = current_household(person) if may_see_household(actor, person.pk) else {}
    if not wanted or len(set(wanted)) != len(wanted) or set(wanted) - set(household):
        errors["members"] = gettext(
            "選べるのは、この方と同じ世帯の現在の世帯員だけです。世帯員の一覧から選び直してください。"
        )
        return []
    return [household[pk] for pk in wanted]


def _clean_members(
    actor: Staff, person: Person, data: ConsentInput, errors: dict[str, str]
) -> list[tuple[Membership, dict[str, str]]]:
    members = data.members
    if not isinstance(members, list) or not all(isinstance(m, MemberInput) for m in members):
        errors["members"] = gettext("世帯員の指定が正しくありません。")
        return []
    if members and data.form != ConsentForm.WITH_CONSENT:
        errors["members"] = gettext(
            "「同意なし」の記録には世帯員を含められません。世帯員の同意は「同意あり」で記録してください。"
        )
        return []
    rows = chosen_members(actor, person, [m.person for m in members], errors)
    if len(rows) != len(members):  # refused: "members" names what to fix
        return []
    today = clock.today()
    cleaned = []
    for membership, given in zip(rows, members, strict=True):
        key = f"member-{membership.person_id}"
        name = membership.person.full_name
        agreement = given.agreement if isinstance(given.agreement, str) else ""
        one: dict[str, str] = {"agreement": agreement, "proxy_name": "", "proxy_basis": "",
                               "proxy_note": ""}  # fmt: skip
        if agreement not in MemberAgreement.values:
            errors[key] = gettext(
                "%(name)s さん: 本人が同意したか、代理人が同意したか、同意しなかったかを選んでください。"
            ) % {"name": name}
        elif agreement == MemberAgreement.PROXY:
            proxy_errors: dict[str, str] = {}
            one["proxy_name"] = _text(
                given.proxy_name, "proxy_name", proxy_errors, limit=PROXY_NAME_MAX
            )
            one["proxy_note"] = _text(
                given.proxy_note, "proxy_note", proxy_errors, limit=PROXY_NOTE_MAX
            )
            one["proxy_basis"] = given.proxy_basis if isinstance(given.proxy_basis, str) else ""
            age = age_on(membership.person.birth_date, today)
            if proxy_errors:
                errors[key] = f"{name}: " + " ".join(proxy_errors.values())
            elif not one["proxy_name"]:
                errors[key] = gettext(
                    "%(name)s さん: 代わりに同意した人の氏名と続柄を入力してください。"
                ) % {"name": name}
            elif one["proxy_basis"] not in ProxyBasis.values:
                errors[key] = gettext("%(name)s さん: 代理で同意できる根拠を選んでください。") % {
                    "name": name
                }
            elif one["proxy_basis"] == ProxyBasis.OTHER and not one["proxy_note"]:
                errors[key] = gettext(
                    "%(name)s さん: 「その他」の根拠を説明欄に書いてください。"
                ) % {"name": name}
            elif one["proxy_basis"] == ProxyBasis.PARENT and age is not None and age >= ADULT_AGE:
                errors[key] = gettext(
                    "%(name)s さんは%(adult)s歳以上です。親権者の代理による同意は使えません。"
                    "本人の同意を確認するか、後見人等の根拠を選んでください。"
                ) % {"name": name, "adult": ADULT_AGE}
        cleaned.append((membership, one))
    return cleaned


def record_consent(actor: Staff, person_id: int, data: ConsentInput) -> Consent:
    """Record a consent (or its refusal) and link the named agencies until it expires.

    The household members it names are linked too, each only if they agreed
    (themselves or through someone on their behalf), with the same source note.
    """
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    try:
        values = clean_consent(data)
    except ConsentError as exc:
        errors.update(exc.errors)
    with transaction.atomic():
        person = _person_for(actor, person_id, need_ok=True)
        members = _clean_members(actor, person, data, errors)
        if errors:
            raise ConsentError(errors)
        agencies: list[Agency] = values.pop("agencies")  # type: ignore[assignment]
        consent = Consent.objects.create(
            person=person,
            recorded_by=actor,
            recorded_agency_id=actor.agency_id,
            recorded_at=clock.now(),
            **values,
        )
        consent.agencies.set(agencies)
        codes = [a.code for a in agencies]
        write_event(
            EventKind.CONSENT_GIVEN
            if consent.form == ConsentForm.WITH_CONSENT
            else EventKind.CONSENT_REFUSED,
            consent, actor, agencies=codes, categories=consent.categories,
            given_on=consent.given_on, expires_on=consent.expires_on,
            household_members=len(members) or None,
        )  # fmt: skip
        note = source_note("consent", consent.pk)
        covered: list[int] = []
        if consent.form == ConsentForm.WITH_CONSENT:
            grant_links(person, [a.pk for a in agencies], LinkBasis.CONSENT, note=note,
                        since=consent.given_on, until=consent.expires_on)  # fmt: skip
        for membership, answer in members:
            row = ConsentMember.objects.create(
                consent=consent, person_id=membership.person_id,
                relation=membership.relation[:30], **answer,
            )  # fmt: skip
            if row.agreed:
                covered.append(row.person_id)
                grant_links(membership.person, [a.pk for a in agencies], LinkBasis.CONSENT,
                            note=note, since=consent.given_on, until=consent.expires_on)  # fmt: skip
            # Each member's own answer is a step of their own story.
            write_event(
                EventKind.CONSENT_GIVEN if row.agreed else EventKind.CONSENT_REFUSED,
                consent, actor, person_id=row.person_id, agencies=codes if row.agreed else None,
                categories=consent.categories if row.agreed else None,
                given_on=consent.given_on, expires_on=consent.expires_on if row.agreed else None,
                agreement=row.agreement, proxy_basis=row.proxy_basis, household=True,
            )  # fmt: skip
        record(
            actor,
            AuditAction.CREATE,
            obj=consent,
            person_id=person.pk,
            detail={
                "form": consent.form,
                "agencies": codes,
                "categories": consent.categories,
                "expires_on": consent.expires_on,
                "persons": [person.pk, *covered],
                "members": {str(m.person_id): a["agreement"] for m, a in members},
                "need_basis": has_need_basis(actor, person.pk)
                and not allowed(actor, Action.VIEW_PERSONAL_DATA, person),
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
    told_to = _text(data.told_to, "told_to", errors, limit=TOLD_TO_MAX)
    if not told_to and "told_to" not in errors:
        errors["told_to"] = gettext("本人が撤回を伝えた相手（機関と職員）を入力してください。")
    note = _text(data.note, "note", errors, limit=NOTE_MAX)
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


def withdraw_member_consent(
    actor: Staff, consent_id: int, person_id: int, statement: WithdrawalInput
) -> ConsentMember:
    """Record a household member's withdrawal of their agreement to a consent.

    The statement is the member's (or, for a member someone agreed for, that
    proxy's on their behalf): it ends only this member's coverage; the
    consent still covers the person and the other members who agreed.
    Recorded by any agency that may see the member.
    """
    values = clean_withdrawal(statement)
    with transaction.atomic():
        row = (
            ConsentMember.objects.select_for_update()
            .select_related("consent", "person")
            .filter(consent_id=consent_id, person_id=person_id)
            .first()
        )
        if row is None:
            raise ConsentError({"consent": gettext("この同意は、その世帯員を対象にしていません。")})
        _person_for(actor, row.person_id)
        if not row.agreed:
            raise ConsentError(
                {"consent": gettext("この世帯員は同意していないため、撤回するものがありません。")}
            )
        if row.withdrawn_on is not None:
            raise ConsentError(
                {
                    "consent": gettext("この世帯員の同意は %(date)s に撤回済みです。")
                    % {"date": f"{row.withdrawn_on:%Y-%m-%d}"}
                }
            )
        said_on: date = values["said_on"]  # type: ignore[assignment]
        if said_on < row.consent.given_on:
            raise ConsentError({"said_on": gettext("本人が撤回を伝えた日が同意日より前です。")})
        row.withdrawn_on = clock.today()
        row.withdrawn_at = clock.now()
        row.withdrawn_by = actor
        row.withdrawn_agency_id = actor.agency_id
        row.withdrawal_said_on = said_on
        row.withdrawal_channel = str(values["channel"])
        row.withdrawal_told_to = str(values["told_to"])
        row.withdrawal_note = str(values["note"])
        row.save()
        ended = end_links(basis=LinkBasis.CONSENT, note=source_note("consent", row.consent_id),
                          person=row.person)  # fmt: skip
        write_event(EventKind.CONSENT_WITHDRAWN, row.consent, actor, person_id=row.person_id,
                    said_on=said_on, channel=row.withdrawal_channel, household=True)  # fmt: skip
        record(
            actor,
            AuditAction.UPDATE,
            obj=row.consent,
            person_id=row.person_id,
            reason="household member's consent withdrawn (their statement)",
            detail={"links_ended": ended, "said_on": said_on, "channel": row.withdrawal_channel,
                    "told_to": row.withdrawal_told_to, "member": row.person_id},
        )  # fmt: skip
    return row


def consent_members(consent_ids: list[int]) -> dict[int, list[ConsentMember]]:
    """The household members each consent names, with their answers."""
    out: dict[int, list[ConsentMember]] = {}
    for row in ConsentMember.objects.filter(consent_id__in=consent_ids).select_related(
        "consent", "person"
    ):
        out.setdefault(row.consent_id, []).append(row)
    return out


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
    # Named in: a sub-select, not a join, so no DISTINCT over every column
    # read (PostgreSQL took 1.5 ms to plan that, for no row).
    named = Consent.agencies.through.objects.filter(agency_id=agency.pk).values("consent_id")
    rows = (
        Consent.objects.filter(withdrawn_at__gte=since)
        .filter(Q(recorded_agency=agency) | Q(pk__in=named))
        .exclude(withdrawn_agency=agency)
        .select_related("person", "recorded_agency", "withdrawn_agency", "withdrawn_by")
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
    """The most recent in-force consent covering the person that names the agency:
    the person's own, or one naming them as a household member who agreed."""
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
    for row in (
        ConsentMember.objects.filter(
            person_id=person_id,
            agreement__in=[MemberAgreement.SELF, MemberAgreement.PROXY],
            withdrawn_on__isnull=True,
            consent__form=ConsentForm.WITH_CONSENT,
            consent__given_on__lte=today,
            consent__agencies__id=agency_id,
        )
        .select_related("consent")
        .order_by("-consent__given_on", "-consent_id")
    ):
        if row.in_force(today):
            return row.consent
    return None


def consent_in_force_on(person_id: int, day: date, agency_ids: list[int]) -> Consent | None:
    """The person's own consent that was in force on ``day`` (given by then, not yet
    expired, not withdrawn until after it), covering ``agency_ids``: the most recent
    naming them all, else the most recent naming any of them. A consent withdrawn
    or renewed later does not change the answer for an earlier day."""
    rows = (
        Consent.objects.filter(person_id=person_id, form=ConsentForm.WITH_CONSENT,
                               given_on__lte=day)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .prefetch_related("agencies").order_by("-given_on", "-pk")
    )  # fmt: skip
    wanted = set(agency_ids)
    partial: Consent | None = None
    for consent in rows:
        named = {a.pk for a in consent.agencies.all()}
        if wanted <= named:
            return consent
        if partial is None and wanted & named:
            partial = consent
    return partial


def active_support_meeting(person_id: int) -> SupportMeeting | None:
    """The confirmed, not ended 支援会議 decision concerning the person (as its
    person or a household member it names): the only kind that opens anything."""
    return (
        SupportMeeting.objects.filter(status=DecisionStatus.CONFIRMED, ended_on__isnull=True)
        .filter(Q(person_id=person_id) | Q(members__person_id=person_id))
        .distinct()
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


def _concerned(meeting: SupportMeeting) -> list[int]:
    """Everyone the decision concerns: its person first, then the members it names."""
    return [meeting.person_id, *meeting.members.order_by("pk").values_list("person_id", flat=True)]


def place_under_support_meeting(
    actor: Staff, person_id: int, data: SupportMeetingInput
) -> SupportMeeting:
    """Record a 支援会議 decision as pending; it opens nothing until a second agency confirms it."""
    require(actor, Action.DECIDE_SUPPORT_MEETING)
    errors: dict[str, str] = {}
    decided_on = _date(data.decided_on, "decided_on", errors, required=True)
    if decided_on is not None and decided_on > clock.today():
        errors["decided_on"] = gettext("決定日が未来の日付です。")
    reason = _text(data.reason, "reason", errors, limit=NOTE_MAX)
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
    members: list[Membership] = []
    if person is not None and isinstance(data.members, list):
        members = chosen_members(actor, person, data.members, errors)
    elif data.members:
        errors["members"] = gettext("世帯員の指定が正しくありません。")
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
        SupportMeetingMember.objects.bulk_create(
            SupportMeetingMember(meeting=meeting, person_id=m.person_id, relation=m.relation[:30])
            for m in members
        )
        for concerned in _concerned(meeting):
            write_event(EventKind.MEETING_PROPOSED, meeting, actor, person_id=concerned,
                        agencies=[a.code for a in agencies], decided_on=decided_on,
                        household=concerned != person.pk or None)  # fmt: skip
        record(
            actor,
            AuditAction.CREATE,
            obj=meeting,
            person_id=person.pk,
            reason="支援会議の決定を記録（確認待ち）",
            detail={"agencies": [a.code for a in agencies], "decided_on": decided_on,
                    "status": meeting.status, "persons": _concerned(meeting)},
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
        concerned = _concerned(meeting)
        # One link per person and agency, all with the decision's source note,
        # so the meeting's end closes every one of them.
        for person in Person.objects.filter(pk__in=concerned).order_by("pk"):
            grant_links(
                person,
                [a.pk for a in members],
                LinkBasis.SUPPORT_MEETING,
                note=source_note("support_meeting", meeting.pk),
                since=clock.today(),
            )
        for person_id in concerned:
            write_event(EventKind.MEETING_CONFIRMED, meeting, actor, person_id=person_id,
                        agencies=[a.code for a in members],
                        household=person_id != meeting.person_id or None)  # fmt: skip
        record(
            actor,
            AuditAction.RELEASE,
            obj=meeting,
            person_id=meeting.person_id,
            reason="支援会議 (社会福祉法第106条の6) の決定を確認",
            detail={"agencies": [a.code for a in members], "decided_on": meeting.decided_on,
                    "recorded_by": meeting.decided_by_id, "confirmed_at": meeting.confirmed_at,
                    "ward_supervisor": is_ward_supervisor(actor), "persons": concerned},
        )  # fmt: skip
    return meeting


def reject_support_meeting(actor: Staff, meeting_id: int, *, reason: str) -> SupportMeeting:
    """Turn down a pending decision, with a reason; it never opened anything.

    Whoever may confirm it may reject it, and so may the recorder (a mistaken entry).
    """
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", errors, limit=NOTE_MAX)
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
        for person_id in _concerned(meeting):
            write_event(EventKind.MEETING_REJECTED, meeting, actor, person_id=person_id)
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
        .prefetch_related("agencies", "members__person")
        .distinct()
        .order_by("decided_at", "pk")[:200]
    )


def support_meetings_to_confirm(actor: Staff) -> int:
    """How many pending decisions the actor may confirm (not their agency's own)."""
    return sum(1 for m in pending_support_meetings(actor) if may_confirm(actor, m))


def end_support_meeting(actor: Staff, meeting_id: int, *, reason: str) -> SupportMeeting:
    require(actor, Action.DECIDE_SUPPORT_MEETING)
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", errors, limit=NOTE_MAX)
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
        concerned = _concerned(meeting)
        # The source note alone: the person's links and every named member's.
        ended = end_links(
            basis=LinkBasis.SUPPORT_MEETING, note=source_note("support_meeting", meeting.pk)
        )
        for person_id in concerned:
            write_event(EventKind.MEETING_ENDED, meeting, actor, person_id=person_id)
        record(actor, AuditAction.UPDATE, obj=meeting, person_id=meeting.person_id,
               reason="support meeting ended",
               detail={"persons": concerned, "links_ended": ended})  # fmt: skip
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
