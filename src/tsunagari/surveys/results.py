"""Stored results as people read them: labelled, rounded, small cells suppressed.

Pages, exports and the API all read results through this module, so
suppression is applied in one place. A cell is hidden when the engine
suppressed it or when its count is under today's ``SMALL_CELL_MIN`` (which
may have been raised since the analysis ran); the count itself is hidden too.
Cells that would let a hidden one be worked out from a total (the overall
count minus the levels shown) are hidden as well (``tsunagari.lib.disclosure``),
and every hidden count shows the same mark, so a reader cannot tell which
hidden cell is the small one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.lib.disclosure import protect_line
from tsunagari.surveys.engine.instruments import HOUSEHOLD_TYPE, SEX
from tsunagari.surveys.engine.national import SOURCE, national_measures, national_table
from tsunagari.surveys.engine.scoring import NO_ANSWER
from tsunagari.surveys.models import Analysis, Estimate, Survey
from tsunagari.surveys.services import min_cell

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MEASURES: dict[str, StrOrPromise] = {
    "lonely_often": _("孤独感が「しばしばある・常にある」人の割合"),
    "lonely_any": _("孤独感が「しばしば・時々・たまに」ある人の割合"),
    "ucla_high": _("UCLA孤独感尺度（3項目）10〜12点の人の割合"),
    "ucla_mean": _("UCLA孤独感尺度（3項目）の平均点"),
}
SHORT: dict[str, StrOrPromise] = {
    "lonely_often": _("しばしば・常に"),
    "lonely_any": _("孤独感あり（たまに以上）"),
    "ucla_high": _("UCLA 10〜12点"),
    "ucla_mean": _("UCLA 平均点"),
}
GROUPS: dict[str, StrOrPromise] = {
    "age_band": _("年齢区分"),
    "sex": _("性別"),
    "household": _("世帯構成"),
    "town": _("町名"),
}
NATIONAL_SOURCE = SOURCE
SUPPRESSED = "—"


def level_label(group: str, level: str) -> str:
    """The printed name of a group level (sex and household are stored as codes)."""
    try:
        if group == "sex":
            return SEX.label(int(level))
        if group == "household":
            return HOUSEHOLD_TYPE.label(int(level))
    except (KeyError, ValueError):
        return level
    if group == "all":
        return gettext("全体")
    if group == "age_band":
        if level == "80+":
            return gettext("80歳以上")
        return gettext("%(band)s歳") % {"band": level}
    return level


@dataclass(frozen=True, slots=True)
class Cell:
    """One estimate ready to print; ``suppressed`` cells carry no number at all."""

    measure: str
    group: str
    level: str
    label: str
    weighted: bool
    n: int | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool

    @property
    def share(self) -> bool:
        return self.measure != "ucla_mean"

    def _fmt(self, value: float | None) -> str:
        if value is None:
            return SUPPRESSED
        return f"{value * 100:.1f}" if self.share else f"{value:.2f}"

    @property
    def shown(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        return self._fmt(self.estimate) + ("%" if self.share else "")

    @property
    def interval(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        return f"{self._fmt(self.ci_low)}〜{self._fmt(self.ci_high)}"

    @property
    def n_shown(self) -> str:
        # One mark for every hidden count: "under 5" would be untrue for a cell
        # hidden to protect another, and two marks would say which one is small.
        if self.n is None:
            return SUPPRESSED
        return f"{self.n:,}"

    def chart_value(self, value: float | None) -> float | None:
        if self.suppressed or value is None:
            return None
        return round(value * 100, 2) if self.share else round(value, 3)


def cell_from(e: Estimate, limit: int, *, protect: bool = False) -> Cell:
    """The printable cell of ``e``; ``protect`` hides it to keep another from being worked out."""
    hidden = protect or e.suppressed or e.n < limit or e.estimate is None
    return Cell(
        measure=e.measure,
        group=e.group,
        level=e.level,
        label=level_label(e.group, e.level),
        weighted=e.weighted,
        n=None if hidden else e.n,
        estimate=None if hidden else e.estimate,
        ci_low=None if hidden else e.ci_low,
        ci_high=None if hidden else e.ci_high,
        suppressed=hidden,
    )


@dataclass
class Row:
    """One level of one group: the unweighted and (when available) weighted cells."""

    label: str
    level: str
    unweighted: Cell
    weighted: Cell | None


@dataclass
class Results:
    survey: Survey
    analysis: Analysis | None
    # measure -> group -> rows, with group "all" first
    tables: dict[str, dict[str, list[Row]]] = field(default_factory=dict)
    national: dict[str, Any] = field(default_factory=dict)

    @property
    def weighted(self) -> bool:
        return bool(self.analysis and self.analysis.weighted)

    def overall(self) -> list[tuple[str, StrOrPromise, Row]]:
        return [(m, MEASURES[m], self.tables[m]["all"][0]) for m in MEASURES if m in self.tables]

    def by_group(self) -> list[dict[str, Any]]:
        out = []
        for group, label in GROUPS.items():
            measures = [
                (m, MEASURES[m], self.tables[m].get(group, []))
                for m in MEASURES
                if m in self.tables
            ]
            out.append({"group": group, "label": label, "measures": measures})
        return out

    def ward_items(self) -> list[dict[str, Any]]:
        """The ward's own items as shares (%), counts under the threshold hidden."""
        if self.analysis is None:
            return []
        limit = max(min_cell(), self.analysis.min_cell)
        out = []
        for column, item in (self.analysis.items or {}).items():
            rows = []
            protected = _protected_items(item, limit)
            for i, r in enumerate(item["rows"]):
                hidden = r["n"] < limit or i in protected
                rows.append(
                    {
                        "label": r["label"],
                        "n": None if hidden else r["n"],
                        "share": None
                        if hidden or r["share"] is None
                        else round(r["share"] * 100, 1),
                        "weighted": None
                        if hidden or r["weighted"] is None
                        else round(r["weighted"] * 100, 1),
                    }
                )
            answered = item["answered"]
            out.append(
                {
                    "column": column,
                    "question": item["question"],
                    "multi": item["kind"] == "multi",
                    "answered": answered if answered >= limit else None,
                    "rows": rows,
                }
            )
        return out

    def matrix(self) -> list[dict[str, Any]]:
        """Per group, one row per level with every measure's cells (the tables beside the charts)."""
        out = []
        for group, label in GROUPS.items():
            base = self.tables.get("lonely_any", {}).get(group, [])
            levels = []
            for i, row in enumerate(base):
                cells = []
                for m in MEASURES:
                    rows = self.tables.get(m, {}).get(group, [])
                    cells.append(rows[i] if i < len(rows) else None)
                levels.append({"label": row.label, "n": row.unweighted.n_shown, "cells": cells})
            out.append({"group": group, "label": label, "levels": levels, "charts": [
                c for c in self.charts() if c["group"] == group
            ]})  # fmt: skip
        return out

    def charts(self) -> list[dict[str, Any]]:
        """One chart per group: the share who feel lonely at least sometimes, with 95 % intervals."""
        charts = []
        for group, label in GROUPS.items():
            for measure in ("lonely_any", "lonely_often"):
                rows = self.tables.get(measure, {}).get(group, [])
                if not rows:
                    continue
                series = []
                for name, pick in (
                    (gettext("重み付き"), "weighted"),
                    (gettext("重みなし"), "unweighted"),
                ):
                    cells: list[Cell | None] = [getattr(r, pick) for r in rows]
                    if all(c is None for c in cells):
                        continue
                    series.append(
                        {
                            "name": name,
                            "values": [c.chart_value(c.estimate) if c else None for c in cells],
                            "low": [c.chart_value(c.ci_low) if c else None for c in cells],
                            "high": [c.chart_value(c.ci_high) if c else None for c in cells],
                        }
                    )
                charts.append(
                    {
                        "id": f"chart-{group}-{measure}",
                        "group": group,
                        "measure": measure,
                        "title": gettext("%(group)s別: %(measure)s")
                        % {"group": label, "measure": MEASURES[measure]},
                        "categories": [r.label for r in rows],
                        "series": series,
                        "axis": gettext("%（95%信頼区間）"),
                    }
                )
        return charts


def results_for(survey: Survey) -> Results:
    """The survey's stored results with suppression applied."""
    analysis = Analysis.objects.filter(survey=survey).first()
    results = Results(survey, analysis)
    if analysis is None:
        return results
    limit = max(min_cell(), analysis.min_cell)
    rows: dict[tuple[str, str, str], dict[bool, Cell]] = {}
    order: list[tuple[str, str, str]] = []
    estimates = list(analysis.estimates.all().order_by("weighted", "measure", "order"))
    protected = protected_levels(estimates, limit)
    for e in estimates:
        key = (e.measure, e.group, e.level)
        if key not in rows:
            rows[key] = {}
            if not e.weighted:
                order.append(key)
        rows[key][e.weighted] = cell_from(e, limit, protect=(e.group, e.level) in protected)
    for key in order:
        measure, group, level = key
        cells = rows[key]
        unweighted = cells[False]
        results.tables.setdefault(measure, {}).setdefault(group, []).append(
            Row(unweighted.label, level, unweighted, cells.get(True))
        )
    # Towns: weighted results use the margins' towns; keep any town only weighted knows.
    for key, cells in rows.items():
        if key not in order and True in cells:
            measure, group, level = key
            weighted = cells[True]
            hidden = Cell(
                measure, group, level, weighted.label, False, None, None, None, None, True
            )
            results.tables.setdefault(measure, {}).setdefault(group, []).append(
                Row(weighted.label, level, hidden, weighted)
            )
    results.national = national_comparison(analysis, limit)
    return results


def protected_levels(estimates: list[Estimate], limit: int) -> set[tuple[str, str]]:
    """The (group, level) pairs to hide in every table of their group.

    Each measure, weighted and unweighted, tabulates a group's levels with the
    overall count as their total, so a level hidden alone in one of them is
    that total minus the others. Each table is protected as a list with its
    total, and a level hidden in one is hidden in all the tables of its group
    (the same respondents show up in each), until no table adds another.
    """
    lines: dict[tuple[str, str, bool], dict[str, int]] = {}
    levels: dict[str, list[str]] = {}
    for e in estimates:
        if e.group == "all":
            continue
        lines.setdefault((e.group, e.measure, e.weighted), {})[e.level] = e.n
        if e.level not in levels.setdefault(e.group, []):
            levels[e.group].append(e.level)
    hidden: set[tuple[str, str]] = set()
    for group, names in levels.items():
        tables = [cells for (g, _, _), cells in lines.items() if g == group]
        forced: set[int] = set()
        while True:
            found = set(forced)
            for cells in tables:
                values = [cells.get(name, 0) for name in names]
                found.update(protect_line(values, limit, forced=forced).suppressed)
            if found == forced:
                break
            forced = found
        hidden.update((group, names[i]) for i in forced)
    return hidden


def _protected_items(item: dict[str, Any], limit: int) -> set[int]:
    """Rows of a ward item to hide so that the number who answered gives none away.

    A single-choice item's answers add up to those who answered it; each
    answer of a multi-choice item is one count beside those who did not choose
    it (never shown, but the number who answered gives it away).
    """
    counts = [int(r["n"]) for r in item["rows"]]
    if item["kind"] == "multi":
        answered = int(item["answered"])
        return {
            i
            for i, n in enumerate(counts)
            if protect_line([n, max(answered - n, 0)], limit, sensitive=[True, False]).hidden(0)
        }
    return set(protect_line(counts, limit).suppressed)


def national_comparison(analysis: Analysis, limit: int) -> dict[str, Any]:
    """The ward's answers to the direct question beside every published national round."""
    table = national_table()
    rounds = list(table)
    which = "weighted" if "weighted" in analysis.direct else "unweighted"
    ward = analysis.direct.get(which, {})
    answers = list(next(iter(table.values())).keys()) if table else []
    # The ward's answers (no answer included) add up to the respondents.
    labels = list(ward)
    line = protect_line([int(ward[a]["n"]) for a in labels], limit)
    protected = {labels[i] for i in line.suppressed}
    rows = []
    for answer in answers:
        cell = ward.get(answer)
        hidden = cell is None or cell["n"] < limit or answer in protected
        rows.append(
            {
                "answer": answer,
                "ward": None if hidden else round(cell["share"] * 100, 1),
                "national": [table[r].get(answer) for r in rounds],
            }
        )
    measures = national_measures()
    return {
        "source": SOURCE,
        "rounds": rounds,
        "rows": rows,
        "ward_basis": gettext("重み付き") if which == "weighted" else gettext("重みなし"),
        "measures": measures,
        "no_answer": NO_ANSWER,
    }


def trend() -> dict[str, Any]:
    """Overall estimates of every analysed survey year, with the national rounds beside them."""
    points = []
    for survey in Survey.objects.filter(analysis__isnull=False).order_by("fiscal_year", "wave"):
        res = results_for(survey)
        entry: dict[str, Any] = {"survey": survey.label, "fiscal_year": survey.fiscal_year}
        for measure in ("lonely_often", "lonely_any", "ucla_high"):
            row = res.tables.get(measure, {}).get("all", [])
            cell = (row[0].weighted or row[0].unweighted) if row else None
            entry[measure] = cell
        points.append(entry)
    national = national_measures()
    return {
        "points": points,
        "national": [
            {"round": r, "year": int(r[:4]), **{k: v for k, v in m.items()}}
            for r, m in national.items()
        ],
        "source": SOURCE,
    }


def trend_chart(data: dict[str, Any]) -> dict[str, Any]:
    series: list[dict[str, Any]] = []
    for measure in ("lonely_often", "lonely_any"):
        cells: list[Cell | None] = [p[measure] for p in data["points"]]
        series.append(
            {
                "name": gettext("区 %(measure)s") % {"measure": SHORT[measure]},
                "x": [p["fiscal_year"] for p in data["points"]],
                "values": [c.chart_value(c.estimate) if c else None for c in cells],
                "low": [c.chart_value(c.ci_low) if c else None for c in cells],
                "high": [c.chart_value(c.ci_high) if c else None for c in cells],
            }
        )
        series.append(
            {
                "name": gettext("全国 %(measure)s") % {"measure": SHORT[measure]},
                "x": [n["year"] for n in data["national"]],
                "values": [n[measure] for n in data["national"]],
                "dash": True,
            }
        )
    return {
        "id": "chart-trend",
        "title": gettext("孤独感の推移（区の調査と全国調査）"),
        "series": series,
        "axis": "%",
        "kind": "line",
    }
