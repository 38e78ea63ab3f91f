"""Residents' pages in a real browser on a phone-sized window: the
navigator, the place search, and axe-core on every public page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tsunagari.resources.demo import build_directory
from tsunagari.resources.hsds import bundle_from_tables
from tsunagari.resources.models import HsdsRecord, Service
from tsunagari.resources.store import import_bundle
from tsunagari.resources.towns import TOWN_INFO


@pytest.fixture
def directory(transactional_db: None) -> int:
    bundle = bundle_from_tables(build_directory(7, share=0.1))
    return import_bundle(bundle, actor=None, source="e2e").created["services"]


def test_it_leads_a_resident_to_their_longevity_centre_on_a_phone(
    directory: int, phone_page: Any
) -> None:
    # given the centre that covers a town
    area = HsdsRecord.objects.filter(table="service_areas").order_by("record_id").first()
    centre = Service.objects.get(id=area.data["service_id"])
    page = phone_page
    # when a resident answers the three questions
    page.goto("/public/")
    page.get_by_role("link", name="どこに相談すればいいの？").click()
    page.get_by_label("家族のこと").check()
    page.get_by_label("介護・高齢・認知症").check()
    page.get_by_label("どこに住んでいますか（町名）").select_option(area.data["name"])
    page.get_by_role("button", name="相談先を見る").click()
    # then the centre is shown with its phone as a link to call
    results = page.locator("#results")
    results.get_by_role("heading", name=centre.name).wait_for()
    assert results.locator('a[href^="tel:"]').count() >= 1
    # and nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_it_puts_emergency_lines_first_on_a_phone(directory: int, phone_page: Any) -> None:
    page = phone_page
    page.goto("/public/soudan/")
    page.get_by_label("暴力を受けている（DV）").check()
    page.get_by_role("button", name="相談先を見る").click()
    first_link = page.locator("#results a").first
    assert first_link.get_attribute("href") in {"tel:110", "tel:%238008"}


def test_it_filters_places_on_a_phone(directory: int, phone_page: Any) -> None:
    # given places of several kinds
    page = phone_page
    page.goto("/public/basho/")
    total = int(page.locator("#found").inner_text().split("件")[0])
    # when the resident keeps children's cafeterias only
    page.get_by_label("種類").select_option("kodomo_shokudo")
    page.get_by_role("button", name="さがす").click()
    page.wait_for_url("**kind=kodomo_shokudo**")
    # then fewer results remain, all of that kind, and one opens with its schedule
    page.locator("#found").wait_for()
    found = int(page.locator("#found").inner_text().split("件")[0])
    assert 0 < found < total
    page.locator(".place h3 a").first.click()
    page.get_by_text("日時").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_it_switches_to_easy_japanese_and_large_text(directory: int, phone_page: Any) -> None:
    page = phone_page
    page.goto("/public/")
    page.get_by_role("link", name="やさしい にほんご").click()
    page.get_by_role("heading", name="こうとうく そうだん と いばしょの ガイド").wait_for()
    page.get_by_role("link", name="もじを おおきく").click()
    page.wait_for_url("**moji=1**")
    assert "large-text" in (page.locator("html").get_attribute("class") or "")


PUBLIC_PAGES = [
    "/public/",
    "/public/soudan/",
    "/public/soudan/?who=family&topic=elderly&town=北砂",
    "/public/soudan/?who=self&topic=violence",
    "/public/basho/",
    "/public/basho/?free=1&wheelchair=1",
    "/public/kinkyu/",
    "/public/?yasashii=1",
    "/public/basho/?lang=en",
    "/public/basho/?yasashii=1&town=北砂",
    "/public/?moji=1",
]


def test_it_has_no_serious_accessibility_violations_on_any_public_page(
    directory: int, phone_page: Any, page: Any, axe_check: Callable[[Any], list[dict[str, Any]]]
) -> None:
    # given every public page, including one place's page, on a phone and a desktop
    place = Service.objects.filter(is_public=True, x_kind="salon").first()
    urls = [
        *PUBLIC_PAGES,
        f"/public/basho/{place.id}/",
        f"/public/basho/{place.id}/?yasashii=1",
        f"/public/basho/{place.id}/?lang=en&yasashii=0",
        "/public/?lang=ja&yasashii=0&moji=0",
    ]
    problems = {}
    for browser_page in (phone_page, page):
        for url in urls:
            browser_page.goto(url)
            # when axe-core checks it; then nothing serious or critical is found
            found = axe_check(browser_page)
            if found:
                problems[url] = found
    assert problems == {}


def test_it_keeps_names_with_readings_readable_to_screen_readers(directory: int, page: Any) -> None:
    # given a place whose name has a kana reading
    place = Service.objects.filter(is_public=True, x_kind="salon").order_by("id").first()
    town = place.towns.strip("|").split("|")[0]
    # when its やさしい日本語 page is read through the accessibility tree
    page.goto(f"/public/basho/{place.id}/?yasashii=1")
    tree = page.locator("h1").aria_snapshot()
    # then the heading keeps the town's kanji whole, with its reading beside it
    assert page.locator("h1 ruby rt").count() >= 1
    assert town in tree and TOWN_INFO[town].reading in tree
