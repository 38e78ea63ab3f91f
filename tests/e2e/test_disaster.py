"""A safety check (安否確認) on a phone: a 民生委員 in a declared area marks a
person on the roster as needing help, and the ward's board shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency
from tsunagari.disaster import services
from tsunagari.disaster.models import Recipient, RecipientKind, SafetyCheck


def test_a_commissioner_records_a_safety_check_on_a_phone(
    phone_page: Any, sign_in: Callable[[Any, str], None], personas: Any,
    axe_check: Callable[[Any], list[dict[str, Any]]],
) -> None:  # fmt: skip
    # given two people on the roster in 北砂, the commissioner's district, under disaster mode
    officer = personas["disaster"]
    for n, name in enumerate(("大山　一郎", "小川　二郎"), start=1):
        person = make_person(name=name, kana="オオヤマ　イチロウ", birth_date="1940-01-01",
                             sex="1", address=f"東京都江東区北砂三丁目{n}番1号",
                             phone=f"03-3640-100{n}")  # fmt: skip
        services.add_by_hand(officer, person.pk, "在宅で人工呼吸器を使用")
    Recipient.objects.create(name="砂町地区民生委員協議会", kind=RecipientKind.COMMISSIONER,
                             towns=["北砂"], agency=Agency.objects.get(code="msd-08"))  # fmt: skip
    services.declare_disaster(officer, ["北砂"], "荒川氾濫のおそれ（緊急安全確保）")
    page = phone_page
    sign_in(page, "commissioner")
    # when the commissioner opens the safety check page on a phone
    page.goto("/disaster/safety/")
    card = page.locator("li.safety-person", has_text="大山　一郎")
    expect(card.get_by_text("現在: 未確認")).to_be_visible()
    assert axe_check(page) == []
    # the page fits the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # and marks 大山 as needing help, with a note
    card.get_by_label("メモ（任意）").fill("2階で足止め。担架が必要")
    card.get_by_role("button", name="支援が必要").click()
    updated = page.locator("li.safety-person", has_text="大山　一郎")
    updated.get_by_text("記録しました").wait_for()
    assert "支援が必要" in updated.locator(".now").inner_text()
    assert axe_check(page) == []
    # then the check is stored for the commissioner's recipient
    check = SafetyCheck.objects.get()
    assert check.status == "needs_help" and check.recipient is not None
    # and the ward's board shows it by town
    board = page.context.browser.new_context(locale="ja-JP", base_url=page.url.split("/disaster")[0],
                                             viewport={"width": 375, "height": 667})  # fmt: skip
    staff_page = board.new_page()
    sign_in(staff_page, "disaster")
    staff_page.goto("/disaster/safety/board/")
    row = staff_page.locator("#safety-board tbody tr", has_text="北砂")
    cells = row.locator("td").all_inner_texts()
    assert cells == ["2", "0", "0", "1", "0", "1"]
    assert axe_check(staff_page) == []
    board.close()
