"""One write function per council action, used by pages, API and the demo alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.council.models import (
    ActionItem,
    ActionStatus,
    Document,
    Meeting,
    Minutes,
    Organisation,
    Sector,
)
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import quota
from tsunagari.meetings import services as meetings
from tsunagari.meetings.services import MeetingInputError, MinutesConflict

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from tsunagari.accounts.models import Agency, Staff

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def stored_documents(staff_id: int) -> quota.Stored:
    """The papers a member of staff shared, for their share of the data folder."""
    found = Document.objects.filter(uploaded_by_id=staff_id).aggregate(n=Count("pk"), b=Sum("size"))
    return quota.Stored(found["n"] or 0, found["b"] or 0)


class CouncilError(Exception):
    """A request the workspace refuses; the message says what to change."""


@dataclass(frozen=True, slots=True)
class FileType:
    content_type: str
    label: StrOrPromise
    magic: tuple[bytes, ...]


# Only these kinds, recognised by their first bytes as well as their name; the
# type sent with a download is ours, never the uploader's.
FILE_TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", "PDF", (b"%PDF-",)),
    ".docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
        (b"PK\x03\x04",),
    ),
    ".xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
        (b"PK\x03\x04",),
    ),
    ".pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
        (b"PK\x03\x04",),
    ),
    ".png": FileType("image/png", "PNG", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": FileType("image/jpeg", "JPEG", (b"\xff\xd8\xff",)),
    ".jpeg": FileType("image/jpeg", "JPEG", (b"\xff\xd8\xff",)),
    ".txt": FileType("text/plain; charset=utf-8", gettext_lazy("テキスト"), ()),
    ".csv": FileType("text/csv; charset=utf-8", "CSV", ()),
}


def file_type_names() -> str:
    """The kinds of file that may be shared, as a list for a message."""
    return pgettext("list separator", "、").join(
        sorted({str(t.label) for t in FILE_TYPES.values()})
    )


def organisation_of(staff: Staff) -> Organisation | None:
    agency = getattr(staff, "agency", None)
    if agency is None:
        return None
    return Organisation.objects.filter(agency=agency).first()


def add_organisation(
    staff: Staff,
    *,
    name: str,
    sector: str,
    agency: Agency | None = None,
    description: str = "",
    joined_on: date | None = None,
) -> Organisation:
    require(staff, Action.MANAGE_COUNCIL)
    name = name.strip()
    if not name:
        raise CouncilError(_("団体名を入力してください。"))
    if sector not in Sector.values:
        raise CouncilError(_("区分を選んでください。"))
    if Organisation.objects.filter(name=name).exists():
        raise CouncilError(_("「%(name)s」はすでに構成団体です。") % {"name": name})
    if agency is not None and Organisation.objects.filter(agency=agency).exists():
        raise CouncilError(
            _("%(agency)s はすでに別の構成団体に結びついています。") % {"agency": agency.name}
        )
    with transaction.atomic():
        org = Organisation.objects.create(
            name=name[:200],
            sector=sector,
            agency=agency,
            description=description.strip(),
            joined_on=joined_on,
        )
        write_event(EventKind.COUNCIL_MEMBER_ADDED, org, staff, sector=sector)
        record(staff, AuditAction.CREATE, obj=org)
    return org


def schedule_meeting(
    staff: Staff, *, held_on: date, title: str, place: str = "", agenda: str = ""
) -> Meeting:
    require(staff, Action.MANAGE_COUNCIL)
    if not title.strip():
        raise CouncilError(_("会議名を入力してください。"))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            held_on=held_on,
            title=title.strip()[:200],
            place=place.strip()[:200],
            agenda=agenda.strip(),
            created_by=staff,
        )
        write_event(EventKind.COUNCIL_MEETING_SCHEDULED, meeting, staff, held_on=held_on)
        record(staff, AuditAction.CREATE, obj=meeting)
    return meeting


class CouncilMinutesConflict(CouncilError, MinutesConflict):
    """Minutes saved against an older version; carries both texts (``yours``, ``theirs``)."""


def _say(exc: MeetingInputError) -> CouncilError:
    return CouncilError(" ".join(exc.errors.values()))


def record_minutes(
    staff: Staff, meeting: Meeting, text: str, *, version: int | None = None
) -> Minutes:
    """Write or rewrite the minutes; an edit made against an older version is refused
    (``CouncilMinutesConflict``, with both texts)."""
    require(staff, Action.MANAGE_COUNCIL)
    with transaction.atomic():
        try:
            saved = meetings.save_minutes(
                Minutes, meeting, text, staff=staff, version=version,
                conflict=CouncilMinutesConflict,
            )  # fmt: skip
        except MeetingInputError as exc:
            raise _say(exc) from exc
        minutes = saved.minutes
        assert isinstance(minutes, Minutes)
        write_event(EventKind.COUNCIL_MINUTES_RECORDED, minutes, staff, version=minutes.version)
        record(staff, AuditAction.CREATE if saved.created else AuditAction.UPDATE, obj=minutes)
    return minutes


def add_action(
    staff: Staff,
    *,
    title: str,
    owner: Organisation,
    due_on: date,
    meeting: Meeting | None = None,
    owner_staff: Staff | None = None,
) -> ActionItem:
    require(staff, Action.MANAGE_COUNCIL)
    if owner_staff is not None and (
        owner.agency_id is None or owner_staff.agency_id != owner.agency_id
    ):
        raise CouncilError(_("担当者は担当団体の職員から選んでください。"))
    with transaction.atomic():
        try:
            item = meetings.add_action(
                ActionItem, title=title, due_on=due_on, owner=owner, owner_staff=owner_staff,
                meeting=meeting,
            )  # fmt: skip
        except MeetingInputError as exc:
            raise _say(exc) from exc
        write_event(EventKind.COUNCIL_ACTION_ADDED, item, staff, owner=owner.pk, due_on=due_on)
        record(staff, AuditAction.CREATE, obj=item)
    return item


def can_complete(staff: Staff, item: ActionItem) -> bool:
    if allowed(staff, Action.MANAGE_COUNCIL):
        return True
    if not allowed(staff, Action.USE_COUNCIL_WORKSPACE):
        return False
    org = organisation_of(staff)
    return org is not None and org.pk == item.owner_id


def complete_action(staff: Staff, item: ActionItem, *, on: date | None = None) -> ActionItem:
    """Mark an action done: its owner organisation's members or the council's managers."""
    require(staff, Action.USE_COUNCIL_WORKSPACE)
    if not can_complete(staff, item):
        raise CouncilError(_("担当団体の方か事務局だけが完了にできます。"))
    with transaction.atomic():
        if not meetings.complete_action(item, on=on):
            return item
        write_event(EventKind.COUNCIL_ACTION_DONE, item, staff, done_on=item.done_on)
        record(staff, AuditAction.UPDATE, obj=item, detail={"status": "done"})
    return item


def overdue_actions() -> QuerySet[ActionItem]:
    """Open actions past their due date on the ward's working-day calendar."""
    return meetings.overdue(ActionItem.objects.all())


def organisation_actions(staff: Staff) -> QuerySet[ActionItem]:
    """The open actions of the staff member's own organisation (through its agency)."""
    if staff.agency_id is None:
        return ActionItem.objects.none()
    return meetings.agency_open_actions(ActionItem, staff.agency_id).select_related(
        "owner", "owner_staff", "meeting"
    )


# How many rows a workspace list holds, the same on the pages and in the API.
MEETINGS_SHOWN = 200
ACTIONS_SHOWN = 500
DOCUMENTS_SHOWN = 500
ACTION_LISTS = ("open", "overdue", "all")


def member_organisations() -> QuerySet[Organisation]:
    """The council's active member organisations, by sector and name."""
    return (
        Organisation.objects.filter(is_active=True)
        .select_related("agency")
        .order_by("sector", "name")
    )


def meeting_list() -> QuerySet[Meeting]:
    """The newest ``MEETINGS_SHOWN`` meetings, with their minutes."""
    return Meeting.objects.select_related("minutes")[:MEETINGS_SHOWN]


def action_list(show: str = "open") -> QuerySet[ActionItem]:
    """The actions of one list: ``open`` (anything unknown too), ``overdue`` or ``all``."""
    rows = overdue_actions() if show == "overdue" else ActionItem.objects.all()
    if show not in ("overdue", "all"):
        rows = rows.filter(status=ActionStatus.OPEN)
    return rows.select_related("owner", "owner_staff", "meeting")[:ACTIONS_SHOWN]


def document_list() -> QuerySet[Document]:
    """The newest ``DOCUMENTS_SHOWN`` shared papers (metadata; the file is a download)."""
    return Document.objects.select_related("organisation", "meeting")[:DOCUMENTS_SHOWN]


def check_document(name: str, head: bytes, size: int) -> FileType:
    """The accepted type of an upload, by extension and first bytes; raises CouncilError."""
    suffix = Path(name).suffix.lower()
    kind = FILE_TYPES.get(suffix)
    if kind is None:
        raise CouncilError(
            _("この種類のファイルは共有できません（%(types)s のみ）。")
            % {"types": file_type_names()}
        )
    if size > MAX_DOCUMENT_BYTES:
        raise CouncilError(
            _("ファイルが大きすぎます（上限 %(max_mb)s MB）。")
            % {"max_mb": MAX_DOCUMENT_BYTES // 1024 // 1024}
        )
    if size == 0:
        raise CouncilError(_("ファイルが空です。"))
    if kind.magic and not any(head.startswith(m) for m in kind.magic):
        raise CouncilError(_("ファイルの中身が %(type)s ではありません。") % {"type": kind.label})
    if not kind.magic:
        if b"\x00" in head:
            raise CouncilError(_("テキストファイルではありません。"))
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
                raise CouncilError(_("UTF-8 のテキストとして読めません。")) from None
    return kind


def upload_document(
    staff: Staff,
    upload: UploadedFile[bytes],
    *,
    title: str = "",
    meeting: Meeting | None = None,
) -> Document:
    """Share a paper with the council (members and the secretariat alike)."""
    require(staff, Action.USE_COUNCIL_WORKSPACE)
    name = Path(upload.name or "document").name[:200]
    size = upload.size or 0
    if size > MAX_DOCUMENT_BYTES:
        raise CouncilError(
            _("ファイルが大きすぎます（上限 %(max_mb)s MB）。")
            % {"max_mb": MAX_DOCUMENT_BYTES // 1024 // 1024}
        )
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    kind = check_document(name, data[:4096], len(data))
    try:
        quota.check(staff.pk, len(data))
    except quota.QuotaExceeded as exc:
        raise CouncilError(str(exc)) from None
    doc = Document(
        title=(title.strip() or Path(name).stem)[:200],
        original_name=name,
        content_type=kind.content_type,
        size=len(data),
        meeting=meeting,
        organisation=organisation_of(staff),
        uploaded_by=staff,
    )
    doc.file.save(f"{uuid.uuid4().hex}{Path(name).suffix.lower()}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            doc.save()
            write_event(EventKind.COUNCIL_DOCUMENT_SHARED, doc, staff, size=len(data))
            record(staff, AuditAction.CREATE, obj=doc, detail={"size": len(data)})
    except Exception:
        doc.file.delete(save=False)  # no stored file without its record
        raise
    return doc


def can_delete_document(staff: Staff, doc: Document) -> bool:
    return allowed(staff, Action.USE_COUNCIL_WORKSPACE) and (
        allowed(staff, Action.MANAGE_COUNCIL) or doc.uploaded_by_id == staff.pk
    )


def delete_document(staff: Staff, doc: Document) -> None:
    """Remove a shared paper and its file: whoever shared it, or the secretariat."""
    require(staff, Action.USE_COUNCIL_WORKSPACE)
    if not can_delete_document(staff, doc):
        raise CouncilError(_("資料を削除できるのは、登録した方か事務局だけです。"))
    with transaction.atomic():
        write_event(EventKind.COUNCIL_DOCUMENT_REMOVED, doc, staff)
        record(staff, AuditAction.DELETE, obj=doc, detail={"title": doc.title})
        doc.delete()
    # The file goes only once its record is gone for good.
    transaction.on_commit(lambda: doc.file.delete(save=False))
