"""Writing and verifying the audit log. Every view and export of personal
data calls :func:`record` (directly or through :func:`record_request`)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from tsunagari.audit.models import AuditAction, AuditEvent, AuditHead, AuditSubject

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from tsunagari.accounts.models import Staff

GENESIS = "0" * 64

logger = logging.getLogger(__name__)


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
    if event.seq is None:
        raise ValueError("An unsealed audit event has no hash yet.")
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


def _stored_number(text: str) -> float | int:
    """A JSON number as the database gives it back, so a hash made before
    storing matches one made after: PostgreSQL prints ``1e+16`` as
    ``10000000000000000``, which reads back as an int."""
    value = float(text)
    if "e" in text.lower() and value.is_integer():
        return int(value)
    return value


def _subject_ids(person_id: str, detail: dict[str, Any]) -> set[str]:
    """The persons an event indexes in ``AuditSubject`` beside its own ``person_id``."""
    persons = detail.get("persons") if isinstance(detail, dict) else None
    if not isinstance(persons, list) or not persons:
        return set()
    return {str(p)[:64] for p in persons} - {person_id, ""}


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
    """Write one event and return it.

    ``detail["persons"]``, when given, lists every person the event showed
    (a list, a search, a worklist); each is indexed so that the log can be
    searched by person. Runs in its own atomic block (a savepoint inside an
    outer transaction), so the event is written with the change it describes
    or not at all.

    No writer waits for another. If the head is free at this moment (always
    on SQLite, where the write transaction holds the database's one write
    lock anyway), the event is chained as it is written; on PostgreSQL the head is then held until this
    transaction ends. If another transaction holds it, the event is written
    unsealed (no ``seq``, no hashes) and the writer moves on; :func:`seal`
    chains it right after this transaction commits, or whoever holds the
    head does after theirs, and ``tsunagari audit seal`` catches up
    whatever is left. ``seq`` is set on the returned event if it was sealed.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    staff = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    agency = getattr(staff, "agency", None) if staff is not None else None
    clean_detail = json.loads(
        json.dumps(detail or {}, ensure_ascii=False, default=str),
        parse_float=_stored_number,
        parse_constant=str,  # NaN and Infinity: no database stores them as JSON numbers
    )
    fields = {
        "actor_id": getattr(staff, "pk", None),
        "actor_username": getattr(staff, "username", "") or "",
        "agency_code": getattr(agency, "code", "") or "",
        "action": str(action),
        "object_type": object_type[:64],
        "object_id": str(object_id)[:64],
        "person_id": str(person_id)[:64],
        "reason": reason[:500],
        "detail": clean_detail,
    }
    try:
        event = _write(AuditEvent(**fields), seal_now=True)
    except (DatabaseError, RuntimeError):
        # Sealing failed (a damaged head, say): the writer keeps its change,
        # the event waits unsealed, and verify reports it once it is overdue.
        logger.exception("audit: could not seal while writing; the event is left unsealed")
        event = _write(AuditEvent(**fields), seal_now=False)
    if connection.features.has_select_for_update:
        # Outside a transaction this runs at once; inside one, when it
        # commits (and never if it rolls back, taking the event with it).
        # SQLite needs none: every writer there holds the database's write
        # lock, so it always finds the head free and seals as it writes.
        transaction.on_commit(_seal_after_commit, robust=True)
    return event


def _write(event: AuditEvent, *, seal_now: bool) -> AuditEvent:
    """Insert the event and its index rows; sealed at once if the head is free now."""
    with transaction.atomic():
        head = _take_head(wait=False) if seal_now else None
        if head is not None:
            # Older unsealed events (written while the head was taken) are
            # left to the after-commit sealing: one query less per event.
            event.seq, event.prev_hash = head.seq + 1, head.hash
            event.hash = event_hash(event)
        event.save()
        named = _subject_ids(event.person_id, event.detail)
        if named:
            AuditSubject.objects.bulk_create(
                [AuditSubject(event=event, person_id=p) for p in sorted(named)]
            )
        if head is not None:
            head.seq, head.hash = event.seq or 0, event.hash
            head.save(update_fields=["seq", "hash"])
    return event


# --- sealing -----------------------------------------------------------------------

SEAL_BATCH = 500


def _take_head(*, wait: bool) -> AuditHead | None:
    """Lock the head row, or None if another sealer holds it and ``wait`` is False.

    On PostgreSQL ``skip_locked`` answers at once instead of queueing; on
    SQLite row locks do not exist (and are not needed: the write
    transaction already holds the database's one write lock).
    """
    heads = AuditHead.objects.filter(id=1)
    locked = heads.select_for_update() if wait else heads.select_for_update(skip_locked=True)
    head = locked.first()
    if head is not None:
        return head
    if heads.exists():
        return None  # there, but another sealer holds it
    if AuditEvent.objects.filter(seq__isnull=False).exists():
        # The head row was removed under a sealed log: restarting the chain
        # would hide that, so leave events unsealed for verify to report.
        logger.error("audit: the head row is missing; events stay unsealed")
        return None
    # A new database: the migration made the row, but a flush removes it.
    try:
        with transaction.atomic():
            return AuditHead.objects.create(id=1)
    except IntegrityError:
        return None


def _seal_batch(head: AuditHead, limit: int) -> dict[int, AuditEvent]:
    """Chain up to ``limit`` unsealed events after the head, in pk order.

    Only events this transaction can see are sealed: on PostgreSQL an event
    whose transaction commits later (even with a lower pk) is sealed by a
    later round and gets a later ``seq``. The chain's order is ``seq``.
    """
    batch = list(
        AuditEvent.objects.filter(seq__isnull=True, prev_hash="", hash="").order_by("pk")[:limit]
    )
    for event in batch:
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = event_hash(event)
        event.save(update_fields=["seq", "prev_hash", "hash"])
        head.seq, head.hash = event.seq, event.hash
    if batch:
        head.save(update_fields=["seq", "hash"])
    return {e.pk: e for e in batch}


@dataclass
class SealResult:
    sealed: int = 0
    # Another sealer held the head (only when not waiting for it).
    busy: bool = False
    head_seq: int = 0


def _unsealed() -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(seq__isnull=True, prev_hash="", hash="")


def seal(
    *, wait: bool = False, batch: int = SEAL_BATCH, max_rounds: int | None = None
) -> SealResult:
    """Chain every committed unsealed event; return how many were sealed.

    Each round is one short transaction holding the head. With ``wait``
    False (requests) a held head means another sealer is at work, and this
    one leaves at once; with ``wait`` True (the ``audit seal`` command) it
    queues for the head. Rounds go on while unsealed events remain, so an
    event that committed while the head was held here is not left behind.
    """
    result = SealResult()
    rounds = 0
    own_transaction = not connection.in_atomic_block
    while max_rounds is None or rounds < max_rounds:
        rounds += 1
        with transaction.atomic():
            if own_transaction and connection.vendor == "postgresql":
                # A seal is redone if a crash loses it (events and head go back
                # together, the events themselves were committed by their
                # writers), so this commit need not wait for the disk; any
                # later durable commit flushes it anyway.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            head = _take_head(wait=wait)
            if head is None:
                result.busy = True
                break
            done = _seal_batch(head, batch)
            result.head_seq = head.seq
        result.sealed += len(done)
        if not done or not _unsealed().exists():
            break
    return result


def _seal_after_commit() -> None:
    if _unsealed().exists():
        seal(wait=False, max_rounds=10)


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


def allow_and_record(
    request: HttpRequest, action: Any, obj: object | None = None, *, reason: str, **detail: Any
) -> None:
    """Refuse a page, audited with the policy's reason, unless the signed-in
    staff may do ``action`` (on ``obj`` when given); otherwise audit the view.

    Raises:
        PermissionDenied: with the reason the policy layer gave.
    """
    from django.core.exceptions import PermissionDenied

    from tsunagari.accounts.policy import decide

    decision = decide(request.user, action, obj)
    if not decision:
        record_request(request, AuditAction.DENIED, reason=decision.reason[:500],
                       detail={"action": str(action), **detail})  # fmt: skip
        raise PermissionDenied(decision.reason)
    record_request(request, AuditAction.VIEW, reason=reason, detail=detail)


def newest_first(events: models.QuerySet[AuditEvent]) -> models.QuerySet[AuditEvent]:
    """Pages and the API list the unsealed tail first (newest first), then the chain."""
    return events.order_by(models.F("seq").desc(nulls_first=True), "-pk")


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    # Events written but not yet chained, and when the oldest of them was written.
    unsealed: int = 0
    oldest_unsealed_at: datetime | None = None
    grace_seconds: int = 0
    verified_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def oldest_unsealed_age(self) -> float | None:
        if self.oldest_unsealed_at is None or self.verified_at is None:
            return None
        return max(0.0, (self.verified_at - self.oldest_unsealed_at).total_seconds())


def _label(event: AuditEvent) -> str:
    return f"#{event.seq}" if event.seq is not None else f"unsealed event id {event.pk}"


def _iter_batches(chunk: int = 2000) -> Iterator[list[AuditEvent]]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:chunk])
        if not batch:
            return
        yield batch
        last = batch[-1].seq or 0


def _check_subjects(events: list[AuditEvent], report: VerifyReport) -> None:
    """Each event's index rows must be exactly the persons its (hashed) detail names."""
    expected = {e.pk: _subject_ids(e.person_id, e.detail) for e in events}
    actual: dict[int, set[str]] = {e.pk: set() for e in events}
    for event_id, person_id in AuditSubject.objects.filter(event_id__in=list(actual)).values_list(
        "event_id", "person_id"
    ):
        actual[event_id].add(person_id)
    for event in events:
        missing = expected[event.pk] - actual[event.pk]
        extra = actual[event.pk] - expected[event.pk]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"persons {sorted(missing)[:5]} lost their index rows")
            if extra:
                parts.append(f"index rows name persons {sorted(extra)[:5]} the event does not")
            report.problems.append(
                f"event {_label(event)}: the index of persons shown was changed ({'; '.join(parts)})"
            )


def verify(max_problems: int = 50) -> VerifyReport:
    """Walk the chain and the unsealed tail; report edited, deleted or inserted
    events, a changed person index, and events left unsealed past the grace
    (``AUDIT_SEAL_GRACE_SECONDS``).

    On PostgreSQL, called outside a transaction, it reads one snapshot, so
    sealing going on meanwhile cannot look like tampering.
    """
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return _verify(max_problems)
    return _verify(max_problems)


def _verify(max_problems: int) -> VerifyReport:
    report = VerifyReport(
        grace_seconds=int(settings.AUDIT_SEAL_GRACE_SECONDS), verified_at=timezone.now()
    )
    expected_seq = 1
    prev = GENESIS
    for batch in _iter_batches():
        for event in batch:
            assert event.seq is not None  # the walk reads sealed events only
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
        _check_subjects(batch, report)
        if len(report.problems) >= max_problems:
            return report
    head = AuditHead.objects.filter(id=1).first()
    last_seq = expected_seq - 1
    if head is None and last_seq:
        report.problems.append(
            "the log head row is missing (removed): the end of the chain cannot be checked"
        )
    if head is not None and (head.seq != last_seq or head.hash != prev):
        if head.seq > last_seq:
            report.problems.append(
                f"events #{last_seq + 1}–#{head.seq} at the end of the log are missing (deleted)"
            )
        else:
            report.problems.append(
                "the log head does not match the last event (the end of the chain was changed)"
            )
    _verify_unsealed(report)
    return report


def _verify_unsealed(report: VerifyReport) -> None:
    pending = AuditEvent.objects.filter(seq__isnull=True)
    # A sealed event whose number was blanked has left the chain (the walk
    # reports the gap); say which row it is.
    for event in pending.exclude(prev_hash="", hash="").order_by("pk")[:10]:
        report.problems.append(
            f"event id {event.pk} carries a seal but no number: it was taken out of the chain"
        )
    waiting = pending.filter(prev_hash="", hash="")
    report.unsealed = waiting.count()
    if not report.unsealed:
        return
    oldest = waiting.order_by("at", "pk").first()
    assert oldest is not None and report.verified_at is not None
    report.oldest_unsealed_at = oldest.at
    limit = report.verified_at - timedelta(seconds=report.grace_seconds)
    late = waiting.filter(at__lt=limit).count()
    if late:
        report.problems.append(
            f"{late} event(s) have waited more than {report.grace_seconds} s to be sealed "
            f"(the oldest, id {oldest.pk}, since {oldest.at:%Y-%m-%d %H:%M:%S}): run "
            "`tsunagari audit seal` and check the timer that runs it"
        )
    tail = list(waiting.order_by("pk")[:2000])
    _check_subjects(tail, report)
