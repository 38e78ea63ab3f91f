"""Counts that feed the plan's indicators (包括的相談支援): consultations
received by month and service, referrals, and the closed-loop rate.

Cells under ``settings.SMALL_CELL_MIN`` are suppressed (``None``), and so
are the cells needed to keep them from being worked out from the totals
(``tsunagari.lib.disclosure``). The referral totals here are the margins of
the closed-loop table by agency (``referral_table``), so this answer and the
worklist page hide consistently for the same period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext

from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    Referral,
    ReferralStatus,
    Service,
)
from tsunagari.lib.disclosure import TableProtection, protect_table


@dataclass(frozen=True)
class MonthServiceCount:
    month: str  # YYYY-MM
    service: str
    count: int | None  # None: suppressed (small cell)


@dataclass(frozen=True)
class IndicatorCounts:
    start: date
    end: date
    small_cell_min: int
    consultations: int | None
    by_month_service: list[MonthServiceCount] = field(default_factory=list)
    referrals_sent: int | None = None
    referrals_closed: int | None = None
    closed_loop_rate: float | None = None


@dataclass(frozen=True)
class ReferralTable:
    """Referrals sent by agency: closed and not closed, with what must stay hidden.

    The table's columns are ``closed`` and ``open`` (sent without an outcome,
    never shown as such but given away by ``sent - closed``); its row totals
    are the referrals each agency sent, its column totals and grand total the
    period's closed and sent referrals.
    """

    agencies: list[str]
    closed: list[int]
    open: list[int]
    protection: TableProtection

    @property
    def sent_total(self) -> int:
        return sum(self.closed) + sum(self.open)


def referral_table(start: date | None = None, end: date | None = None) -> ReferralTable:
    """Referrals (revoked ones left out) sent in ``start``..``end`` by sending agency, protected.

    Only the ``closed`` counts (and the totals) are subject to primary
    suppression; an ``open`` count is hidden when it would give one away.
    """
    rows = Referral.objects.exclude(status=ReferralStatus.REVOKED)
    if start is not None:
        rows = rows.filter(sent_at__date__gte=start)
    if end is not None:
        rows = rows.filter(sent_at__date__lte=end)
    counts = list(
        rows.values("from_agency__name")
        .annotate(sent=Count("id"), closed=Count("id", filter=Q(status=ReferralStatus.CLOSED)))
        .order_by("from_agency__name")
    )
    agencies = [str(r["from_agency__name"]) for r in counts]
    closed = [int(r["closed"]) for r in counts]
    still_open = [int(r["sent"]) - int(r["closed"]) for r in counts]
    protection = protect_table(
        [[c, o] for c, o in zip(closed, still_open, strict=True)],
        settings.SMALL_CELL_MIN,
        sensitive=[[True, False]] * len(counts),
    )
    return ReferralTable(agencies, closed, still_open, protection)


def indicator_counts(start: date, end: date) -> IndicatorCounts:
    """Aggregates for ``start``..``end`` (inclusive); never a cell smaller than the threshold.

    Example:
        >>> indicator_counts(date(2026, 4, 1), date(2027, 3, 31)).consultations
    """
    if end < start:
        raise ValueError("end is before start")
    small = settings.SMALL_CELL_MIN
    recorded = Consultation.objects.filter(
        status=ConsultationStatus.RECORDED, received_on__gte=start, received_on__lte=end
    )
    grouped = (
        recorded.annotate(month=TruncMonth("received_on"))
        .values("month", "service")
        .annotate(n=Count("id"))
        .order_by("month", "service")
    )
    labels = dict(Service.choices)
    found = [(row["month"].strftime("%Y-%m"), row["service"], int(row["n"])) for row in grouped]
    # Months by services, with the zeros the query leaves out, protected as one table
    # whose month and service totals and grand total (the consultations) count as shown.
    months = sorted({m for m, _, _ in found})
    services = sorted({s for _, s, _ in found}, key=lambda s: (s is None, s or ""))
    table = [[0] * len(services) for _ in months]
    for month, service, n in found:
        table[months.index(month)][services.index(service)] = n
    protection = protect_table(table, small)
    cells = [
        MonthServiceCount(
            month=month,
            service=str(labels.get(service, service or gettext("未記入"))),
            count=None if protection.hidden(months.index(month), services.index(service)) else n,
        )
        for month, service, n in found
    ]
    consultations = sum(n for _, _, n in found)
    referrals = referral_table(start, end)
    margins = referrals.protection
    sent = None if margins.grand_total is not None else referrals.sent_total
    closed = None if margins.column_totals and margins.column_totals[0] else sum(referrals.closed)
    return IndicatorCounts(
        start=start,
        end=end,
        small_cell_min=small,
        consultations=None if protection.grand_total is not None else consultations,
        by_month_service=cells,
        referrals_sent=sent,
        referrals_closed=closed,
        closed_loop_rate=closed / sent if sent and closed is not None else None,
    )
