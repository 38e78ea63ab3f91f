"""Direction 9-1's figures from a hand-made year (FY2025: 2025-04-01 to 2026-03-31)."""

from __future__ import annotations

import pytest

from tsunagari.accounts.models import Agency
from tsunagari.plan.registry import FiscalYear, indicators
from tsunagari.workforce.indicators import qualified_by_agency
from tsunagari.workforce.models import Worker
from tsunagari.workforce.services import (
    TrainingInput,
    record_qualification,
    record_training,
    set_worker_active,
)


def course(
    day: str, people: list[Worker], *, cross: bool = False, agency: Agency | None = None
) -> None:
    record_training(None, TrainingInput(title="研修", held_on=day, hours="2", organiser="区",
                    cross_agency=cross), [w.pk for w in people], agency=agency)  # fmt: skip


@pytest.fixture
def year(agencies: dict[str, Agency], workers: dict[str, Worker]) -> None:
    """北砂1 attended an own course (2025-05-01) and a cross-agency one (2025-10-01);
    福祉課 and 豊洲 the cross-agency one too; 北砂2 only a course of FY2024 (2025-03-31).
    Qualifications: 北砂1 社会福祉士 (2010), 北砂2 保健師 (2026-04-01, after the year),
    福祉課 その他 only, 豊洲 社会福祉士 (2015) but left and did nothing in the year."""
    w = workers
    course("2025-05-01", [w["kitasuna1"]], agency=agencies["lsc-16"])
    course("2025-10-01", [w["kitasuna1"], w["ward"], w["toyosu"]], cross=True)
    course("2025-03-31", [w["kitasuna2"]], agency=agencies["lsc-16"])
    record_qualification(None, w["kitasuna1"].pk, "social_worker", "2010-04-01")
    record_qualification(None, w["kitasuna2"].pk, "public_health_nurse", "2026-04-01")
    record_qualification(None, w["ward"].pk, "other", "2012-04-01", "防災士")
    record_qualification(None, w["toyosu"].pk, "social_worker", "2015-04-01")


def figures(fy: int) -> dict[str, object]:
    return {i.code: i.compute(FiscalYear(fy)).value for i in indicators() if i.direction == "9-1"
            and i.code.startswith("9-1.workforce_")}  # fmt: skip


def test_the_year_is_counted_from_the_records(year: None, workers: dict[str, Worker]) -> None:
    assert figures(2025) == {
        "9-1.workforce_people_trained": 3,  # 北砂1 counted once; 北砂2's course was FY2024
        "9-1.workforce_cross_agency_participants": 3,
        "9-1.workforce_cross_agency_agencies": 3,
        # 北砂1 and 豊洲 (still on the register); 北砂2 qualified after the year; その他 not listed
        "9-1.workforce_qualified_workers": 2,
    }
    assert figures(2024)["9-1.workforce_people_trained"] == 1


def test_a_worker_who_left_counts_only_for_a_year_they_worked(
    year: None, workers: dict[str, Worker], agencies: dict[str, Agency]
) -> None:
    # FY2026: 北砂1, 北砂2 (qualified 2026-04-01) and 豊洲 while still on the register
    assert figures(2026)["9-1.workforce_qualified_workers"] == 3
    set_worker_active(None, workers["toyosu"].pk, active=False)
    # 豊洲 attended the FY2025 cross-agency course, so still counts for FY2025 ...
    assert figures(2025)["9-1.workforce_qualified_workers"] == 2
    # ... but not for FY2026, when they no longer worked there
    assert figures(2026)["9-1.workforce_qualified_workers"] == 2
    assert qualified_by_agency(FiscalYear(2026)) == {agencies["lsc-16"].pk: 2}
