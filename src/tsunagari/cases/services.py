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
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.policy import Action, allowed, decide, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.cases.access import bases_holding, basis_holds, get_case_for, get_workable_case
from tsunagari.cases.models import (
    MOVABLE_STAGES,
    Assessment,
    AssessmentArea,
    Case,
    CaseMember,
    CaseState,
    Conference,
    ConferenceAction,
    ConferenceAgency,
    ConferenceAttendee,
    ConferenceMinutes,
    ConfidentialityConfirmation,
    EndReason,
    LifeArea,
    MonitoringNote,
    PlanAction,
    PlanRevision,
    Progress,
    Regime,
    SourceKind,
    Stage,
    SupportPlan,
    TeamAgency,
)
from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.consent.services import (
    MAX_HOUSEHOLD_MEMBERS,
    active_support_meeting,
    chosen_members,
    consent_covering,
)
from tsunagari.consultations.models import Need, NeedKind, NeedStatus
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.meetings import services as meetings
from tsunagari.meetings.services import MeetingInputError, MinutesConflict

if TYPE_CHECKING:
    from django.db.models import Model

    from tsunagari.people.models import Person

MAX_TEAM = 20
MAX_MEMBERS = MAX_HOUSEHOLD_MEMBERS
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
    # The case's person when the source names several (an early-detection candidate).
    person: str = ""


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


@dataclass(frozen=True)
class CaseSource:
    """What a case is opened from: a ``SourceKind`` and that record's number."""

    kind: str
    id: int


@dataclass
class SourceFacts:
    """A source the actor may open a case from: its person, and the persons the
    coordinator may choose as the case's person (an early-detection candidate
    names several)."""

    source: CaseSource
    person: Person | None
    choices: list[Person] = field(default_factory=list)
    need: Need | None = None
    label: str = ""


def source_label(kind: str, number: int | None) -> str:
    """「相談 #12」: the source as the case page names it."""
    return f"{SourceKind(kind).label} #{number}" if kind in SourceKind.values else ""


def _deny(actor: Staff, obj: Model, person_id: int | str, reason: str) -> PermissionDenied:
    record(actor, AuditAction.DENIED, obj=obj, person_id=person_id, reason=reason)
    return PermissionDenied(reason)


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
        raise _deny(actor, need, need.person_id, reason)
    return need


def _consultation_source(actor: Staff, number: int) -> SourceFacts:
    from tsunagari.consultations.models import Consultation, ConsultationStatus

    row = Consultation.objects.select_related("person").filter(pk=number).first()
    if row is None:
        raise CaseError({"source": gettext("その番号の相談はありません。")})
    decision = decide(actor, Action.VIEW_PERSONAL_DATA, row)
    if not decision:
        raise _deny(actor, row, row.person_id or "", decision.reason)
    if row.status != ConsultationStatus.RECORDED or row.person is None:
        raise CaseError({"source": gettext(
            "事例を始められるのは、受付を済ませ、本人が台帳の方と結びついた相談だけです。"
        )})  # fmt: skip
    return SourceFacts(CaseSource(SourceKind.CONSULTATION, row.pk), row.person, [row.person])


# A referral the coordinating agency received: opened, accepted, or closed as connected.
def _referral_source(actor: Staff, number: int) -> SourceFacts:
    from tsunagari.consultations.models import Referral, ReferralOutcome, ReferralStatus

    row = Referral.objects.select_related("person").filter(pk=number).first()
    if row is None:
        raise CaseError({"source": gettext("その番号のつなぎはありません。")})
    if actor.agency_id is None or row.to_agency_id != actor.agency_id:
        reason = gettext("事例を始められるのは、このつなぎを受けた機関の職員だけです。")
        raise _deny(actor, row, row.person_id, reason)
    usable = row.status in {ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED} or (
        row.status == ReferralStatus.CLOSED and row.outcome == ReferralOutcome.CONNECTED
    )
    if not usable:
        raise CaseError({"source": gettext(
            "事例を始められるのは、受け取った（受け入れた）つなぎからだけです。"
            "辞退・取り下げたつなぎや、つながらなかったつなぎからは始められません。"
        )})  # fmt: skip
    return SourceFacts(CaseSource(SourceKind.REFERRAL, row.pk), row.person, [row.person])


def _outreach_source(actor: Staff, number: int) -> SourceFacts:
    from tsunagari.outreach.models import OutreachTarget, State

    row = OutreachTarget.objects.select_related("person").filter(pk=number).first()
    if row is None:
        raise CaseError({"source": gettext("その番号のアウトリーチ対象はありません。")})
    decision = decide(actor, Action.VIEW_PERSONAL_DATA, row)
    if not decision:
        raise _deny(actor, row, row.person_id or "", decision.reason)
    if row.person is None:
        raise CaseError({"source": gettext(
            "この対象はまだ台帳の本人と結びついていません。アウトリーチの担当者が本人確認をしてから"
            "事例を始めてください。")})  # fmt: skip
    # Being connected: met and building trust, or handed over to the actor's
    # agency (the coordinating one) and not yet tied to a case.
    connecting = row.state in {State.IN_CONTACT, State.BUILDING_TRUST} or (
        row.state == State.CONNECTED and row.case_id is None
        and row.handover_agency_id == actor.agency_id
    )  # fmt: skip
    if not connecting:
        raise CaseError({"source": gettext(
            "事例を始められるのは、本人に会えて支援へつなごうとしている対象（「接触できた」「関係づくり」、"
            "またはあなたの機関へつながれた対象）だけです。")})  # fmt: skip
    return SourceFacts(CaseSource(SourceKind.OUTREACH, row.pk), row.person, [row.person])


def _candidate_source(actor: Staff, number: int) -> SourceFacts:
    from tsunagari.linkage.models import Candidate, CandidateStatus

    row = Candidate.objects.filter(pk=number).first()
    if row is None:
        raise CaseError({"source": gettext("その番号の早期把握の候補はありません。")})
    decision = decide(actor, Action.VIEW_FLAGS, row)
    if not decision:
        raise _deny(actor, row, "", decision.reason)
    if row.status == CandidateStatus.NOT_NEEDED:
        raise CaseError({"source": gettext(
            "この候補は「対応不要」と判断されています。事例を始めるときは、候補の判断を記録し直してください。"
        )})  # fmt: skip
    members = list(row.members.order_by("pk"))
    if not members:
        raise CaseError({"source": gettext(
            "この候補の該当者は、まだ台帳の方と結びついていません。本人を特定してから始めてください。"
        )})  # fmt: skip
    only = members[0] if len(members) == 1 else None
    return SourceFacts(CaseSource(SourceKind.CANDIDATE, row.pk), only, members)


def check_source(actor: Staff, source: CaseSource) -> SourceFacts:
    """The source a case may be opened from by ``actor`` (the coordinating role).

    The actor must be allowed to see the source record itself: the need they
    picked up, a consultation they may read, a referral to their agency, an
    outreach target they may see, a candidate (designated staff). A refusal is
    audited and raised as PermissionDenied; call this outside the transaction.
    """
    require(actor, Action.WORK_CASES)
    kind, number = source.kind, source.id
    if kind == SourceKind.NEED:
        need = check_need(actor, number)
        return SourceFacts(CaseSource(SourceKind.NEED, need.pk), need.person, [need.person], need)
    checks = {
        SourceKind.CONSULTATION: _consultation_source, SourceKind.REFERRAL: _referral_source,
        SourceKind.OUTREACH: _outreach_source, SourceKind.CANDIDATE: _candidate_source,
    }  # fmt: skip
    if kind not in checks:
        raise CaseError({"source": gettext("事例の始まりの種類が正しくありません。")})
    facts = checks[SourceKind(kind)](actor, number)
    facts.label = source_label(kind, number)
    return facts


def case_from(source: CaseSource) -> Case | None:
    """The case already opened from this source, if any."""
    return Case.objects.filter(source_kind=source.kind, source_id=source.id).first()


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


def _chosen_person(facts: SourceFacts, raw: object, errors: dict[str, str]) -> Person | None:
    if facts.person is not None:
        return facts.person
    text = raw.strip() if isinstance(raw, str) else ""
    chosen = next((p for p in facts.choices if text and str(p.pk) == text), None)
    if chosen is None:
        errors["person"] = gettext("事例の本人を、候補の該当者から1人選んでください。")
    return chosen


def open_case(actor: Staff, source: CaseSource | int, data: CaseInput) -> Case:
    """Open a case from a source: a multi-agency need the actor picked up (a bare
    number is a need's), a consultation, a referral the actor's agency received,
    an outreach target being connected, or an early-detection candidate.

    The source is kept on the case (kind and number), one case per source. The
    team's access to the person comes from the regime, checked as for any case.
    """
    if isinstance(source, int):
        source = CaseSource(SourceKind.NEED, source)
    facts = check_source(actor, source)
    with transaction.atomic():
        need = _need_for(actor, source.id) if source.kind == SourceKind.NEED else None
        if case_from(source) is not None:
            raise CaseError({"source": gettext(
                "この%(what)sからはすでに事例が始まっています。その事例を開いてください。"
            ) % {"what": SourceKind(source.kind).label}})  # fmt: skip
        errors: dict[str, str] = {}
        person = _chosen_person(facts, data.person, errors)
        team = _team(data.team, actor, errors)
        agencies = [a for a, _role in team]
        lead = _lead(data.lead, actor, agencies, errors) if agencies else None
        members = chosen_members(actor, person, data.members, errors) if person is not None else []
        names = {m.person_id: m.person.full_name for m in members}
        basis = Basis()
        if person is not None and "team" not in errors and "members" not in errors:
            basis = check_regime(data.regime, person.pk, list(names), agencies, errors, names)
        elif data.regime not in Regime.values:
            errors["regime"] = gettext("「支援会議」か「重層的支援会議」を選んでください。")
        if errors or lead is None or person is None or actor.agency_id is None:
            raise CaseError(errors)
        case = Case.objects.create(
            need=need, source_kind=source.kind, source_id=source.id, person=person,
            regime=data.regime, support_meeting=basis.meeting, consent=basis.consent, lead=lead,
            opened_by=actor, opened_agency_id=actor.agency_id, opened_at=clock.now(),
        )  # fmt: skip
        TeamAgency.objects.bulk_create(
            [TeamAgency(case=case, agency=a, role=role, added_at=clock.now(),
                        worker=lead if a.pk == lead.agency_id else None) for a, role in team]
        )  # fmt: skip
        CaseMember.objects.bulk_create(
            [CaseMember(case=case, person_id=m.person_id, relation=m.relation) for m in members]
        )
        codes = [a.code for a in agencies]
        _events(EventKind.CASE_OPENED, case, actor, regime=case.regime, stage=case.stage,
                agencies=codes, need=need.pk if need else None, source=source.kind,
                source_id=source.id)  # fmt: skip
        _audit(actor, AuditAction.CREATE, case, "case opened", regime=case.regime, agencies=codes,
               source=source.kind, source_id=source.id)  # fmt: skip
        _assigned(actor, case, lead, as_lead=True, before=None)
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
        _move(actor, case, to)
    return case


def _move(actor: Staff, case: Case, to: str) -> None:
    before = case.stage
    case.stage = to
    case.save(update_fields=["stage"])
    _events(EventKind.CASE_STAGE_MOVED, case, actor, stage_from=before, stage_to=to)
    _audit(actor, AuditAction.UPDATE, case, "case stage moved", stage_from=before, stage_to=to)


def _step(actor: Staff, case: Case, here: str, there: str) -> None:
    """The stage rule's one step forward, taken when a piece of work completes the
    stage ``here`` (an assessment, a plan, its agreement); otherwise nothing moves."""
    if case.is_open and case.stage == here:
        _move(actor, case, there)


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


@dataclass
class AssignInput:
    """A team agency's worker on the case; ``lead``: the worker becomes the lead (主担当)."""

    agency: str = ""  # the team agency's code
    worker: str = ""  # the worker's username (staff of that agency)
    lead: bool = False


def _assigned(actor: Staff, case: Case, worker: Staff, *, as_lead: bool,
              before: Staff | None) -> None:  # fmt: skip
    agency = worker.agency.code if worker.agency else ""
    role = "lead" if as_lead else "agency"
    _events(EventKind.CASE_WORKER_ASSIGNED, case, actor, role=role, agency=agency,
            worker=worker.username, before=before.username if before else None)  # fmt: skip
    _audit(actor, AuditAction.UPDATE, case, "case worker assigned", role=role, agency=agency,
           worker=worker.username)  # fmt: skip


def assign_worker(actor: Staff, case_id: int, data: AssignInput) -> TeamAgency:
    """Name a team agency's worker on the case, and optionally make them the lead
    (主担当); the lead's agency's worker is the lead, so changing it there changes
    the lead too. The worker is an active staff member of that agency who handles
    personal records."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _locked(case_id)
        if not case.is_open:
            raise CaseError({"worker": gettext("終結・中断した事例の担当者は変えられません。")})
        errors: dict[str, str] = {}
        row = None
        code = data.agency.strip()[:CODE_MAX] if isinstance(data.agency, str) else ""
        if code:
            # Only the team row is locked ("of self"): PostgreSQL refuses to lock
            # the nullable side of the outer join to the worker.
            row = (TeamAgency.objects.select_for_update(of=("self",))
                   .select_related("agency", "worker")
                   .filter(case=case, agency__code=code).first())  # fmt: skip
        if row is None:
            raise CaseError(
                {"agency": gettext("担当者を決める機関を、チームの機関から選んでください。")}
            )
        username = data.worker.strip()[:150] if isinstance(data.worker, str) else ""
        worker = (
            Staff.objects.select_related("agency")
            .filter(username=username, is_active=True, agency=row.agency).first()
            if username else None
        )  # fmt: skip
        if worker is None:
            errors["worker"] = gettext("担当者は、%(agency)sの職員から選んでください。") % {
                "agency": row.agency.name
            }
        elif not allowed(worker, Action.VIEW_PERSONAL_DATA):
            errors["worker"] = gettext(
                "この職員には個人の記録を扱う役割がないため、担当者にできません。"
            )
        as_lead = bool(data.lead) or row.agency_id == case.lead.agency_id
        if errors or worker is None:
            raise CaseError(errors)
        if row.worker_id == worker.pk and (not as_lead or case.lead_id == worker.pk):
            raise CaseError({"worker": gettext("この職員はすでにこの機関の担当者です。")})
        before_lead = case.lead
        if as_lead and case.lead_id != worker.pk:
            case.lead = worker
            case.save(update_fields=["lead"])
        before = row.worker
        row.worker = worker
        row.save(update_fields=["worker"])
        _assigned(actor, case, worker, as_lead=as_lead,
                  before=before_lead if as_lead else before)  # fmt: skip
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
    rows = list(
        Case.objects.filter(team__agency_id=staff.agency_id)
        .select_related("person", "lead", "lead__agency")
        .order_by("-opened_at", "-pk")[:LIST_LIMIT]
    )
    holding = bases_holding(staff.agency_id, rows)
    return [c for c in rows if c.pk in holding]


# ── the work on an open case: assessment, plan, conferences, monitoring ─────

ASSESS_TEXT_MAX = 2000
SUMMARY_MAX = 2000
GOAL_MAX = 300
MAX_GOALS = 10
ACTION_TEXT_MAX = 300
MAX_ACTIONS = 30
AGENDA_MAX = 2000
MINUTES_MAX = 10000
DECISIONS_MAX = 4000
CONF_ROLE_MAX = 200
MAX_ATTENDEES = 40
NOTE_MAX = 2000


def _open_for_work(actor: Staff, case_id: int) -> Case:
    """Lock an open case the actor may work on (checked before, outside the transaction)."""
    case = _locked(case_id)
    if not case.is_open:
        raise CaseError(
            {"state": gettext("終結・中断した事例には記録できません。再開してください。")}
        )
    return case


def _day(value: object, name: str, errors: dict[str, str]) -> date | None:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    errors[name] = gettext("日付を 2027-04-01 の形で入力してください。")
    return None


def _day_required(value: object, name: str, errors: dict[str, str]) -> date | None:
    day = _day(value, name, errors)
    if day is None and name not in errors:
        errors[name] = gettext("日付を入力してください。")
    return day


def _working_day(day: date, name: str, errors: dict[str, str], what: str) -> None:
    """``day`` must be a working day of the ward (a deadline counted on the calendar)."""
    from tsunagari.consultations.limits import working_calendar

    calendar = working_calendar()
    try:
        reason = calendar.closed_reason(day)
        following = calendar.add_working_days(day, 0)
    except ValueError:
        errors[name] = gettext("%(what)sは区の暦が扱える年の日付にしてください。") % {"what": what}
        return
    if reason:
        errors[name] = gettext(
            "%(what)s %(day)s は%(reason)sで区の休みの日です。開庁日（例えば %(next)s）にしてください。"
        ) % {"what": what, "day": day.isoformat(), "reason": reason, "next": following.isoformat()}


def _agency_on_team(case: Case, code: object) -> Agency | None:
    text = code.strip() if isinstance(code, str) else ""
    if not text:
        return None
    return Agency.objects.filter(code=text[:CODE_MAX], is_active=True,
                                 pk__in=case.team.values("agency_id")).first()  # fmt: skip


# ── assessment ──


@dataclass
class AreaInput:
    area: str
    situation: str = ""  # the workers' view
    own_words: str = ""  # what the person said, in their words
    strengths: str = ""


@dataclass
class AssessmentInput:
    person: str = ""  # the id of the person or a household member the case concerns
    areas: list[AreaInput] = field(default_factory=list)
    summary: str = ""


def record_assessment(actor: Staff, case_id: int, data: AssessmentInput) -> Assessment:
    """Record a new version of one concerned person's assessment (earlier versions stay).

    A case still at 受付 moves one step to アセスメント; no other stage moves.
    """
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _open_for_work(actor, case_id)
        errors: dict[str, str] = {}
        text = data.person.strip() if isinstance(data.person, str) else ""
        person_id = int(text) if text.isascii() and text.isdigit() and len(text) < 13 else None
        if person_id is None or person_id not in concerned(case):
            errors["person"] = gettext("この事例の本人か、対象にした世帯員から選んでください。")
        summary = _text(data.summary, "summary", SUMMARY_MAX, errors)
        rows: list[AssessmentArea] = []
        seen: set[str] = set()
        for row in data.areas if isinstance(data.areas, list) else []:
            if row.area not in LifeArea.values or row.area in seen:
                errors["areas"] = gettext("生活の領域は一覧から1回ずつ選んでください。")
                break
            seen.add(row.area)
            texts = [_text(getattr(row, f), f"{row.area}.{f}", ASSESS_TEXT_MAX, errors)
                     for f in ("situation", "own_words", "strengths")]  # fmt: skip
            if any(texts):
                rows.append(AssessmentArea(area=row.area, situation=texts[0], own_words=texts[1],
                                           strengths=texts[2]))  # fmt: skip
        if not rows and "areas" not in errors:
            errors["areas"] = gettext(
                "少なくとも1つの生活の領域に、状況・本人の言葉・強みのどれかを書いてください。"
            )
        if errors or person_id is None or actor.agency_id is None:
            raise CaseError(errors)
        last = (
            Assessment.objects.filter(case=case, person_id=person_id)
            .order_by("-version").values_list("version", flat=True).first()
        )  # fmt: skip
        assessment = Assessment.objects.create(
            case=case, person_id=person_id, version=(last or 0) + 1, summary=summary,
            recorded_by=actor, recorded_agency_id=actor.agency_id, recorded_at=clock.now())  # fmt: skip
        for area in rows:
            area.assessment = assessment
        AssessmentArea.objects.bulk_create(rows)
        areas = [r.area for r in rows]
        member = "self" if person_id == case.person_id else "member"
        _events(EventKind.CASE_ASSESSED, case, actor, version=assessment.version, areas=areas,
                subject=member)  # fmt: skip
        _audit(actor, AuditAction.CREATE, case, "case assessed", assessed=person_id,
               version=assessment.version, areas=areas)  # fmt: skip
        _step(actor, case, Stage.INTAKE, Stage.ASSESSMENT)
    return assessment


def latest_assessments(case: Case) -> list[Assessment]:
    """The newest version for each person assessed, the case's person first."""
    newest: dict[int, Assessment] = {}
    for a in case.assessments.prefetch_related("areas").order_by("person_id", "-version"):
        newest.setdefault(a.person_id, a)
    return sorted(newest.values(), key=lambda a: (a.person_id != case.person_id, a.person_id))


# ── support plan ──


@dataclass
class PlanActionInput:
    text: str = ""
    agency: str = ""  # a team agency's code
    due_on: str = ""  # ISO date, a working day
    id: str = ""  # an existing action's id, empty for a new one


@dataclass
class PlanInput:
    version: int = 0  # the version the editor started from
    goals: list[str] = field(default_factory=list)
    actions: list[PlanActionInput] = field(default_factory=list)
    review_on: str = ""


class PlanConflict(CaseError):
    """The plan was saved by someone else since the editor opened it. Nothing was
    written; ``current`` is the plan as it now reads, so both texts can be shown."""

    def __init__(self, errors: dict[str, str], current: dict[str, Any]) -> None:
        super().__init__(errors)
        self.current = current


def plan_content(plan: SupportPlan) -> dict[str, Any]:
    """The plan as it reads now, as a revision keeps it."""
    return {
        "goals": list(plan.goals),
        "actions": [{"id": a.pk, "text": a.text, "agency": a.agency.code,
                     "agency_name": a.agency.name, "due_on": a.due_on.isoformat()}
                    for a in plan.actions.filter(active=True).select_related("agency")],
        "review_on": plan.review_on.isoformat() if plan.review_on else "",
    }  # fmt: skip


def _goals(raw: object, errors: dict[str, str]) -> list[str]:
    goals = (
        [g.strip() for g in raw if isinstance(g, str) and g.strip()]
        if isinstance(raw, list)
        else []
    )
    if not goals:
        errors["goals"] = gettext("目標を1つ以上、本人の言葉で書いてください。")
    elif len(goals) > MAX_GOALS:
        errors["goals"] = gettext("目標は%(max)s個までです。") % {"max": MAX_GOALS}
    elif any(len(g) > GOAL_MAX for g in goals):
        errors["goals"] = gettext("目標は1つ%(max)s文字以内で書いてください。") % {"max": GOAL_MAX}
    return goals


def save_plan(actor: Staff, case_id: int, data: PlanInput) -> SupportPlan:
    """Save a new revision of the case's plan (the first save creates it).

    ``data.version`` must be the version the editor opened; if someone saved
    since, the save is refused with ``PlanConflict`` and nothing is written.
    Each action's agency must be on the team; due dates and the review date
    are working days, not in the past. A case at アセスメント moves to プラン.
    """
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _open_for_work(actor, case_id)
        plan = SupportPlan.objects.select_for_update().filter(case=case).first()
        current = plan.version if plan is not None else 0
        if not isinstance(data.version, int) or data.version != current:
            last = plan.revisions.select_related("saved_by").first() if plan is not None else None
            who = last.saved_by.display_name if last is not None else "?"
            when = timezone.localtime(last.saved_at).strftime("%Y-%m-%d %H:%M") if last else "?"
            raise PlanConflict({"version": gettext(
                "保存できませんでした。あなたが開いた後に、%(who)s さんが %(when)s にこのプランを"
                "保存しています（第%(n)s版）。あなたの入力は消えていません。下の最新の内容と見比べ、"
                "必要な変更を入れ直してから保存してください。"
            ) % {"who": who, "when": when, "n": current}},
                plan_content(plan) if plan is not None else {})  # fmt: skip
        errors: dict[str, str] = {}
        goals = _goals(data.goals, errors)
        today = clock.today()
        review_on = _day_required(data.review_on, "review_on", errors)
        if review_on is not None:
            if review_on <= today:
                errors["review_on"] = gettext("見直しの日は、今日より後の日にしてください。")
            else:
                _working_day(review_on, "review_on", errors, gettext("見直しの日"))
        existing = {a.pk: a for a in plan.actions.filter(active=True)} if plan is not None else {}
        rows: list[tuple[PlanAction | None, str, Agency, date]] = []
        actions = data.actions if isinstance(data.actions, list) else []
        if not actions:
            errors["actions"] = gettext(
                "支援の内容を1つ以上、担当機関と期限とともに書いてください。"
            )
        elif len(actions) > MAX_ACTIONS:
            errors["actions"] = gettext("支援の内容は%(max)s件までです。") % {"max": MAX_ACTIONS}
        for i, row in enumerate(actions[:MAX_ACTIONS], start=1):
            key = f"actions.{i}"
            text = _text(row.text, key, ACTION_TEXT_MAX, errors)
            if not text:
                errors.setdefault(
                    key, gettext("%(n)s行目: 支援の内容を書いてください。") % {"n": i}
                )
                continue
            agency = _agency_on_team(case, row.agency)
            if agency is None:
                errors[key] = gettext(
                    "%(n)s行目: 担当機関は、この事例のチームの機関から選んでください"
                    "（チームにない機関は、先にチームに加えます）。"
                ) % {"n": i}
                continue
            due = _day_required(row.due_on, key, errors)
            if due is None:
                continue
            if due < today:
                errors[key] = gettext("%(n)s行目: 期限が過ぎた日になっています。") % {"n": i}
                continue
            _working_day(due, key, errors, gettext("%(n)s行目の期限") % {"n": i})
            ident = row.id.strip() if isinstance(row.id, str) else ""
            old = None
            if ident:
                old = existing.get(int(ident)) if ident.isdigit() and len(ident) < 13 else None
                if old is None:
                    errors[key] = gettext("%(n)s行目: この行はもうプランにありません。") % {"n": i}
                    continue
            rows.append((old, text, agency, due))
        kept = [old.pk for old, *_ in rows if old is not None]
        if len(kept) != len(set(kept)):
            errors["actions"] = gettext("同じ行が2回送られました。画面を開き直してください。")
        if errors or review_on is None or actor.agency_id is None:
            raise CaseError(errors)
        if plan is None:
            plan = SupportPlan.objects.create(case=case)
        number = plan.version + 1
        for old in existing.values():
            if old.pk not in kept:
                old.active, old.removed_in = False, number
                old.save(update_fields=["active", "removed_in"])
        for order, (old, text, agency, due) in enumerate(rows):
            if old is None:
                PlanAction.objects.create(plan=plan, text=text, agency=agency, due_on=due,
                                          added_in=number, order=order)  # fmt: skip
            else:
                old.text, old.agency, old.due_on, old.order = text, agency, due, order
                old.save(update_fields=["text", "agency", "due_on", "order"])
        plan.version, plan.goals, plan.review_on = number, goals, review_on
        plan.save(update_fields=["version", "goals", "review_on"])
        PlanRevision.objects.create(plan=plan, number=number, content=plan_content(plan),
                                    saved_by=actor, saved_agency_id=actor.agency_id,
                                    saved_at=clock.now())  # fmt: skip
        _audit(actor, AuditAction.UPDATE if number > 1 else AuditAction.CREATE, case,
               "case plan saved", version=number, actions=len(rows))  # fmt: skip
        _step(actor, case, Stage.ASSESSMENT, Stage.PLAN)
    return plan


@dataclass
class AgreementInput:
    version: int = 0  # the revision agreed (the one on screen)
    conference: str = ""  # the id of the case's conference where it was agreed
    person_agreed: bool = False  # the person agreed to this plan


def agree_plan(actor: Staff, case_id: int, data: AgreementInput) -> PlanRevision:
    """Record that the plan's current revision was agreed at one of the case's
    conferences, with the person's agreement. A case at プラン moves to 支援."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _open_for_work(actor, case_id)
        plan = SupportPlan.objects.select_for_update().filter(case=case).first()
        if plan is None:
            raise CaseError(
                {"plan": gettext("まだ支援プランがありません。先にプランを保存してください。")}
            )
        if data.version != plan.version:
            raise CaseError({"version": gettext(
                "合意しようとした版（第%(old)s版）の後に、プランが保存されています（第%(new)s版）。"
                "最新の版を確かめてから合意を記録してください。"
            ) % {"old": data.version, "new": plan.version}})  # fmt: skip
        errors: dict[str, str] = {}
        text = data.conference.strip() if isinstance(data.conference, str) else ""
        conference = (
            Conference.objects.filter(case=case, pk=int(text)).first()
            if text.isascii() and text.isdigit() and len(text) < 13 else None
        )  # fmt: skip
        revision = plan.revisions.get(number=plan.version)
        if conference is None:
            errors["conference"] = gettext("合意した会議を、この事例の会議から選んでください。")
        elif conference.held_on < timezone.localdate(revision.saved_at):
            errors["conference"] = gettext(
                "この版は会議の後に保存されています。この版に合意した会議（開催日が保存日以降）を"
                "記録してから選んでください。"
            )
        if not data.person_agreed:
            errors["person_agreed"] = gettext(
                "本人がこのプランに合意していることを確かめ、チェックしてください。"
            )
        if revision.agreed_at is not None:
            errors["version"] = gettext("この版はすでに合意されています。")
        if errors or conference is None:
            raise CaseError(errors)
        revision.agreed_at, revision.agreed_by, revision.conference = clock.now(), actor, conference
        revision.save(update_fields=["agreed_at", "agreed_by", "conference"])
        plan.agreed_version = plan.version
        plan.save(update_fields=["agreed_version"])
        _events(EventKind.CASE_PLAN_AGREED, case, actor, version=plan.version,
                conference=conference.pk, regime=conference.regime)  # fmt: skip
        _audit(actor, AuditAction.UPDATE, case, "case plan agreed", version=plan.version,
               conference=conference.pk)  # fmt: skip
        _step(actor, case, Stage.PLAN, Stage.SUPPORT)
    return revision


# ── case conferences ──


@dataclass
class ConferenceInput:
    held_on: str = ""
    agencies: list[TeamInput] = field(default_factory=list)  # attending agencies and their share
    staff: list[str] = field(default_factory=list)  # attending staff's usernames
    agenda: str = ""
    minutes: str = ""
    decisions: str = ""


def hold_conference(actor: Staff, case_id: int, data: ConferenceInput) -> Conference:
    """Record a case conference held under the case's regime: under 支援会議 only
    the decision's member agencies attend, under 重層的支援会議 only agencies the
    person's consent in force names; every attending agency is on the team."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _open_for_work(actor, case_id)
        errors: dict[str, str] = {}
        held_on = _day_required(data.held_on, "held_on", errors)
        if held_on is not None and held_on > clock.today():
            errors["held_on"] = gettext(
                "開いた会議を記録します。開催日は今日までの日にしてください。"
            )
        elif held_on is not None and held_on < timezone.localdate(case.opened_at):
            errors["held_on"] = gettext("開催日が事例を始めた日より前になっています。")
        agenda = _text(data.agenda, "agenda", AGENDA_MAX, errors)
        minutes = _text(data.minutes, "minutes", MINUTES_MAX, errors)
        decisions = _text(data.decisions, "decisions", DECISIONS_MAX, errors)
        rows = data.agencies if isinstance(data.agencies, list) else []
        present: list[tuple[Agency, str]] = []
        seen: set[str] = set()
        for row in rows[: MAX_TEAM + 1]:
            if not isinstance(row.agency, str) or row.agency in seen:
                continue
            seen.add(row.agency)
            agency = _agency_on_team(case, row.agency)
            if agency is None:
                errors["agencies"] = gettext(
                    "出席した機関は、この事例のチームの機関から選んでください。"
                )
                break
            present.append((agency, _text(row.role, "roles", CONF_ROLE_MAX, errors)))
        if not present and "agencies" not in errors:
            errors["agencies"] = gettext("出席した機関を1つ以上選んでください。")
        outside = [a for a, _r in present if not basis_holds(a.pk, case)]
        if outside and "agencies" not in errors:
            errors["agencies"] = (gettext(
                "支援会議の構成機関ではない機関は、この会議に出席できません: %(names)s"
            ) if case.regime == Regime.SUPPORT_MEETING else gettext(
                "本人の有効な同意が含んでいない機関は、重層的支援会議に出席できません: %(names)s"
            )) % {"names": _agency_names(outside)}  # fmt: skip
        names = [u.strip()[:150] for u in data.staff if isinstance(u, str) and u.strip()][
            :MAX_ATTENDEES
        ]
        people = list(Staff.objects.filter(username__in=names, is_active=True))
        ids = {a.pk for a, _r in present}
        if len(people) != len(set(names)) or any(s.agency_id not in ids for s in people):
            errors["staff"] = gettext("出席した職員は、出席した機関の職員から選んでください。")
        if not decisions and not minutes and "minutes" not in errors:
            errors["decisions"] = gettext("決定事項か議事録を書いてください。")
        if errors or held_on is None or actor.agency_id is None:
            raise CaseError(errors)
        conference = Conference.objects.create(
            case=case, regime=case.regime, support_meeting=case.support_meeting, held_on=held_on,
            agenda=agenda, decisions=decisions, recorded_by=actor,
            recorded_agency_id=actor.agency_id, recorded_at=clock.now())  # fmt: skip
        if minutes:
            meetings.save_minutes(ConferenceMinutes, conference, minutes, staff=actor,
                                  version=0, limit=MINUTES_MAX)  # fmt: skip
        ConferenceAgency.objects.bulk_create(
            [ConferenceAgency(conference=conference, agency=a, role=r) for a, r in present]
        )
        ConferenceAttendee.objects.bulk_create(
            [ConferenceAttendee(conference=conference, staff=s) for s in people]
        )
        codes = [a.code for a, _r in present]
        _events(EventKind.CASE_CONFERENCE_HELD, case, actor, regime=case.regime,
                held_on=held_on.isoformat(), agencies=codes, conference=conference.pk)  # fmt: skip
        _audit(actor, AuditAction.CREATE, case, "case conference held", regime=case.regime,
               agencies=codes, conference=conference.pk)  # fmt: skip
    return conference


class ConferenceMinutesConflict(CaseError, MinutesConflict):
    """The conference's minutes were saved by someone else since the writer opened them;
    ``yours`` and ``theirs`` hold both texts. Nothing was written."""


def _conference(case: Case, conference_id: object) -> Conference:
    text = str(conference_id)
    held = (
        Conference.objects.filter(case=case, pk=int(text)).first()
        if text.isascii() and text.isdigit() and len(text) < 13 else None
    )  # fmt: skip
    if held is None:
        raise CaseError({"conference": gettext("この事例の会議から選んでください。")})
    return held


def record_conference_minutes(
    actor: Staff, case_id: int, conference_id: int, text: str, *, version: int | None
) -> ConferenceMinutes:
    """Write or rewrite a conference's minutes, against the version the writer opened
    (0 when there were none): a stale save is refused with both texts, nothing lost."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _open_for_work(actor, case_id)
        held = _conference(case, conference_id)
        try:
            saved = meetings.save_minutes(
                ConferenceMinutes, held, text, staff=actor,
                version=version if isinstance(version, int) else -1,
                conflict=ConferenceMinutesConflict, limit=MINUTES_MAX,
            )  # fmt: skip
        except MeetingInputError as exc:
            raise CaseError(exc.errors) from exc
        minutes = saved.minutes
        assert isinstance(minutes, ConferenceMinutes)
        _events(EventKind.CASE_CONFERENCE_MINUTES, case, actor, conference=held.pk,
                minutes_version=minutes.version)  # fmt: skip
        _audit(actor, AuditAction.CREATE if saved.created else AuditAction.UPDATE, case,
               "case conference minutes", conference=held.pk, version=minutes.version)  # fmt: skip
    return minutes


@dataclass
class ConferenceActionInput:
    title: str = ""
    agency: str = ""  # the responsible team agency's code
    due_on: str = ""  # a working day, 2027-04-01


def add_conference_action(
    actor: Staff, case_id: int, conference_id: int, data: ConferenceActionInput
) -> ConferenceAction:
    """An action the conference assigned to one of the team's agencies (one the
    case's basis still covers), due on a working day not before the conference:
    it appears in that agency's worklist and turns overdue on the working-day calendar."""
    get_workable_case(actor, case_id)
    with transaction.atomic():
        case = _open_for_work(actor, case_id)
        held = _conference(case, conference_id)
        errors: dict[str, str] = {}
        agency = _agency_on_team(case, data.agency)
        if agency is None:
            errors["agency"] = gettext("担当機関を、この事例のチームの機関から選んでください。")
        elif not basis_holds(agency.pk, case):
            errors["agency"] = gettext(
                "%(name)s は、いまの情報共有の根拠（支援会議の決定または本人の同意）に"
                "含まれていないため、担当にできません。"
            ) % {"name": agency.name}
        due = _day_required(data.due_on, "due_on", errors)
        if due is not None and due < held.held_on:
            errors["due_on"] = gettext("期限が会議の開催日より前になっています。")
        elif due is not None:
            _working_day(due, "due_on", errors, gettext("期限"))
        try:
            meetings.clean_action(data.title, due or clock.today())
        except MeetingInputError as exc:
            errors.update({k: v for k, v in exc.errors.items() if k == "title"})
        if errors or agency is None or due is None:
            raise CaseError(errors)
        action = meetings.add_action(ConferenceAction, title=data.title, due_on=due,
                                     conference=held, agency=agency, added_by=actor)  # fmt: skip
        _events(EventKind.CASE_CONFERENCE_ACTION_ADDED, case, actor, conference=held.pk,
                action=action.pk, agency=agency.code, due_on=due.isoformat())  # fmt: skip
        _audit(actor, AuditAction.CREATE, case, "case conference action", conference=held.pk,
               conference_action=action.pk, agency=agency.code)  # fmt: skip
    return action


def may_complete_conference_action(actor: Staff, case: Case, action: ConferenceAction) -> bool:
    return action.agency_id == actor.agency_id or allowed(actor, Action.WORK_CASES, case)


def complete_conference_action(actor: Staff, case_id: int, action_id: int) -> ConferenceAction:
    """Mark a conference's action done today: a worker of its responsible agency,
    or the case's coordinating role."""
    case = get_workable_case(actor, case_id, to_work=False)
    action = (ConferenceAction.objects.filter(conference__case_id=case_id, pk=action_id)
              .select_related("agency").first())  # fmt: skip
    if action is None:
        raise CaseError({"action": gettext("この事例の会議で決めた行動から選んでください。")})
    if not may_complete_conference_action(actor, case, action):
        reason = gettext("この行動を完了にするのは、担当機関の職員か、事例の調整役です。")
        record(actor, AuditAction.DENIED, obj=case, person_id=case.person_id, reason=reason)
        raise PermissionDenied(reason)
    with transaction.atomic():
        case = _open_for_work(actor, case_id)
        action = ConferenceAction.objects.select_for_update().get(pk=action.pk)
        if meetings.complete_action(action):
            _events(EventKind.CASE_CONFERENCE_ACTION_DONE, case, actor,
                    conference_action=action.pk, agency=action.agency.code)  # fmt: skip
            _audit(actor, AuditAction.UPDATE, case, "case conference action done",
                   conference_action=action.pk)  # fmt: skip
    return action


# ── monitoring ──


@dataclass
class MonitoringInput:
    action: str = ""  # the plan action's id
    progress: str = ""
    note: str = ""


def record_monitoring(actor: Staff, case_id: int, data: MonitoringInput) -> MonitoringNote:
    """A progress note on one plan action, by the coordinating role or by a worker
    of the action's responsible agency. ``done`` marks the action done today."""
    case = get_workable_case(actor, case_id, to_work=False)
    text = data.action.strip() if isinstance(data.action, str) else ""
    action = (
        PlanAction.objects.filter(plan__case_id=case_id, pk=int(text), active=True).first()
        if text.isascii() and text.isdigit() and len(text) < 13 else None
    )  # fmt: skip
    if (
        action is not None
        and action.agency_id != actor.agency_id
        and not allowed(actor, Action.WORK_CASES, case)
    ):
        reason = gettext("この行動の経過は、担当機関の職員か、事例の調整役が記録します。")
        record(actor, AuditAction.DENIED, obj=case, person_id=case.person_id, reason=reason)
        raise PermissionDenied(reason)
    with transaction.atomic():
        case = _open_for_work(actor, case_id)
        errors: dict[str, str] = {}
        if action is None:
            errors["action"] = gettext("支援プランの行動を選んでください。")
        if data.progress not in Progress.values:
            errors["progress"] = gettext("進み具合を一覧から選んでください。")
        note = _text(data.note, "note", NOTE_MAX, errors)
        if errors or action is None or actor.agency_id is None:
            raise CaseError(errors)
        row = MonitoringNote.objects.create(
            case=case, action=action, progress=data.progress, note=note, written_by=actor,
            agency_id=actor.agency_id, written_at=clock.now())  # fmt: skip
        done_on = clock.today() if data.progress == Progress.DONE else None
        if action.done_on != done_on:
            action.done_on = done_on
            action.save(update_fields=["done_on"])
        _events(EventKind.CASE_MONITORED, case, actor, action=action.pk, progress=data.progress,
                agency=action.agency.code)  # fmt: skip
        _audit(actor, AuditAction.CREATE, case, "case monitored", plan_action=action.pk,
               progress=data.progress)  # fmt: skip
    return row


@dataclass
class Overdue:
    action: PlanAction | ConferenceAction  # a conference's action has ``conference_id``
    case: Case
    days: int  # working days past the due date


def overdue_actions(staff: Staff, work: list[Case] | None = None) -> list[Overdue]:
    """Plan actions and conference actions past their due date on the working-day
    calendar, not done, of the open cases the staff member sees (under 支援会議 once
    confirmed), most overdue first."""
    today = clock.today()
    cases = {c.pk: c for c in (worklist_cases(staff) if work is None else work)}
    plans = (
        PlanAction.objects.filter(plan__case_id__in=list(cases), active=True, done_on__isnull=True,
                                  due_on__lt=meetings.overdue_cutoff(today))
        .select_related("agency", "plan")
    )  # fmt: skip
    agreed = meetings.overdue(
        ConferenceAction.objects.filter(conference__case_id__in=list(cases)), today
    ).select_related("agency", "conference")
    found = [Overdue(a, cases[a.plan.case_id], meetings.overdue_days(a.due_on, today))
             for a in plans]  # fmt: skip
    found += [Overdue(a, cases[a.conference.case_id], a.overdue_days) for a in agreed]
    return sorted([o for o in found if o.days > 0], key=lambda o: (o.action.due_on, o.action.pk))


# Working days after opening by which a case is expected to have an agreed plan.
PLAN_EXPECTED_DAYS = 20


@dataclass
class Waiting:
    case: Case
    days: int  # working days since the case opened, or past the review date


def worklist_cases(staff: Staff, visible: list[Case] | None = None) -> list[Case]:
    """Open cases whose work the staff member may read: visible, confirmed under
    支援会議, and the person's support record open to their agency.

    ``visible``: ``visible_cases(staff)`` when the caller has it already (the
    cases list passes it, and this list, to each of its sections).
    """
    from tsunagari.cases.access import WORK_SECTION, unconfirmed
    from tsunagari.people.presenter import entitlements

    seen = [c for c in (visible_cases(staff) if visible is None else visible) if c.is_open]
    closed = unconfirmed(staff, seen)
    held = entitlements(staff, [c.person_id for c in seen])
    return [c for c in seen if c.pk not in closed and c.person_id in held
            and WORK_SECTION in held[c.person_id].sections]  # fmt: skip


def cases_without_plan(
    staff: Staff, days: int = PLAN_EXPECTED_DAYS, work: list[Case] | None = None
) -> list[Waiting]:
    """Open cases the staff member sees with no agreed plan ``days`` working days
    or more after opening, longest waiting first."""
    from tsunagari.consultations.limits import working_calendar

    today, calendar = clock.today(), working_calendar()
    cases = worklist_cases(staff) if work is None else work
    agreed = set(SupportPlan.objects.filter(case__in=cases, agreed_version__isnull=False)
                 .values_list("case_id", flat=True))  # fmt: skip
    rows = [Waiting(c, calendar.working_days_between(timezone.localdate(c.opened_at), today))
            for c in cases if c.pk not in agreed]  # fmt: skip
    return sorted([w for w in rows if w.days >= days], key=lambda w: -w.days)


def reviews_due(staff: Staff, work: list[Case] | None = None) -> list[Waiting]:
    """Open cases the staff member sees whose plan's review date has come, most
    overdue first (``days``: working days past the review date, 0 on the day)."""
    from tsunagari.consultations.limits import working_calendar

    today, calendar = clock.today(), working_calendar()
    cases = {c.pk: c for c in (worklist_cases(staff) if work is None else work)}
    plans = SupportPlan.objects.filter(case_id__in=list(cases), review_on__lte=today)
    rows = [Waiting(cases[p.case_id], calendar.working_days_between(p.review_on, today))
            for p in plans if p.review_on is not None]  # fmt: skip
    return sorted(rows, key=lambda w: -w.days)


@dataclass
class Assigned:
    action: PlanAction | ConferenceAction  # a conference's action has ``conference_id``
    case: Case
    overdue_days: int  # working days past the due date; 0 when not yet due


def agency_actions(staff: Staff, work: list[Case] | None = None) -> list[Assigned]:
    """The plan actions and conference actions the staff member's own agency is
    responsible for, not done, in the open cases it sees (under 支援会議 once the
    staff member confirmed), soonest due first: the agency's worklist of case actions."""
    if staff.agency_id is None:
        return []
    today = clock.today()
    cases = {c.pk: c for c in (worklist_cases(staff) if work is None else work)}
    plans = (
        PlanAction.objects.filter(plan__case_id__in=list(cases), agency_id=staff.agency_id,
                                  active=True, done_on__isnull=True)
        .select_related("plan")
    )  # fmt: skip
    agreed = (
        meetings.agency_open_actions(ConferenceAction, staff.agency_id)
        .filter(conference__case_id__in=list(cases))
        .select_related("conference", "agency")
    )
    rows = [Assigned(a, cases[a.plan.case_id], meetings.overdue_days(a.due_on, today))
            for a in plans]  # fmt: skip
    rows += [Assigned(a, cases[a.conference.case_id], a.overdue_days) for a in agreed]
    return sorted(rows, key=lambda r: (r.action.due_on, r.action.pk))
