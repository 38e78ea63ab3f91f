"""Counts for the yearly national surveys of responses under the abuse
prevention laws (高齢者虐待・障害者虐待の対応状況等に関する調査), per fiscal year.

Reports received by reporter type and law, abuse recognised by law, kinds of
abuse recognised, and separation measures taken. Every count is suppressed
with ``lib.disclosure`` (``settings.SMALL_CELL_MIN``): primary and
complementary, the same cells on the page and in the export. A report
recognised with several kinds counts once per kind, so the kinds have no
published total.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings

from tsunagari.lib.disclosure import protect_line, protect_table
from tsunagari.plan.registry import FiscalYear
from tsunagari.safeguarding.models import (
    AbuseKind,
    Law,
    Report,
    ReporterIdentity,
    ReporterType,
    Separation,
)

__all__ = ["Line", "SurveyCounts", "Table", "survey_counts"]

Cell = int | None  # None: hidden (too small, or would give a small one away)


@dataclass(frozen=True)
class Table:
    title: str
    rows: list[str]
    columns: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


@dataclass(frozen=True)
class Line:
    title: str
    labels: list[str]
    values: list[Cell]
    total: Cell  # None also when the line has no published total


@dataclass(frozen=True)
class SurveyCounts:
    year: FiscalYear
    small_cell_min: int
    reporters: Table
    recognised: Line
    kinds: Line
    measures: Line


def survey_counts(year: FiscalYear) -> SurveyCounts:
    start, end = year.bounds()
    threshold = int(settings.SMALL_CELL_MIN)
    reports = list(Report.objects.filter(received_at__gte=start, received_at__lt=end))
    types = dict(
        ReporterIdentity.objects.filter(report__in=reports).values_list(
            "report_id", "reporter_type"
        )
    )
    laws = list(Law.values)
    kinds_of = list(ReporterType.values)
    grid = [[0] * len(laws) for _ in kinds_of]
    for r in reports:
        t = types.get(r.pk, ReporterType.OTHER)
        grid[kinds_of.index(t)][laws.index(r.law)] += 1
    guard = protect_table(grid, threshold)
    row_totals = [sum(row) for row in grid]
    col_totals = [sum(col) for col in zip(*grid, strict=True)] if grid else []
    reporters = Table(
        title="通報・届出者の種別（件）",
        rows=[str(ReporterType(k).label) for k in kinds_of],
        columns=[str(Law(k).label) for k in laws],
        cells=[[None if guard.hidden(i, j) else v for j, v in enumerate(row)]
               for i, row in enumerate(grid)],
        row_totals=[None if guard.row_totals[i] else v for i, v in enumerate(row_totals)],
        column_totals=[None if guard.column_totals[j] else v for j, v in enumerate(col_totals)],
        total=None if guard.grand_total else sum(row_totals),
    )  # fmt: skip
    recognised_reports = [r for r in reports if r.recognised]
    by_law = Counter(r.law for r in recognised_reports)
    values = [by_law.get(k, 0) for k in laws]
    line = protect_line(values, threshold)
    recognised = Line("虐待と判断した件数（種別ごと）", [str(Law(k).label) for k in laws],
                      line.apply(values), None if line.total else sum(values))  # fmt: skip
    by_kind = Counter(k for r in recognised_reports for k in (r.kinds or []))
    kinds_values = [by_kind.get(k, 0) for k in AbuseKind.values]
    kinds_guard = protect_line(kinds_values, threshold, total=False)
    kinds = Line("虐待の種類（複数回答）", [str(AbuseKind(k).label) for k in AbuseKind.values],
                 kinds_guard.apply(kinds_values), None)  # fmt: skip
    by_sep = Counter(r.separation or Separation.NONE for r in recognised_reports)
    sep_values = [by_sep.get(k, 0) for k in Separation.values]
    sep_guard = protect_line(sep_values, threshold)
    measures = Line("虐待と判断した事例の分離・措置", [str(Separation(k).label) for k in Separation.values],
                    sep_guard.apply(sep_values), None if sep_guard.total else sum(sep_values))  # fmt: skip
    return SurveyCounts(year, threshold, reporters, recognised, kinds, measures)


def survey_rows(counts: SurveyCounts) -> list[list[str]]:
    """The counts as CSV rows: table, row, column, value ('' and suppressed=1 when hidden)."""
    rows = [["table", "row", "column", "value", "suppressed"]]

    def put(table: str, row: str, column: str, value: Cell) -> None:
        rows.append([table, row, column, "" if value is None else str(value),
                     "1" if value is None else "0"])  # fmt: skip

    t = counts.reporters
    for i, name in enumerate(t.rows):
        for j, column in enumerate(t.columns):
            put(t.title, name, column, t.cells[i][j])
        put(t.title, name, "計", t.row_totals[i])
    for j, column in enumerate(t.columns):
        put(t.title, "計", column, t.column_totals[j])
    put(t.title, "計", "計", t.total)
    for line in (counts.recognised, counts.kinds, counts.measures):
        for label, value in zip(line.labels, line.values, strict=True):
            put(line.title, label, "", value)
        if line is not counts.kinds:
            put(line.title, "計", "", line.total)
    return rows
