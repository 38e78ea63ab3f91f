"""The actions on abuse and violence reports and on rights advocacy, one per verb.

Each checks the permission (``require_actor``), runs in one transaction,
writes a named event and the audit record, and reads the time from
``lib.clock``. Pages, the command and the demo call these.

Confidentiality: the reporter's identity is stored in ``ReporterIdentity``
only. Events carry states, laws, kinds and codes, never the reporter's type,
name, relation or contact, nor the typed notes; audit details likewise.

A report's steps: 受付 → 安全確認 → 事実確認 → コアメンバー会議 → モニタリング
→ 終結. A child's report is handed at filing to the child and family support
centre (or the child guidance centre) chosen in the form, with the hand-over
recorded; the ward's clocks stop there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from tsunagari.accounts.models import Agency, AgencyKind, Role, Staff
from tsunagari.accounts.policy import Action, actions_for, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.people.links import end_links, grant_links, source_note
from tsunagari.people.models import LinkBasis, Person
from tsunagari.safeguarding.clocks import clocks_of
from tsunagari.safeguarding.models import (
    PETITION_ORDER,
    AbuseKind,
    Advocacy,
    AdvocacyState,
    AdvocacySupport,
    CloseReason,
    Escalation,
    GuardianType,
    Law,
    Monitoring,
    Petition,
    PetitionStep,
    Report,
    ReporterIdentity,
    ReporterType,
    SafetyPlan,
    SealDecision,
    Separation,
    State,
    SupportKind,
    Urgency,
)

if TYPE_CHECKING:
    from tsunagari.cases.models import Case

SUMMARY_MAX = 4000
NOTE_MAX = 1000
SHORT_MAX = 500
NAME_MAX = 120
RELATION_MAX = 60
CONTACT_MAX = 120
SUBJECT_MAX = 200
# Agencies a child's report may be handed to.
CHILD_AGENCY_KINDS = (AgencyKind.CHILD_FAMILY_CENTRE,)


class SafeguardingError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix."""


_read = Reader(gettext)
_text = _read.text


def _team_link(report: Report, actor: Staff | None) -> None:
    """The team's agency works the person's case under the abuse laws (a
    statutory basis, no consent needed): it may see the person's record."""
    if report.person_id is None or actor is None or actor.agency_id is None:
        return
    grant_links(report.person, [actor.agency_id], LinkBasis.CASE,  # type: ignore[arg-type]
                note=source_note("safeguarding", report.pk))  # fmt: skip


def _event(kind: EventKind, report: Report, actor: Staff | None, **data: Any) -> None:
    write_event(kind, report, actor, person_id=report.person_id, law=report.law,
                state=report.state, **data)  # fmt: skip


def _audit(actor: Staff | None, action: AuditAction, report: Report, reason: str,
           **detail: object) -> None:  # fmt: skip
    record(actor, action, obj=report, person_id=report.person_id or "", reason=reason,
           detail={"state": report.state, **detail})  # fmt: skip


def _stepped(report: Report, actor: Staff | None, kind: EventKind, reason: str, *,
             team: bool = True, audit: dict[str, object] | None = None, **facts: Any) -> None:  # fmt: skip
    """Save a step taken on ``report`` as its next version, with the step's event
    (``facts``) and audit record (``audit``); ``team``: the team's agency keeps
    access to the person (see ``_team_link``)."""
    report.version += 1
    report.save()
    if team:
        _team_link(report, actor)
    _event(kind, report, actor, **facts)
    _audit(actor, AuditAction.UPDATE, report, reason, **(audit or {}))


def _locked(report_id: int, *states: str) -> Report:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise SafeguardingError({"report": gettext("その番号の通報はありません。")})
    if states and report.state not in states:
        raise SafeguardingError({"state": gettext(
            "この通報は「%(state)s」のため、この手続きはできません。ページを開き直してください。"
        ) % {"state": report.get_state_display()}})  # fmt: skip
    return report


def _person(raw: object, errors: dict[str, str], name: str = "person") -> Person | None:
    text = str(raw or "").strip()
    if not text:
        return None
    # Only ASCII digits that fit a database key: "²" or "①" pass isdigit()
    # but not int(), and a number of many digits overflows the column.
    number = text.isascii() and text.isdigit() and len(text) <= 18
    person = Person.objects.filter(pk=int(text)).first() if number else None
    if person is None:
        errors[name] = gettext("その番号の方は登録されていません。番号を確かめてください。")
    return person


# ── filing ─────────────────────────────────────────────────────────────────


@dataclass
class ReportInput:
    law: str
    person: str = ""
    subject_note: str = ""
    kinds: list[str] = field(default_factory=list)
    summary: str = ""
    reporter_type: str = ""
    reporter_name: str = ""
    reporter_relation: str = ""
    reporter_contact: str = ""
    # A child's report: the centre it is handed to at once (agency code).
    hand_to: str = ""


def file_report(actor: Staff, data: ReportInput) -> Report:
    """Receive a report (通報・届出). Anyone who works with people may file one."""
    require_actor(actor, Action.FILE_SAFEGUARDING_REPORT)
    errors: dict[str, str] = {}
    if data.law not in Law.values:
        errors["law"] = gettext("通報の種別を選んでください。")
    kinds = [k for k in dict.fromkeys(data.kinds) if k]
    if any(k not in AbuseKind.values for k in kinds):
        errors["kinds"] = gettext("虐待の種類は一覧から選んでください。")
    person = _person(data.person, errors)
    subject = _text(data.subject_note, "subject_note", errors, limit=SUBJECT_MAX)
    if person is None and not subject and "person" not in errors:
        errors["person"] = gettext(
            "対象の方の登録番号か、わかる範囲の手がかり（地域・年代など）を入力してください。"
        )
    summary = _text(data.summary, "summary", errors, limit=SUMMARY_MAX,
                    required=gettext("通報の内容（何が、いつ、どこで）を入力してください。"))  # fmt: skip
    if data.reporter_type not in ReporterType.values:
        errors["reporter_type"] = gettext(
            "通報者の種別を選んでください（名乗らない場合は「匿名」）。"
        )
    name = _text(data.reporter_name, "reporter_name", errors, limit=NAME_MAX)
    relation = _text(data.reporter_relation, "reporter_relation", errors, limit=RELATION_MAX)
    contact = _text(data.reporter_contact, "reporter_contact", errors, limit=CONTACT_MAX)
    handed: Agency | None = None
    if data.law == Law.CHILD:
        handed = Agency.objects.filter(code=str(data.hand_to or "").strip(), is_active=True,
                                       kind__in=CHILD_AGENCY_KINDS).first()  # fmt: skip
        if handed is None:
            errors["hand_to"] = gettext(
                "子どもの通報は、すぐに送致する子ども家庭支援センターを選んでください。"
            )
    if errors:
        raise SafeguardingError(errors)
    now = clock.now()
    with transaction.atomic():
        report = Report.objects.create(
            law=data.law, person=person, subject_note=subject, kinds=kinds, summary=summary,
            received_at=now, filed_by=actor, filed_agency_id=actor.agency_id,
        )  # fmt: skip
        ReporterIdentity.objects.create(report=report, reporter_type=data.reporter_type,
                                        name=name, relation=relation, contact=contact)  # fmt: skip
        _event(EventKind.SAFEGUARDING_REPORTED, report, actor, kinds=kinds)
        _audit(actor, AuditAction.CREATE, report, "safeguarding report filed")
        if handed is not None:
            report.state = State.HANDED_OVER
            report.handed_to = handed
            report.handed_at = now
            report.save(update_fields=["state", "handed_to", "handed_at"])
            if person is not None:
                grant_links(person, [handed.pk], LinkBasis.CASE,
                            note=source_note("safeguarding", report.pk))  # fmt: skip
            _event(EventKind.SAFEGUARDING_HANDED_OVER, report, actor, to=handed.code)
            _audit(actor, AuditAction.RELEASE, report, "child report handed over",
                   to=handed.code)  # fmt: skip
    return report


# ── the team's steps ───────────────────────────────────────────────────────


def confirm_safety(actor: Staff | None, report_id: int, note: str) -> Report:
    """安全確認: someone saw the person (or confirmed safety otherwise) now."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    text = _text(note, "note", errors, limit=SHORT_MAX,
                 required=gettext("誰が、どのように安全を確認したかを入力してください。"))  # fmt: skip
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        report = _locked(report_id, State.RECEIVED)
        report.state, report.safety_at, report.safety_note = (
            State.SAFETY_CONFIRMED,
            clock.now(),
            text,
        )
        in_time = not clocks_of(report)[0].late()
        _stepped(report, actor, EventKind.SAFEGUARDING_SAFETY_CONFIRMED, "safety confirmed",
                 in_time=in_time)  # fmt: skip
    return report


def record_facts(actor: Staff | None, report_id: int, note: str) -> Report:
    """事実確認: what was found (visits, records, interviews)."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    text = _text(note, "note", errors, limit=SUMMARY_MAX,
                 required=gettext("確認した事実（訪問・聞き取り・記録）を入力してください。"))  # fmt: skip
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        report = _locked(report_id, State.SAFETY_CONFIRMED)
        report.state, report.facts_at, report.facts_note = State.FACTS_FOUND, clock.now(), text
        _stepped(report, actor, EventKind.SAFEGUARDING_FACTS_FOUND, "facts found")
    return report


@dataclass
class DecisionInput:
    recognised: str  # "yes" / "no"
    urgency: str = ""
    separation: str = ""
    kinds: list[str] = field(default_factory=list)
    note: str = ""


def decide(actor: Staff | None, report_id: int, data: DecisionInput) -> Report:
    """コアメンバー会議: abuse recognised or not, how urgent, whether to separate."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    if data.recognised not in {"yes", "no"}:
        errors["recognised"] = gettext("虐待と認めるかどうかを選んでください。")
    if data.urgency not in Urgency.values:
        errors["urgency"] = gettext("緊急性を選んでください。")
    if data.separation not in Separation.values:
        errors["separation"] = gettext("分離の要否を選んでください。")
    elif data.recognised == "no" and data.separation == Separation.MEASURE:
        errors["separation"] = gettext(
            "虐待と認めない場合、やむを得ない事由による措置は選べません。判断を確かめてください。"
        )
    kinds = [k for k in dict.fromkeys(data.kinds) if k]
    if any(k not in AbuseKind.values for k in kinds):
        errors["kinds"] = gettext("虐待の種類は一覧から選んでください。")
    if data.recognised == "yes" and not kinds:
        errors["kinds"] = gettext("虐待と認める場合は、虐待の種類を1つ以上選んでください。")
    text = _text(data.note, "note", errors, limit=SUMMARY_MAX,
                 required=gettext("会議の出席者と判断の理由を入力してください。"))  # fmt: skip
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        report = _locked(report_id, State.FACTS_FOUND)
        report.recognised = data.recognised == "yes"
        report.urgency, report.separation, report.decision_note = (
            data.urgency, data.separation, text)  # fmt: skip
        if kinds:
            report.kinds = kinds
        report.decided_at = clock.now()
        report.state = State.MONITORING
        _stepped(report, actor, EventKind.SAFEGUARDING_DECIDED, "core-member meeting decided",
                 audit={"recognised": report.recognised, "separation": report.separation},
                 recognised=report.recognised, urgency=report.urgency,
                 separation=report.separation, kinds=report.kinds)  # fmt: skip
    return report


def monitor(actor: Staff, report_id: int, note: str) -> Monitoring:
    """A monitoring visit or review after the decision."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    text = _text(note, "note", errors, limit=NOTE_MAX,
                 required=gettext("モニタリングで確かめたことを入力してください。"))  # fmt: skip
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        report = _locked(report_id, State.MONITORING)
        at = clock.now()
        row = Monitoring.objects.create(report=report, at=at, by=actor, note=text)
        report.monitored_at = at
        _stepped(report, actor, EventKind.SAFEGUARDING_MONITORED, "monitored", team=False)
    return row


def close_report(actor: Staff | None, report_id: int, reason: str, note: str = "") -> Report:
    """終結, with a reason; the team's access to the person ends with it."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    if reason not in CloseReason.values:
        errors["reason"] = gettext("終結の理由を選んでください。")
    text = _text(note, "close_note", errors, limit=SHORT_MAX,
                 required=gettext("「その他」の場合は理由を入力してください。")
                 if reason == CloseReason.OTHER else "")  # fmt: skip
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        report = _locked(report_id, State.RECEIVED, State.SAFETY_CONFIRMED, State.FACTS_FOUND,
                         State.MONITORING)  # fmt: skip
        if report.state != State.MONITORING and reason != CloseReason.NOT_RECOGNISED:
            if report.safety_at is None:
                raise SafeguardingError({"reason": gettext(
                    "安全確認の前に終結できるのは「虐待ではないと判断」の場合だけです。"
                )})  # fmt: skip
        report.state, report.closed_at = State.CLOSED, clock.now()
        report.close_reason, report.close_note = reason, text
        report.version += 1
        report.save()
        if report.person_id is not None:
            end_links(basis=LinkBasis.CASE, note=source_note("safeguarding", report.pk),
                      person=report.person)  # fmt: skip
        _event(EventKind.SAFEGUARDING_CLOSED, report, actor, reason=reason)
        _audit(actor, AuditAction.UPDATE, report, "closed", close_reason=reason)
    return report


def identify_person(actor: Staff, report_id: int, person_id: str) -> Report:
    """Tie a report filed with only clues to the registered person."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    person = _person(person_id, errors)
    if person is None:
        errors.setdefault("person", gettext("対象の方の登録番号を入力してください。"))
        raise SafeguardingError(errors)
    with transaction.atomic():
        report = _locked(report_id)
        if report.person_id is not None:
            raise SafeguardingError({"person": gettext("この通報の対象者はすでに登録済みです。")})
        report.person = person
        _stepped(report, actor, EventKind.SAFEGUARDING_PERSON_IDENTIFIED, "person identified")
    return report


# ── the clocks' escalation ─────────────────────────────────────────────────


def _supervisors(agency_ids: set[int]) -> str:
    names = [
        f"{s.display_name}（{s.agency.name if s.agency else ''}）"
        for s in Staff.objects.filter(agency_id__in=agency_ids, is_active=True)
        .select_related("agency").order_by("pk")
        if Role.SUPERVISOR in (s.roles or [])
    ]  # fmt: skip
    return "、".join(names)[:300]


def team_agency_ids() -> set[int]:
    """Agencies of the designated team (staff with ``safeguarding_access``)."""
    return set(
        Staff.objects.filter(
            safeguarding_access=True, is_active=True, agency__isnull=False
        ).values_list("agency_id", flat=True)
    )


def escalate_overdue(actor: Staff | None = None) -> list[Escalation]:
    """Tell the supervisor of every clock that ran over, once per clock and due time.

    Run by ``tsunagari safeguarding clocks`` (e.g. hourly from cron) and each
    time the team's list is opened, so an overrun is escalated within the
    hour even at night. Idempotent: an escalated clock is not escalated again.
    """
    if actor is not None:
        require_actor(actor, Action.WORK_SAFEGUARDING)
    now = clock.now()
    told = _supervisors(team_agency_ids()) or gettext("（監督職員が登録されていません）")
    made: list[Escalation] = []
    open_reports = Report.objects.filter(
        state__in=[State.RECEIVED, State.SAFETY_CONFIRMED, State.FACTS_FOUND, State.MONITORING]
    )
    for report in open_reports:
        for c in clocks_of(report):
            if not c.overdue(now):
                continue
            with transaction.atomic():
                row, created = Escalation.objects.get_or_create(
                    report=report, clock=c.clock, due_at=c.due_at,
                    defaults={"at": now, "told": told},
                )  # fmt: skip
                if not created:
                    continue
                hours = int((now - c.due_at).total_seconds() // 3600)
                _event(EventKind.SAFEGUARDING_ESCALATED, report, None, clock=c.clock,
                       due_at=c.due_at.isoformat(), hours_over=hours)  # fmt: skip
                _audit(None, AuditAction.UPDATE, report, "clock overrun escalated",
                       clock=c.clock)  # fmt: skip
                made.append(row)
    return made


# ── protection ─────────────────────────────────────────────────────────────


def seal_address(actor: Staff, report_id: int, registry_note: str = "") -> SealDecision:
    """Decide to seal the person's address (DV等支援措置) and apply the seal.

    The seal is set through the people app's own edit action
    (``people.services.update_person``), so its rules, history and event
    apply; the presenter reads it live everywhere from then on.
    """
    from tsunagari.people.services import PersonError, PersonInput, update_person

    require_actor(actor, Action.WORK_SAFEGUARDING)
    if Action.VIEW_SEALED_CONTACT not in actions_for(actor):
        raise PermissionDenied(gettext("閲覧制限の設定は指定職員（閲覧制限の担当）が行います。"))
    errors: dict[str, str] = {}
    note = _text(registry_note, "registry_note", errors, limit=200)
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        report = _locked(report_id)
        if report.person_id is None:
            raise SafeguardingError({"person": gettext(
                "対象の方が登録されていないため、閲覧制限を設定できません。先に対象者を特定してください。"
            )})  # fmt: skip
        _team_link(report, actor)
        person = Person.objects.get(pk=report.person_id)
        if not person.sealed:
            try:
                update_person(actor, person.pk, PersonInput(
                    name=person.full_name, kana=person.full_kana,
                    birth_date=person.birth_date.isoformat() if person.birth_date else "",
                    sex=person.sex, address=person.address, phone=person.phone,
                    resident_id=person.resident_id, sealed=True,
                ), expected_version=person.version)  # fmt: skip
            except PersonError as exc:
                raise SafeguardingError({"person": "; ".join(exc.errors.values())}) from exc
        decision = SealDecision.objects.create(report=report, person=person, at=clock.now(),
                                               by=actor, registry_note=note)  # fmt: skip
        _event(EventKind.SAFEGUARDING_SEALED, report, actor)
        _audit(actor, AuditAction.UPDATE, report, "address sealed")
    return decision


@dataclass
class SafetyPlanInput:
    measures: str
    risks: str = ""
    contacts: str = ""
    review_on: str = ""
    expected_version: int = 0


def open_case_of(person_id: int | None) -> Case | None:
    """The person's open multi-agency case, if any (the newest)."""
    if person_id is None:
        return None
    from tsunagari.cases.models import Case, CaseState

    return (
        Case.objects.filter(person_id=person_id, state=CaseState.OPEN)
        .order_by("-opened_at")
        .first()
    )


def record_safety_plan(actor: Staff, report_id: int, data: SafetyPlanInput) -> SafetyPlan:
    """Write or revise the safety plan kept with the report (linked to the person's case)."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    measures = _text(data.measures, "measures", errors, limit=SUMMARY_MAX,
                     required=gettext("安全のための取り決めを入力してください。"))  # fmt: skip
    risks = _text(data.risks, "risks", errors, limit=SUMMARY_MAX)
    contacts = _text(data.contacts, "contacts", errors, limit=NOTE_MAX)
    review = _read.date(data.review_on, "review_on", errors)
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        report = _locked(report_id)
        if not report.is_open:
            raise SafeguardingError(
                {"measures": gettext("終結・送致した通報の安全計画は変更できません。")}
            )
        case = open_case_of(report.person_id)
        plan = SafetyPlan.objects.select_for_update().filter(report=report).first()
        now = clock.now()
        if plan is None:
            plan = SafetyPlan(report=report, version=0)
        elif plan.version != data.expected_version:
            raise SafeguardingError({"measures": gettext(
                "安全計画は、編集を始めた後に別の職員が保存しています。ページを開き直してください。"
            )})  # fmt: skip
        plan.case = case
        plan.risks, plan.measures, plan.contacts, plan.review_on = risks, measures, contacts, review
        plan.updated_at, plan.updated_by = now, actor
        plan.version += 1
        plan.save()
        _event(EventKind.SAFETY_PLAN_RECORDED, report, actor, version=plan.version,
               case=case.pk if case else None)  # fmt: skip
        _audit(actor, AuditAction.UPDATE, report, "safety plan recorded", version=plan.version)
    return plan


# ── rights advocacy ────────────────────────────────────────────────────────


def _advocacy_event(advocacy: Advocacy, actor: Staff | None, step: str, **data: Any) -> None:
    write_event(EventKind.ADVOCACY_STEP, advocacy, actor, person_id=advocacy.person_id,
                step=step, **data)  # fmt: skip
    record(actor, AuditAction.UPDATE if step != "opened" else AuditAction.CREATE, obj=advocacy,
           person_id=advocacy.person_id, reason=f"advocacy {step}", detail={"step": step})  # fmt: skip


@dataclass
class AdvocacyInput:
    person: str
    needs_guardian: bool = True
    reason: str = ""
    report: str = ""


def open_advocacy(actor: Staff, data: AdvocacyInput) -> Advocacy:
    """Start supporting a person who may need a guardian or other advocacy."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    person = _person(data.person, errors)
    if person is None and "person" not in errors:
        errors["person"] = gettext("対象の方の登録番号を入力してください。")
    reason = _text(data.reason, "reason", errors, limit=SHORT_MAX,
                   required=gettext("支援が必要な理由を入力してください。"))  # fmt: skip
    report = None
    if str(data.report or "").strip():
        report = Report.objects.filter(
            pk=int(data.report) if str(data.report).isdigit() else 0
        ).first()
        if report is None:
            errors["report"] = gettext("その番号の通報はありません。")
    if errors or person is None:
        raise SafeguardingError(errors)
    with transaction.atomic():
        if Advocacy.objects.filter(person=person, state=AdvocacyState.OPEN).exists():
            raise SafeguardingError(
                {"person": gettext("この方の権利擁護支援はすでに始まっています。")}
            )
        advocacy = Advocacy.objects.create(person=person, opened_at=clock.now(), opened_by=actor,
                                           needs_guardian=data.needs_guardian, reason=reason,
                                           report=report)  # fmt: skip
        if actor is not None and actor.agency_id is not None:
            grant_links(person, [actor.agency_id], LinkBasis.CASE,
                        note=source_note("advocacy", advocacy.pk))  # fmt: skip
        _advocacy_event(advocacy, actor, "opened", needs_guardian=data.needs_guardian)
    return advocacy


def start_petition(actor: Staff, advocacy_id: int, guardian_type: str, note: str = "") -> Petition:
    """Begin a mayor's petition (市区町村長申立て) for the person."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    if guardian_type not in GuardianType.values:
        errors["guardian_type"] = gettext("類型（後見・保佐・補助）を選んでください。")
    text = _text(note, "note", errors, limit=SHORT_MAX)
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        advocacy = Advocacy.objects.select_for_update().get(pk=advocacy_id)
        if advocacy.state != AdvocacyState.OPEN:
            raise SafeguardingError(
                {"guardian_type": gettext("終了した支援では申立てを始められません。")}
            )
        if advocacy.petitions.exclude(step__in=[PetitionStep.APPOINTED,
                                                PetitionStep.WITHDRAWN]).exists():  # fmt: skip
            raise SafeguardingError({"guardian_type": gettext("進行中の申立てがあります。")})
        petition = Petition.objects.create(advocacy=advocacy, guardian_type=guardian_type,
                                           started_at=clock.now(), note=text)  # fmt: skip
        _advocacy_event(advocacy, actor, PetitionStep.STARTED, petition=petition.pk,
                        guardian_type=guardian_type)  # fmt: skip
    return petition


_STEP_FIELD = {
    PetitionStep.RELATIVES: "relatives_at",
    PetitionStep.CERTIFICATE: "certificate_at",
    PetitionStep.PETITIONED: "petitioned_at",
    PetitionStep.APPOINTED: "appointed_at",
    PetitionStep.WITHDRAWN: "withdrawn_at",
}


def next_steps(petition: Petition) -> list[str]:
    """The steps the petition may take now: the next one in order, or withdrawal."""
    if petition.step in {PetitionStep.APPOINTED, PetitionStep.WITHDRAWN}:
        return []
    at = PETITION_ORDER.index(PetitionStep(petition.step))
    return [PETITION_ORDER[at + 1], PetitionStep.WITHDRAWN]


def advance_petition(actor: Staff, petition_id: int, step: str, guardian: str = "",
                     note: str = "") -> Petition:  # fmt: skip
    """Record the petition's next step (in order) or its withdrawal."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    who = _text(guardian, "guardian", errors, limit=NAME_MAX)
    text = _text(note, "note", errors, limit=SHORT_MAX)
    if step == PetitionStep.APPOINTED and not who:
        errors["guardian"] = gettext("選任された後見人等（氏名・法人名）を入力してください。")
    if step == PetitionStep.WITHDRAWN and not text:
        errors["note"] = gettext("取り下げ・中止の理由を入力してください。")
    with transaction.atomic():
        petition = (
            Petition.objects.select_for_update().select_related("advocacy").get(pk=petition_id)
        )
        if step not in next_steps(petition):
            errors["step"] = gettext(
                "申立ては順に進めてください（親族調査 → 診断書 → 申立て → 選任）。"
            )
        if errors:
            raise SafeguardingError(errors)
        petition.step = step
        setattr(petition, _STEP_FIELD[PetitionStep(step)], clock.now())
        if who:
            petition.guardian = who
        if text:
            petition.note = text
        petition.save()
        _advocacy_event(petition.advocacy, actor, step, petition=petition.pk)
    return petition


@dataclass
class SupportInput:
    kind: str
    amount: str = ""
    agency: str = ""
    note: str = ""


def add_support(actor: Staff, advocacy_id: int, data: SupportInput) -> AdvocacySupport:
    """A fee subsidy (報酬助成) granted, or a referral to 日常生活自立支援事業."""
    require_actor(actor, Action.WORK_SAFEGUARDING)
    errors: dict[str, str] = {}
    amount: int | None = None
    agency: Agency | None = None
    if data.kind not in SupportKind.values:
        errors["kind"] = gettext("支援の種類を選んでください。")
    elif data.kind == SupportKind.FEE_SUBSIDY:
        text = str(data.amount or "").strip().replace(",", "")
        if not text.isdigit() or not 0 < int(text) <= 10_000_000:
            errors["amount"] = gettext("助成額を円で入力してください（例: 28000）。")
        else:
            amount = int(text)
    else:
        agency = Agency.objects.filter(code=str(data.agency or "").strip(), is_active=True,
                                       kind=AgencyKind.SOCIAL_WELFARE_COUNCIL).first()  # fmt: skip
        if agency is None:
            errors["agency"] = gettext("つなぐ社会福祉協議会を選んでください。")
    note = _text(data.note, "note", errors, limit=SHORT_MAX)
    if errors:
        raise SafeguardingError(errors)
    with transaction.atomic():
        advocacy = Advocacy.objects.select_for_update().get(pk=advocacy_id)
        if advocacy.state != AdvocacyState.OPEN:
            raise SafeguardingError({"kind": gettext("終了した支援には記録できません。")})
        row = AdvocacySupport.objects.create(advocacy=advocacy, kind=data.kind, at=clock.now(),
                                             by=actor, amount=amount, agency=agency, note=note)  # fmt: skip
        _advocacy_event(advocacy, actor, data.kind, amount=amount,
                        to=agency.code if agency else None)  # fmt: skip
    return row


def close_advocacy(actor: Staff, advocacy_id: int) -> Advocacy:
    require_actor(actor, Action.WORK_SAFEGUARDING)
    with transaction.atomic():
        advocacy = Advocacy.objects.select_for_update().get(pk=advocacy_id)
        if advocacy.state != AdvocacyState.OPEN:
            raise SafeguardingError({"state": gettext("この支援はすでに終了しています。")})
        advocacy.state = AdvocacyState.CLOSED
        advocacy.save(update_fields=["state"])
        end_links(basis=LinkBasis.CASE, note=source_note("advocacy", advocacy.pk),
                  person=advocacy.person)  # fmt: skip
        _advocacy_event(advocacy, actor, "closed")
    return advocacy
