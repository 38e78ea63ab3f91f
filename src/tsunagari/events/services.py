"""The one helper every action calls to write a named event."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock

if TYPE_CHECKING:
    from django.db import models

    from tsunagari.accounts.models import Staff

__all__ = ["events_of", "write_event"]


def write_event(
    kind: EventKind,
    obj: models.Model | None,
    actor: Staff | None,
    *,
    person_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    **data: Any,
) -> DomainEvent:
    """Record that ``kind`` happened to ``obj`` now (the action's clock).

    ``data`` holds the facts a timeline shows (states, dates, agency codes),
    never free text copied from a record that a timeline reader might not
    be entitled to.
    """
    if kind not in EventKind.values:
        raise ValueError(f"Unknown event kind {kind!r}")
    clean = json.loads(json.dumps({k: v for k, v in data.items() if v not in (None, "")},
                                  ensure_ascii=False, default=str))  # fmt: skip
    return DomainEvent.objects.create(
        kind=kind,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        person_id=person_id if person_id is not None else getattr(obj, "person_id", None),
        actor=actor,
        agency_id=getattr(actor, "agency_id", None),
        at=clock.now(),
        data=clean,
    )


def events_of(obj: models.Model) -> list[DomainEvent]:
    """The named events of one object, oldest first."""
    return list(
        DomainEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor", "agency")
        .order_by("at", "pk")
    )
