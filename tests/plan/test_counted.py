"""The one counting helper of the indicators: a count and what counted, within the year."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tsunagari.plan import registry
from tsunagari.plan.registry import FiscalYear


def test_during_filters_a_date_time_field_to_the_fiscal_year() -> None:
    fy = FiscalYear(2026)
    bounds = fy.during("at")
    assert list(bounds) == ["at__gte", "at__lt"]
    assert bounds["at__gte"].date() == date(2026, 4, 1)
    assert bounds["at__lt"].date() == date(2027, 4, 1)
    assert isinstance(bounds["at__gte"], datetime) and bounds["at__gte"].tzinfo is not None


@pytest.mark.django_db
def test_counted_lists_the_records_in_primary_key_order(personas: dict[str, object]) -> None:
    from tsunagari.accounts.models import Staff

    rows = Staff.objects.filter(username__in=["planner", "admin"])
    measure = registry.counted(rows, "accounts.staff")
    ids = sorted(rows.values_list("pk", flat=True))
    assert measure.value == 2
    assert measure.records == tuple(("accounts.staff", str(i)) for i in ids)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code",
    ["8-2.consents_recorded", "8-2.support_meetings_confirmed", "3-1.council_actions_completed",
     "4-1.mayor_petitions", "4-1.fee_subsidies", "4-1.daily_life_referrals",
     "4-2.reports_received"],
)  # fmt: skip
def test_the_counting_indicators_compute_on_an_empty_year(code: str) -> None:
    registry.discover()
    indicator = next(i for i in registry.indicators() if i.code == code)
    assert indicator.compute(FiscalYear(2026)) == registry.Measure(0)
