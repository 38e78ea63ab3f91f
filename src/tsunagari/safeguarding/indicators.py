"""The plan's indicators of directions 4-1 (権利擁護支援の充実) and 4-2
(あらゆる暴力の防止), computed from the team's records.

The national yearly surveys' counts (by reporter type, recognised, kinds,
measures) are not programme items of the layered support system; they live
on the team's own page (``safeguarding.survey``). No suppression here: the
plan app suppresses, in one place.
"""

from __future__ import annotations

from tsunagari.plan import registry
from tsunagari.plan.registry import FiscalYear, Indicator, Measure, Unit, register_indicator
from tsunagari.safeguarding.clocks import limits
from tsunagari.safeguarding.models import (
    AdvocacySupport,
    Clock,
    Law,
    Petition,
    Report,
    SupportKind,
)


def _refs(kind: str, pks: list[int]) -> tuple[tuple[str, str], ...]:
    return tuple((kind, str(pk)) for pk in pks)


def mayor_petitions(year: FiscalYear) -> Measure:
    return registry.counted(
        Petition.objects.filter(**year.during("petitioned_at")), "safeguarding.petition"
    )


def fee_subsidies(year: FiscalYear) -> Measure:
    return registry.counted(
        AdvocacySupport.objects.filter(kind=SupportKind.FEE_SUBSIDY, **year.during("at")),
        "safeguarding.advocacysupport",
    )


def daily_life_referrals(year: FiscalYear) -> Measure:
    return registry.counted(
        AdvocacySupport.objects.filter(kind=SupportKind.DAILY_LIFE, **year.during("at")),
        "safeguarding.advocacysupport",
    )


def reports_received(year: FiscalYear) -> Measure:
    return registry.counted(
        Report.objects.filter(**year.during("received_at")), "safeguarding.report"
    )


def safety_in_time(year: FiscalYear) -> Measure:
    """Of the reports the ward itself worked (a child's report is handed over),
    the share whose safety was confirmed within the clock."""
    start, end = year.bounds()
    span = limits()[Clock.SAFETY]
    rows = list(
        Report.objects.filter(received_at__gte=start, received_at__lt=end)
        .exclude(law=Law.CHILD)
        .values_list("pk", "received_at", "safety_at")
    )
    if not rows:
        return Measure(None, numerator=0, denominator=0)
    met = [pk for pk, received, safety in rows if safety is not None and safety - received <= span]
    return Measure(
        round(100 * len(met) / len(rows), 1),
        numerator=len(met),
        denominator=len(rows),
        records=_refs("safeguarding.report", met),
    )


register_indicator(Indicator(
    code="4-1.mayor_petitions", direction="4-1", name="成年後見の区長申立て件数", unit=Unit.CASES,
    definition="年度中に家庭裁判所へ申し立てた区長申立ての件数（申立ての日で数えます）。",
    compute=mayor_petitions,
))  # fmt: skip
register_indicator(Indicator(
    code="4-1.fee_subsidies", direction="4-1", name="成年後見人等の報酬助成の件数",
    unit=Unit.CASES, definition="年度中に決定した後見人等の報酬助成の件数。",
    compute=fee_subsidies,
))  # fmt: skip
register_indicator(Indicator(
    code="4-1.daily_life_referrals", direction="4-1",
    name="日常生活自立支援事業へのつなぎの件数", unit=Unit.CASES,
    definition="年度中に社会福祉協議会の日常生活自立支援事業へつないだ件数。",
    compute=daily_life_referrals,
))  # fmt: skip
register_indicator(Indicator(
    code="4-2.reports_received", direction="4-2", name="虐待・DVの通報・届出の受付件数",
    unit=Unit.CASES,
    definition="年度中に受け付けた高齢者・障害者・児童虐待とDVの通報・届出の件数（子どもの通報は送致したものを含みます）。",
    compute=reports_received,
))  # fmt: skip
register_indicator(Indicator(
    code="4-2.safety_within_clock", direction="4-2",
    name="期限内に安全確認した通報の割合", unit=Unit.PERCENT,
    definition="年度中に受け付けた通報（子どもの送致分を除く）のうち、受付から設定時間（既定48時間、夜間・休日を含む）以内に安全確認した割合。",
    compute=safety_in_time,
))  # fmt: skip
