"""What the awareness page shows: the year's activities, reach by kind and age
band (small cells hidden, ``lib.disclosure``), and the ward survey's items on
awareness beside them, read through the surveys app's results (its own
small-cell rules), never from its rows.

The ward survey today asks nothing about awareness as such (knowing the
layered support system's front door, or 地域共生社会). Its nearest item is
「困ったときに、行政や支援機関に相談していますか」, whose answer
「相談先がわからない」 says someone does not know where to turn: shown as a
related item, labelled so. When the survey gains items with the columns in
``AWARENESS_COLUMNS``, they are shown as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext

from tsunagari.awareness.models import AGE_BANDS, Activity, ActivityKind
from tsunagari.lib.disclosure import protect_table
from tsunagari.plan.registry import FiscalYear
from tsunagari.surveys.engine.instruments import HELP_SEEKING
from tsunagari.surveys.models import Survey
from tsunagari.surveys.results import results_for

# Survey columns that ask about awareness directly (the surveys app may add
# them): column -> the answer whose share is shown.
AWARENESS_COLUMNS: dict[str, str] = {
    "awareness_front_door": "知っている",
    "awareness_kyosei": "知っている",
}
PROXY_COLUMN = HELP_SEEKING.column
PROXY_ANSWER = HELP_SEEKING.label(4)  # 相談先がわからない


def activities(fy: FiscalYear) -> QuerySet[Activity]:
    """The activities held in the fiscal year (every kind, campaigns included)."""
    return Activity.objects.filter(**fy.days("held_on"))


@dataclass
class ReachRow:
    kind: str
    label: str
    activities: int
    cells: list[int | None]  # per age band; None: hidden
    total: int | None
    estimated_reach: int


@dataclass
class ReachTable:
    bands: list[str]
    rows: list[ReachRow]
    band_totals: list[int | None]
    grand_total: int | None
    limit: int

    def chart(self) -> dict[str, Any]:
        """Stacked bars: one series per age band, one bar per kind (hidden cells left out)."""
        kinds = [r.label for r in self.rows if r.activities]
        series = []
        for j, band in enumerate(self.bands):
            values = [r.cells[j] for r in self.rows if r.activities]
            series.append({"name": band, "values": values})
        return {"kinds": kinds, "series": series,
                "title": gettext("種類別・年齢区分別の参加者数"), "axis": gettext("人")}  # fmt: skip


def reach_table(fy: FiscalYear) -> ReachTable:
    """Participants per kind and age band in the year, with small cells hidden."""
    limit = int(settings.SMALL_CELL_MIN)
    names = [name for name, _label in AGE_BANDS]
    sums: dict[str, dict[str, Any]] = {
        str(row["kind"]): dict(row)
        for row in activities(fy)
        .values("kind")
        .annotate(reach=Sum("estimated_reach"), **{f"s_{n}": Sum(n) for n in names})
    }
    counts = {k: activities(fy).filter(kind=k).count() for k in ActivityKind.values}
    kinds = list(ActivityKind.choices)
    cells = [[int(sums.get(k, {}).get(f"s_{n}") or 0) for n in names] for k, _l in kinds]
    protection = protect_table(cells, limit)
    rows = []
    for i, (kind, label) in enumerate(kinds):
        shown = [None if protection.hidden(i, j) else cells[i][j] for j in range(len(names))]
        rows.append(ReachRow(
            kind=kind, label=str(label), activities=counts[kind], cells=shown,
            total=None if protection.row_totals[i] else sum(cells[i]),
            estimated_reach=int(sums.get(kind, {}).get("reach") or 0),
        ))  # fmt: skip
    band_totals = [
        None if protection.column_totals[j] else sum(r[j] for r in cells) for j in range(len(names))
    ]
    grand = None if protection.grand_total else sum(map(sum, cells))
    return ReachTable([gettext(label) for _n, label in AGE_BANDS], rows, band_totals, grand, limit)


@dataclass
class Rate:
    question: str
    answer: str
    share: float | None  # percent; None when hidden
    weighted: float | None
    answered: int | None
    proxy: bool = False


@dataclass
class SurveyLink:
    survey: str = ""
    rates: list[Rate] = field(default_factory=list)
    # True when the survey has no item on awareness itself (only the related one).
    no_direct_item: bool = True


def survey_for(fy: FiscalYear) -> Survey | None:
    """The year's analysed survey round, or the latest one before it."""
    return (
        Survey.objects.filter(fiscal_year__lte=fy.year, analysis__isnull=False)
        .order_by("-fiscal_year", "-wave", "-pk")
        .first()
    )


def survey_link(fy: FiscalYear) -> SurveyLink:
    """The survey's awareness items through its results (small cells already hidden there)."""
    survey = survey_for(fy)
    if survey is None:
        return SurveyLink()
    link = SurveyLink(survey=survey.label)
    for item in results_for(survey).ward_items():
        column = item["column"]
        wanted = AWARENESS_COLUMNS.get(column) or (PROXY_ANSWER if column == PROXY_COLUMN else "")
        for row in item["rows"] if wanted else []:
            if row["label"] != wanted:
                continue
            link.rates.append(Rate(
                question=item["question"], answer=wanted, share=row["share"],
                weighted=row["weighted"], answered=item["answered"],
                proxy=column not in AWARENESS_COLUMNS,
            ))  # fmt: skip
            if column in AWARENESS_COLUMNS:
                link.no_direct_item = False
    return link
