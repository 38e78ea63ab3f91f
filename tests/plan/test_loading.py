"""The policy system as data: exactly 3 / 10 / 19 with the source text, loaded once."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.plan.loading import DATA, load_plans
from tsunagari.plan.models import (
    BasicPolicy,
    Direction,
    IndicatorDefinition,
    PlanPeriod,
    PolicyMeasure,
    Programme,
    ProgrammeStage,
    Stage,
)

SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "policy_framework.yaml"


def _counts() -> tuple[int, ...]:
    return (
        PlanPeriod.objects.count(), BasicPolicy.objects.count(), PolicyMeasure.objects.count(),
        Direction.objects.count(), Programme.objects.count(), ProgrammeStage.objects.count(),
        IndicatorDefinition.objects.count(),
        DomainEvent.objects.filter(kind=EventKind.PLAN_LOADED).count(),
    )  # fmt: skip


def test_it_loads_three_policies_ten_measures_and_nineteen_directions(period: PlanPeriod) -> None:
    # given the plan loaded from the package's copy
    # then the tree has exactly 3 / 10 / 19 items, each direction under its measure
    assert period.policies.count() == 3
    assert period.measures.count() == 10
    assert period.directions.count() == 19
    for d in period.directions.select_related("measure"):
        assert d.code.split("-")[0] == d.measure.code
    # and the source text, word for word
    assert (
        period.philosophy
        == "一人ひとりの尊厳が守られ、地域でも支えあい、誰もが笑顔で安全に暮らせるまち"
    )
    assert period.directions.get(code="8-3").name == "DX推進とデジタルデバイド解消"
    assert period.measures.get(code="2").name == "行政のつながりをつくる"
    assert [p.name for p in period.policies.all()] == [
        "3つのつながりをつくる", "誰もが大切にされる社会をつくる", "地域福祉の基盤をつくる",
    ]  # fmt: skip


def test_the_package_copy_is_the_shared_framework() -> None:
    # the package keeps a copy; it must be the shared file itself
    if SOURCE.exists():
        assert (DATA / "policy_framework.yaml").read_bytes() == SOURCE.read_bytes()
    tree = yaml.safe_load((DATA / "policy_framework.yaml").read_text(encoding="utf-8"))
    directions = [d for p in tree["basic_policies"] for m in p["measures"] for d in m["directions"]]
    assert len(directions) == 19


def test_it_changes_nothing_when_loaded_twice(period: PlanPeriod) -> None:
    # given the plan loaded once
    before = _counts()
    # when it is loaded again
    load_plans()
    # then nothing was added or changed
    assert _counts() == before
    assert before[7] == 1


def test_it_keeps_the_programmes_and_their_schedule(period: PlanPeriod) -> None:
    # the five programmes with the contract's keys
    keys = sorted(period.programmes.values_list("key", flat=True))
    assert keys == ["community", "consultation", "multi_agency", "outreach", "participation"]
    # FY2026 design, FY2027 transition, FY2028 full for each programme
    for programme in period.programmes.all():
        stages = dict(programme.stages.values_list("fiscal_year", "stage"))
        assert stages == {2026: Stage.DESIGN, 2027: Stage.TRANSITION, 2028: Stage.FULL}
    assert period.initiatives.count() == 2


def test_every_direction_has_an_indicator_even_with_nothing_registered(
    period: PlanPeriod,
) -> None:
    # the package's entered indicators and the registered ones cover all 19 directions
    covered = set(
        period.indicators.filter(is_active=True).values_list("direction__code", flat=True)
    )
    assert covered == set(period.directions.values_list("code", flat=True))
    entered = set(
        period.indicators.filter(source="entered").values_list("direction__code", flat=True)
    )
    assert {"6-2", "7-1", "8-3", "9-1", "10-1"} <= entered


def test_a_next_plan_loads_beside_the_current_one(db: None, tmp_path: Path) -> None:
    # given the package's data and a next plan with its own framework file
    for name in ("policy_framework.yaml", "entered_indicators.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    plans = yaml.safe_load((DATA / "plans.yaml").read_text(encoding="utf-8"))
    plans["plans"].append({**plans["plans"][0], "code": "2030", "name": "次期計画",
                           "first_year": 2030, "last_year": 2034})  # fmt: skip
    (tmp_path / "plans.yaml").write_text(yaml.safe_dump(plans, allow_unicode=True), "utf-8")
    # when both are loaded
    periods = load_plans(tmp_path)
    # then each has its own full tree
    assert [p.code for p in periods] == ["2025", "2030"]
    assert all(p.directions.count() == 19 for p in periods)
