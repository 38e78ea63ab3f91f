"""The sign-in security pages in a browser: changing one's password (the
show-password button and the length counter, ASVS 2.1.8, 2.1.12), one's
sessions, and setting up an authenticator, each checked with axe-core."""

from __future__ import annotations

from typing import Any

from tsunagari.accounts.personas import DEMO_PASSWORD

NEW = "夜の公園で猫が三匹ねている"


def test_a_member_of_staff_changes_their_password_and_sees_their_sessions(
    page: Any, sign_in: Any, axe_check: Any
) -> None:
    sign_in(page, "consultant.elderly")
    page.goto("/password/")
    assert axe_check(page) == []
    new = page.get_by_label("新しいパスワード", exact=True)
    # the counter says how far the new password is from the limits as it is typed
    new.fill("short")
    meter = page.locator("#id_new_password-meter")
    assert "現在 5 文字" in meter.inner_text() and "あと 7 文字以上" in meter.inner_text()
    new.fill(NEW)
    assert "長さは十分です" in meter.inner_text()
    # the show-password button shows what was typed, and hides it again
    show = page.locator('button[data-reveal="id_new_password"]')
    assert new.get_attribute("type") == "password"
    show.click()
    assert new.get_attribute("type") == "text" and show.get_attribute("aria-pressed") == "true"
    show.click()
    assert new.get_attribute("type") == "password"
    page.get_by_label("現在のパスワード").fill(DEMO_PASSWORD)
    page.get_by_label("新しいパスワード（確認のためもう一度）").fill(NEW)
    page.get_by_role("button", name="パスワードを変更する").click()
    page.wait_for_url("**/")
    assert "パスワードを変更しました" in page.content()
    page.goto("/sessions/")
    assert "この端末" in page.content()
    assert axe_check(page) == []


def test_an_administrator_sets_up_an_authenticator(page: Any, sign_in: Any, axe_check: Any) -> None:
    sign_in(page, "admin")
    page.goto("/signin/authenticator/")
    assert page.locator("img[alt='認証アプリに登録する QR コード']").is_visible()
    assert len(page.locator("#mfa-key").inner_text().replace(" ", "")) == 32
    assert axe_check(page) == []
