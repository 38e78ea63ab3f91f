"""Break-the-glass: opening a person's record because they are at the desk.

A worker whose agency has no basis to see a person (no case, consent or
support meeting) may still have the person in front of them. Recording the
consultation with the person as the visitor, and how their identity was
confirmed, opens the record to the agency *provisionally*: for
``AT_DESK_ACCESS_DAYS`` days, unless the agency's supervisor confirms it
(the agency then supports the person) or revokes it. A consent or a case
recorded meanwhile gives its own, lasting basis. Every opening is on the
supervisor's review list with its reason; a worker who opens more than
``AT_DESK_FLAG_PER_DAY`` records in one day is flagged there. A sealed
person (閲覧制限) is never opened this way: only designated staff see them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tsunagari.accounts.models import AgencyKind, Role, Staff
from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.people.links import end_links, grant_links, source_note
from tsunagari.people.models import (
    AccessOpening,
    AgencyLink,
    IdentityCheck,
    LinkBasis,
    OpeningStatus,
    Person,
)
from tsunagari.people.presenter import PersonView, Purpose, present_people
from tsunagari.people.sections import IDENTITY

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "OpeningError",
    "OpeningRow",
    "confirm_opening",
    "open_at_desk",
    "openings_to_review",
    "revoke_opening",
]

NOTE_MAX = 500


class OpeningError(Exception):
    """An opening that cannot be made or reviewed now; nothing changed."""


def open_at_desk(
    actor: Staff,
    person: Person,
    *,
    identity_check: str,
    identity_note: str = "",
    source: str,
) -> AccessOpening | None:
    """Open ``person`` to the actor's agency for a few days; None when nothing opens.

    Nothing opens for a sealed person, without a recorded identity check, or
    when the agency already has a basis to see the person.
    """
    require(actor, Action.WORK_CONSULTATIONS)
    if actor.agency_id is None or person.sealed or identity_check not in IdentityCheck.values:
        return None
    now = clock.now()
    today = clock.today()
    if (
        AgencyLink.objects.filter(person=person, agency_id=actor.agency_id, since__lte=today)
        .exclude(until__lt=today)
        .exists()
    ):
        return None
    until = today + timedelta(days=settings.AT_DESK_ACCESS_DAYS - 1)
    with transaction.atomic():
        opening = AccessOpening.objects.create(
            person=person,
            agency_id=actor.agency_id,
            opened_by=actor,
            opened_at=now,
            identity_check=identity_check,
            identity_note=identity_note[:200],
            source=source[:64],
            until=until,
        )
        write_event(EventKind.OPENED_AT_DESK, opening, actor, identity_check=identity_check,
                    source=source, until=until)  # fmt: skip
        grant_links(person, [actor.agency_id], LinkBasis.AT_DESK,
                    note=source_note("opening", opening.pk), since=today, until=until)  # fmt: skip
        record(actor, AuditAction.CREATE, obj=opening, person_id=person.pk,
               reason="break-the-glass: person at the desk",
               detail={"identity_check": identity_check, "source": source, "until": until})  # fmt: skip
    return opening


def may_review(actor: Staff, opening: AccessOpening) -> bool:
    """The opening agency's supervisor, or the ward's supervisor (any agency)."""
    if Role.SUPERVISOR not in (actor.roles or []) or actor.agency_id is None:
        return False
    if actor.agency_id == opening.agency_id:
        return True
    agency = actor.agency
    return agency is not None and agency.kind == AgencyKind.WARD_DEPARTMENT


def _locked(actor: Staff, opening_id: int) -> AccessOpening:
    require(actor, Action.REVIEW_OPENINGS)
    opening = AccessOpening.objects.select_for_update().filter(pk=opening_id).first()
    if opening is None:
        raise OpeningError(gettext("その番号の記録はありません。"))
    if not may_review(actor, opening):
        raise PermissionDenied(
            gettext("この記録を確認できるのは、開いた機関の監督者と区の監督者です。")
        )
    if opening.opened_by_id == actor.pk:
        raise PermissionDenied(gettext("自分が開いた記録は、別の監督者が確認します。"))
    if opening.status != OpeningStatus.PROVISIONAL:
        raise OpeningError(
            gettext("この記録はすでに「%(state)s」です。") % {"state": opening.get_status_display()}
        )
    return opening


def _note(note: object) -> str:
    if not isinstance(note, str):
        raise OpeningError(gettext("備考は文字で入力してください。"))
    if len(note) > NOTE_MAX or "\x00" in note:
        raise OpeningError(
            gettext("備考は%(limit)s文字以内で、制御文字を含めずに入力してください。")
            % {"limit": NOTE_MAX}
        )
    return note.strip()


def _review(actor: Staff, opening_id: int, status: str, note: str) -> AccessOpening:
    """Record the supervisor's review on a locked, still provisional opening."""
    opening = _locked(actor, opening_id)
    opening.status = status
    opening.reviewed_by = actor
    opening.reviewed_at = clock.now()
    opening.review_note = note
    opening.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return opening


def confirm_opening(actor: Staff, opening_id: int, *, note: str = "") -> AccessOpening:
    """The supervisor confirms: the agency supports the person (a lasting case link)."""
    note = _note(note)
    with transaction.atomic():
        opening = _review(actor, opening_id, OpeningStatus.CONFIRMED, note)
        tag = source_note("opening", opening.pk)
        end_links(basis=LinkBasis.AT_DESK, note=tag, person=opening.person)
        grant_links(opening.person, [opening.agency_id], LinkBasis.CASE, note=tag)
        write_event(EventKind.OPENING_CONFIRMED, opening, actor)
        record(actor, AuditAction.UPDATE, obj=opening, person_id=opening.person_id,
               reason="break-the-glass confirmed", detail={"note": note})  # fmt: skip
    return opening


def revoke_opening(actor: Staff, opening_id: int, *, note: str) -> AccessOpening:
    """The supervisor ends the provisional access; a reason is required."""
    note = _note(note)
    if not note:
        raise OpeningError(gettext("取り消す理由を入力してください。"))
    with transaction.atomic():
        opening = _review(actor, opening_id, OpeningStatus.REVOKED, note)
        end_links(basis=LinkBasis.AT_DESK, note=source_note("opening", opening.pk),
                  person=opening.person)  # fmt: skip
        write_event(EventKind.OPENING_REVOKED, opening, actor)
        record(actor, AuditAction.UPDATE, obj=opening, person_id=opening.person_id,
               reason="break-the-glass revoked", detail={"note": note})  # fmt: skip
    return opening


@dataclass(frozen=True)
class OpeningRow:
    id: int
    person: PersonView
    opened_by: str
    opened_at: datetime
    identity_check: str
    identity_note: str
    source: str
    until: date
    expired: bool
    # The worker opened more records this way that day than the setting allows.
    flagged: bool
    # The agency has another basis now (a consent, a case): confirming is a formality.
    covered: bool


def openings_to_review(actor: Staff, *, request: HttpRequest | None = None) -> list[OpeningRow]:
    """Provisional openings the actor may review, newest first, with volume flags.

    The supervisor sees whom each opening is about (name and reading only,
    through the presenter, audited), not the record itself.
    """
    require(actor, Action.REVIEW_OPENINGS)
    rows = AccessOpening.objects.filter(status=OpeningStatus.PROVISIONAL).select_related(
        "person", "opened_by", "agency"
    )
    agency = actor.agency
    if agency is None:
        return []
    if agency.kind != AgencyKind.WARD_DEPARTMENT:
        rows = rows.filter(agency_id=agency.pk)
    openings = list(rows.order_by("-opened_at")[:500])
    # Volume is counted per worker and local day over every opening (any
    # status), in Python: the days are local dates, which SQL would need the
    # database's time-zone support for.
    per_day: Counter[tuple[int, date]] = Counter(
        (by, timezone.localdate(at))
        for by, at in AccessOpening.objects.filter(
            opened_by_id__in={o.opened_by_id for o in openings},
            opened_at__gte=min((o.opened_at for o in openings), default=clock.now())
            - timedelta(days=1),
        ).values_list("opened_by_id", "opened_at")
    )
    busy = {key for key, n in per_day.items() if n > settings.AT_DESK_FLAG_PER_DAY}
    today = clock.today()
    covered = set(
        AgencyLink.objects.filter(person_id__in=[o.person_id for o in openings], since__lte=today)
        .exclude(until__lt=today)
        .exclude(basis=LinkBasis.AT_DESK)
        .values_list("person_id", "agency_id")
    )
    checks = dict(IdentityCheck.choices)
    views = present_people(actor, [o.person for o in openings], Purpose.LIST, request=request,
                           object_type="people.accessopening", granted=frozenset({IDENTITY}))  # fmt: skip
    return [
        OpeningRow(
            id=o.pk,
            person=view,
            opened_by=str(o.opened_by),
            opened_at=o.opened_at,
            identity_check=str(checks.get(o.identity_check, o.identity_check)),
            identity_note=o.identity_note,
            source=o.source,
            until=o.until,
            expired=o.until < today,
            flagged=(o.opened_by_id, timezone.localdate(o.opened_at)) in busy,
            covered=(o.person_id, o.agency_id) in covered,
        )
        for o, view in zip(openings, views, strict=True)
    ]
