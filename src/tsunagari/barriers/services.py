"""Barrier reports: the one write function per verb (report, assign, move),
and the reporter's look-up by reference. Pages, the demo and commands call
these; views stay thin."""

from __future__ import annotations

import hashlib
import hmac
import random
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.services import record
from tsunagari.barriers.models import (
    CLOSED,
    NEXT,
    BarrierReport,
    BarrierStatus,
    BarrierWhere,
    Department,
)
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.resources.models import Location, Service, ServiceAtLocation
from tsunagari.resources.towns import TOWNS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

    Actor = Staff | AnonymousUser | None

DESCRIPTION_MIN = 5
DESCRIPTION_MAX = 2000
CONTACT_MAX = 200
ANSWER_MAX = 2000
# Reports one sender may make in an hour (the form has no sign-in).
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)
# No 0/O, 1/I/L: a reference read out over the phone is typed right.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_REFERENCE = re.compile(r"^BR-[" + _ALPHABET + r"]{6}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,180}\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{8,18}$")
# Control characters other than line breaks and tabs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


class BarrierError(FieldErrors):
    """A report or a step that cannot be saved. ``errors`` maps field -> what
    to fix (Japanese, for staff); ``codes`` maps field -> a code the
    residents' pages turn into their own three-variant words."""

    def __init__(self, errors: dict[str, str], codes: dict[str, str] | None = None) -> None:
        super().__init__(errors)
        self.codes = codes or dict.fromkeys(errors, "")


def _clean(text: str) -> str:
    return _CONTROL.sub("", unicodedata.normalize("NFKC", text or "")).strip()


def client_key(address: str) -> str:
    """A keyed hash of the sender's address: enough to count their reports,
    useless for finding who they are."""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def public_places() -> QuerySet[Location]:
    """Places a resident may pick: those of public entries, never a confidential one."""
    open_services = Service.objects.filter(is_public=True, x_confidential=False)
    return (
        Location.objects.filter(
            x_confidential=False,
            id__in=ServiceAtLocation.objects.filter(
                service_id__in=open_services.values("id")
            ).values("location_id"),
        )
        .exclude(name="")
        .order_by("x_town", "name", "id")
    )


def _new_reference(rng: random.Random | secrets.SystemRandom) -> str:
    return "BR-" + "".join(rng.choice(_ALPHABET) for _i in range(6))


def report_barrier(
    *,
    where: str,
    description: str,
    town: str = "",
    location_id: str = "",
    contact: str = "",
    sender: str = "",
    rng: random.Random | None = None,
) -> BarrierReport:
    """A resident reports a barrier (no sign-in). Returns the report with its
    short reference, which is all the reporter needs to look it up.

    ``sender`` is the request's address (counted, as a keyed hash, for the
    rate limit); ``rng`` makes references repeatable for the demo.

    Raises:
        BarrierError: a field to fix, or too many reports from one sender.
    """
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}

    def bad(field: str, code: str, message: str) -> None:
        errors[field] = message
        codes[field] = code

    description = _clean(description)
    contact = _clean(contact)
    location: Location | None = None
    if where not in BarrierWhere.values:
        bad("where", "where", _("施設か道路かを選んでください。"))
    elif where == BarrierWhere.PLACE:
        location = public_places().filter(id=(location_id or "")[:64]).first()
        if location is None:
            bad("location_id", "place", _("一覧から施設・場所を選んでください。"))
        else:
            town = location.x_town
    if where == BarrierWhere.STREET and town not in TOWNS:
        bad("town", "town", _("町名を一覧から選んでください。"))
    if len(description) < DESCRIPTION_MIN:
        bad("description", "description_short", _("困ったことを5文字以上で書いてください。"))
    elif len(description) > DESCRIPTION_MAX:
        bad(
            "description",
            "description_long",
            _("説明は%(max)d文字以内にしてください（いま%(n)d文字）。")
            % {"max": DESCRIPTION_MAX, "n": len(description)},
        )
    if contact and (
        len(contact) > CONTACT_MAX or not (_EMAIL.match(contact) or _PHONE.match(contact))
    ):
        bad(
            "contact",
            "contact",
            _("連絡先はメールアドレスか電話番号で入れてください（返事がいらなければ空欄）。"),
        )
    key = client_key(sender) if sender else ""
    now = clock.now()
    if (
        key
        and BarrierReport.objects.filter(client_key=key, received_at__gte=now - RATE_WINDOW).count()
        >= RATE_LIMIT
    ):
        bad(
            "form",
            "rate",
            _("短い時間に多くの報告が送られました。1時間ほどしてから送ってください。"),
        )
    if errors:
        raise BarrierError(errors, codes)
    source = rng or secrets.SystemRandom()
    for _attempt in range(8):
        try:
            with transaction.atomic():
                report = BarrierReport.objects.create(
                    reference=_new_reference(source),
                    where=where,
                    location_id=location.id if location else "",
                    place_name=(location.name if location else "")[:200],
                    town=town,
                    description=description,
                    contact=contact,
                    received_at=now,
                    updated_at=now,
                    client_key=key,
                )
                write_event(
                    EventKind.BARRIER_REPORTED,
                    report,
                    None,
                    where=where,
                    town=town,
                    location_id=report.location_id,
                )
                record(
                    None,
                    "create",
                    obj=report,
                    object_type="barriers.report",
                    detail={"reference": report.reference, "from": "residents' page"},
                )
                return report
        except IntegrityError:  # the rare repeated reference: draw again
            continue
    raise BarrierError({"form": _("受付番号を作れませんでした。もう一度送ってください。")})


def _load(report_id: int, actor: Actor) -> BarrierReport:
    require_actor(actor, Action.WORK_BARRIER_REPORTS)
    report = BarrierReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise BarrierError({"report": _("その報告は見つかりません。")})
    return report


def _staff(actor: Actor) -> Staff | None:
    return actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[return-value]


def assign_barrier(
    report_id: int,
    department: str,
    *,
    actor: Actor,
    expected_status: str,
    note: str = "",
) -> BarrierReport:
    """Pass the report to the responsible department (again, to change it),
    while it is open. A received report becomes assigned.

    Raises:
        PermissionDenied: ``actor`` does not work barrier reports.
        BarrierError: an unknown department, a closed report, or someone
            moved it since the page was opened (``expected_status``).
    """
    with transaction.atomic():
        report = _load(report_id, actor)
        if report.status != expected_status:
            raise BarrierError({"status": _moved(report)})
        if department not in Department.values:
            raise BarrierError({"department": _("担当を一覧から選んでください。")})
        if report.status in CLOSED:
            raise BarrierError({"status": _("対応が終わった報告の担当は変えられません。")})
        before = report.status
        report.department = department
        if report.status == BarrierStatus.RECEIVED:
            report.status = BarrierStatus.ASSIGNED
        return _save_step(report, before, actor, note=note)


def _moved(report: BarrierReport) -> str:
    return _(
        "ほかの職員が先にこの報告の状況を「%(status)s」に変えました。"
        "画面を開き直して確かめてください。"
    ) % {"status": report.get_status_display()}


def change_barrier_status(
    report_id: int,
    status: str,
    *,
    actor: Actor,
    expected_status: str,
    public_answer: str = "",
    note: str = "",
) -> BarrierReport:
    """Move the report on (assigned -> in progress -> resolved / not actionable).
    Closing needs a public answer: it is what the reporter reads.

    Raises:
        PermissionDenied: ``actor`` does not work barrier reports.
        BarrierError: a step the status cannot take, a missing or too long
            answer, or someone moved the report since.
    """
    with transaction.atomic():
        report = _load(report_id, actor)
        if report.status != expected_status:
            raise BarrierError({"status": _moved(report)})
        if status not in NEXT.get(report.status, frozenset()):
            raise BarrierError(
                {
                    "status": _("「%(from)s」から「%(to)s」には進められません。")
                    % {
                        "from": report.get_status_display(),
                        "to": BarrierStatus(status).label
                        if status in BarrierStatus.values
                        else status[:20],
                    }
                }
            )
        answer = _clean(public_answer)
        if status in CLOSED and not answer:
            raise BarrierError(
                {
                    "public_answer": _(
                        "報告した人が読む回答（どう対応したか、なぜ対応できないか）を書いてください。"
                    )
                }
            )
        if len(answer) > ANSWER_MAX:
            raise BarrierError(
                {"public_answer": _("回答は%(max)d文字以内にしてください。") % {"max": ANSWER_MAX}}
            )
        before = report.status
        report.status = status
        if answer:
            report.public_answer = answer
        if status in CLOSED:
            report.closed_at = clock.now()
        return _save_step(report, before, actor, note=note)


def _save_step(report: BarrierReport, before: str, actor: Actor, *, note: str) -> BarrierReport:
    note = _clean(note)[:2000]
    if note:
        stamp = clock.now().strftime("%Y-%m-%d %H:%M")
        report.staff_note = (report.staff_note + f"\n[{stamp}] {note}").strip()
    report.updated_at = clock.now()
    report.handled_by = _staff(actor)
    report.save()
    write_event(
        EventKind.BARRIER_STATUS_CHANGED,
        report,
        _staff(actor),
        before=before,
        after=report.status,
        department=report.department,
    )
    record(
        actor,
        "update",
        obj=report,
        object_type="barriers.report",
        detail={"status": [before, report.status], "department": report.department},
    )
    return report


@dataclass(frozen=True)
class PublicStatus:
    """What the reporter reads: never the contact, never the staff note."""

    reference: str
    status: str
    public_answer: str
    received_on: datetime
    updated_on: datetime
    place_name: str
    town: str


def normalise_reference(text: str) -> str:
    ref = unicodedata.normalize("NFKC", text or "").strip().upper().replace(" ", "")[:20]
    if ref and not ref.startswith("BR-"):
        ref = "BR-" + ref.removeprefix("BR")
    return ref


def look_up(reference: str) -> PublicStatus | None:
    """The report's status and public answer by its reference; None if no
    report has it (also for anything that is not a reference)."""
    ref = normalise_reference(reference)
    if not _REFERENCE.match(ref):
        return None
    report = BarrierReport.objects.filter(reference=ref).first()
    if report is None:
        return None
    return PublicStatus(
        reference=report.reference,
        status=report.status,
        public_answer=report.public_answer,
        received_on=report.received_at,
        updated_on=report.updated_at,
        place_name=report.place_name,
        town=report.town,
    )


def keeper_of(report: BarrierReport) -> str:
    """The organisation that runs the reported place (for 'the place's keeper')."""
    from tsunagari.resources.models import Organization

    if not report.location_id:
        return ""
    location = Location.objects.filter(id=report.location_id).first()
    if location is None or not location.organization_id:
        return ""
    org = Organization.objects.filter(id=location.organization_id).first()
    return org.name if org else ""
