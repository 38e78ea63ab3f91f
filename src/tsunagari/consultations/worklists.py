"""The lists staff work from: read-only queries, no audit (the pages that
show them audit what they show)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from tsunagari.consultations.indicators import referral_table
from tsunagari.consultations.models import (
    Consultation,
    Need,
    NeedStatus,
    Referral,
    ReferralStatus,
)

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

WAITING = [ReferralStatus.SENT, ReferralStatus.RECEIVED]


def my_consultations(actor: Staff, limit: int = 50) -> list[Consultation]:
    return list(
        Consultation.objects.filter(received_by=actor, agency=actor.agency)
        .select_related("person", "agency", "received_by")
        .order_by("-updated", "-pk")[:limit]
    )


def _referrals() -> QuerySet[Referral]:
    return Referral.objects.select_related("person", "from_agency", "to_agency")


def waiting_for_my_agency(actor: Staff, limit: int = 100) -> list[Referral]:
    return list(
        _referrals()
        .filter(to_agency_id=actor.agency_id, status__in=WAITING)
        .order_by("due_at")[:limit]
    )


def overdue(actor: Staff, limit: int = 100) -> list[Referral]:
    """Unanswered referrals past their limit, sent by or to the actor's agency."""
    return list(
        _referrals()
        .filter(Q(to_agency_id=actor.agency_id) | Q(from_agency_id=actor.agency_id))
        .filter(status__in=WAITING, due_at__lt=timezone.now())
        .order_by("due_at")[:limit]
    )


def sent_and_open(actor: Staff, limit: int = 100) -> list[Referral]:
    """Referrals my agency sent whose loop is not closed yet."""
    return list(
        _referrals()
        .filter(from_agency_id=actor.agency_id)
        .filter(status__in=[*WAITING, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED])
        .order_by("sent_at")[:limit]
    )


def open_needs(limit: int = 200) -> list[Need]:
    return list(
        Need.objects.select_related("person", "raised_agency", "raised_by", "picked_up_by")
        .order_by("status", "raised_at")
        .filter(
            Q(status=NeedStatus.OPEN) | Q(picked_up_at__gte=timezone.now() - timedelta(days=30))
        )[:limit]
    )


@dataclass(frozen=True)
class LoopRow:
    agency: str
    sent: int | None  # None: suppressed (fewer than SMALL_CELL_MIN)
    closed: int | None  # None: suppressed
    rate: float | None  # share of sent referrals with an outcome, 0..1; None: suppressed

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.0f}%"


def closed_loop_by_agency(start: date | None = None, end: date | None = None) -> list[LoopRow]:
    """Share of referrals with an outcome, by sending agency; small cells suppressed.

    Revoked referrals are left out: the sender withdrew them, no loop to close.
    What is hidden (small counts, and the counts that would give them away
    through the totals) is decided by ``indicators.referral_table``.
    """
    table = referral_table(start, end)
    hide = table.protection
    result = []
    for i, agency in enumerate(table.agencies):
        sent, closed = table.closed[i] + table.open[i], table.closed[i]
        if hide.row_totals[i] is not None:
            result.append(LoopRow(agency, None, None, None))
            continue
        if hide.hidden(i, 0):
            # A hidden count of closed loops would show through the rate too.
            result.append(LoopRow(agency, sent, None, None))
            continue
        result.append(LoopRow(agency, sent, closed, closed / sent))
    result.sort(key=lambda r: (r.rate is None, -(r.rate or 0), r.agency))
    return result
