"""Consumer alerts in a browser: the centre drafts and issues an alert for the
砂町 towns, the 民生委員 reads it in the area's inbox on a phone and reports the
residents spoken to; the centre sees the report. axe-core on each page."""

from __future__ import annotations

from typing import Any

from tests.people.conftest import make_person
from tsunagari.consumer.models import Alert, AlertStatus, Delivery, VisitTask
from tsunagari.people.models import Household, Membership


def no_violations(page: Any, axe_check: Any) -> None:
    violations = axe_check(page)
    assert violations == [], violations


def test_an_alert_is_issued_read_by_the_commissioner_and_reported(
    page: Any, phone_page: Any, sign_in: Any, axe_check: Any, personas: Any
) -> None:
    alone = make_person(name="田中　一郎", kana="タナカ　イチロウ", birth_date="1944-05-05",
                        sex="1", address="江東区北砂三丁目5番1号 北砂荘203")  # fmt: skip
    house = Household.objects.create(number="H-1", address=alone.address)
    Membership.objects.create(household=house, person=alone, relation="世帯主")
    sign_in(page, "consumer")
    page.goto("/consumer/")
    no_violations(page, axe_check)
    page.get_by_role("link", name="注意情報を作成").first.click()
    page.wait_for_url("**/consumer/new/")
    no_violations(page, axe_check)
    page.get_by_label("種類").select_option(label="特殊詐欺")
    page.get_by_label("件名").fill("還付金詐欺の電話が続いています")
    page.get_by_label("内容（どんな手口か、わかりやすい言葉で）").fill(
        "区役所の職員を名乗り、還付金があるとATMへ行くよう言われる。"
    )
    page.get_by_label("住民に伝えてほしいこと").fill("ATMでお金が戻ることはありません。")
    page.get_by_label("情報元").select_option(label="警察署")
    page.get_by_label("警察署名（警察署からの情報のとき）").fill("城東警察署")
    page.get_by_label("北砂", exact=True).check()
    page.get_by_label("南砂", exact=True).check()
    page.get_by_role("button", name="下書きを保存").click()
    page.wait_for_url("**/consumer/*/")
    no_violations(page, axe_check)
    page.get_by_role("button", name="発信する").click()
    page.locator("#deliveries").wait_for()
    alert = Alert.objects.get()
    assert alert.status == AlertStatus.ISSUED
    assert VisitTask.objects.filter(alert=alert, person=alone).exists()
    assert "訪問の依頼: 1 人" in page.locator("#visit-counts").inner_text()
    no_violations(page, axe_check)

    sign_in(phone_page, "commissioner")
    phone_page.goto("/consumer/inbox/")
    no_violations(phone_page, axe_check)
    phone_page.get_by_role("link", name="還付金詐欺の電話が続いています").click()
    phone_page.wait_for_url("**/consumer/inbox/*/")
    no_violations(phone_page, axe_check)
    assert "田中" not in phone_page.content()
    phone_page.get_by_label("声をかけた住民の人数（お名前は書かないでください）").fill("9")
    phone_page.get_by_role("button", name="報告する").click()
    phone_page.locator("#ack-status").wait_for()
    assert "声かけ 9 人" in phone_page.locator("#ack-status").inner_text()
    no_violations(phone_page, axe_check)
    assert Delivery.objects.get(alert=alert, agency__code="msd-08").spoke_to == 9

    page.reload()
    assert "声かけした人数の合計 9 人" in page.content()
