"""An 8050 household in a browser, from the desk to the coordinator, without
re-typing: an 81-year-old mother comes to her longevity support centre, her
identity is confirmed, she and her 51-year-old son consent, she is referred
to the self-reliance centre, which accepts; the need for multi-agency work
reaches the coordinator, who opens the consultation and the son's record.
Both sides see the story and their home counts; axe runs on every page at
desk and phone width."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tsunagari.accounts.models import Agency
from tsunagari.people.models import AgencyLink, Household, LinkBasis, Membership, Person
from tsunagari.people.services import PersonInput, clean

pytestmark = pytest.mark.e2e


@pytest.fixture
def household(personas: Any) -> dict[str, Person]:
    def person(**kw: Any) -> Person:
        return Person.objects.create(**clean(PersonInput(**kw)))

    mother = person(name="佐藤　ハル", kana="サトウ　ハル", birth_date="1945-06-01", sex="2",
                    address="江東区北砂五丁目3番8号", resident_id="3000000011")  # fmt: skip
    son = person(name="佐藤　健一", kana="サトウ　ケンイチ", birth_date="1975-02-14", sex="1",
                 address="江東区北砂五丁目3番8号", resident_id="3000000029")  # fmt: skip
    home = Household.objects.create(number="H-8050", address="江東区北砂五丁目3番8号")
    Membership.objects.create(household=home, person=mother, relation="世帯主")
    Membership.objects.create(household=home, person=son, relation="子")
    # the centre already serves the mother (介護保険)
    AgencyLink.objects.create(person=mother, agency=Agency.objects.get(code="lsc-16"),
                              basis=LinkBasis.SERVICE)  # fmt: skip
    return {"mother": mother, "son": son}


DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _window(browser: Any, base: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(locale="ja-JP", base_url=base, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _checked(phone: Any, axe_check: Any, desk: Any) -> None:
    """axe on the page the desk window shows, at desk width and on a phone."""
    assert axe_check(desk) == [], f"{desk.url} at {DESK['width']} px"
    phone.goto(desk.url)
    assert axe_check(phone) == [], f"{desk.url} at {PHONE['width']} px"


def test_it_walks_an_8050_household_from_the_desk_to_the_coordinator(
    browser: Any, live_server: Any, sign_in: Any, household: dict[str, Person], axe_check: Any
) -> None:
    mother, son = household["mother"], household["son"]
    windows: list[Any] = []

    def worker(username: str) -> tuple[Any, Any]:
        pair = (_window(browser, live_server.url, DESK), _window(browser, live_server.url, PHONE))
        for window in pair:
            sign_in(window, username)
            windows.append(window)
        return pair

    # the mother comes to the desk; her identity is confirmed with her insurance card
    page, phone = worker("consultant.elderly")
    page.goto("/consultations/new/")
    _checked(phone, axe_check, page)
    page.get_by_label("受付方法").select_option(label="来所")
    page.get_by_label("受け付けた事業").select_option(label="高齢（地域包括支援）")
    page.get_by_label("来談者", exact=True).select_option(label="本人")
    page.get_by_label("本人確認の方法（来談者が本人のとき）").select_option(
        label="本人確認書類を確認した"
    )
    page.get_by_label(re.compile("^本人を検索")).fill("さとう はる S20")
    candidate = page.locator("#person-candidates input[type=radio]").first
    candidate.wait_for()
    candidate.check()
    page.get_by_label("介護", exact=True).check()
    page.get_by_label("収入", exact=True).check()
    page.get_by_label("主な分野").select_option(label="介護")
    page.get_by_label("相談内容・メモ").fill(
        "51歳の長男と二人暮らし。長男は10年以上働いていない。年金だけでは生活が苦しい。"
    )
    page.get_by_label("多機関協働へ").check()
    page.get_by_role("button", name="保存（受付済みにする）").click()
    page.get_by_role("heading", level=1, name=re.compile("^相談 #")).wait_for()
    consultation_url = page.url
    _checked(phone, axe_check, page)

    # she and her son (who came with her) consent to share with the self-reliance
    # centre and the multi-agency coordinator; the son's agreement is his own
    page.get_by_role("link", name="同意を記録する").click()
    _checked(phone, axe_check, page)
    page.get_by_label(re.compile("生活サポートセンター")).first.check()
    page.get_by_label(re.compile("多機関協働")).first.check()
    page.get_by_label("支援の経過・計画").check()
    page.get_by_label(re.compile("^佐藤　健一")).check()
    page.locator(f"#ag-{son.pk}-self").check()
    page.get_by_role("button", name="同意を記録する").click()
    page.get_by_text("同意を記録しました。").wait_for()

    # and she is referred to the self-reliance centre, without re-typing anything
    page.goto(consultation_url)
    page.get_by_role("link", name="他機関へつなぐ").click()
    _checked(phone, axe_check, page)
    page.get_by_label("つなぐ先の機関").select_option(value="srs-01")
    page.get_by_label("緊急度").select_option(label="早めに")
    page.get_by_label("相手の機関に伝える内容（要約）").fill(
        "年金のみで生活が苦しい。長男の就労も含めて家計の相談を希望。"
    )
    page.get_by_label("本人への連絡の希望（方法・時間帯）").fill("平日の午前中に自宅へ")
    page.get_by_role("button", name="つなぎを送る").click()
    page.get_by_test_id("referral-status").wait_for()
    referral_url = page.url

    # the self-reliance centre sees it waiting on its home, and accepts
    receiver, receiver_phone = worker("consultant.self")
    receiver.goto("/")
    expect(receiver.get_by_role("link", name=re.compile("^対応待ち")).first).to_be_visible()
    _checked(receiver_phone, axe_check, receiver)
    receiver.goto("/consultations/")
    _checked(receiver_phone, axe_check, receiver)
    receiver.goto(referral_url)
    assert "早めに" in receiver.locator("main").inner_text()
    _checked(receiver_phone, axe_check, receiver)
    receiver.get_by_role("button", name="受け入れる").click()
    assert receiver.get_by_test_id("referral-status").inner_text() == "受け入れ"

    # the coordinator picks up the need and opens the consultation from it
    coordinator, coordinator_phone = worker("coordinator")
    coordinator.goto("/consultations/needs/")
    _checked(coordinator_phone, axe_check, coordinator)
    coordinator.get_by_role("button", name=re.compile("^対応開始")).first.click()
    coordinator.get_by_role("heading", level=1, name=re.compile("^相談 #")).wait_for()
    assert "佐藤　ハル" in coordinator.locator("main").inner_text()
    _checked(coordinator_phone, axe_check, coordinator)
    # and, covered by the son's own consent, opens his record: the household's story
    coordinator.goto(f"/people/{son.pk}/")
    assert "佐藤　健一" in coordinator.locator("h1").inner_text()
    _checked(coordinator_phone, axe_check, coordinator)
    coordinator.goto(f"/people/{mother.pk}/")
    story = coordinator.locator("#story + ol").inner_text()
    assert "相談の受付" in story and "本人同意の記録" in story
    _checked(coordinator_phone, axe_check, coordinator)

    # back at the centre: the story, and on its home the accepted referral as new
    page.goto(f"/people/{mother.pk}/")
    story = page.locator("#story + ol").inner_text()
    for step in ("相談の受付", "本人同意の記録", "多機関協働・アウトリーチへの依頼", "受け入れ"):
        assert step in story, step
    _checked(phone, axe_check, page)
    page.goto("/")
    expect(page.get_by_text("新着").first).to_be_visible()
    _checked(phone, axe_check, page)
    for window in windows:
        window.context.close()
