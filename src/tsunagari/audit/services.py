"""Writing and verifying the audit log. Every view and export of personal
data calls :func:`record` (directly or through :func:`record_request`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from tsunagari.audit.models import AuditAction, AuditEvent, AuditHead, AuditSubject

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from tsunagari.accounts.models import Staff

GENESIS = "0" * 64


def _canonical(
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    agency_code: str,
    action: str,
    object_type: str,
    object_id: str,
    person_id: str,
    reason: str,
    detail: dict[str, Any],
    prev_hash: str,
) -> bytes:
    payload = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor": actor_username,
        "agency": agency_code,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "person_id": person_id,
        "reason": reason,
        "detail": detail,
        "prev": prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(
        _canonical(
            event.seq,
            event.at,
            event.actor_id,
            event.actor_username,
            event.agency_code,
            event.action,
            event.object_type,
            event.object_id,
            event.person_id,
            event.reason,
            event.detail,
            event.prev_hash,
        )
    ).hexdigest()


def record(
    actor: Staff | AnonymousUser | None,
    action: AuditAction | str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    person_id: str | int = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    ``detail["persons"]``, when given, lists every person the event showed
    (a list, a search, a worklist); each is indexed so that the log can be
    searched by person. Runs in its own atomic block (a savepoint inside an outer transaction),
    so the event is written with the change it describes or not at all.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    staff = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    agency = getattr(staff, "agency", None) if staff is not None else None
    clean_detail = json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            actor_id=getattr(staff, "pk", None),
            actor_username=getattr(staff, "username", "") or "",
            agency_code=getattr(agency, "code", "") or "",
            action=str(action),
            object_type=object_type[:64],
            object_id=str(object_id)[:64],
            person_id=str(person_id)[:64],
            reason=reason[:500],
            detail=clean_detail,
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save()
        persons = clean_detail.get("persons")
        if isinstance(persons, list) and persons:
            named = {str(p)[:64] for p in persons} - {event.person_id, ""}
            AuditSubject.objects.bulk_create(
                [AuditSubject(event=event, person_id=p) for p in sorted(named)]
            )
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def events_about(person_id: str | int) -> models.QuerySet[AuditEvent]:
    """Every event that names the person, alone or in a list."""
    key = str(person_id)[:64]
    return AuditEvent.objects.filter(
        models.Q(person_id=key)
        | models.Q(pk__in=AuditSubject.objects.filter(person_id=key).values("event_id"))
    )


def record_request(request: HttpRequest, action: AuditAction | str, **kwargs: Any) -> AuditEvent:
    """Record an event for the signed-in user of ``request`` with its path."""
    detail = dict(kwargs.pop("detail", None) or {})
    detail.setdefault("path", request.path[:300])
    detail.setdefault("method", request.method)
    return record(request.user, action, detail=detail, **kwargs)


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _iter_events(chunk: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:chunk])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def verify(max_problems: int = 50) -> VerifyReport:
    """Walk the whole chain; report edited, deleted or inserted events."""
    report = VerifyReport()
    expected_seq = 1
    prev = GENESIS
    for event in _iter_events():
        report.checked += 1
        if event.seq != expected_seq:
            missing = (
                f"#{expected_seq}"
                if event.seq == expected_seq + 1
                else f"#{expected_seq}–#{event.seq - 1}"
            )
            report.problems.append(
                f"event {missing} is missing (deleted) before event #{event.seq}"
            )
        elif event.prev_hash != prev:
            report.problems.append(
                f"event #{event.seq} does not follow the previous event (chain broken: an event before it was replaced)"
            )
        if event_hash(event) != event.hash:
            report.problems.append(
                f"event #{event.seq} ({event.at:%Y-%m-%d %H:%M:%S}, {event.action} by "
                f"{event.actor_username or '-'}) was edited: its content no longer matches its hash"
            )
        prev = event.hash
        expected_seq = event.seq + 1
        if len(report.problems) >= max_problems:
            return report
    head = AuditHead.objects.filter(id=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != prev):
        if head.seq > last_seq:
            report.problems.append(
                f"events #{last_seq + 1}–#{head.seq} at the end of the log are missing (deleted)"
            )
        else:
            report.problems.append(
                "the log head does not match the last event (the end of the chain was changed)"
            )
    return report
