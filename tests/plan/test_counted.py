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


def test_days_filters_a_date_field_to_april_through_march() -> None:
    assert FiscalYear(2026).days("held_on") == {
        "held_on__gte": date(2026, 4, 1), "held_on__lte": date(2027, 3, 31)}  # fmt: skip


def test_listed_counts_each_id_once_in_order() -> None:
    measure = registry.listed("workforce.worker", [12, 3, 12, 7])
    assert measure.value == 3
    assert measure.records == (("workforce.worker", "3"), ("workforce.worker", "7"),
                               ("workforce.worker", "12"))  # fmt: skip


def test_share_is_a_percentage_with_both_counts_and_no_data_out_of_nothing() -> None:
    measure = registry.share("resources.location", ["b", "a"], 8)
    assert (measure.value, measure.numerator, measure.denominator) == (25.0, 2, 8)
    assert [r[1] for r in measure.records] == ["a", "b"]
    empty = registry.share("resources.location", [], 0)
    assert (empty.value, empty.numerator, empty.denominator) == (None, 0, 0)


@pytest.mark.parametrize(
    ("raw", "ahead", "year"),
    [("2024", 0, 2024), ("2000", 0, 2000), ("1999", 0, 2026), ("2027", 0, 2026), ("2027", 1, 2027),
     ("", 0, 2026), ("２０２４", 0, 2026), ("20245", 0, 2026)],
)  # fmt: skip
def test_a_pages_year_is_asked_within_the_years_kept_else_the_running_one(
    raw: str, ahead: int, year: int
) -> None:
    assert FiscalYear.asked(raw, date(2027, 3, 31), ahead=ahead) == FiscalYear(year)
