"""The plan's figures for a fiscal year: one place for values, suppression and status.

The command, the pages and both reports read these functions, so they
always show the same numbers.

**Suppression** (``lib.disclosure``, threshold ``settings.SMALL_CELL_MIN``):
a *sensitive* count (people or their records) from 1 to threshold − 1 is
hidden; a sensitive rate is hidden when its numerator or its denominator is
such a count. A hidden value is empty with ``suppressed`` = 1, and its
status is ``no_data`` (a status would say on which side of the target the
small value lies). Hand-entered figures are published aggregates of the
ward's other systems and are not suppressed.

**Status** of a value against the target of its fiscal year:

* ``no_data`` — no value for the year (nothing entered, the source has no
  records of the year, or the value is suppressed);
* ``no_target`` — a value, but no target for the year;
* ``achieved`` — the value meets the target (≥ when more is better, ≤ when
  less is better; a count where less is better only once the year is over);
* ``on_track`` — the year is still running and the value is on the way: a
  count at least its share of the target for the part of the year gone
  (at most, when less is better); a rate within 5 points of the target;
* ``behind`` — anything else (a year that is over and missed its target).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from tsunagari.lib import clock
from tsunagari.lib.disclosure import is_small
from tsunagari.plan import registry
from tsunagari.plan.loading import current_period, ensure_loaded
from tsunagari.plan.models import (
    Direction,
    EnteredValue,
    IndicatorDefinition,
    PlanPeriod,
    Source,
    Target,
)
from tsunagari.plan.registry import FiscalYear, Measure

__all__ = [
    "STATUSES",
    "DirectionFigures",
    "IndicatorRow",
    "ProgrammeRow",
    "direction_figures",
    "fmt",
    "indicator_row",
    "programme_rows",
    "status_for",
]

logger = logging.getLogger(__name__)

STATUSES = ("achieved", "on_track", "behind", "no_target", "no_data")
RATE_MARGIN = 5.0  # points: a rate this close to its target in a running year is on track
PERCENT = str(registry.Unit.PERCENT)


@dataclass(frozen=True)
class IndicatorRow:
    direction: str  # code, e.g. "1-3"
    direction_name: str
    code: str  # "" for a direction that has no indicator at all
    name: str
    unit: str
    value: float | None  # None: no data or suppressed
    target: float | None
    status: str
    source: str  # computed | entered
    suppressed: bool
    higher_is_better: bool = True
    numerator: int | None = None
    denominator: int | None = None
    records: tuple[tuple[str, str], ...] = ()
    evidence: bool = False  # an entered value with a file attached

    @property
    def value_text(self) -> str:
        return fmt(self.value)

    @property
    def target_text(self) -> str:
        return fmt(self.target)

    def as_dict(self) -> dict[str, object]:
        """The row as frozen in an evaluation (no record references)."""
        return {
            "code": self.code, "name": self.name, "unit": self.unit, "value": self.value,
            "target": self.target, "status": self.status, "source": self.source,
            "suppressed": self.suppressed,
        }  # fmt: skip


@dataclass
class DirectionFigures:
    direction: Direction
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass(frozen=True)
class ProgrammeRow:
    programme: str
    programme_name: str
    item: str
    label: str
    value: int | None
    suppressed: bool


def fmt(value: float | None) -> str:
    """A value as printed: whole numbers without decimals, others with one."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _elapsed_share(fy: FiscalYear, today: date) -> float:
    if today > fy.last_day:
        return 1.0
    if today < fy.first_day:
        return 0.0
    days = (fy.last_day - fy.first_day).days + 1
    return ((today - fy.first_day).days + 1) / days


def status_for(
    value: float | None,
    target: float | None,
    *,
    higher_is_better: bool,
    rate: bool,
    fiscal_year: FiscalYear,
    today: date | None = None,
) -> str:
    """The status of ``value`` against ``target`` (the rule in the module docstring)."""
    if value is None:
        return "no_data"
    if target is None:
        return "no_target"
    today = today or clock.today()
    over = today > fiscal_year.last_day
    if higher_is_better and value >= target:
        return "achieved"
    if not higher_is_better and value <= target and (rate or over):
        return "achieved"
    if over:
        return "behind"
    if rate:
        close = value >= target - RATE_MARGIN if higher_is_better else value <= target + RATE_MARGIN
        return "on_track" if close else "behind"
    expected = target * _elapsed_share(fiscal_year, today)
    good = value >= expected if higher_is_better else value <= expected
    return "on_track" if good else "behind"


def _suppress(measure: Measure, *, sensitive: bool, rate: bool) -> bool:
    if not sensitive or measure.value is None:
        return False
    small = settings.SMALL_CELL_MIN
    if rate:
        return any(
            n is not None and is_small(int(n), small)
            for n in (measure.numerator, measure.denominator)
        )
    return is_small(int(measure.value), small)


def _computed(code: str) -> registry.Indicator | None:
    for ind in registry.indicators():
        if ind.code == code:
            return ind
    return None


def measure_of(defn: IndicatorDefinition, fy: FiscalYear) -> tuple[Measure, bool]:
    """The raw measure of ``defn`` for ``fy`` and whether evidence is attached."""
    if defn.source == Source.ENTERED:
        entered = EnteredValue.objects.filter(indicator=defn, fiscal_year=fy.year).first()
        if entered is None:
            return Measure(None), False
        return Measure(entered.value), bool(entered.evidence)
    ind = _computed(defn.code)
    if ind is None:
        return Measure(None), False
    try:
        return ind.compute(fy), False
    except Exception:  # one broken query must not take the whole report down
        logger.exception("plan: indicator %s failed for %s", defn.code, fy.year)
        return Measure(None), False


def indicator_row(
    defn: IndicatorDefinition, fy: FiscalYear, targets: dict[tuple[int, int], float] | None = None
) -> IndicatorRow:
    measure, evidence = measure_of(defn, fy)
    rate = defn.unit == PERCENT
    hidden = _suppress(measure, sensitive=defn.sensitive, rate=rate)
    value = None if hidden or measure.value is None else float(measure.value)
    if value is not None:
        value = round(value, 1)
    if targets is None:
        target_row = Target.objects.filter(indicator=defn, fiscal_year=fy.year).first()
        target = target_row.value if target_row else None
    else:
        target = targets.get((defn.pk, fy.year))
    status = status_for(
        value, target, higher_is_better=defn.higher_is_better, rate=rate, fiscal_year=fy
    )
    return IndicatorRow(
        direction=defn.direction.code, direction_name=defn.direction.name, code=defn.code,
        name=defn.name, unit=defn.unit, value=value, target=target, status=status,
        source=defn.source, suppressed=hidden, higher_is_better=defn.higher_is_better,
        numerator=None if hidden else measure.numerator,
        denominator=None if hidden else measure.denominator,
        records=() if hidden else tuple(measure.records), evidence=evidence,
    )  # fmt: skip


def _targets(period: PlanPeriod) -> dict[tuple[int, int], float]:
    return {
        (t.indicator_id, t.fiscal_year): t.value
        for t in Target.objects.filter(indicator__period=period)
    }


def direction_figures(fiscal_year: int, period: PlanPeriod | None = None) -> list[DirectionFigures]:
    """Every direction of the plan with its indicators' rows for ``fiscal_year``.

    A direction without any active indicator still gets one row (no
    indicator, ``no_data``), so that each of the 19 directions is reported.
    """
    ensure_loaded()
    period = period or current_period(fiscal_year)
    fy = FiscalYear(fiscal_year)
    targets = _targets(period)
    by_direction: dict[int, list[IndicatorDefinition]] = {}
    for defn in period.indicators.filter(is_active=True).select_related("direction"):
        by_direction.setdefault(defn.direction_id, []).append(defn)
    out = []
    for direction in period.directions.order_by("order"):
        defs = sorted(
            by_direction.get(direction.pk, []), key=lambda d: (d.source != Source.COMPUTED, d.code)
        )
        rows = [indicator_row(d, fy, targets) for d in defs]
        if not rows:
            rows = [
                IndicatorRow(
                    direction=direction.code,
                    direction_name=direction.name,
                    code="",
                    name="",
                    unit="",
                    value=None,
                    target=None,
                    status="no_data",
                    source=Source.ENTERED,
                    suppressed=False,
                )
            ]
        out.append(DirectionFigures(direction, rows))
    return out


def programme_rows(fiscal_year: int) -> list[ProgrammeRow]:
    """The five programmes' yearly counts; sensitive small counts suppressed."""
    fy = FiscalYear(fiscal_year)
    small = settings.SMALL_CELL_MIN
    rows = []
    for item in registry.programme_items():
        try:
            value: int | None = int(item.compute(fy))
        except Exception:
            logger.exception("plan: programme item %s.%s failed", item.programme, item.item)
            value = None
        hidden = value is not None and item.sensitive and is_small(value, small)
        rows.append(
            ProgrammeRow(
                programme=item.programme,
                programme_name=registry.PROGRAMMES[item.programme],
                item=item.item,
                label=item.label,
                value=None if hidden else value,
                suppressed=hidden,
            )
        )
    return rows
