"""The front door in a browser: a phone intake through to a closed loop, and
axe-core on the intake form and the worklists."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tsunagari.accounts.models import Agency
from tsunagari.people.models import AgencyLink, LinkBasis, Person
from tsunagari.people.services import PersonInput, clean


@pytest.fixture
def taro(personas: Any) -> Person:
    values = clean(PersonInput(name="山田　太郎", kana="ヤマダ　タロウ", birth_date="1948-03-05", sex="1",
                               address="東京都江東区北砂三丁目12番5号", resident_id="1000000011"))  # fmt: skip
    person = Person.objects.create(**values)
    AgencyLink.objects.create(
        person=person, agency=Agency.objects.get(code="lsc-16"), basis=LinkBasis.SERVICE
    )
    return person


@pytest.fixture
def second_page(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(locale="ja-JP", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_it_closes_the_loop_from_a_phone_intake_to_a_recorded_outcome(
    page: Any, second_page: Any, sign_in: Any, taro: Person, axe_check: Any
) -> None:
    # given a consultant at 長寿サポートセンター北砂 takes a phone call from Taro's daughter
    sign_in(page, "consultant.elderly")
    page.get_by_role("link", name="相談受付").click()
    page.get_by_label("受付方法").select_option(label="電話")
    page.get_by_label("受け付けた事業").select_option(label="高齢（地域包括支援）")
    page.get_by_label("来談者", exact=True).select_option(label="家族・親族")
    page.get_by_label("続柄（本人から見て）").fill("長女")
    # when she looks him up and picks him with the keyboard
    page.get_by_label(re.compile("^本人を検索")).fill("やまだ たろう S23.3.5")
    candidate = page.locator("#person-candidates input[type=radio]").first
    candidate.wait_for()
    assert "山田" in page.locator("#person-candidates").inner_text()
    candidate.focus()
    page.keyboard.press("Space")
    assert candidate.is_checked()
    page.get_by_label("介護", exact=True).check()
    page.get_by_label("収入", exact=True).check()
    page.get_by_label("主な分野").select_option(label="介護")
    page.get_by_label("相談内容・メモ").fill(
        "父の介護と生活費のことで長女から電話。家計の相談を希望。"
    )
    page.get_by_label("他機関へつなぐ").check()
    # the draft is saved while she types
    page.locator("#autosave-status").get_by_text("下書きを保存しました").wait_for()
    page.get_by_role("button", name="保存（受付済みにする）").click()
    page.get_by_role("heading", level=1, name=re.compile("^相談 #")).wait_for()

    # and records his consent to share with 生活サポートセンター
    assert axe_check(page) == []
    page.get_by_role("link", name="同意を記録する").click()
    assert axe_check(page) == []
    page.get_by_label(re.compile("生活サポートセンター")).check()
    page.get_by_role("button", name="同意を記録する").click()
    page.get_by_text("同意を記録しました。").wait_for()

    # and refers him there
    page.get_by_role("link", name="他機関へつなぐ").click()
    assert axe_check(page) == []
    page.get_by_label("つなぐ先の機関").select_option(value="srs-01")
    page.get_by_label("相手の機関に伝える内容（要約）").fill(
        "80代の父の生活費について、長女が家計の相談を希望。"
    )
    page.get_by_role("button", name="つなぎを送る").click()
    assert page.get_by_test_id("referral-status").inner_text() == "送付済み"
    referral_url = page.url

    # then the receiving agency finds it waiting, accepts and records the outcome
    sign_in(second_page, "consultant.self")
    second_page.goto("/consultations/")
    second_page.locator("#waiting + .table-wrap, #waiting ~ div").first.get_by_role(
        "link", name=re.compile("^#")
    ).first.click()
    assert second_page.get_by_test_id("referral-status").inner_text() == "受領"
    assert "家計の相談を希望" in second_page.locator("main").inner_text()
    second_page.get_by_role("button", name="受け入れる").click()
    assert second_page.get_by_test_id("referral-status").inner_text() == "受け入れ"
    second_page.get_by_label("結果", exact=True).select_option(label="つながった")
    second_page.get_by_role("button", name="結果を記録する").click()
    second_page.get_by_text("つなぎの輪が閉じました").first.wait_for()

    # and both sides see the loop closed, with the whole history
    page.goto(referral_url)
    for side in (page, second_page):
        side.reload()
        assert side.get_by_test_id("referral-status").inner_text() == "結果記録済み"
        assert side.get_by_test_id("referral-outcome").inner_text() == "つながった"
        timeline = side.get_by_test_id("timeline").inner_text()
        for step in ("送付", "受領", "受け入れ", "結果の記録"):
            assert step in timeline
    assert axe_check(page) == []


def test_it_has_no_serious_accessibility_violations_on_the_front_door_pages(
    page: Any, phone_page: Any, sign_in: Any, taro: Person, axe_check: Any
) -> None:
    sign_in(page, "consultant.elderly")
    for url in ("/consultations/new/", "/consultations/", "/consultations/loop/"):
        page.goto(url)
        assert axe_check(page) == [], url
    # the intake form after a failed save, with its error summary
    page.goto("/consultations/new/")
    page.get_by_role("button", name="保存（受付済みにする）").click()
    page.locator("#intake-errors").wait_for()
    assert axe_check(page) == []
    # the look-up's candidates inside the form
    page.get_by_label(re.compile("^本人を検索")).fill("ヤマダ タロウ")
    page.locator("#person-candidates input[type=radio]").first.wait_for()
    assert axe_check(page) == []
    # on a phone: the intake form and the coordinator's list
    sign_in(phone_page, "coordinator")
    for url in ("/consultations/new/", "/consultations/needs/"):
        phone_page.goto(url)
        assert axe_check(phone_page) == [], url
