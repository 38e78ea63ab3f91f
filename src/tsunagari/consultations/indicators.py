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
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext, gettext_noop

from tsunagari.accounts.models import AgencyKind
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    NeedStatus,
    Referral,
    ReferralStatus,
    Service,
)
from tsunagari.lib import clock
from tsunagari.lib.disclosure import TableProtection, protect_table
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    ProgrammeItem,
    Unit,
    counted,
    register_indicator,
    register_programme_item,
    share,
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


# ── The plan's indicators and the 包括的相談支援事業 items (tsunagari.plan.registry) ──
# Raw counts for a fiscal year; the plan app suppresses small ones in one place.

# Receiving agencies near residents: every kind but the ward's own departments
# and the multi-agency coordinator (who takes no first consultations).
LOCAL_AGENCY_KINDS = tuple(
    k for k in AgencyKind.values if k not in {AgencyKind.WARD_DEPARTMENT, AgencyKind.MULTI_AGENCY}
)


def _recorded_in(fy: FiscalYear) -> QuerySet[Consultation]:
    return Consultation.objects.filter(status=ConsultationStatus.RECORDED, **fy.days("received_on"))


def _sent_in(fy: FiscalYear) -> QuerySet[Referral]:
    return Referral.objects.exclude(status=ReferralStatus.REVOKED).filter(**fy.during("sent_at"))


def local_consultations(fy: FiscalYear) -> Measure:
    rows = _recorded_in(fy).filter(agency__kind__in=LOCAL_AGENCY_KINDS)
    return counted(rows, "consultations.consultation")


def referrals_closed_in_loop(fy: FiscalYear) -> Measure:
    rows = list(_sent_in(fy).order_by("pk").values_list("pk", "status"))
    closed = [pk for pk, status in rows if status == ReferralStatus.CLOSED]
    return share("consultations.referral", closed, len(rows))


def consultations_connected_across(fy: FiscalYear) -> Measure:
    rows = _recorded_in(fy).filter(
        Q(needs__status=NeedStatus.PICKED_UP)
        | Q(referrals__status__in=[s for s in ReferralStatus.values if s != "revoked"])
    )
    return counted(rows.distinct(), "consultations.consultation")


def referrals_answered_in_time(fy: FiscalYear) -> Measure:
    # Referrals whose answer is due by now or already given; an unanswered one
    # past its limit counts against, one still within its limit not at all.
    now = clock.now()
    rows = list(
        _sent_in(fy)
        .filter(Q(responded_at__isnull=False) | Q(due_at__lt=now))
        .order_by("pk")
        .values_list("pk", "responded_at", "due_at")
    )
    in_time = [pk for pk, answered, due in rows if answered is not None and answered <= due]
    return share("consultations.referral", in_time, len(rows))


register_indicator(
    Indicator(
        code="1-3.local_consultations",
        direction="1-3",
        name=gettext_noop("身近な相談機関で受けた相談の件数"),
        unit=Unit.CASES,
        definition=gettext_noop(
            "受付日がその年度（4月1日〜3月31日）にある受付済みの相談のうち、区役所の担当課と"
            "多機関協働事業者を除く機関（長寿サポートセンター、障害者相談支援事業所、子ども家庭"
            "支援センター、生活困窮者自立相談支援機関、社会福祉協議会、NPO、民生委員など）で"
            "受けたもの。下書きは数えません。"
        ),
        compute=local_consultations,
        owner="福祉課",
    )
)
register_indicator(
    Indicator(
        code="2-1.referrals_closed_in_loop",
        direction="2-1",
        name=gettext_noop("つなぎ（機関間の紹介）の結果記録率"),
        unit=Unit.PERCENT,
        definition=gettext_noop(
            "送付日時がその年度にあるつなぎ（取り下げを除く）のうち、受けた機関が結果"
            "（つながった・連絡がつかなかった など）を記録して閉じたものの割合。"
        ),
        compute=referrals_closed_in_loop,
        owner="福祉課",
    )
)
register_indicator(
    Indicator(
        code="2-2.consultations_connected_across",
        direction="2-2",
        name=gettext_noop("組織を越えてつないだ相談の件数"),
        unit=Unit.CASES,
        definition=gettext_noop(
            "受付日がその年度にある受付済みの相談のうち、他機関へのつなぎ（取り下げを除く）を"
            "送ったもの、または多機関協働・アウトリーチの必要を担当者が引き受けたもの。"
            "1件の相談は1回だけ数えます。"
        ),
        compute=consultations_connected_across,
        owner="福祉課",
    )
)
register_indicator(
    Indicator(
        code="9-2.referrals_answered_in_time",
        direction="9-2",
        name=gettext_noop("回答期限内に応答したつなぎの割合"),
        unit=Unit.PERCENT,
        definition=gettext_noop(
            "送付日時がその年度にあるつなぎ（取り下げを除く）のうち、回答期限が過ぎたもの"
            "または応答（受け入れ・辞退）があったものを分母とし、期限までに応答したものの割合。"
            "期限前でまだ応答のないものは数えません。"
        ),
        compute=referrals_answered_in_time,
        owner="福祉課",
    )
)

register_programme_item(
    ProgrammeItem(
        programme="consultation",
        item="consultations_received",
        label=gettext_noop("相談受付件数"),
        compute=lambda fy: _recorded_in(fy).count(),
        order=10,
    )
)
register_programme_item(
    ProgrammeItem(
        programme="consultation",
        item="people_supported",
        label=gettext_noop("相談支援を行った実人数"),
        compute=lambda fy: (
            _recorded_in(fy).filter(person__isnull=False).values("person").distinct().count()
        ),
        order=20,
        notes="受付済みの相談のうち本人が分かるものの実人数（同じ人は1回）",
    )
)
register_programme_item(
    ProgrammeItem(
        programme="consultation",
        item="referrals_made",
        label=gettext_noop("他機関へのつなぎ件数"),
        compute=lambda fy: _sent_in(fy).count(),
        order=30,
    )
)
register_programme_item(
    ProgrammeItem(
        programme="consultation",
        item="referrals_closed",
        label=gettext_noop("結果を記録して閉じたつなぎの件数"),
        compute=lambda fy: Referral.objects.filter(
            status=ReferralStatus.CLOSED, **fy.during("closed_at")
        ).count(),
        order=40,
        notes="結果の記録日時がその年度にあるもの",
    )
)
