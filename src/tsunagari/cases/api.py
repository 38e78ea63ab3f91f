"""JSON API of the multi-agency cases, mounted at /api/cases: the same
services, rules and presenter as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.cases.access import (
    get_case_for,
    get_workable_case,
    require_reads_work,
    unconfirmed,
)
from tsunagari.cases.models import Case, SourceKind, SupportPlan
from tsunagari.cases.services import (
    MAX_MEMBERS,
    MAX_TEAM,
    AssignInput,
    CaseError,
    CaseInput,
    CaseSource,
    EndInput,
    TeamInput,
    allowed_moves,
    assign_worker,
    end_case,
    move_stage,
    open_case,
    visible_cases,
)
from tsunagari.lib import clock
from tsunagari.lib.http import signed_in_staff
from tsunagari.meetings.services import overdue_days
from tsunagari.people.api import PersonOut, person_out
from tsunagari.people.presenter import Purpose, present_people, present_person

router = Router(tags=["cases"])


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = Field(default_factory=dict)


class TeamIn(Schema):
    agency: str = Field(..., max_length=64, description="Agency code.")
    role: str = Field("", max_length=200, description="The agency's role (60 characters at most).")


class CaseIn(Schema):
    need_id: int | None = Field(None, description="A multi-agency need the caller picked up.")
    source: str = Field(
        "",
        max_length=20,
        description=(
            "Instead of need_id: consultation, referral, outreach or candidate (with source_id)."
        ),
    )
    source_id: int | None = Field(None, description="The source record's number.")
    person: str = Field(
        "",
        max_length=13,
        description=("The case's person, when the source (a candidate) names several."),
    )
    regime: str = Field(..., max_length=40, description="support_meeting or layered.")
    team: list[TeamIn] = Field(..., max_length=MAX_TEAM + 1)
    lead: str = Field(
        "", max_length=150, description="The lead worker's username (default: caller)."
    )
    members: list[str] = Field(default_factory=list, max_length=MAX_MEMBERS + 1,
                               description="Household members' person ids.")  # fmt: skip


class StageIn(Schema):
    stage: str = Field(..., max_length=40, description="The next or previous stage.")


class EndIn(Schema):
    state: str = Field(..., max_length=20, description="closed (終結) or suspended (中断).")
    reason: str = Field(..., max_length=40)
    note: str = Field("", max_length=2000)
    handover_agency: str = Field("", max_length=64)
    handover_note: str = Field("", max_length=4000)


class TeamOut(Schema):
    agency: str
    agency_name: str
    role: str
    worker: str = ""


class CaseSummaryOut(Schema):
    id: int
    # None under 支援会議 until the caller confirmed the duty of confidentiality.
    person: PersonOut | None
    confidentiality_confirmed: bool = True
    stage: str
    state: str
    regime: str
    lead: str
    opened_at: datetime


class CaseOut(CaseSummaryOut):
    source: str
    source_id: int | None
    members: list[PersonOut]
    team: list[TeamOut]
    lead_agency: str
    allowed_moves: list[str]
    support_meeting_id: int | None
    consent_id: int | None
    end_reason: str
    end_note: str
    handover_agency: str | None
    handover_note: str


def _detail(request: HttpRequest, case: Case) -> dict[str, Any]:
    staff = signed_in_staff(request)
    person = present_person(staff, case.person, Purpose.VIEW, request=request,
                            detail={"case": case.pk, "api": True})  # fmt: skip
    members = present_people(staff, [m.person for m in case.members.select_related("person")],
                             Purpose.LIST, request=request, object_type="cases.case",
                             detail={"case": case.pk, "api": True})  # fmt: skip
    ended = not case.is_open
    return {
        "id": case.pk, "person": person_out(person), "stage": case.stage, "state": case.state,
        "regime": case.regime, "lead": case.lead.username, "opened_at": case.opened_at,
        "members": [person_out(v) for v in members],
        "source": case.source_kind, "source_id": case.source_id,
        "team": [{"agency": t.agency.code, "agency_name": t.agency.name, "role": t.role,
                  "worker": t.worker.username if t.worker else ""}
                 for t in case.team.select_related("agency", "worker")],
        "lead_agency": case.lead.agency.code if case.lead.agency else "",
        "allowed_moves": allowed_moves(case) if allowed(staff, Action.WORK_CASES, case) else [],
        "support_meeting_id": case.support_meeting_id, "consent_id": case.consent_id,
        "end_reason": case.end_reason if ended else "", "end_note": case.end_note if ended else "",
        "handover_agency": case.handover_agency.code if ended and case.handover_agency else None,
        "handover_note": case.handover_note if ended else "",
    }  # fmt: skip


def _refused(exc: CaseError) -> Any:
    return Status(422, {"detail": gettext("入力を確認してください。"), "errors": exc.errors})


@router.get("", response={200: list[CaseSummaryOut], 403: ErrorOut})
def list_cases(request: HttpRequest) -> Any:
    """The cases the caller's agency is on the team of and may see now, newest first."""
    staff = signed_in_staff(request)
    require(staff, Action.VIEW_PERSONAL_DATA)
    cases = visible_cases(staff)
    closed = unconfirmed(staff, cases)
    shown = [c for c in cases if c.pk not in closed]
    views = {v.id: v for v in present_people(
        staff, list({c.person_id: c.person for c in shown}.values()), Purpose.LIST,
        request=request, object_type="cases.case", detail={"cases": [c.pk for c in shown], "api": True})}  # fmt: skip
    return [
        {"id": c.pk, "person": None if c.pk in closed else person_out(views[c.person_id]),
         "confidentiality_confirmed": c.pk not in closed, "stage": c.stage, "state": c.state,
         "regime": c.regime, "lead": c.lead.username, "opened_at": c.opened_at}
        for c in cases
    ]  # fmt: skip


@router.post("", response={201: CaseOut, 403: ErrorOut, 422: ErrorOut})
def create_case(request: HttpRequest, payload: CaseIn) -> Any:
    staff = signed_in_staff(request)
    # Who may open cases at all is answered before what the body asks for.
    require(staff, Action.WORK_CASES)
    data = CaseInput(regime=payload.regime, lead=payload.lead, members=payload.members,
                     team=[TeamInput(t.agency, t.role) for t in payload.team],
                     person=payload.person)  # fmt: skip
    if payload.need_id is not None:
        source = CaseSource(SourceKind.NEED, payload.need_id)
    elif payload.source in SourceKind.values and payload.source_id is not None:
        source = CaseSource(payload.source, payload.source_id)
    else:
        return _refused(CaseError({"source": gettext(
            "need_id か、source（consultation・referral・outreach・candidate）と source_id を"
            "指定してください。")}))  # fmt: skip
    try:
        case = open_case(staff, source, data)
    except CaseError as exc:
        return _refused(exc)
    return Status(201, _detail(request, get_case_for(staff, case.pk)))


@router.get("/{case_id}", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut})
def get_case(request: HttpRequest, case_id: int) -> Any:
    case = get_workable_case(signed_in_staff(request), case_id, to_work=False)
    return Status(200, _detail(request, case))


@router.post(
    "/{case_id}/stage", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def case_stage(request: HttpRequest, case_id: int, payload: StageIn) -> Any:
    staff = signed_in_staff(request)
    try:
        move_stage(staff, case_id, payload.stage)
    except CaseError as exc:
        return _refused(exc)
    return Status(200, _detail(request, get_case_for(staff, case_id)))


class WorkerIn(Schema):
    agency: str = Field(..., max_length=64, description="The team agency's code.")
    worker: str = Field(..., max_length=150, description="The worker's username (of that agency).")
    lead: bool = Field(False, description="The worker becomes the lead (主担当).")


@router.post(
    "/{case_id}/workers", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def case_worker(request: HttpRequest, case_id: int, payload: WorkerIn) -> Any:
    """Name a team agency's worker on the case (or the lead)."""
    staff = signed_in_staff(request)
    try:
        assign_worker(staff, case_id, AssignInput(payload.agency, payload.worker, payload.lead))
    except CaseError as exc:
        return _refused(exc)
    return Status(200, _detail(request, get_case_for(staff, case_id)))


@router.post(
    "/{case_id}/close", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def case_close(request: HttpRequest, case_id: int, payload: EndIn) -> Any:
    """Close (終結) or suspend (中断) the case, with a reason and the agency that carries on."""
    staff = signed_in_staff(request)
    try:
        end_case(staff, case_id, EndInput(**payload.dict()))
    except CaseError as exc:
        return _refused(exc)
    return Status(200, _detail(request, get_case_for(staff, case_id)))


class PlanActionOut(Schema):
    id: int
    text: str
    agency: str
    due_on: date
    done_on: date | None
    overdue: bool


class PlanRevisionOut(Schema):
    number: int
    saved_by: str
    saved_at: datetime
    agreed_at: datetime | None
    conference_id: int | None
    content: dict[str, Any]


class PlanOut(Schema):
    version: int
    agreed_version: int | None
    goals: list[str]
    review_on: date | None
    actions: list[PlanActionOut]
    revisions: list[PlanRevisionOut]


class ConferenceAgencyOut(Schema):
    agency: str
    role: str


class ConferenceActionOut(Schema):
    id: int
    title: str
    agency: str
    due_on: date
    status: str
    done_on: date | None
    overdue: bool


class ConferenceOut(Schema):
    id: int
    regime: str
    held_on: date
    agencies: list[ConferenceAgencyOut]
    attendees: list[str]
    agenda: str
    minutes: str
    minutes_version: int
    decisions: str
    actions: list[ConferenceActionOut]


def _read(request: HttpRequest, case_id: int, what: str) -> Case:
    """The case for a read of its work: visible, and under 支援会議 confirmed; audited."""
    staff = signed_in_staff(request)
    case = get_workable_case(staff, case_id, to_work=False)
    require_reads_work(staff, case)
    record_request(request, AuditAction.VIEW, obj=case, person_id=case.person_id,
                   reason=f"case {what} (api)", detail={"case": case.pk, "api": True})  # fmt: skip
    return case


@router.get("/{case_id}/plan", response={200: PlanOut, 403: ErrorOut, 404: ErrorOut})
def get_plan(request: HttpRequest, case_id: int) -> Any:
    """The case's support plan: current goals, actions and every revision (404 if none yet)."""
    case = _read(request, case_id, "plan")
    plan = SupportPlan.objects.filter(case=case).first()
    if plan is None:
        return Status(404, {"detail": gettext("まだ支援プランがありません。")})
    today = clock.today()
    return {
        "version": plan.version, "agreed_version": plan.agreed_version, "goals": plan.goals,
        "review_on": plan.review_on,
        "actions": [{"id": a.pk, "text": a.text, "agency": a.agency.code, "due_on": a.due_on,
                     "done_on": a.done_on,
                     "overdue": a.done_on is None and overdue_days(a.due_on, today) > 0}
                    for a in plan.actions.filter(active=True).select_related("agency")],
        "revisions": [{"number": r.number, "saved_by": r.saved_by.username, "saved_at": r.saved_at,
                       "agreed_at": r.agreed_at, "conference_id": r.conference_id,
                       "content": r.content}
                      for r in plan.revisions.select_related("saved_by")],
    }  # fmt: skip


@router.get(
    "/{case_id}/conferences", response={200: list[ConferenceOut], 403: ErrorOut, 404: ErrorOut}
)
def list_conferences(request: HttpRequest, case_id: int) -> Any:
    """The case's conferences with their minutes, newest first: for the team only (under
    支援会議, confirmed workers of member agencies); there is no other export of them."""
    case = _read(request, case_id, "conferences")
    return [
        {"id": c.pk, "regime": c.regime, "held_on": c.held_on, "agenda": c.agenda,
         "minutes": c.minutes, "decisions": c.decisions,
         "minutes_version": c.minutes_record.version if hasattr(c, "minutes_record") else 0,
         "agencies": [{"agency": a.agency.code, "role": a.role}
                      for a in c.agencies.select_related("agency")],
         "attendees": [a.staff.username for a in c.attendees.select_related("staff")],
         "actions": [{"id": a.pk, "title": a.title, "agency": a.agency.code, "due_on": a.due_on,
                      "status": a.status, "done_on": a.done_on, "overdue": a.is_overdue}
                     for a in c.actions.select_related("agency")]}
        for c in case.conferences.select_related("minutes_record").order_by("-held_on", "-pk")
    ]  # fmt: skip
