"""Computed indicators on a hand-made ward with known counts, the fiscal-year
boundary, suppression of small cells and the programme items."""

from __future__ import annotations

from typing import Any

from tests.plan.conftest import at
from tsunagari.lib import clock
from tsunagari.plan import registry
from tsunagari.plan.figures import direction_figures, programme_rows
from tsunagari.plan.models import PlanPeriod
from tsunagari.plan.services import set_target


def _rows(year: int) -> dict[str, Any]:
    with clock.frozen(at(2027, 6, 1)):
        return {r.code: r for f in direction_figures(year) for r in f.rows}


def _items(year: int) -> dict[str, Any]:
    return {r.item: r for r in programme_rows(year) if r.programme == "consultation"}


def test_it_counts_consultations_by_fiscal_year_across_the_boundary(
    period: PlanPeriod, small_ward: dict[str, object], settings: Any
) -> None:
    settings.SMALL_CELL_MIN = 1  # nothing is small: the raw counts
    # March 31 belongs to the year that began the April before; April 1 to the next
    assert _rows(2026)["1-3.local_consultations"].value == 7
    assert _rows(2027)["1-3.local_consultations"].value == 2
    assert _rows(2025)["1-3.local_consultations"].value == 1
    assert _rows(2028)["1-3.local_consultations"].value == 0
    # the ward department's consultations are not local; drafts never count
    assert _items(2026)["consultations_received"].value == 10
    assert _items(2026)["people_supported"].value == 1


def test_it_computes_the_referral_indicators_with_their_definitions(
    period: PlanPeriod, small_ward: dict[str, object], settings: Any
) -> None:
    settings.SMALL_CELL_MIN = 1
    rows = _rows(2026)
    # closed in the loop: 4 of the 5 sent (the revoked one left out)
    loop = rows["2-1.referrals_closed_in_loop"]
    assert (loop.numerator, loop.denominator, loop.value) == (4, 5, 80.0)
    # answered in time: 3 of the 5 answered or overdue
    in_time = rows["9-2.referrals_answered_in_time"]
    assert (in_time.numerator, in_time.denominator, in_time.value) == (3, 5, 60.0)
    # consultations connected across organisations: the one that sent them
    assert rows["2-2.consultations_connected_across"].value == 1
    items = _items(2026)
    assert items["referrals_made"].value == 5
    assert items["referrals_closed"].value == 4
    assert _items(2027)["referrals_made"].value == 1


def test_it_suppresses_small_sensitive_counts_and_rates(
    period: PlanPeriod, small_ward: dict[str, object], settings: Any
) -> None:
    # given the usual threshold of 5
    settings.SMALL_CELL_MIN = 5
    rows = _rows(2026)
    # a count of 7 is shown, a count of 1 is hidden with no status
    assert rows["1-3.local_consultations"].value == 7
    connected = rows["2-2.consultations_connected_across"]
    assert (connected.value, connected.suppressed, connected.status) == (None, True, "no_data")
    # a rate whose numerator is 4 is hidden, with its counts
    loop = rows["2-1.referrals_closed_in_loop"]
    assert loop.suppressed and loop.value is None and loop.numerator is None
    # zero is shown (it identifies no one)
    assert _rows(2028)["1-3.local_consultations"].suppressed is False
    # programme items: 1 person is hidden, 10 consultations are not
    items = _items(2026)
    assert items["people_supported"].suppressed and items["people_supported"].value is None
    assert items["consultations_received"].value == 10
    # when the threshold is lowered, the same cells are shown
    settings.SMALL_CELL_MIN = 1
    assert _rows(2026)["2-2.consultations_connected_across"].value == 1


def test_it_compares_the_value_with_the_target_of_the_year(
    period: PlanPeriod, small_ward: dict[str, object], settings: Any
) -> None:
    settings.SMALL_CELL_MIN = 2
    indicator = period.indicators.get(code="1-3.local_consultations")
    assert _rows(2026)["1-3.local_consultations"].status == "no_target"
    set_target(None, indicator.pk, 2026, "7")
    assert _rows(2026)["1-3.local_consultations"].status == "achieved"
    set_target(None, indicator.pk, 2026, "8")
    assert _rows(2026)["1-3.local_consultations"].status == "behind"


def test_it_reports_every_direction_with_nothing_registered(
    period: PlanPeriod, monkeypatch: Any
) -> None:
    # given a registry with no indicator at all and no entered ones active
    monkeypatch.setattr(registry, "_indicators", {})
    period.indicators.update(is_active=False)
    # then each of the 19 directions still has its row
    figures = direction_figures(2026)
    assert len(figures) == 19
    assert all(len(f.rows) == 1 and f.rows[0].status == "no_data" for f in figures)
