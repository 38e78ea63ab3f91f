"""The survey's loneliness rate as a plan indicator (tsunagari.plan.registry).

The cross-cutting 孤独・孤立対策 has no direction of its own in the policy
system; the rate is attached to 1-1 (気軽に集える場の創設), under measure 1
(地域のつながりをつくる), whose places and connections it is the outcome of.
Less is better. The rate is the survey's estimate (weighted when the survey
was weighted); its numerator and denominator are the respondents, so a
small survey is suppressed by the plan app like any small count.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from tsunagari.plan.registry import FiscalYear, Indicator, Measure, Unit, register_indicator
from tsunagari.surveys.models import Estimate, Survey

MEASURE = "lonely_often"


def loneliness_rate(fy: FiscalYear) -> Measure:
    survey = (
        Survey.objects.filter(fiscal_year=fy.year, analysis__isnull=False)
        .order_by("-wave", "-pk")
        .first()
    )
    if survey is None:
        return Measure(None)
    cells = {
        e.weighted: e
        for e in Estimate.objects.filter(
            analysis__survey=survey, measure=MEASURE, group="all", level="all"
        )
    }
    unweighted = cells.get(False)
    shown = cells.get(True) or unweighted
    if shown is None or shown.estimate is None or unweighted is None:
        return Measure(None)
    n = int(unweighted.n)
    lonely = round((unweighted.estimate or 0.0) * n)
    return Measure(
        round(100 * shown.estimate, 1), numerator=lonely, denominator=n,
        records=(("surveys.survey", str(survey.pk)),),
    )  # fmt: skip


register_indicator(
    Indicator(
        code="1-1.loneliness_rate",
        direction="1-1",
        name=gettext_noop("孤独感が「しばしばある・常にある」人の割合（区民調査）"),
        unit=Unit.PERCENT,
        definition=gettext_noop(
            "その年度に実施し集計した孤独・孤立に関する区民調査で、孤独感が「しばしばある・"
            "常にある」と答えた人の割合（重み付けした調査は重み付き推計）。横断的な取組"
            "「孤独・孤立対策」の成果指標として、施策1「地域のつながりをつくる」の1-1に"
            "位置づけます。少ないほど良い指標です。"
        ),
        compute=loneliness_rate,
        higher_is_better=False,
        owner="地域福祉課",
    )
)
