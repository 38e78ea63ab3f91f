"""The gap table on a small hand-made ward: every number worked out by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.community.conftest import ON, activity_input, place, residents, service_at
from tsunagari.accounts.models import Staff
from tsunagari.community.gaps import HIGHER, UNCLEAR, chart_data, gap_table
from tsunagari.community.models import ActivityStatus
from tsunagari.community.services import create_activity
from tsunagari.resources.models import ResourceKind, ServiceStatus
from tsunagari.surveys.models import Analysis, Estimate, Survey


@pytest.fixture
def ward(directory: dict[str, Any], personas: dict[str, Staff]) -> dict[str, Any]:
    """亀戸: 12 aged 65+ (and 3 younger), a salon and an activity at a second place: 2 places.
    大島: 20 aged 65+, a place with only a consultation window, a closed salon and an ended
    activity: no gathering place. 東陽: 8 aged 65+, one 通いの場. 北砂: 3 aged 65+, a shelter."""
    staff = personas["community"]
    residents("亀戸", 12, younger=3)
    residents("大島", 20)
    residents("東陽", 8)
    residents("北砂", 3)
    second = place("k2", "亀戸")
    create_activity(
        staff, activity_input(directory, title="亀戸の体操", location=second.id, service="")
    )
    service_at("o1", directory["oshima"], kind=ResourceKind.CONSULTATION)
    service_at("o2", place("o2", "大島"), status=ServiceStatus.DEFUNCT)
    create_activity(staff, activity_input(directory, title="大島の講座", location="loc-o1", service="",
                                          status=ActivityStatus.ENDED))  # fmt: skip
    service_at("t1", place("t1", "東陽"), kind=ResourceKind.KAYOI)
    service_at("s1", directory["shelter"], kind=ResourceKind.IBASHO)
    return directory


def rows(table: Any) -> dict[str, Any]:
    return {r.town: r for r in table.rows}


def test_it_counts_places_and_older_residents_by_town(ward: dict[str, Any]) -> None:
    table = gap_table(ON)
    by_town = rows(table)
    # ranked towns first, then those whose count is hidden, in the ward's order
    assert [r.town for r in table.rows] == ["大島", "亀戸", "北砂", "東陽"]
    assert (by_town["亀戸"].places, by_town["亀戸"].regular_activities) == (2, 1)
    assert (by_town["大島"].places, by_town["大島"].regular_activities) == (0, 0)
    assert by_town["東陽"].places == 1 and by_town["北砂"].places == 0
    # 12 older residents in 亀戸: the one who turns 65 on the day counts, the one a day younger not
    assert by_town["亀戸"].older == 12 and by_town["大島"].older == 20
    assert by_town["亀戸"].per_1000 == pytest.approx(166.67) and by_town["大島"].per_1000 == 0.0
    assert (by_town["大島"].rank, by_town["亀戸"].rank) == (1, 2)
    assert table.older_total == 43 and table.places_total == 3


def test_it_hides_a_small_count_and_the_one_that_would_give_it_away(ward: dict[str, Any]) -> None:
    by_town = rows(gap_table(ON))
    # 北砂's 3 is small; with the total shown, 東陽's 8 (the smallest other) is hidden too
    assert by_town["北砂"].older is None and by_town["東陽"].older is None
    assert by_town["北砂"].per_1000 is None and by_town["東陽"].per_1000 is None
    assert by_town["北砂"].rank is None and by_town["東陽"].rank is None


def test_without_suppression_every_town_is_ranked(ward: dict[str, Any], settings: Any) -> None:
    settings.SMALL_CELL_MIN = 1
    # no place in 大島 nor 北砂: the town with more older residents first
    table = gap_table(ON)
    assert [(r.town, r.per_1000) for r in table.rows] == [
        ("大島", 0.0), ("北砂", 0.0), ("東陽", 125.0), ("亀戸", pytest.approx(166.67)),
    ]  # fmt: skip


def survey_with(towns: dict[str, tuple[float, float, float]], ward_share: float) -> Survey:
    survey = Survey.objects.create(fiscal_year=2026, title="令和8年度 実態調査")
    analysis = Analysis.objects.create(survey=survey, respondents=400)

    def cell(group: str, level: str, order: int, share: float, low: float, high: float) -> None:
        Estimate.objects.create(analysis=analysis, weighted=False, measure="lonely_any",
                                group=group, level=level, order=order, n=200, estimate=share,
                                ci_low=low, ci_high=high, suppressed=False)  # fmt: skip

    cell("all", "all", 0, ward_share, ward_share - 0.03, ward_share + 0.03)
    for i, (town, (share, low, high)) in enumerate(towns.items()):
        cell("town", town, i, share, low, high)
    return survey


def test_it_puts_towns_clearly_lonelier_than_the_ward_first(ward: dict[str, Any]) -> None:
    survey_with({"亀戸": (0.55, 0.50, 0.60), "大島": (0.38, 0.30, 0.46)}, 0.40)
    table = gap_table(ON)
    by_town = rows(table)
    assert table.survey_title == "令和8年度 実態調査" and table.ward_loneliness is not None
    assert table.ward_loneliness.estimate == 40.0
    assert by_town["亀戸"].compared == HIGHER and by_town["大島"].compared == UNCLEAR
    assert by_town["亀戸"].loneliness.text == "55.0%（50.0〜60.0）"  # type: ignore[union-attr]
    assert [r.town for r in table.rows][:2] == ["亀戸", "大島"]
    chart = chart_data(table)
    assert chart["loneliness"]["towns"] == ["亀戸", "大島"]  # type: ignore[index]
    assert chart["places"]["values"] == [pytest.approx(166.67), 0.0]  # type: ignore[index]


def test_without_a_survey_the_loneliness_column_says_so(ward: dict[str, Any]) -> None:
    table = gap_table(ON)
    assert table.ward_loneliness is None
    assert all(r.loneliness is None and r.compared == "" for r in table.rows)
    assert rows(table)["亀戸"].compared_label == "調査結果なし"


def test_ages_are_counted_on_the_day_asked(ward: dict[str, Any]) -> None:
    # a day earlier the youngest of 亀戸's older residents is still 64
    assert rows(gap_table(date(2026, 9, 30)))["亀戸"].older == 11
