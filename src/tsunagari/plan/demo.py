"""The demo ward's plan: the policy system, targets for FY2025–FY2027, a few
hand-entered values with evidence, and one yearly evaluation with the plan
committee's comment, all made through the plan's actions at past moments.

Deterministic from ``seed`` and idempotent: a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.lib import clock
from tsunagari.plan import registry, services
from tsunagari.plan.figures import direction_figures
from tsunagari.plan.loading import load_plans
from tsunagari.plan.models import EnteredValue, Evaluation, Target

__all__ = ["load_demo_plan"]

JST = ZoneInfo("Asia/Tokyo")
TARGET_YEARS = (2025, 2026, 2027)

# Made-up yearly figures of the ward's other systems (FY2025, FY2026 so far).
ENTERED: dict[str, tuple[float, float]] = {
    "1-2.groups_supported": (61, 48),
    "6-2.fraud_damage": (96, 71),
    "7-1.barrier_free_facilities": (71.5, 73.0),
    "8-3.digital_support_participants": (1350, 980),
    "9-1.welfare_training_participants": (410, 265),
    "10-1.awareness_participants": (2300, 1480),
}
DEFAULTS = {"%": 80.0, "件": 100.0, "人": 100.0, "か所": 30.0, "団体": 20.0, "回": 12.0}


def _unsuppressed(code: str) -> float | None:
    """This year's figure of a small computed count, for a target near it
    (the demo sets targets; the figure itself is never shown)."""
    for ind in registry.indicators():
        if ind.code == code:
            with clock.frozen(_at(2026, 11, 30)):
                value = ind.compute(registry.FiscalYear(2026)).value
            return float(value) + 2 if value is not None else None
    return None


def _at(y: int, m: int, d: int, hour: int = 10) -> datetime:
    """A moment of the demo's story, never in the future: next year's targets
    are set in advance, at the latest an hour before the demo is loaded."""
    return min(datetime(y, m, d, hour, tzinfo=JST), clock.now() - timedelta(hours=1))


def _evidence(code: str, year: int, value: float) -> SimpleUploadedFile:
    text = f"指標,年度,値,出典\n{code},{year},{value:g},サンプル集計表（架空）\n"
    return SimpleUploadedFile(f"{code}_{year}.csv", text.encode("utf-8"), "text/csv")


def load_demo_plan(seed: int) -> str:
    period = load_plans()[0]
    if Target.objects.filter(indicator__period=period).exists():
        return "plan already loaded"
    if not period.sample_data:
        period.sample_data = True
        period.save(update_fields=["sample_data"])
    rng = random.Random(seed)
    indicators = list(period.indicators.filter(is_active=True).order_by("code"))
    # Values of the year that is running, for targets in the range of the data.
    with clock.frozen(_at(2026, 11, 30)):
        now_values = {r.code: r.value for f in direction_figures(2026, period) for r in f.rows}
    entered = 0
    for defn in indicators:
        if defn.code in ENTERED:
            base = ENTERED[defn.code][0]
        else:
            base = (
                now_values.get(defn.code)
                or _unsuppressed(defn.code)
                or DEFAULTS.get(defn.unit, 50.0)
            )
        with clock.frozen(_at(2025, 4, 10)):
            services.set_baseline(None, defn.pk, 2024, round(base * 0.9, 1))
        for i, year in enumerate(TARGET_YEARS):
            step = 1 + (0.04 + rng.random() * 0.04) * i
            if defn.unit == "%":
                value = max(
                    0.0, min(100.0, round(base + (1 if defn.higher_is_better else -1) * i, 1))
                )
            else:
                value = round(base * (step if defn.higher_is_better else 2 - step))
            with clock.frozen(_at(year, 4, 10)):
                services.set_target(None, defn.pk, year, value)
        if defn.code in ENTERED:
            for year, value, day in zip(
                (2025, 2026), ENTERED[defn.code], (_at(2026, 5, 15), _at(2026, 11, 20)), strict=True
            ):
                with clock.frozen(day):
                    services.enter_value(
                        None, defn.pk, year, value,
                        "所管課の集計表（サンプル）から転記。",
                        _evidence(defn.code, year, value) if year == 2025 else None,
                    )  # fmt: skip
                entered += 1
    direction = period.directions.get(code="9-1")
    with clock.frozen(_at(2026, 6, 20)):
        evaluation = services.record_evaluation(
            None, direction.pk, 2025, "B",
            "相談支援・多機関協働の研修を年6回開き、受講者は目標に届いた。",
            "権利擁護の研修を加え、社会福祉協議会と共同で開く。",
        )  # fmt: skip
    with clock.frozen(_at(2026, 7, 10)):
        services.add_committee_comment(
            None, evaluation.pk, "受講者数だけでなく、研修後の実践の変化も示してほしい。"
        )
    return (
        f"plan {period.code}: {Target.objects.filter(indicator__period=period).count()} targets, "
        f"{EnteredValue.objects.filter(indicator__period=period).count()} entered values, "
        f"{Evaluation.objects.filter(direction__period=period).count()} evaluation"
    )
