"""A barrier report from the residents' pages on a phone, without signing in,
to its status: the desk assigns and resolves it, and the reporter reads the
answer by the reference. axe-core on every page of the flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tsunagari.barriers.models import BarrierReport
from tsunagari.barriers.services import public_places
from tsunagari.resources.demo import build_directory
from tsunagari.resources.hsds import bundle_from_tables
from tsunagari.resources.store import import_bundle


@pytest.fixture
def directory(transactional_db: None) -> int:
    bundle = bundle_from_tables(build_directory(7, share=0.1))
    return import_bundle(bundle, actor=None, source="e2e").created["services"]


def test_it_takes_a_barrier_report_on_a_phone_and_shows_its_status(
    directory: int,
    phone_page: Any,
    browser: Any,
    live_server: Any,
    sign_in: Callable[[Any, str], None],
    axe_check: Callable[[Any], list[dict[str, Any]]],
) -> None:
    page = phone_page
    problems: dict[str, Any] = {}

    def check(name: str) -> None:
        found = axe_check(page)
        if found:
            problems[name] = found
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name

    # given a resident on the residents' home page, not signed in
    page.goto("/public/")
    page.get_by_role("link", name="まちのバリアを知らせる").click()
    page.get_by_role("heading", name="まちのバリアを知らせる").wait_for()
    check("form")
    # when they send a report with a mistake (no town)
    page.get_by_label("道路・公園・駅前など（町名と説明）").check()
    page.get_by_label("困ったこと・場所のくわしい説明").fill(
        "亀戸駅前の横断歩道の点字ブロックがはがれています。"
    )
    page.get_by_role("button", name="送る").click()
    # then they are told what to fix, and what they typed is kept
    page.locator("#barrier-errors").get_by_text("町名を一覧から選んでください。").wait_for()
    assert "点字ブロック" in page.get_by_label("困ったこと・場所のくわしい説明").input_value()
    check("form with errors")
    # when they choose the town and send again, with an e-mail for the answer
    page.get_by_label("町名", exact=True).select_option("亀戸")
    page.get_by_label("返事がほしい方の連絡先（任意）").fill("hanako@example.jp")
    page.get_by_role("button", name="送る").click()
    # then the reference is shown, with the status received
    reference = page.locator("#barrier-reference").inner_text()
    assert reference.startswith("BR-")
    assert page.locator("#barrier-status").inner_text() == "受け付けました"
    check("received")
    # given the desk passes it to the roads section and resolves it, on its own pages
    report_id = BarrierReport.objects.get(reference=reference).pk
    desk = browser.new_context(locale="ja-JP", base_url=live_server.url).new_page()
    sign_in(desk, "community")
    desk.goto(f"/barriers/{report_id}/")
    assert desk.get_by_text("hanako@example.jp").count() == 1
    if axe_check(desk):
        problems["desk"] = axe_check(desk)
    desk.get_by_label("担当", exact=True).select_option("roads")
    desk.get_by_role("button", name="担当を記録する").click()
    desk.get_by_label("対応済み", exact=True).check()
    desk.get_by_label("区からの回答（公開。対応済み・対応不可では必須）").fill(
        "点字ブロックを張り直しました。"
    )
    desk.get_by_label("職員メモ（任意・非公開）").last.fill("道路課 確認済み")
    desk.get_by_role("button", name="状況を記録する").click()
    assert desk.locator("#barrier-status").inner_text() == "対応済み"
    desk.context.close()
    # when the reporter looks the reference up later (typed in lower case)
    page.goto("/public/")
    page.get_by_role("link", name="まちのバリアを知らせる").click()
    page.get_by_role("link", name="対応状況を確かめる").first.click()
    page.get_by_label("受付番号").fill(reference.lower())
    page.get_by_role("button", name="確かめる").click()
    # then they read the status and the ward's answer, and never the contact or notes
    assert page.locator("#barrier-status").inner_text() == "対応しました"
    assert page.locator("#barrier-answer").inner_text() == "点字ブロックを張り直しました。"
    body = page.locator("body").inner_text()
    assert "hanako" not in body and "道路課 確認済み" not in body
    check("resolved")
    assert problems == {}


def test_it_reports_a_barrier_at_a_place_from_its_page(
    directory: int, phone_page: Any, axe_check: Callable[[Any], list[dict[str, Any]]]
) -> None:
    from tsunagari.resources.models import Service, ServiceAtLocation

    place = public_places().first()
    service_id = (
        ServiceAtLocation.objects.filter(
            location_id=place.id,
            service_id__in=Service.objects.filter(is_public=True).values("id"),
        )
        .values_list("service_id", flat=True)
        .first()
    )
    page = phone_page
    page.goto(f"/public/basho/{service_id}/?yasashii=1")
    page.get_by_role("link", name="この ばしょの こまった ことを しらせる").click()
    assert page.get_by_label("ばしょ", exact=True).input_value() == place.id
    assert axe_check(page) == []
    page.get_by_label("こまった こと・ばしょの せつめい").fill("いりぐちに だんさが あります。")
    page.get_by_role("button", name="おくる").click()
    assert page.locator("#barrier-reference").inner_text().startswith("BR-")
    assert BarrierReport.objects.get().location_id == place.id
