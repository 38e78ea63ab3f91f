"""Council workspace API: the same policy as the pages (USE_COUNCIL_WORKSPACE to read)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from tsunagari.accounts.policy import Action, require
from tsunagari.council import services
from tsunagari.council.models import ActionItem, Document, Meeting, Organisation

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

    @staticmethod
    def resolve_sector_label(o: Organisation) -> str:
        return str(o.get_sector_display())


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    due_on: date
    status: str
    done_on: date | None
    overdue: bool
    meeting_id: int | None

    @staticmethod
    def resolve_owner(a: ActionItem) -> str:
        return a.owner.name

    @staticmethod
    def resolve_overdue(a: ActionItem) -> bool:
        return a.is_overdue


class DocumentOut(Schema):
    id: int
    title: str
    content_type: str
    size: int
    organisation: str | None
    meeting_id: int | None
    uploaded_at: datetime

    @staticmethod
    def resolve_organisation(d: Document) -> str | None:
        return d.organisation.name if d.organisation else None


class MeetingOut(Schema):
    id: int
    held_on: date
    title: str
    place: str
    agenda: list[str]
    has_minutes: bool

    @staticmethod
    def resolve_agenda(m: Meeting) -> list[str]:
        return m.agenda_items

    @staticmethod
    def resolve_has_minutes(m: Meeting) -> bool:
        return hasattr(m, "minutes")


class MeetingDetailOut(MeetingOut):
    minutes: str | None
    actions: list[ActionOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_minutes(m: Meeting) -> str | None:
        minutes = getattr(m, "minutes", None)
        return minutes.text if minutes else None

    @staticmethod
    def resolve_actions(m: Meeting) -> list[ActionItem]:
        return list(m.actions.select_related("owner"))

    @staticmethod
    def resolve_documents(m: Meeting) -> list[Document]:
        return list(m.documents.select_related("organisation"))


@router.get("/organisations", response={200: list[OrganisationOut], 403: ErrorOut})
def organisations(request: HttpRequest) -> Any:
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    return services.member_organisations()


@router.get("/meetings", response={200: list[MeetingOut], 403: ErrorOut})
def meetings(request: HttpRequest) -> Any:
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    return services.meeting_list()


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingDetailOut, 403: ErrorOut, 404: ErrorOut}
)
def meeting(request: HttpRequest, meeting_id: int) -> Any:
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    return get_object_or_404(Meeting.objects.select_related("minutes"), pk=meeting_id)


@router.get("/actions", response={200: list[ActionOut], 403: ErrorOut})
def actions(request: HttpRequest, overdue: bool = False, include_done: bool = False) -> Any:
    """Open actions; ``overdue`` for the overdue ones, ``include_done`` for all."""
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    return services.action_list("overdue" if overdue else "all" if include_done else "open")


@router.get("/documents", response={200: list[DocumentOut], 403: ErrorOut})
def documents(request: HttpRequest) -> Any:
    """Metadata only; the file itself is downloaded from the workspace page."""
    require(request.user, Action.USE_COUNCIL_WORKSPACE)
    return services.document_list()
