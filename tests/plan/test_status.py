"""The status rule, each branch switched on and off."""

from __future__ import annotations

from datetime import date

import pytest

from tsunagari.plan.figures import status_for
from tsunagari.plan.registry import FiscalYear

FY = FiscalYear(2026)
OVER = date(2027, 5, 1)
HALF = date(2026, 9, 30)  # 183 of 365 days gone


def s(value: float | None, target: float | None, *, higher: bool = True, rate: bool = False,
      today: date = OVER) -> str:  # fmt: skip
    return status_for(value, target, higher_is_better=higher, rate=rate, fiscal_year=FY,
                      today=today)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((None, 10), {}, "no_data"),
        ((5, None), {}, "no_target"),
        ((10, 10), {}, "achieved"),
        ((9, 10), {}, "behind"),
        ((9, 10), {"higher": False}, "achieved"),
        ((11, 10), {"higher": False}, "behind"),
        # a running year: counts against their share of the target
        ((60, 100), {"today": HALF}, "on_track"),
        ((40, 100), {"today": HALF}, "behind"),
        ((100, 100), {"today": HALF}, "achieved"),
        # less is better: achieved only once the year is over
        ((40, 100), {"today": HALF, "higher": False}, "on_track"),
        ((60, 100), {"today": HALF, "higher": False}, "behind"),
        # rates: within 5 points while the year runs
        ((76, 80), {"today": HALF, "rate": True}, "on_track"),
        ((74, 80), {"today": HALF, "rate": True}, "behind"),
        ((74, 80), {"rate": True}, "behind"),
        ((20, 15), {"today": HALF, "rate": True, "higher": False}, "on_track"),
        ((14, 15), {"today": HALF, "rate": True, "higher": False}, "achieved"),
    ],
)
def test_the_status_rule(
    args: tuple[float, float], kwargs: dict[str, object], expected: str
) -> None:
    assert s(*args, **kwargs) == expected  # type: ignore[arg-type]
