"""Named referral events: every state change writes one through :func:`write_event`,
and the timeline both sides see is read from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from tsunagari.consultations.models import Referral, ReferralEvent, ReferralEventKind

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff


def write_event(
    referral: Referral,
    kind: ReferralEventKind,
    actor: Staff | None,
    *,
    at: datetime | None = None,
    **detail: Any,
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        at=at or timezone.now(),
        actor=actor,
        agency_id=getattr(actor, "agency_id", None),
        detail={k: v for k, v in detail.items() if v not in (None, "")},
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    label: str
    actor: str
    agency: str
    detail: dict[str, Any]


def timeline(referral: Referral) -> list[TimelineEntry]:
    labels = dict(ReferralEventKind.choices)
    return [
        TimelineEntry(
            at=e.at,
            kind=e.kind,
            label=str(labels.get(e.kind, e.kind)),
            actor=str(e.actor) if e.actor else "",
            agency=e.agency.name if e.agency else "",
            detail=e.detail,
        )
        for e in referral.events.select_related("actor", "agency").order_by("at", "pk")
    ]
