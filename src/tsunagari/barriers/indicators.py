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
    counted,
    register_indicator,
    register_record_page,
    share,
)
from tsunagari.resources.models import Location, Service, ServiceAtLocation, ServiceStatus
from tsunagari.resources.store import profiles_of


def reports_received(fy: FiscalYear) -> Measure:
    return counted(BarrierReport.objects.filter(**fy.during("received_at")), "barriers.report")


def reports_resolved(fy: FiscalYear) -> Measure:
    """Reports closed as resolved in the year (whenever they were received)."""
    rows = BarrierReport.objects.filter(status=BarrierStatus.RESOLVED, **fy.during("closed_at"))
    return counted(rows, "barriers.report")


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
    done = [pk for pk, profile in profiles_of(places).items() if profile.complete]
    return share("resources.location", done, len(places))


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
