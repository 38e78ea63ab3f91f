"""Browser test: the planner opens the plan's tree, one indicator, enters a
target and records an evaluation; every page passes axe-core, at desk and
phone width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tsunagari.plan.models import Evaluation, PlanPeriod, Target


@pytest.fixture
def plan(personas: Any, settings: Any, tmp_path: Path) -> PlanPeriod:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    from tsunagari.plan.demo import load_demo_plan

    load_demo_plan(3)
    return PlanPeriod.objects.get()


def test_the_planner_sets_a_target_and_evaluates_a_direction(
    page: Any, sign_in: Any, plan: PlanPeriod, axe_check: Any
) -> None:
    # given the planner on the plan's tree
    sign_in(page, "planner")
    page.goto("/plan/?year=2026")
    expect(page.get_by_role("heading", name="地域福祉計画 施策体系と指標")).to_be_visible()
    expect(page.get_by_text("10-1　地域共生社会実現に向けた意識の醸成")).to_be_visible()
    assert axe_check(page) == []
    # when they open one indicator
    page.get_by_role("link", name="地域共生社会に関する啓発事業の参加者数").click()
    expect(
        page.get_by_role("heading", name="地域共生社会に関する啓発事業の参加者数")
    ).to_be_visible()
    expect(page.get_by_text("年度ごとの実績と目標（グラフと同じ内容）")).to_be_visible()
    # (the chart is drawn after the page loads: wait so that nothing moves under a click)
    page.locator("#chart-trend .main-svg").first.wait_for()
    assert axe_check(page) == []
    # and set the FY2028 target
    page.get_by_label("年度", exact=True).first.select_option("2028")
    page.get_by_label("目標値（人）").fill("2600")
    page.get_by_role("button", name="目標値を保存").click()
    expect(page.get_by_text("目標値を保存しました。")).to_be_visible()
    assert (
        Target.objects.get(indicator__code="10-1.awareness_participants", fiscal_year=2028).value
        == 2600
    )
    # and record the direction's evaluation for FY2026
    page.get_by_role("link", name="10-1 地域共生社会実現に向けた意識の醸成").click()
    page.locator("#evaluation-year").wait_for()
    assert axe_check(page) == []
    page.locator("#evaluation-year").select_option("2026")
    page.get_by_label("評価", exact=True).select_option("C")
    page.get_by_label("評価の理由").fill("講演会の参加者が目標に届いていない。")
    page.get_by_label("今後の方向性").fill("出前講座を町会の集まりに合わせて開く。")
    page.get_by_role("button", name="評価を記録").click()
    expect(page.get_by_text("評価を記録しました。")).to_be_visible()
    assert Evaluation.objects.filter(direction__code="10-1", fiscal_year=2026).exists()
    assert axe_check(page) == []
    # the schedule page too
    page.goto("/plan/schedule/?year=2026")
    assert axe_check(page) == []


def test_the_tree_works_at_phone_width(
    phone_page: Any, sign_in: Any, plan: PlanPeriod, axe_check: Any
) -> None:
    sign_in(phone_page, "planner")
    phone_page.goto("/plan/?year=2026")
    assert (
        phone_page.get_by_text("データなし").first.is_visible()
        or phone_page.get_by_text("達成").first.is_visible()
    )
    assert axe_check(phone_page) == []
