"""The coordinator's dashboard: the cases their agency sees, by stage and regime,
and the monitoring that is overdue, as counts with small cells suppressed
(``lib.disclosure``, ``settings.SMALL_CELL_MIN``): the chart and the table beside
it show the same suppressed numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext

from tsunagari.cases.models import CaseState, Regime, Stage
from tsunagari.cases.services import overdue_actions, reviews_due, visible_cases
from tsunagari.lib.disclosure import protect_line, protect_table

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

# The rows of the stage table: the stages, then 中断 (suspended at any stage).
SUSPENDED = "suspended"


@dataclass(frozen=True)
class Dashboard:
    rows: list[tuple[str, list[int | None], int | None]]  # label, per regime, row total
    regimes: list[str]
    regime_totals: list[int | None]
    total: int | None
    overdue: list[tuple[str, int | None]]  # label, count
    chart: dict[str, Any]


def dashboard(staff: Staff) -> Dashboard:
    threshold = int(settings.SMALL_CELL_MIN)
    cases = visible_cases(staff)
    keys = [*[s for s, _l in Stage.choices], SUSPENDED]
    labels = [*[str(label) for _s, label in Stage.choices], gettext("中断")]
    regimes = [r for r, _l in Regime.choices]
    cells = [[0] * len(regimes) for _k in keys]
    for c in cases:
        key = SUSPENDED if c.state == CaseState.SUSPENDED else c.stage
        cells[keys.index(key)][regimes.index(c.regime)] += 1
    guard = protect_table(cells, threshold)
    rows = [
        (labels[i], [None if guard.hidden(i, j) else v for j, v in enumerate(row)],
         None if guard.row_totals[i] is not None else sum(row))
        for i, row in enumerate(cells)
    ]  # fmt: skip
    totals = [None if guard.column_totals[j] is not None else sum(r[j] for r in cells)
              for j in range(len(regimes))]  # fmt: skip
    overdue_cases = len({o.case.pk for o in overdue_actions(staff)})
    reviews = len(reviews_due(staff))
    late = protect_line([overdue_cases, reviews], threshold, total=False)
    overdue_values = late.apply([overdue_cases, reviews])
    overdue = [(gettext("期限を過ぎた行動がある事例"), overdue_values[0]),
               (gettext("見直しの日が来た事例"), overdue_values[1])]  # fmt: skip
    regime_labels = [str(label) for _r, label in Regime.choices]
    chart = {
        "title": gettext("段階別・情報共有の根拠別の事例数"), "axis": gettext("事例数"),
        "categories": labels,
        "series": [{"name": regime_labels[j], "values": [r[1][j] for r in rows]}
                   for j in range(len(regimes))],
    }  # fmt: skip
    return Dashboard(rows, regime_labels, totals,
                     None if guard.grand_total is not None else len(cases), overdue, chart)  # fmt: skip
