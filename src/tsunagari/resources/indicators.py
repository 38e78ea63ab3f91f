"""The plan's indicators from the local resource directory (tsunagari.plan.registry):
8-1 (情報発信の充実) entries checked in the last 12 months, and 1-1 (気軽に集える場)
the places to gather listed. Places and services, not people: nothing is suppressed.

The directory keeps only each entry's latest state, so both figures are
today's, given for the fiscal year that is running (earlier years: no data).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_noop

from tsunagari.lib import clock
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    Unit,
    counted,
    register_indicator,
    share,
)
from tsunagari.resources.models import ResourceKind, Service, ServiceStatus

GATHERING_KINDS = (
    ResourceKind.IBASHO,
    ResourceKind.KAYOI,
    ResourceKind.KODOMO_SHOKUDO,
    ResourceKind.SALON,
    ResourceKind.CAFE,
)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def verified_share(fy: FiscalYear) -> Measure:
    today = clock.today()
    if not fy.contains(today):
        return Measure(None)
    rows = list(
        Service.objects.filter(status=ServiceStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "assured_date")
    )
    since = _year_before(today).isoformat()
    fresh = [pk for pk, checked in rows if checked and since < checked[:10] <= today.isoformat()]
    return share("resources.service", fresh, len(rows))


def gathering_places(fy: FiscalYear) -> Measure:
    if not fy.contains(clock.today()):
        return Measure(None)
    rows = Service.objects.filter(status=ServiceStatus.ACTIVE, x_kind__in=GATHERING_KINDS)
    return counted(rows, "resources.service")


register_indicator(
    Indicator(
        code="8-1.directory_verified",
        direction="8-1",
        name=gettext_noop("直近12か月に内容を確認した地域資源情報の割合"),
        unit=Unit.PERCENT,
        definition=gettext_noop(
            "地域資源の一覧で実施中のサービス・活動のうち、最終確認日が今日までの12か月以内に"
            "あるものの割合。一覧は最新の状態だけを持つため、今の年度についてだけ示します。"
        ),
        compute=verified_share,
        sensitive=False,
        owner="地域福祉課",
    )
)
register_indicator(
    Indicator(
        code="1-1.directory_gathering_places",
        direction="1-1",
        name=gettext_noop("地域資源の一覧に載っている居場所・通いの場の数"),
        unit=Unit.PLACES,
        definition=gettext_noop(
            "地域資源の一覧で実施中の居場所・通いの場・子ども食堂・サロン・カフェの数"
            "（非公開の場所を含む）。今の年度についてだけ現在の数を示します。"
        ),
        compute=gathering_places,
        sensitive=False,
        owner="地域福祉課",
    )
)
