"""Staff directory pages in a real browser: search, edit, verify, and axe-core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tsunagari.resources.demo import build_directory
from tsunagari.resources.hsds import bundle_from_tables
from tsunagari.resources.models import Service
from tsunagari.resources.store import import_bundle


@pytest.fixture
def directory(transactional_db: None) -> int:
    bundle = bundle_from_tables(build_directory(7, share=0.1))
    return import_bundle(bundle, actor=None, source="e2e").created["services"]


def test_it_lets_community_staff_find_edit_and_verify_an_entry(
    directory: int,
    page: Any,
    sign_in: Callable[[Any, str], None],
    axe_check: Callable[[Any], list[dict[str, Any]]],
) -> None:
    # given community staff signed in
    salon = Service.objects.filter(x_kind="salon").order_by("id").first()
    sign_in(page, "community")
    # when they search the directory for the salon
    page.goto("/resources/")
    assert axe_check(page) == []
    page.get_by_label("キーワード").fill(salon.name)
    page.get_by_role("link", name=salon.name).click()
    assert axe_check(page) == []
    # and edit its notice and verify it
    page.get_by_role("link", name="編集する").click()
    assert axe_check(page) == []
    page.get_by_label("お知らせ").fill("12月は第3週のみ開催します")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("保存しました。").wait_for()
    # then the change waits for a second person: the editor cannot publish it
    expect(page.get_by_text("あなたが保存した変更です")).to_be_visible()
    assert page.get_by_role("button", name="内容を確認した（公開する）").count() == 0
    # and a colleague checks it
    colleague = page.context.browser.new_context(
        locale="ja-JP", base_url=page.url.split("/resources")[0]
    )
    checker = colleague.new_page()
    sign_in(checker, "admin")
    checker.goto(page.url)
    checker.get_by_role("button", name="内容を確認した（公開する）").click()
    checker.get_by_text("確認を記録しました。区民向けページに公開されます。").wait_for()
    colleague.close()
    # then the change and the check are in the history
    page.reload()
    history = page.locator("table").last.inner_text()
    assert "12月は第3週のみ開催します" in history and "確認日を" in history
    for url in ("/resources/stale/", "/resources/new/"):
        page.goto(url)
        assert axe_check(page) == []
