"""The plan's figures for 7-1 まちのバリアフリー化の推進 (tsunagari.plan.registry):
barrier reports received and resolved in the fiscal year, and the share of
the directory's places whose accessibility profile is complete.

Reports and places, not people: nothing here is a small cell about someone.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from tsunagari.barriers.models import BarrierReport, BarrierStatus
from tsunagari.lib import clock
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    Unit,
    register_indicator,
    register_record_page,
)
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES
from tsunagari.resources.models import (
    Accessibility,
    Location,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)


def reports_received(fy: FiscalYear) -> Measure:
    start, end = fy.bounds()
    ids = list(
        BarrierReport.objects.filter(received_at__gte=start, received_at__lt=end)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Measure(len(ids), records=tuple(("barriers.report", str(i)) for i in ids))


def reports_resolved(fy: FiscalYear) -> Measure:
    """Reports closed as resolved in the year (whenever they were received)."""
    start, end = fy.bounds()
    ids = list(
        BarrierReport.objects.filter(
            status=BarrierStatus.RESOLVED, closed_at__gte=start, closed_at__lt=end
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Measure(len(ids), records=tuple(("barriers.report", str(i)) for i in ids))


def complete_profiles(fy: FiscalYear) -> Measure:
    """Places of the directory (of services in operation) whose eight features
    are all checked. The directory keeps only today's state: the running year only."""
    if not fy.contains(clock.today()):
        return Measure(None)
    active = Service.objects.exclude(status=ServiceStatus.DEFUNCT).values("id")
    places = list(
        Location.objects.filter(
            id__in=ServiceAtLocation.objects.filter(service_id__in=active).values("location_id")
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not places:
        return Measure(None, numerator=0, denominator=0)
    first: dict[str, Accessibility] = {}
    for acc in Accessibility.objects.filter(location_id__in=places).order_by("id"):
        first.setdefault(acc.location_id, acc)
    done = [
        pk
        for pk in places
        if pk in first
        and all(getattr(first[pk], f"x_{f}") != "unknown" for f in ACCESSIBILITY_FEATURES)
    ]
    return Measure(
        100 * len(done) / len(places),
        numerator=len(done),
        denominator=len(places),
        records=tuple(("resources.location", str(pk)) for pk in done),
    )


register_record_page("barriers.report", "barriers:detail", gettext_noop("バリアの報告"))
register_indicator(
    Indicator(
        code="7-1.barrier_reports_received",
        direction="7-1",
        name=gettext_noop("区民から受け付けたまちのバリアの報告の件数"),
        unit=Unit.CASES,
        definition=gettext_noop(
            "区民向けページから届いたバリアの報告のうち、受付日時がその年度にあるものの数。"
        ),
        compute=reports_received,
        sensitive=False,
        owner="地域福祉課",
    )
)
register_indicator(
    Indicator(
        code="7-1.barrier_reports_resolved",
        direction="7-1",
        name=gettext_noop("対応済みになったまちのバリアの報告の件数"),
        unit=Unit.CASES,
        definition=gettext_noop(
            "バリアの報告のうち、その年度に「対応済み」になったものの数（受付が前の年度でも数える）。"
            "「対応不可」は含めない。"
        ),
        compute=reports_resolved,
        sensitive=False,
        owner="地域福祉課",
    )
)
register_indicator(
    Indicator(
        code="7-1.accessibility_profiles_complete",
        direction="7-1",
        name=gettext_noop("バリアフリー情報がすべて確認済みの施設・場所の割合"),
        unit=Unit.PERCENT,
        definition=gettext_noop(
            "地域資源の一覧で、終了していないサービス・活動の場所のうち、バリアフリー情報の8項目"
            "（段差のない入口、エレベーター、車いす使用者用トイレ、ヒアリングループ、点字の案内、"
            "座って待てる席、障害者用駐車場、静かな部屋）がすべて「あり」か「なし」で記録されて"
            "いるものの割合。一覧は最新の状態だけを持つため、今の年度についてだけ示します。"
        ),
        compute=complete_profiles,
        sensitive=False,
        owner="地域福祉課",
    )
)
