"""The plan's indicators of 4-1 and 4-2, and the yearly survey counts with small cells hidden."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.safeguarding.conftest import at, report_on
from tsunagari.accounts.models import Staff
from tsunagari.lib import clock
from tsunagari.people.models import Person
from tsunagari.plan.registry import FiscalYear, indicators
from tsunagari.safeguarding.services import confirm_safety
from tsunagari.safeguarding.survey import survey_counts, survey_rows

FY = FiscalYear(2026)


def test_it_registers_indicators_for_directions_4_1_and_4_2() -> None:
    codes = {i.code: i.direction for i in indicators()}
    assert codes["4-1.mayor_petitions"] == "4-1" and codes["4-1.fee_subsidies"] == "4-1"
    assert codes["4-2.reports_received"] == "4-2" and codes["4-2.safety_within_clock"] == "4-2"


def test_it_counts_the_share_confirmed_within_the_wall_clock(
    personas: dict[str, Staff], elder: Person
) -> None:
    team = personas["safeguarding"]
    for hours_later in (20, 47, 49):  # two in time, one late (over a weekend)
        with clock.frozen(at(2027, 1, 8, 18)):  # a Friday evening
            report = report_on(personas["consultant.elderly"], elder)
        with clock.frozen(at(2027, 1, 8, 18) + timedelta(hours=hours_later)):
            confirm_safety(team, report.pk, "訪問")
    found = {i.code: i for i in indicators()}
    share = found["4-2.safety_within_clock"].compute(FY)
    assert (share.numerator, share.denominator) == (2, 3) and share.value == 66.7
    assert found["4-2.reports_received"].compute(FY).value == 3


def test_it_hides_small_cells_in_the_survey_counts(
    personas: dict[str, Staff], elder: Person, settings: Any
) -> None:
    settings.SMALL_CELL_MIN = 5
    with clock.frozen(at(2026, 6, 1, 10)):
        for _ in range(6):
            report_on(personas["consultant.elderly"], elder)
        report_on(personas["consultant.elderly"], elder, reporter_type="family")
    counts = survey_counts(FY)
    t = counts.reporters
    neighbour, family = t.rows.index("近隣住民・知人"), t.rows.index("家族・親族")
    law = t.columns.index("高齢者虐待（養護者による）")
    assert t.cells[family][law] is None  # 1: too small
    assert t.cells[neighbour][law] is None  # 6, hidden too: else 7 - 6 gives the 1 away
    assert t.total == 7
    rows = survey_rows(counts)
    assert ["通報・届出者の種別（件）", "家族・親族", "高齢者虐待（養護者による）", "", "1"] in rows
    settings.SMALL_CELL_MIN = 1
    assert survey_counts(FY).reporters.cells[family][law] == 1
