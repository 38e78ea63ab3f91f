"""The coordinator's dashboard: the cases their agency sees, by stage and regime,
the monitoring that is overdue, the open cases still without an agreed plan
``CASE_PLAN_WITHIN_WORKING_DAYS`` working days after opening, and the median
working days from opening to the first agreed plan and to closure. Counts
have small cells suppressed (``lib.disclosure``, ``settings.SMALL_CELL_MIN``):
the chart and the table beside it show the same suppressed numbers; a median
of fewer cases than that is not shown."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from tsunagari.cases.models import Case, CaseState, PlanRevision, Regime, Stage
from tsunagari.cases.services import overdue_actions, reviews_due, visible_cases, worklist_cases
from tsunagari.consultations.limits import working_calendar
from tsunagari.lib import clock
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
    # label, median working days, number of cases (both None: too few to show)
    durations: list[tuple[str, float | None, int | None]]


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
    work = worklist_cases(staff, cases)
    overdue_cases = len({o.case.pk for o in overdue_actions(staff, work)})
    reviews = len(reviews_due(staff, work))
    without_plan = len(_without_plan(cases))
    late = protect_line([overdue_cases, reviews, without_plan], threshold, total=False)
    overdue_values = late.apply([overdue_cases, reviews, without_plan])
    overdue = [(gettext("期限を過ぎた行動がある事例"), overdue_values[0]),
               (gettext("見直しの日が来た事例"), overdue_values[1]),
               (gettext("開始から%(n)s開庁日を過ぎても支援プランの合意がない事例")
                % {"n": settings.CASE_PLAN_WITHIN_WORKING_DAYS}, overdue_values[2])]  # fmt: skip
    regime_labels = [str(label) for _r, label in Regime.choices]
    chart = {
        "title": gettext("段階別・情報共有の根拠別の事例数"), "axis": gettext("事例数"),
        "categories": labels,
        "series": [{"name": regime_labels[j], "values": [r[1][j] for r in rows]}
                   for j in range(len(regimes))],
    }  # fmt: skip
    return Dashboard(rows, regime_labels, totals,
                     None if guard.grand_total is not None else len(cases), overdue, chart,
                     _durations(cases, threshold))  # fmt: skip


def _opened_on(case: Case) -> Any:
    return timezone.localdate(case.opened_at)


def _first_agreed(cases: list[Case]) -> dict[int, Any]:
    """Each case's first agreement of its plan (a revision agreed at a conference)."""
    first: dict[int, Any] = {}
    rows = (PlanRevision.objects.filter(plan__case__in=[c.pk for c in cases],
                                        agreed_at__isnull=False)
            .order_by("agreed_at").values_list("plan__case_id", "agreed_at"))  # fmt: skip
    for case_id, at in rows:
        first.setdefault(case_id, at)
    return first


def _without_plan(cases: list[Case]) -> list[Case]:
    """Open cases past the working days a plan should be agreed in, with none agreed."""
    calendar, today = working_calendar(), clock.today()
    limit = int(settings.CASE_PLAN_WITHIN_WORKING_DAYS)
    agreed = _first_agreed(cases)
    return [c for c in cases if c.state == CaseState.OPEN and c.pk not in agreed
            and calendar.working_days_between(_opened_on(c), today) > limit]  # fmt: skip


def _durations(cases: list[Case], threshold: int) -> list[tuple[str, float | None, int | None]]:
    """Median working days from opening to the first agreed plan and to closure."""
    calendar = working_calendar()
    agreed = _first_agreed(cases)
    to_plan = [calendar.working_days_between(_opened_on(c), timezone.localdate(agreed[c.pk]))
               for c in cases if c.pk in agreed]  # fmt: skip
    to_close = [calendar.working_days_between(_opened_on(c), timezone.localdate(c.ended_at))
                for c in cases if c.state == CaseState.CLOSED and c.ended_at is not None]  # fmt: skip

    def shown(label: str, values: list[int]) -> tuple[str, float | None, int | None]:
        # fewer cases than a cell may hold: neither the median nor the count
        if len(values) < threshold:
            return label, None, None
        return label, float(median(values)), len(values)

    return [
        shown(gettext("開始から支援プランの最初の合意まで"), to_plan),
        shown(gettext("開始から終結まで"), to_close),
    ]
