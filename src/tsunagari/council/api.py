"""Council workspace API: the same policy as the pages (USE_COUNCIL_WORKSPACE to read)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from tsunagari.accounts.policy import Action, require
from tsunagari.council import services
from tsunagari.council.models import ActionItem, ActionStatus, Document, Meeting, Organisation

router = Router(tags=["council"])


class ErrorOut(Schema):
    detail: str


class OrganisationOut(Schema):
    id: int
    name: str
    sector: str
    sector_label: str
    description: str
    joined_on: date | None


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    due_on: date
    status: str
    done_on: date | None
    overdue: bool
    meeting_id: int | None


class DocumentOut(Schema):
    id: int
    title: str
    content_type: str
    size: int
    organisation: str | None
    meeting_id: int | None
    uploaded_at: datetime


class MeetingOut(Schema):
    id: int
    held_on: date
    title: str
    place: str
    agenda: list[str]
    has_minutes: bool


class MeetingDetailOut(MeetingOut):
    minutes: str | None
    actions: list[ActionOut]
    documents: list[DocumentOut]


def _action(a: ActionItem) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "owner": a.owner.name,
        "due_on": a.due_on,
        "status": a.status,
        "done_on": a.done_on,
        "overdue": a.is_overdue,
        "meeting_id": a.meeting_id,
    }


def _document(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "content_type": d.content_type,
        "size": d.size,
        "organisation": d.organisation.name if d.organisation else None,
        "meeting_id": d.meeting_id,
        "uploaded_at": d.uploaded_at,
    }


def _meeting(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "held_on": m.held_on,
        "title": m.title,
        "place": m.place,
        "agenda": m.agenda_items,
        "has_minutes": hasattr(m, "minutes"),
    }


@router.get("/organisations", response={200: list[OrganisationOut], 403: ErrorOut})
def organisations(request: HttpRequest) -> Any:
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    return [
        {
            "id": o.pk,
            "name": o.name,
            "sector": o.sector,
            "sector_label": str(o.get_sector_display()),
            "description": o.description,
            "joined_on": o.joined_on,
        }
        for o in Organisation.objects.filter(is_active=True)
    ]


@router.get("/meetings", response={200: list[MeetingOut], 403: ErrorOut})
def meetings(request: HttpRequest) -> Any:
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    return [_meeting(m) for m in Meeting.objects.select_related("minutes")[:200]]


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingDetailOut, 403: ErrorOut, 404: ErrorOut}
)
def meeting(request: HttpRequest, meeting_id: int) -> Any:
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    m = get_object_or_404(Meeting.objects.select_related("minutes"), pk=meeting_id)
    minutes = getattr(m, "minutes", None)
    return {
        **_meeting(m),
        "minutes": minutes.text if minutes else None,
        "actions": [_action(a) for a in m.actions.select_related("owner")],
        "documents": [_document(d) for d in m.documents.select_related("organisation")],
    }


@router.get("/actions", response={200: list[ActionOut], 403: ErrorOut})
def actions(request: HttpRequest, overdue: bool = False, include_done: bool = False) -> Any:
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    rows = services.overdue_actions() if overdue else ActionItem.objects.all()
    if not include_done and not overdue:
        rows = rows.filter(status=ActionStatus.OPEN)
    return [_action(a) for a in rows.select_related("owner")[:500]]


@router.get("/documents", response={200: list[DocumentOut], 403: ErrorOut})
def documents(request: HttpRequest) -> Any:
    """Metadata only; the file itself is downloaded from the workspace page."""
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    return [_document(d) for d in Document.objects.select_related("organisation")[:500]]
