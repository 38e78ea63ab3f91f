"""The actions on a multi-agency case, one function per domain verb.

Each checks the permission (``require``), runs in one transaction, writes a
named event for every person the case concerns and the audit record, and
reads the time from ``lib.clock``. Pages, the API and the demo call these;
none writes the models around them.

Opening a case checks its regime against the facts in force today:

* 支援会議: the person is under a confirmed 支援会議 decision whose member
  agencies include every team agency, and which names every household
  member the case concerns;
* 重層的支援会議: a consent of the person in force today covers every team
  agency, and each household member concerned has their own covering
  agreement for every team agency.

A refusal names the agencies (or members) that are not covered, so the
coordinator knows what to record first. The case itself grants no access:
the meeting's or the consent's links do, and end with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.cases.access import basis_holds, get_case_for, get_workable_case
from tsunagari.cases.models import (
    MOVABLE_STAGES,
    Case,
    CaseMember,
    CaseState,
    ConfidentialityConfirmation,
    EndReason,
    Regime,
    Stage,
    TeamAgency,
)
from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.consent.services import (
    active_support_meeting,
    consent_covering,
    current_household,
    may_see_household,
)
from tsunagari.consultations.models import Need, NeedKind, NeedStatus
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors

if TYPE_CHECKING:
    from tsunagari.people.models import Membership, Person

MAX_TEAM = 20
MAX_MEMBERS = 20
ROLE_MAX = 60
END_NOTE_MAX = 500
HANDOVER_NOTE_MAX = 1000
CODE_MAX = 64


class CaseError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


@dataclass
class TeamInput:
    agency: str  # the agency's code
    role: str = ""  # its role in the case, short


@dataclass
class CaseInput:
    regime: str = ""
    team: list[TeamInput] = field(default_factory=list)
    lead: str = ""  # the lead worker's username; empty: the coordinator opening the case
    members: list[str] = field(default_factory=list)  # household members' person ids


@dataclass
class EndInput:
    """Closure (``closed``) or suspension (``suspended``), why, and who carries on."""

    state: str = ""
    reason: str = ""
    note: str = ""
    handover_agency: str = ""  # agency code
    handover_note: str = ""


def _text(value: object, name: str, limit: int, errors: dict[str, str]) -> str:
    if not isinstance(value, str):
        errors[name] = gettext("文字で入力してください。")
        return ""
    if len(value) > limit:
        errors[name] = gettext("%(limit)s文字以内で入力してください。") % {"limit": limit}
    elif "\x00" in value:
        errors[name] = gettext("使えない文字が含まれています。")
    return value.strip()


def _agency_names(agencies: list[Agency]) -> str:
    return "、".join(a.name for a in agencies)


# ── checks shared by the actions ────────────────────────────────────────────


def _team(rows: list[TeamInput], actor: Staff, errors: dict[str, str]) -> list[tuple[Agency, str]]:
    if not isinstance(rows, list) or not rows:
        errors["team"] = gettext("チームの機関を1つ以上選んでください。")
        return []
    if len(rows) > MAX_TEAM:
        errors["team"] = gettext("チームの機関は%(max)s機関までです。") % {"max": MAX_TEAM}
        return []
    codes: list[str] = []
    roles: dict[str, str] = {}
    for row in rows:
        code = row.agency.strip() if isinstance(row.agency, str) else ""
        if not code or len(code) > CODE_MAX:
            errors["team"] = gettext("機関は一覧から選んでください。")
            return []
        if code in roles:
            errors["team"] = gettext("同じ機関が2回選ばれています。")
            return []
        codes.append(code)
        roles[code] = _text(row.role, "role", ROLE_MAX, errors)
    found = {a.code: a for a in Agency.objects.filter(code__in=codes, is_active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors["team"] = gettext("見つからない機関があります: %(codes)s") % {
            "codes": ", ".join(c[:20] for c in unknown[:5])
        }
        return []
    if actor.agency_id not in {a.pk for a in found.values()}:
        errors["team"] = gettext(
            "事例を始める職員の機関をチームに含めてください（事例の調整役として加わります）。"
        )
    return [(found[c], roles[c]) for c in codes]


def _lead(value: object, actor: Staff, team: list[Agency], errors: dict[str, str]) -> Staff | None:
    username = value.strip() if isinstance(value, str) else ""
    if not username:
        return actor
    lead = Staff.objects.filter(username=username[:150], is_active=True).first()
    if lead is None or lead.agency_id not in {a.pk for a in team}:
        errors["lead"] = gettext("主担当は、チームの機関の職員から選んでください。")
        return None
    if not allowed(lead, Action.VIEW_PERSONAL_DATA):
        errors["lead"] = gettext("この職員には個人の記録を扱う役割がないため、主担当にできません。")
        return None
    return lead


def _members(actor: Staff, person: Person, raw: object, errors: dict[str, str]) -> list[Membership]:
    """Current household members of the person, whom the actor may see listed.
    One message for every refused id, so the answer never tells who lives where."""
    if not raw:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_MEMBERS:
        errors["members"] = gettext("世帯員は%(max)s人まで選べます。") % {"max": MAX_MEMBERS}
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


@dataclass
class Basis:
    meeting: SupportMeeting | None = None
    consent: Consent | None = None


def check_regime(
    regime: str, person_id: int, member_ids: list[int], agencies: list[Agency],
    errors: dict[str, str], names: dict[int, str] | None = None,
) -> Basis:  # fmt: skip
    """The basis for sharing under ``regime`` with these agencies, or errors naming what is missing."""
    names = names or {}
    if regime == Regime.SUPPORT_MEETING:
        meeting = active_support_meeting(person_id)
        if meeting is None:
            errors["regime"] = gettext(
                "この方には確定した支援会議の決定がありません。支援会議の決定を記録し、"
                "別の機関の確認を受けてから事例を始めてください。"
            )
            return Basis()
        members = set(meeting.agencies.values_list("pk", flat=True))
        outside = [a for a in agencies if a.pk not in members]
        if outside:
            errors["team"] = gettext(
                "支援会議の構成機関ではない機関があります: %(names)s。"
                "支援会議の決定に加えるか、チームから外してください。"
            ) % {"names": _agency_names(outside)}
        concerned = {meeting.person_id, *meeting.members.values_list("person_id", flat=True)}
        missing = [m for m in member_ids if m not in concerned]
        if missing:
            errors["members"] = gettext(
                "支援会議の決定が対象としていない世帯員がいます: %(names)s"
            ) % {"names": "、".join(names.get(m, str(m)) for m in missing)}
        return Basis(meeting=meeting)
    if regime == Regime.LAYERED:
        uncovered = [a for a in agencies if consent_covering(person_id, a.pk) is None]
        if uncovered:
            errors["team"] = gettext(
                "本人の有効な同意が次の機関を含んでいません: %(names)s。"
                "同意を記録し直すか、チームから外してください。"
            ) % {"names": _agency_names(uncovered)}
        for member in member_ids:
            gaps = [a for a in agencies if consent_covering(member, a.pk) is None]
            if gaps:
                errors["members"] = gettext(
                    "世帯員 %(name)s の有効な同意が次の機関を含んでいません: %(names)s"
                ) % {"name": names.get(member, str(member)), "names": _agency_names(gaps)}
                break
        consent = consent_covering(person_id, agencies[0].pk) if agencies else None
        return Basis(consent=consent)
    errors["regime"] = gettext("「支援会議」か「重層的支援会議」を選んでください。")
    return Basis()


def _member_names(case: Case) -> dict[int, str]:
    return {m.person_id: m.person.full_name for m in case.members.select_related("person")}


def concerned(case: Case) -> list[int]:
    """The person and the household members the case concerns."""
    return [case.person_id, *case.members.values_list("person_id", flat=True)]


def _events(kind: EventKind, case: Case, actor: Staff, **data: Any) -> None:
    for person_id in concerned(case):
        write_event(kind, case, actor, person_id=person_id, **data)


def _audit(actor: Staff, action: AuditAction, case: Case, reason: str, **detail: object) -> None:
    record(actor, action, obj=case, person_id=case.person_id, reason=reason,
           detail={"persons": concerned(case), **detail})  # fmt: skip


# ── the actions ─────────────────────────────────────────────────────────────


def check_need(actor: Staff, need_id: int) -> Need:
    """The need a case may be opened from by ``actor``: multi-agency, picked up by them.

    A need someone else picked up (another agency's, or a colleague's) is
    refused as a permission, audited; call this outside the action's transaction.
    """
    need = Need.objects.select_related("person").filter(pk=need_id).first()
    if need is None:
        raise CaseError({"need": gettext("その番号の依頼はありません。")})
    if need.kind != NeedKind.MULTI_AGENCY:
        raise CaseError({"need": gettext("事例を始められるのは、多機関協働の依頼からだけです。")})
    if need.status != NeedStatus.PICKED_UP or need.picked_up_by_id != actor.pk:
        reason = gettext("事例を始められるのは、この依頼の対応を始めた職員だけです。")
        record(actor, AuditAction.DENIED, obj=need, person_id=need.person_id, reason=reason)
        raise PermissionDenied(reason)
    return need


def _need_for(actor: Staff, need_id: int) -> Need:
    # Checked (and any refusal audited) before the transaction; locked and
    # checked again here against a concurrent change.
    need = Need.objects.select_for_update().select_related("person").get(pk=need_id)
    if need.status != NeedStatus.PICKED_UP or need.picked_up_by_id != actor.pk:
        raise CaseError(
            {"need": gettext("この依頼の状態が変わりました。依頼の一覧から開き直してください。")}
        )
    if Case.objects.filter(need=need).exists():
        raise CaseError({"need": gettext("この依頼にはすでに事例があります。")})
    return need


def open_case(actor: Staff, need_id: int, data: CaseInput) -> Case:
    """Open a case from a multi-agency need the actor picked up."""
    require(actor, Action.WORK_CASES)
    check_need(actor, need_id)
    with transaction.atomic():
        need = _need_for(actor, need_id)
        person = need.person
        errors: dict[str, str] = {}
        team = _team(data.team, actor, errors)
        agencies = [a for a, _role in team]
        lead = _lead(data.lead, actor, agencies, errors) if agencies else None
        members = _members(actor, person, data.members, errors)
        names = {m.person_id: m.person.full_name for m in members}
        basis = Basis()
        if "team" not in errors and "members" not in errors:
            basis = check_regime(data.regime, person.pk, list(names), agencies, errors, names)
        elif data.regime not in Regime.values:
            errors["regime"] = gettext("「支援会議」か「重層的支援会議」を選んでください。")
        if errors or lead is None or actor.agency_id is None:
            raise CaseError(errors)
        case = Case.objects.create(
            need=need, person=person, regime=data.regime, support_meeting=basis.meeting,
            consent=basis.consent, lead=lead, opened_by=actor, opened_agency_id=actor.agency_id,
            opened_at=clock.now(),
        )  # fmt: skip
        TeamAgency.objects.bulk_create(
            [TeamAgency(case=case, agency=a, role=role, added_at=clock.now()) for a, role in team]
        )
        CaseMember.objects.bulk_create(
            [CaseMember(case=case, person_id=m.person_id, relation=m.relation) for m in members]
        )
        codes = [a.code for a in agencies]
        _events(EventKind.CASE_OPENED, case, actor, regime=case.regime, stage=case.stage,
                agencies=codes, need=need.pk)  # fmt: skip
        _audit(actor, AuditAction.CREATE, case, "case opened", regime=case.regime, agencies=codes)
        if case.regime == Regime.SUPPORT_MEETING:
            # The opening form states the duty; opening it is the opener's confirmation.
            _confirm(actor, case)
    return case


def _locked(case_id: int) -> Case:
    # The permission is checked (and a refusal audited) before the transaction.
    return Case.objects.select_for_update().get(pk=case_id)


def move_stage(actor: Staff, case_id: int, to: str) -> Case:
    """Move the case one stage forward or back (終結 only by closing it)."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _locked(case_id)
        if not case.is_open:
            raise CaseError(
                {"stage": gettext("終結・中断した事例の段階は変えられません。再開してください。")}
            )
        if not isinstance(to, str) or to not in MOVABLE_STAGES:
            raise CaseError({"stage": gettext(
                "段階は 受付・アセスメント・プラン・支援・モニタリング から選んでください。"
                "終結は「終結・中断」の欄から理由とともに記録します。")})  # fmt: skip
        here, there = MOVABLE_STAGES.index(case.stage), MOVABLE_STAGES.index(to)
        if abs(here - there) != 1:
            raise CaseError({"stage": gettext("段階は1つずつ進めるか、1つ戻してください。")})
        before = case.stage
        case.stage = to
        case.save(update_fields=["stage"])
        _events(EventKind.CASE_STAGE_MOVED, case, actor, stage_from=before, stage_to=to)
        _audit(actor, AuditAction.UPDATE, case, "case stage moved", stage_from=before, stage_to=to)
    return case


def allowed_moves(case: Case) -> list[str]:
    """The stages the case may move to now (one step either way)."""
    if not case.is_open or case.stage not in MOVABLE_STAGES:
        return []
    here = MOVABLE_STAGES.index(case.stage)
    return [MOVABLE_STAGES[i] for i in (here - 1, here + 1) if 0 <= i < len(MOVABLE_STAGES)]


def add_agency(actor: Staff, case_id: int, code: str, role: str = "") -> TeamAgency:
    """Add an agency to the team; refused when the regime's basis does not cover it."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _locked(case_id)
        errors: dict[str, str] = {}
        if not case.is_open:
            raise CaseError({"team": gettext("終結・中断した事例のチームは変えられません。")})
        code = code.strip() if isinstance(code, str) else ""
        role = _text(role, "role", ROLE_MAX, errors)
        agency = (
            Agency.objects.filter(code=code[:CODE_MAX], is_active=True).first() if code else None
        )
        if agency is None:
            errors["team"] = gettext("機関は一覧から選んでください。")
        elif case.team.filter(agency=agency).exists():
            errors["team"] = gettext("この機関はすでにチームに入っています。")
        if errors or agency is None:
            raise CaseError(errors)
        member_ids = concerned(case)[1:]
        names = _member_names(case)
        check_regime(case.regime, case.person_id, member_ids, [agency], errors, names)
        if errors:
            raise CaseError(errors)
        row = TeamAgency.objects.create(case=case, agency=agency, role=role, added_at=clock.now())
        _events(EventKind.CASE_AGENCY_ADDED, case, actor, agency=agency.code)
        _audit(actor, AuditAction.UPDATE, case, "case agency added", agency=agency.code)
    return row


def change_regime(actor: Staff, case_id: int, regime: str) -> Case:
    """Move the case to the other regime; refused unless its basis covers the whole team."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _locked(case_id)
        if regime == case.regime:
            raise CaseError({"regime": gettext("この事例はすでにその根拠で扱われています。")})
        errors: dict[str, str] = {}
        agencies = [t.agency for t in case.team.select_related("agency")]
        names = _member_names(case)
        basis = check_regime(regime, case.person_id, concerned(case)[1:], agencies, errors, names)
        if errors:
            raise CaseError(errors)
        before = case.regime
        case.regime, case.support_meeting, case.consent = regime, basis.meeting, basis.consent
        case.save(update_fields=["regime", "support_meeting", "consent"])
        _events(EventKind.CASE_REGIME_CHANGED, case, actor, regime_from=before, regime_to=regime)
        _audit(actor, AuditAction.UPDATE, case, "case regime changed", regime_from=before,
               regime_to=regime)  # fmt: skip
        if regime == Regime.SUPPORT_MEETING:
            _confirm(actor, case)
    return case


def end_case(actor: Staff, case_id: int, data: EndInput) -> Case:
    """Close (終結) or suspend (中断) the case, with a reason and the agency that carries on."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _locked(case_id)
        errors: dict[str, str] = {}
        if not case.is_open:
            raise CaseError({"state": gettext("この事例はすでに終結または中断しています。")})
        if data.state not in {CaseState.CLOSED, CaseState.SUSPENDED}:
            errors["state"] = gettext("「終結」か「中断」を選んでください。")
        if data.reason not in EndReason.values:
            errors["reason"] = gettext("理由を一覧から選んでください。")
        note = _text(data.note, "note", END_NOTE_MAX, errors)
        if data.reason == EndReason.OTHER and not note and "note" not in errors:
            errors["note"] = gettext("「その他」のときは理由を書いてください。")
        handover_note = _text(data.handover_note, "handover_note", HANDOVER_NOTE_MAX, errors)
        code = data.handover_agency.strip() if isinstance(data.handover_agency, str) else ""
        handover = (
            Agency.objects.filter(code=code[:CODE_MAX], is_active=True).first() if code else None
        )
        if code and handover is None:
            errors["handover_agency"] = gettext("引き継ぐ機関は一覧から選んでください。")
        if (
            data.reason == EndReason.HANDED_OVER
            and handover is None
            and "handover_agency" not in errors
        ):
            errors["handover_agency"] = gettext("引き継いだときは、引き継ぐ機関を選んでください。")
        if handover_note and handover is None and "handover_agency" not in errors:
            errors["handover_agency"] = gettext(
                "引き継ぎの内容を書くときは、引き継ぐ機関を選んでください。"
            )
        if errors:
            raise CaseError(errors)
        case.stage_before_end = case.stage
        case.state = data.state
        if data.state == CaseState.CLOSED:
            case.stage = Stage.CLOSED
        case.ended_at, case.ended_by = clock.now(), actor
        case.end_reason, case.end_note = data.reason, note
        case.handover_agency, case.handover_note = handover, handover_note
        case.save()
        kind = EventKind.CASE_CLOSED if data.state == CaseState.CLOSED else EventKind.CASE_SUSPENDED
        _events(kind, case, actor, reason=data.reason, stage=case.stage_before_end,
                handover_agency=handover.code if handover else None)  # fmt: skip
        _audit(actor, AuditAction.UPDATE, case, f"case {data.state}", reason_code=data.reason)
    return case


def reopen_case(actor: Staff, case_id: int) -> Case:
    """Reopen a closed or suspended case at the stage it had."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _locked(case_id)
        if case.is_open:
            raise CaseError({"state": gettext("この事例は進行中です。")})
        before = case.state
        case.state = CaseState.OPEN
        case.stage = case.stage_before_end or Stage.INTAKE
        case.stage_before_end = ""
        # The last closure's reason and handover stay on the record (shown with
        # the timeline's events); a later closure replaces them.
        case.save(update_fields=["state", "stage", "stage_before_end"])
        _events(EventKind.CASE_REOPENED, case, actor, state_from=before, stage=case.stage)
        _audit(actor, AuditAction.UPDATE, case, "case reopened", state_from=before)
    return case


def _confirm(actor: Staff, case: Case) -> ConfidentialityConfirmation:
    if actor.agency_id is None:
        raise PermissionDenied(gettext("機関に所属する職員だけが確認できます。"))
    row, made = ConfidentialityConfirmation.objects.get_or_create(
        case=case, staff=actor,
        defaults={"agency_id": actor.agency_id, "support_meeting_id": case.support_meeting_id,
                  "confirmed_at": clock.now()})  # fmt: skip
    if made:
        _events(EventKind.CASE_CONFIDENTIALITY_CONFIRMED, case, actor,
                support_meeting=case.support_meeting_id)  # fmt: skip
        _audit(actor, AuditAction.CREATE, case, "case confidentiality confirmed",
               support_meeting=case.support_meeting_id)  # fmt: skip
    return row


def confirm_confidentiality(actor: Staff, case_id: int) -> ConfidentialityConfirmation:
    """A member agency's worker confirms the 支援会議's duty of confidentiality
    (社会福祉法第106条の6第6項) before the case opens to them; once per worker."""
    get_case_for(actor, case_id)
    with transaction.atomic():
        case = _locked(case_id)
        if case.regime != Regime.SUPPORT_MEETING:
            raise CaseError({"regime": gettext(
                "守秘義務の確認は、支援会議で扱う事例でだけ記録します。")})  # fmt: skip
        return _confirm(actor, case)


# How many of its agency's cases the list reads at most (newest first).
LIST_LIMIT = 500


def visible_cases(staff: Staff) -> list[Case]:
    """The cases the staff member's agency is on the team of and may see now, newest first."""
    if staff.agency_id is None:
        return []
    rows = (
        Case.objects.filter(team__agency_id=staff.agency_id)
        .select_related("person", "lead", "lead__agency")
        .order_by("-opened_at", "-pk")[:LIST_LIMIT]
    )
    return [c for c in rows if basis_holds(staff.agency_id, c)]
