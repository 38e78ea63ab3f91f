"""The lists staff work from: read-only queries, no audit (the pages that
show them audit what they show)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from tsunagari.consultations.indicators import referral_table
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    Need,
    NeedStatus,
    Referral,
    ReferralStatus,
)
from tsunagari.lib import clock

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

WAITING = [ReferralStatus.SENT, ReferralStatus.RECEIVED]

# A referral whose outcome is recorded stays on its sender's worklist this
# many days, so the sender sees how it ended instead of the row vanishing.
RECENTLY_CLOSED_DAYS = 14


def my_consultations(
    actor: Staff, limit: int = 50, *, related: tuple[str, ...] = ("person", "agency", "received_by")
) -> list[Consultation]:
    """The actor's own consultations, newest first, with ``related`` read in
    the same query."""
    return list(mine(actor, related=related)[:limit])


def mine(
    actor: Staff, *, related: tuple[str, ...] = ("person", "agency", "received_by")
) -> QuerySet[Consultation]:
    """All the actor's own consultations at their agency, newest first (the
    worklist pages through them: it shows neither the agency nor the
    receiver, 50 staff rows, roles and all, read for nothing)."""
    return (
        Consultation.objects.filter(received_by=actor, agency=actor.agency)
        .select_related(*related)
        .order_by("-updated", "-pk")
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


def recently_closed(actor: Staff, limit: int = 100) -> list[Referral]:
    """Referrals my agency sent whose outcome was recorded in the last few days, newest first."""
    if actor.agency_id is None:
        return []
    since = clock.now() - timedelta(days=RECENTLY_CLOSED_DAYS)
    return list(
        _referrals()
        .filter(from_agency_id=actor.agency_id, status=ReferralStatus.CLOSED, closed_at__gte=since)
        .order_by("-closed_at", "-pk")[:limit]
    )


def _answered_after(since: datetime) -> Q:
    """Referrals the receiver answered (accepted, declined) or closed after ``since``.

    A declined referral is closed by its sender (the ``decline_reason`` is
    set): that outcome is the sender's own doing, not news to it.
    """
    return Q(
        status__in=[ReferralStatus.ACCEPTED, ReferralStatus.DECLINED], responded_at__gt=since
    ) | Q(status=ReferralStatus.CLOSED, closed_at__gt=since, decline_reason="")


def answered_since(actor: Staff, since: datetime | None, limit: int = 100) -> list[Referral]:
    """Referrals my agency sent that were answered or closed after ``since``, newest first.

    ``since`` is the actor's last visit; None (the first visit) means nothing is new.
    """
    if since is None or actor.agency_id is None:
        return []
    return list(
        _referrals()
        .filter(Q(from_agency_id=actor.agency_id) & _answered_after(since))
        .order_by(Coalesce("closed_at", "responded_at").desc(), "-pk")[:limit]
    )


def my_drafts(actor: Staff, limit: int = 100) -> list[Consultation]:
    """The actor's own unfinished intakes at their agency, most recently touched first."""
    return list(
        _drafts(actor)
        .select_related("person", "agency", "received_by")
        .order_by("-updated", "-pk")[:limit]
    )


def _drafts(actor: Staff) -> QuerySet[Consultation]:
    if actor.agency_id is None:
        return Consultation.objects.none()
    return Consultation.objects.filter(
        received_by=actor, agency_id=actor.agency_id, status=ConsultationStatus.DRAFT
    )


def waiting_needs(limit: int = 100) -> list[Need]:
    """Needs nobody has picked up yet, oldest first (as on the needs page)."""
    return list(
        Need.objects.filter(status=NeedStatus.OPEN)
        .select_related("person", "raised_agency", "raised_by")
        .order_by("raised_at", "pk")[:limit]
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
