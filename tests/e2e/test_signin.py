from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tsunagari.accounts.personas import DEMO_PASSWORD


def test_it_signs_in_and_shows_the_home_page(page: Any, sign_in: Any) -> None:
    sign_in(page, "consultant.elderly")
    assert page.get_by_role("heading", level=1).inner_text() == "長寿 良子さんのホーム"
    expect(page.get_by_text("長寿サポートセンター北砂").first).to_be_visible()


def test_it_tells_a_person_who_mistypes_what_to_do(page: Any, personas: Any) -> None:
    page.goto("/signin/")
    page.get_by_label("ユーザー名").fill("consultant.elderly")
    page.get_by_label("パスワード").fill("not-the-password")
    page.get_by_role("button", name="サインイン").click()
    assert page.get_by_role("alert").inner_text().startswith("ユーザー名またはパスワードが違います")


def test_the_password_typed_can_be_shown_before_signing_in(page: Any, personas: Any) -> None:
    page.goto("/signin/")
    page.get_by_label("パスワード").fill("typed-on-a-phone")
    # the button is there only when the script runs, and shows what was typed
    page.get_by_role("button", name="パスワードを表示").click()
    expect(page.get_by_label("パスワード")).to_have_attribute("type", "text")
    page.get_by_role("button", name="パスワードを隠す").click()
    expect(page.get_by_label("パスワード")).to_have_attribute("type", "password")


def test_it_switches_to_english_from_the_header(page: Any, sign_in: Any) -> None:
    sign_in(page, "planner")
    # choosing a language submits the form and reloads the page
    with page.expect_navigation():
        page.get_by_label("表示言語").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_it_has_no_serious_accessibility_violations_on_sign_in(
    page: Any, personas: Any, axe_check: Any
) -> None:
    page.goto("/signin/")
    assert axe_check(page) == []


def test_it_has_no_serious_accessibility_violations_on_home(
    page: Any, sign_in: Any, axe_check: Any
) -> None:
    for username in ("admin", "consultant.elderly", "outsider"):
        page.context.clear_cookies()
        sign_in(page, username)
        assert axe_check(page) == [], username


def test_it_works_on_a_phone_sized_window(phone_page: Any, personas: Any) -> None:
    phone_page.goto("/signin/")
    phone_page.get_by_label("ユーザー名").fill("planner")
    phone_page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    phone_page.get_by_role("button", name="サインイン").click()
    phone_page.wait_for_url("**/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
