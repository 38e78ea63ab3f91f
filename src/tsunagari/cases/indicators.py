"""Counts of the multi-agency cases (多機関協働事業) for the plan: the
programme's yearly items and an indicator of direction 4-3.

Each count reads the case records for one fiscal year (April–March): a
date field with ``FiscalYear.days`` (``held_on``), or a time with
``FiscalYear.during`` (``opened_at``, ``ended_at``, ``agreed_at``,
``written_at``). Nothing is suppressed here; the plan app does it in one
place. ``records`` name cases, never persons.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext_noop

from tsunagari.cases.models import (
    Case,
    CaseState,
    Conference,
    MonitoringNote,
    PlanRevision,
    Regime,
)
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    ProgrammeItem,
    Unit,
    listed,
    register_indicator,
    register_programme_item,
)

__all__ = [
    "cases_closed",
    "cases_opened",
    "cases_with_agreed_plan",
    "conferences_held",
    "monitoring_reviews",
    "people_supported",
    "plans_made",
    "plans_revised",
]


def cases_opened(fy: FiscalYear) -> int:
    return Case.objects.filter(**fy.during("opened_at")).count()


def people_supported(fy: FiscalYear) -> int:
    """Persons with a case open at some time in the year (each once): opened
    before the year ends, and not ended before it began. A case ended before
    the year and open now was reopened since, and counts (it may have been
    reopened after the year: the one approximation, since ``ended_at`` keeps
    only the last ending)."""
    start, end = fy.bounds()
    return (
        Case.objects.filter(opened_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start) | Q(state=CaseState.OPEN))
        .values("person_id").distinct().count()
    )  # fmt: skip


def _agreements() -> QuerySet[PlanRevision]:
    return PlanRevision.objects.filter(agreed_at__isnull=False)


def plans_made(fy: FiscalYear) -> int:
    """Plans first agreed at a conference in the year (a plan counts once, in its first year)."""
    firsts = _agreements().values("plan_id").annotate(first=Min("agreed_at"))
    return firsts.filter(**fy.during("first")).count()


def plans_revised(fy: FiscalYear) -> int:
    """Agreements in the year of a plan that had been agreed before (a revision agreed)."""
    start, end = fy.bounds()
    rows: list[tuple[int, datetime]] = [
        (plan_id, at)
        for plan_id, at in _agreements()
        .filter(agreed_at__lt=end)
        .values_list("plan_id", "agreed_at")
        if at is not None
    ]
    first: dict[int, datetime] = {}
    for plan_id, at in sorted(rows, key=lambda r: r[1]):
        first.setdefault(plan_id, at)
    return sum(1 for plan_id, at in rows if start <= at and at != first[plan_id])


def conferences_held(fy: FiscalYear, regime: str) -> int:
    return Conference.objects.filter(regime=regime, **fy.days("held_on")).count()


def cases_closed(fy: FiscalYear) -> int:
    return Case.objects.filter(state=CaseState.CLOSED, **fy.during("ended_at")).count()


def monitoring_reviews(fy: FiscalYear) -> int:
    return MonitoringNote.objects.filter(**fy.during("written_at")).count()


def cases_with_agreed_plan(fy: FiscalYear) -> Measure:
    """Households (cases) whose support plan was agreed at a 支援会議 or
    重層的支援会議 in the year."""
    rows = _agreements().filter(conference__isnull=False, **fy.during("agreed_at"))
    return listed("cases.case", rows.values_list("plan__case_id", flat=True))


_ITEMS: list[tuple[str, str, Callable[[FiscalYear], int], str]] = [
    ("cases_opened", gettext_noop("多機関協働の事例の開始件数"), cases_opened,
     "開始日時がその年度にある事例の数"),
    ("people_supported", gettext_noop("多機関協働で支援した実人数"), people_supported,
     "年度中に一度でも進行中だった事例の本人の実人数（同じ人は1回）"),
    ("plans_made", gettext_noop("支援プランの作成件数"), plans_made,
     "会議で初めて合意された支援プランの数（合意日時がその年度）"),
    ("plans_revised", gettext_noop("支援プランの見直し件数"), plans_revised,
     "合意済みのプランの改訂版が、その年度に会議で合意された回数"),
    ("support_meetings_held", gettext_noop("支援会議の開催回数"),
     lambda fy: conferences_held(fy, Regime.SUPPORT_MEETING), "開催日がその年度にある支援会議の事例の会議"),
    ("layered_meetings_held", gettext_noop("重層的支援会議の開催回数"),
     lambda fy: conferences_held(fy, Regime.LAYERED), "開催日がその年度にある重層的支援会議の事例の会議"),
    ("cases_closed", gettext_noop("終結した事例の件数"), cases_closed,
     "終結の日時がその年度にある事例（中断は含みません）"),
    ("monitoring_reviews", gettext_noop("モニタリングの記録件数"), monitoring_reviews,
     "記録日時がその年度にある支援プランの行動の経過記録"),
]  # fmt: skip

for order, (item, label, compute, notes) in enumerate(_ITEMS, start=1):
    register_programme_item(
        ProgrammeItem(
            programme="multi_agency", item=item, label=label,
            compute=compute,
            order=order * 10, notes=notes,
        )
    )  # fmt: skip

register_indicator(
    Indicator(
        code="4-3.multi_agency_plans_agreed",
        direction="4-3",
        name=gettext_noop("会議で支援プランに合意した多機関協働の事例の数"),
        unit=Unit.CASES,
        definition=gettext_noop(
            "支援会議または重層的支援会議で、支援プランの合意を記録した日時がその年度"
            "（4月1日〜3月31日）にある多機関協働の事例の数。1つの事例は年度に1回だけ数えます。"
        ),
        compute=cases_with_agreed_plan,
        owner="福祉課",
    )
)
