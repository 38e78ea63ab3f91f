"""Direction 10-1's figures from a hand-made year, and the page's reach table."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.awareness.conftest import talk
from tsunagari.awareness.services import record_activity
from tsunagari.awareness.summary import reach_table
from tsunagari.lib import clock
from tsunagari.plan.registry import FiscalYear, indicators

JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def year(db: None) -> None:
    """FY2026: a talk (30), a gatekeeper training (12: 2 aged 65+), a school (83: 80 pupils),
    a campaign (reach 9000); a gatekeeper training of FY2025 (2026-03-31, 50) does not count."""
    with clock.frozen(datetime(2027, 4, 2, 10, tzinfo=JST)):
        record_activity(None, talk())
        record_activity(None, talk(kind="gatekeeper", held_on="2026-09-01", participants=12,
                                   bands={"age_18_64": 10, "age_65_plus": 2}, themes=["suicide"]))  # fmt: skip
        record_activity(None, talk(kind="school", held_on="2026-11-05", participants=83,
                                   bands={"age_primary": 80, "age_18_64": 3}))  # fmt: skip
        record_activity(None, talk(kind="campaign", held_on="2026-09-10", participants=0, bands={},
                                   estimated_reach=9000))  # fmt: skip
        record_activity(None, talk(kind="gatekeeper", held_on="2026-03-31", participants=50,
                                   bands={"age_18_64": 50}))  # fmt: skip


def figures(fy: int) -> dict[str, object]:
    return {i.code: i.compute(FiscalYear(fy)).value for i in indicators()
            if i.code.startswith("10-1.awareness_") and i.code != "10-1.awareness_participants"}  # fmt: skip


def test_the_year_is_counted_from_the_records(year: None) -> None:
    assert figures(2026) == {
        "10-1.awareness_reach_participants": 30 + 12 + 83,  # the campaign's reach is apart
        "10-1.awareness_activities_held": 4,
        "10-1.awareness_gatekeepers_trained": 12,
    }
    assert figures(2025)["10-1.awareness_gatekeepers_trained"] == 50


def test_the_reach_table_hides_small_cells_and_what_would_give_them_away(
    year: None, settings: object
) -> None:
    table = reach_table(FiscalYear(2026))
    rows = {r.kind: r for r in table.rows}
    # gatekeeper: 10 aged 18–64 and 2 aged 65+; the 2 is hidden, and so is another cell
    # of its row and of its column, so neither can be worked out from the totals
    gatekeeper = rows["gatekeeper"]
    assert gatekeeper.cells[3] is None
    assert sum(c is None for c in gatekeeper.cells) >= 2
    assert rows["lecture"].cells[3] is None or rows["lecture"].cells[3] == 20
    assert sum(r.cells[3] is None for r in table.rows) >= 2
    # school: the 3 adults are hidden, and so the 80 pupils beside them (else 83 - 80 = 3)
    assert rows["school"].cells[2] is None and rows["school"].cells[0] is None
    assert rows["school"].total == 83
    assert rows["campaign"].estimated_reach == 9000 and rows["campaign"].total == 0
    # the chart draws the same numbers: a hidden cell is None there too
    chart = table.chart()
    series = {s["name"]: s["values"] for s in chart["series"]}
    assert chart["kinds"].index("ゲートキーパー研修") >= 0
    assert series["65歳以上"][chart["kinds"].index("ゲートキーパー研修")] is None
