"""Awareness activities in a real browser: community staff record a talk (the
age bands must add up), and a council member reads the year with its chart on a
phone. axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tsunagari.awareness.models import Activity
from tsunagari.lib import clock


def test_community_staff_record_a_talk_and_the_council_reads_the_chart_on_a_phone(
    personas: Any, page: Any, phone_page: Any, sign_in: Callable[[Any, str], None],
    axe_check: Callable[[Any], list[dict[str, Any]]],
) -> None:  # fmt: skip
    sign_in(page, "community")
    page.goto("/awareness/")
    page.get_by_role("link", name="啓発活動を記録する").click()
    assert axe_check(page) == []
    page.get_by_label("名称").fill("地域共生社会を考える講演会")
    page.get_by_label("講演会").check()
    page.get_by_label("実施日").fill(clock.today().isoformat())
    page.get_by_label("町名").fill("北砂")
    page.get_by_label("主催").fill("地域福祉課")
    page.get_by_label("地域共生社会").check()
    page.get_by_label("参加者数", exact=True).fill("30")
    page.get_by_label("65歳以上").fill("20")
    page.get_by_label("18〜64歳").fill("9")
    page.get_by_role("button", name="記録する").click()
    page.get_by_role("alert").get_by_text(
        "年齢区分の合計（29人）が参加者数（30人）と合いません"
    ).wait_for()
    assert axe_check(page) == []
    page.get_by_label("年齢不明").fill("1")
    page.get_by_role("button", name="記録する").click()
    page.get_by_text("啓発活動を記録しました。").wait_for()
    assert Activity.objects.get().participants == 30
    # a council member reads the year on a phone, with the chart drawn
    sign_in(phone_page, "council")
    phone_page.goto("/awareness/")
    phone_page.locator("#awareness-chart .main-svg").first.wait_for()
    phone_page.get_by_text("集計済みの区民調査がないため").wait_for()
    assert phone_page.locator("#activities tbody tr").count() == 1
    assert axe_check(phone_page) == []
