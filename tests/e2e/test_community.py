"""Community building in a real browser: community staff register an activity,
record a session's attendance and read the gap page; residents see the
upcoming activities on a phone. axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.community.conftest import place, residents, service_at
from tsunagari.community.models import Session, SessionStatus
from tsunagari.community.services import ActivityInput, create_activity, plan_sessions
from tsunagari.lib import clock
from tsunagari.resources.models import Organization


@pytest.fixture
def ward(transactional_db: None) -> dict[str, Any]:
    Organization.objects.create(id="org-1", name="亀戸サロンの会")
    kameido = place("k1", "亀戸")
    service_at("k1", kameido)
    place("o1", "大島")
    residents("亀戸", 30)
    residents("大島", 40)
    return {"kameido": kameido}


def test_community_staff_record_a_sessions_attendance_and_read_the_gap_page(
    ward: dict[str, Any],
    page: Any,
    sign_in: Callable[[Any, str], None],
    axe_check: Callable[[Any], list[dict[str, Any]]],
) -> None:
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    sign_in(page, "community")
    # given an activity registered from the form
    page.goto("/community/")
    assert axe_check(page) == []
    page.get_by_role("link", name="活動を登録する").first.click()
    assert axe_check(page) == []
    page.get_by_label("活動名").fill("亀戸ふれあいサロン")
    page.get_by_label("場所", exact=True).select_option("loc-k1")
    page.get_by_label("関連する地域資源（任意）").select_option("svc-k1")
    page.get_by_label("運営団体（任意）").select_option("org-1")
    page.get_by_label("運営するボランティアの人数").fill("6")
    page.get_by_label("開始日").fill("2026-04-01")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("活動を登録しました。").wait_for()
    assert axe_check(page) == []
    # when the worker adds yesterday's session and opens it
    page.get_by_label("開催日", exact=True).fill(yesterday)
    page.get_by_label("開始時刻（任意）").fill("14:00")
    page.get_by_role("button", name="開催日を追加する").click()
    page.get_by_text("開催日を追加しました。").wait_for()
    page.get_by_role("link", name=f"{yesterday} の人数を記録する").click()
    assert axe_check(page) == []
    # and types counts whose age bands do not add up
    for label, value in (("参加者数", "14"), ("うち初めての参加者", "2"),
                         ("うち支援が必要な参加者", "3"), ("18〜64歳", "2"), ("65〜74歳", "5"),
                         ("75歳以上", "6"), ("運営ボランティアの人数", "5")):  # fmt: skip
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="記録する").click()
    # then the page says what to fix, and keeps what was typed
    alert = page.get_by_role("alert")
    alert.get_by_text("年齢区分の合計（13人）が参加者数（14人）と合いません").wait_for()
    assert page.get_by_label("75歳以上", exact=True).input_value() == "6"
    assert axe_check(page) == []
    page.get_by_label("年齢不明", exact=True).fill("1")
    page.get_by_role("button", name="記録する").click()
    page.get_by_text("参加人数を記録しました。").wait_for()
    session = Session.objects.get()
    assert session.status == SessionStatus.HELD and session.total == 14 and session.age_unknown == 1
    # and the gap page shows the towns with the method and a drawn chart
    page.get_by_role("link", name="集いの場が必要な町").first.click()
    page.get_by_role("heading", name="計算のしかた").wait_for()
    page.locator("#gap-places-chart .main-svg").first.wait_for()
    rows = page.locator("#gap-table tbody tr")
    assert rows.first.locator("th").inner_text() == "大島"  # no place for 40 older residents
    assert axe_check(page) == []
    page.get_by_role("link", name="参加の集計").first.click()
    page.get_by_role("heading", name="参加の集計").wait_for()
    assert axe_check(page) == []


def test_residents_see_upcoming_activities_on_a_phone(
    ward: dict[str, Any], phone_page: Any, axe_check: Callable[[Any], list[dict[str, Any]]]
) -> None:
    activity = create_activity(None, ActivityInput(
        title="亀戸ふれあいサロン", kind="regular", location="loc-k1", service="svc-k1",
        schedule_note="毎週金曜 14時〜16時", started_on="2026-04-01"))  # fmt: skip
    soon = clock.today() + timedelta(days=3)
    plan_sessions(None, activity.pk, [soon], starts_at="14:00", ends_at="16:00")
    page = phone_page
    page.goto("/public/katsudo/")
    page.get_by_role("heading", name="これからの地域の活動").wait_for()
    page.get_by_role("heading", name="亀戸ふれあいサロン").wait_for()
    expect(page.get_by_text("14:00〜16:00")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_check(page) == []
    page.get_by_role("link", name="やさしい にほんご").click()
    page.get_by_role("heading", name="これから ある ちいきの あつまり").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_check(page) == []
