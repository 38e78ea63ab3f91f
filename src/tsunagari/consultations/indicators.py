"""Counts that feed the plan's indicators (包括的相談支援): consultations
received by month and service, referrals, and the closed-loop rate.
Cells under ``settings.SMALL_CELL_MIN`` are suppressed (``None``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext

from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    Referral,
    ReferralStatus,
    Service,
)


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


def _safe(n: int, small: int) -> int | None:
    return n if n == 0 or n >= small else None


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
    cells = [
        MonthServiceCount(
            month=row["month"].strftime("%Y-%m"),
            service=str(labels.get(row["service"], row["service"] or gettext("未記入"))),
            count=_safe(int(row["n"]), small),
        )
        for row in grouped
    ]
    referrals = Referral.objects.filter(sent_at__date__gte=start, sent_at__date__lte=end).exclude(
        status=ReferralStatus.REVOKED
    )
    sent = referrals.count()
    closed = referrals.filter(status=ReferralStatus.CLOSED).count()
    safe_sent, safe_closed = _safe(sent, small), _safe(closed, small)
    rate = closed / sent if safe_sent and safe_closed is not None and sent else None
    return IndicatorCounts(
        start=start,
        end=end,
        small_cell_min=small,
        consultations=_safe(recorded.count(), small),
        by_month_service=cells,
        referrals_sent=safe_sent,
        referrals_closed=safe_closed,
        closed_loop_rate=rate,
    )
