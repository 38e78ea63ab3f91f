"""JSON API of the front door: the same services, policy and audit as the pages.

``router`` is mounted at /api/consultations, ``referrals_router`` at /api/referrals.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from tsunagari.accounts.models import Staff
from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.consultations.indicators import indicator_counts
from tsunagari.consultations.models import Consultation
from tsunagari.consultations.present import ReferralView, present_referral, present_referrals
from tsunagari.consultations.services import (
    ConsultationInput,
    DuplicatePerson,
    EditConflict,
    IntakeError,
    ReferralError,
    accept_referral,
    decline_referral,
    open_consultation,
    open_referral,
    receive_referral,
    record_referral_outcome,
    revoke_referral,
    save_consultation,
    send_referral,
)
from tsunagari.consultations.worklists import (
    my_consultations,
    overdue,
    sent_and_open,
    waiting_for_my_agency,
)
from tsunagari.lib.http import signed_in_staff

router = Router(tags=["consultations"])
referrals_router = Router(tags=["referrals"])


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = Field(default_factory=dict)


class NewPersonIn(Schema):
    name: str = Field("", max_length=120)
    kana: str = Field("", max_length=120)
    birth_date: str = Field("", max_length=40)
    sex: str = Field("", max_length=10)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=40)


class ConsultationIn(Schema):
    received_on: str = ""
    channel: str = ""
    service: str = ""
    visitor: str = ""
    visitor_relation: str = ""
    person_id: int | None = None
    new_person: NewPersonIn | None = None
    confirm_new: bool = False
    problems: list[str] = Field(default_factory=list, max_length=17)
    main_problem: str = ""
    work: str = ""
    housing: str = ""
    health_insurance: str = ""
    pension: str = ""
    notes: str = ""
    outcome: str = ""
    identity_check: str = Field(
        "",
        description="How the person's identity was confirmed when visitor is self "
        "(document, known, questions, other). Without it a recorded consultation "
        "opens nothing to the recording agency.",
    )
    identity_note: str = ""
    draft: bool = False


class ConsultationUpdateIn(ConsultationIn):
    version: int


class ConsultationOut(Schema):
    id: int
    agency: str
    received_on: date
    received_by: str
    status: str
    channel: str
    service: str
    visitor: str
    visitor_relation: str
    person_id: int | None
    problems: list[str]
    main_problem: str
    work: str
    housing: str
    health_insurance: str
    pension: str
    notes: str
    outcome: str
    identity_check: str
    version: int


class ReferralIn(Schema):
    consultation_id: int
    to_agency: str = Field(..., max_length=64)
    summary: str
    urgency: str = Field("normal", description="normal, soon or urgent")
    contact_preference: str = Field(
        "", description="How and when the person prefers to be contacted."
    )
    explained: str = Field("", description="What the person has been told about this referral.")


class ReasonIn(Schema):
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


class OutcomeIn(Schema):
    outcome: str
    note: str = ""


class PersonFactsOut(Schema):
    id: int
    name: str
    kana: str
    birth_date: date | None
    sex: str
    address: str
    phone: str
    contact_hidden: bool


class EventOut(Schema):
    at: datetime
    kind: str
    label: str
    actor: str
    agency: str


class ReferralOut(Schema):
    id: int
    side: str
    status: str
    from_agency: str
    to_agency: str
    sent_at: datetime
    due_at: datetime
    overdue: bool
    summary: str
    urgency: str
    contact_preference: str
    explained: str
    basis: str
    decline_reason: str
    outcome: str
    person: PersonFactsOut
    timeline: list[EventOut]
    actions: list[str]


class ReferralListOut(Schema):
    waiting: list[ReferralOut]
    overdue: list[ReferralOut]
    sent_open: list[ReferralOut]


class MonthServiceOut(Schema):
    month: str
    service: str
    count: int | None


class IndicatorsOut(Schema):
    start: date
    end: date
    small_cell_min: int
    consultations: int | None
    by_month_service: list[MonthServiceOut]
    referrals_sent: int | None
    referrals_closed: int | None
    closed_loop_rate: float | None


def _consultation_out(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.pk, "agency": c.agency.code, "received_on": c.received_on,
        "received_by": c.received_by.username, "status": c.status, "channel": c.channel,
        "service": c.service, "visitor": c.visitor, "visitor_relation": c.visitor_relation,
        "person_id": c.person_id, "problems": list(c.problems or []), "main_problem": c.main_problem,
        "work": c.work, "housing": c.housing, "health_insurance": c.health_insurance,
        "pension": c.pension, "notes": c.notes, "outcome": c.outcome, "identity_check": c.identity_check,
        "version": c.version,
    }  # fmt: skip


def _input(payload: ConsultationIn) -> ConsultationInput:
    data = payload.dict()
    for key in ("draft", "version"):
        data.pop(key, None)
    data["new_person"] = data.get("new_person") or {}
    return ConsultationInput(**data)


def _worker(request: HttpRequest) -> Staff:
    """The signed-in caller, once the policy lets them work on consultations."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CONSULTATIONS)
    return staff


def _duplicates(exc: DuplicatePerson) -> dict[str, Any]:
    return {"detail": str(exc), "errors": {"new_name": gettext(
        "似た方が登録されています。person_id で選ぶか confirm_new を true にしてください。")}}  # fmt: skip


@router.post("", response={201: ConsultationOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def create_consultation(request: HttpRequest, payload: ConsultationIn) -> Any:
    staff = _worker(request)
    try:
        c = save_consultation(staff, _input(payload), final=not payload.draft)
    except IntakeError as exc:
        return Status(422, {"detail": gettext("入力を確認してください。"), "errors": exc.errors})
    except DuplicatePerson as exc:
        return Status(409, _duplicates(exc))
    return Status(201, _consultation_out(c))


@router.get("", response={200: list[ConsultationOut], 403: ErrorOut})
def list_my_consultations(request: HttpRequest) -> Any:
    """The caller's own consultations, newest first (drafts included)."""
    staff = _worker(request)
    rows = my_consultations(staff)
    record_request(request, AuditAction.VIEW, object_type="consultations.consultation",
                   detail={"api": True, "ids": [c.pk for c in rows]})  # fmt: skip
    return [_consultation_out(c) for c in rows]


@router.get("/indicators", response={200: IndicatorsOut, 403: ErrorOut, 422: ErrorOut})
def indicators(request: HttpRequest, start: str, end: str) -> Any:
    """Counts for the plan's indicators (dates as YYYY-MM-DD); small cells are null."""
    # Dates are read after the permission check, so a caller without the
    # right learns nothing from validation messages.
    require(request.user, Action.VIEW_AGGREGATES)
    try:
        first, last = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    except ValueError:
        return Status(
            422,
            {"detail": gettext("start と end は YYYY-MM-DD で指定してください。"), "errors": {}},
        )
    if last < first or (last - first).days > 3660:
        return Status(
            422,
            {"detail": gettext("期間は start ≦ end、10年以内で指定してください。"), "errors": {}},
        )
    counts = indicator_counts(first, last)
    data = dict(counts.__dict__)
    data["by_month_service"] = [c.__dict__ for c in counts.by_month_service]
    return Status(200, data)


@router.get("/{consultation_id}", response={200: ConsultationOut, 403: ErrorOut, 404: ErrorOut})
def get_consultation(request: HttpRequest, consultation_id: int) -> Any:
    c = open_consultation(signed_in_staff(request), consultation_id, via="api")
    return Status(200, _consultation_out(c))


@router.put(
    "/{consultation_id}",
    response={200: ConsultationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def update_consultation(
    request: HttpRequest, consultation_id: int, payload: ConsultationUpdateIn
) -> Any:
    staff = _worker(request)
    try:
        c = save_consultation(staff, _input(payload), consultation_id=consultation_id,
                              expected_version=payload.version, final=not payload.draft)  # fmt: skip
    except IntakeError as exc:
        return Status(422, {"detail": gettext("入力を確認してください。"), "errors": exc.errors})
    except DuplicatePerson as exc:
        return Status(409, _duplicates(exc))
    except EditConflict as exc:
        detail = gettext(
            "%(problem)s 最新の版は %(version)s です。読み直してから保存してください。"
        )
        return Status(409, {"detail": detail % {"problem": exc, "version": exc.current.version},
                            "errors": {"version": str(exc.current.version)}})  # fmt: skip
    return Status(200, _consultation_out(c))


def _referral_out(view: ReferralView) -> dict[str, Any]:
    data = dict(view.__dict__)
    person = view.person
    data["person"] = {name: getattr(person, name) for name in PersonFactsOut.model_fields}
    data["timeline"] = [e.__dict__ for e in view.timeline]
    return data


@referrals_router.get("", response={200: ReferralListOut, 403: ErrorOut})
def list_referrals(request: HttpRequest) -> Any:
    staff = _worker(request)
    lists = {"waiting": waiting_for_my_agency(staff), "overdue": overdue(staff),
             "sent_open": sent_and_open(staff)}  # fmt: skip
    everything = [r for rows in lists.values() for r in rows]
    views = iter(present_referrals(staff, everything, request=request, detail={"api": True}))
    return {k: [_referral_out(next(views)) for _r in rows] for k, rows in lists.items()}


@referrals_router.post("", response={201: ReferralOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def create_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    staff = _worker(request)
    try:
        r = send_referral(staff, payload.consultation_id, to_agency=payload.to_agency,
                          summary=payload.summary, urgency=payload.urgency,
                          contact_preference=payload.contact_preference,
                          explained=payload.explained)  # fmt: skip
    except ReferralError as exc:
        return Status(409, {"detail": str(exc), "errors": exc.errors})
    return Status(201, _referral_out(present_referral(staff, r, request=request)))


@referrals_router.get("/{referral_id}", response={200: ReferralOut, 403: ErrorOut, 404: ErrorOut})
def get_referral(request: HttpRequest, referral_id: int) -> Any:
    staff = signed_in_staff(request)
    r = open_referral(staff, referral_id, via="api")
    return Status(200, _referral_out(present_referral(staff, r, request=request)))


def _transition(request: HttpRequest, referral_id: int, act: Any) -> Any:
    staff = _worker(request)
    try:
        r = act(staff, referral_id)
    except ReferralError as exc:
        return Status(409, {"detail": str(exc), "errors": exc.errors})
    return Status(200, _referral_out(present_referral(staff, r, request=request)))


_RESPONSES = {200: ReferralOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@referrals_router.post("/{referral_id}/receive", response=_RESPONSES)
def receive(request: HttpRequest, referral_id: int) -> Any:
    return _transition(request, referral_id, receive_referral)


@referrals_router.post("/{referral_id}/accept", response=_RESPONSES)
def accept(request: HttpRequest, referral_id: int, payload: NoteIn) -> Any:
    return _transition(
        request, referral_id, lambda s, pk: accept_referral(s, pk, note=payload.note)
    )


@referrals_router.post("/{referral_id}/decline", response=_RESPONSES)
def decline(request: HttpRequest, referral_id: int, payload: ReasonIn) -> Any:
    return _transition(
        request, referral_id, lambda s, pk: decline_referral(s, pk, reason=payload.reason)
    )


@referrals_router.post("/{referral_id}/revoke", response=_RESPONSES)
def revoke(request: HttpRequest, referral_id: int, payload: ReasonIn) -> Any:
    return _transition(
        request, referral_id, lambda s, pk: revoke_referral(s, pk, reason=payload.reason)
    )


@referrals_router.post("/{referral_id}/outcome", response=_RESPONSES)
def outcome(request: HttpRequest, referral_id: int, payload: OutcomeIn) -> Any:
    return _transition(
        request,
        referral_id,
        lambda s, pk: record_referral_outcome(s, pk, outcome=payload.outcome, note=payload.note),
    )
