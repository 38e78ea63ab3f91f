"""The JSON API. Same policy layer as the pages; OpenAPI at /api/docs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer, django_auth

from tsunagari import __version__
from tsunagari.accounts import tokens
from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.policy import Action, actions_for, require
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.audit.services import events_about, newest_first, record_request, verify
from tsunagari.lib.http import signed_in_staff


class TokenAuth(HttpBearer):
    """``Authorization: Bearer tsg_…`` with a token issued by ``tsunagari token``.

    A token that is unknown, expired, revoked or whose owner is inactive is
    answered 401 with the reason (the caller holds the secret already, so
    the reason tells them nothing they could not learn).
    """

    def authenticate(self, request: HttpRequest, token: str) -> Staff | None:
        try:
            staff = tokens.authenticate(token)
        except tokens.TokenRefused as exc:
            raise AuthenticationError(message=str(exc)) from None
        request.user = staff
        return staff


api = NinjaAPI(
    title="Tsunagari API",
    version=__version__,
    description="つながり — 重層的支援体制整備事業のための API。権限は画面と同じ規則で判定されます。",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


api.add_router("/hsds/", "tsunagari.resources.api.router")
api.add_router("/people", "tsunagari.people.api.router")
api.add_router("/consultations", "tsunagari.consultations.api.router")
api.add_router("/referrals", "tsunagari.consultations.api.referrals_router")
api.add_router("/surveys", "tsunagari.surveys.api.router")
api.add_router("/council", "tsunagari.council.api.router")
api.add_router("/cases", "tsunagari.cases.api.router")


class ErrorOut(Schema):
    detail: str


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "権限がありません。"}, status=403)


class AgencyOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    town: str
    phone: str


class MeOut(Schema):
    username: str
    display_name: str
    agency: AgencyOut | None
    roles: list[str]
    actions: list[str]


class AuditEventOut(Schema):
    seq: int | None  # None until the event is sealed (chained)
    at: datetime
    actor_username: str
    agency_code: str
    action: str
    object_type: str
    object_id: str
    person_id: str
    reason: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    problems: list[str]
    unsealed: int = 0
    oldest_unsealed_at: datetime | None = None
    verified_at: datetime


class HealthOut(Schema):
    status: str
    version: str


@api.get("/health", auth=None, response=HealthOut, tags=["system"])
def health(request: HttpRequest) -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


@api.get("/me", response=MeOut, tags=["accounts"])
def me(request: HttpRequest) -> dict[str, Any]:
    staff = signed_in_staff(request)
    return {
        "username": staff.username,
        "display_name": staff.display_name,
        "agency": staff.agency,
        "roles": list(staff.roles or []),
        "actions": sorted(str(a) for a in actions_for(staff)),
    }


@api.get("/agencies", response={200: list[AgencyOut], 403: ErrorOut}, tags=["accounts"])
def list_agencies(request: HttpRequest) -> Any:
    require(request.user, Action.VIEW_AGENCIES)
    return list(Agency.objects.filter(is_active=True).order_by("kind", "name"))


@api.get("/audit/events", response={200: list[AuditEventOut], 403: ErrorOut}, tags=["audit"])
@paginate(LimitOffsetPagination)
def list_audit_events(request: HttpRequest, person: str = "") -> Any:
    require(request.user, Action.VIEW_AUDIT_LOG)
    staff = signed_in_staff(request)
    events = newest_first(events_about(person) if person else AuditEvent.objects.all())
    if Action.VERIFY_AUDIT not in actions_for(staff):
        events = events.filter(agency_code=staff.agency.code if staff.agency else "-")
    record_request(
        request,
        AuditAction.VIEW,
        object_type="audit.auditevent",
        detail={"api": True, "person": person[:64]},
    )
    return events


@api.post("/audit/verify", response={200: VerifyOut, 403: ErrorOut}, tags=["audit"])
def verify_audit(request: HttpRequest) -> Any:
    require(request.user, Action.VERIFY_AUDIT)
    report = verify()
    return {
        "ok": report.ok,
        "checked": report.checked,
        "problems": report.problems,
        "unsealed": report.unsealed,
        "oldest_unsealed_at": report.oldest_unsealed_at,
        "verified_at": timezone.now(),
    }
