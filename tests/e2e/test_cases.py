"""A multi-agency case in a browser: the coordinator opens a case from the need
they picked up, under a 支援会議 decision; records an assessment in the
mother's own words; drafts the support plan, records the case conference and
agrees the plan at it. A member agency's worker first meets the confidentiality
step, and sees the case only after confirming. The coordinator then records the
monitoring of the plan's action and closes the case with a handover. axe runs
on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tsunagari.accounts.models import Agency, Role, Staff
from tsunagari.consent.services import (
    SupportMeetingInput,
    confirm_support_meeting,
    place_under_support_meeting,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.consultations.models import Consultation, Need, NeedKind
from tsunagari.consultations.services import pick_up_need
from tsunagari.lib import clock
from tsunagari.people.models import AgencyLink, Household, LinkBasis, Membership, Person
from tsunagari.people.services import PersonInput, clean

pytestmark = pytest.mark.e2e

TEAM = ["mac-01", "srs-01", "lsc-16"]


@pytest.fixture
def need(personas: Any) -> dict[str, Any]:
    """An 8050 household under a confirmed 支援会議 decision, whose multi-agency
    need the coordinator picked up."""

    def person(**kw: Any) -> Person:
        return Person.objects.create(**clean(PersonInput(**kw)))

    mother = person(name="山本　トキ", kana="ヤマモト　トキ", birth_date="1943-09-09", sex="2",
                    address="江東区南砂二丁目1番1号", resident_id="3000000037")  # fmt: skip
    son = person(name="山本　浩", kana="ヤマモト　ヒロシ", birth_date="1972-01-20", sex="1",
                 address="江東区南砂二丁目1番1号", resident_id="3000000045")  # fmt: skip
    home = Household.objects.create(number="H-E2E", address="江東区南砂二丁目1番1号")
    Membership.objects.create(household=home, person=mother, relation="世帯主")
    Membership.objects.create(household=home, person=son, relation="子")
    srs = Agency.objects.get(code="srs-01")
    AgencyLink.objects.create(person=mother, agency=srs, basis=LinkBasis.CASE)
    consultation = Consultation.objects.create(
        agency=srs, received_by=personas["consultant.self"], person=mother,
        notes="母と息子の二人暮らし。", outcome="escalation", status="recorded")  # fmt: skip
    raised = Need.objects.create(consultation=consultation, person=mother, kind=NeedKind.MULTI_AGENCY,
                                 raised_by=personas["consultant.self"], raised_agency=srs)  # fmt: skip
    pick_up_need(personas["coordinator"], raised.pk)
    meeting = place_under_support_meeting(personas["coordinator"], mother.pk, SupportMeetingInput(
        decided_on=clock.today().isoformat(), agencies=TEAM, reason="8050世帯。子の同意が得られない。",
        members=[str(son.pk)]))  # fmt: skip
    checker = Staff.objects.create(username="coordinator.srs", display_name="協働 生活", agency=srs,
                                   roles=[Role.COORDINATOR])  # fmt: skip
    confirm_support_meeting(checker, meeting.pk)
    return {"need": raised, "mother": mother, "son": son}


def _window(browser: Any, base: str) -> Any:
    context = browser.new_context(
        locale="ja-JP", base_url=base, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def test_a_coordinator_opens_assesses_and_agrees_a_plan_and_a_member_confirms_first(
    browser: Any, live_server: Any, sign_in: Any, need: dict[str, Any], axe_check: Any
) -> None:
    page = _window(browser, live_server.url)
    sign_in(page, "coordinator")

    def checked() -> None:
        assert axe_check(page) == [], page.url

    # from the needs page, the coordinator starts a case under 支援会議
    page.goto("/consultations/needs/")
    page.get_by_role("link", name=re.compile("^事例を始める")).first.click()
    page.get_by_role("heading", level=1, name="事例を始める").wait_for()
    checked()
    page.get_by_label("支援会議", exact=True).check()
    for n, (code, role) in enumerate(zip(TEAM, ["調整", "家計と就労", "母の介護"], strict=True), 1):
        page.get_by_label(f"機関 {n}", exact=True).select_option(value=code)
        page.get_by_label(f"役割 {n}", exact=True).fill(role)
    page.get_by_label(re.compile("^山本　浩")).check()
    page.get_by_role("button", name="事例を始める").click()
    page.get_by_role("heading", level=1, name=re.compile("^多機関協働の事例")).wait_for()
    case_url = page.url
    assert "山本　トキ" in page.locator("main").inner_text()
    checked()

    # an assessment of the mother, her words kept apart from the workers' view
    page.get_by_role("link", name="アセスメント", exact=True).first.click()
    page.get_by_role("heading", level=1, name=re.compile("アセスメント$")).wait_for()
    checked()
    page.get_by_label("介護: 状況（支援者の見立て）").fill("要介護2。息子が一人で介護している。")
    page.get_by_label("介護: 本人の言葉").fill("この家で最期まで暮らしたい")
    page.get_by_label("介護: 強み・できていること").fill("近所に古くからの友人がいる")
    page.get_by_role("button", name="新しい版として記録する").click()
    page.get_by_text("アセスメントを記録しました。").wait_for()
    assert "「この家で最期まで暮らしたい」" in page.locator("main").inner_text()
    checked()

    # the support plan: a goal in her words, an action for a team agency by a working day
    due = working_calendar().add_working_days(clock.today(), 10).isoformat()
    review = working_calendar().add_working_days(clock.today(), 40).isoformat()
    page.get_by_role("link", name="支援プランとモニタリング").first.click()
    page.get_by_role("heading", level=1, name=re.compile("支援プラン$")).wait_for()
    checked()
    page.get_by_label("目標 1", exact=True).fill("この家で暮らし続けたい")
    page.get_by_label("支援 1", exact=True).fill("ショートステイの利用を調整する")
    page.get_by_label("担当機関 1", exact=True).select_option(value="lsc-16")
    page.get_by_label("期限 1", exact=True).fill(due)
    page.get_by_label("見直しの日").fill(review)
    page.get_by_role("button", name="プランを保存する").click()
    page.get_by_text("支援プランを保存しました。").wait_for()
    assert "未合意" in page.locator("#current").inner_text()
    checked()

    # the case conference, with the rule on papers, then the plan agreed at it
    page.get_by_role("link", name="会議を記録する").first.click()
    page.get_by_role("heading", level=1, name=re.compile("会議を記録する$")).wait_for()
    assert "会議の資料は会議の外へ渡しません" in page.locator("main").inner_text()
    checked()
    page.get_by_label("多機関協働", exact=False).first.check()
    page.get_by_role("checkbox", name=re.compile("長寿サポートセンター")).first.check()
    page.get_by_label(re.compile("の役割分担$")).nth(2).fill("ショートステイの調整")
    page.get_by_label(re.compile("^協働 真理")).check()
    page.get_by_label("議事録").fill("母の希望と息子の負担を共有した。")
    page.get_by_label("決定事項").fill("支援プラン第1版に合意する。")
    page.get_by_role("button", name="会議を記録する").click()
    page.get_by_role("heading", level=1, name=re.compile("の会議$")).wait_for()
    assert "資料は会議の外へ渡しません" in page.locator("#no-handout").inner_text()
    checked()
    conference_url = page.url
    # an action the conference assigns to the elderly centre, by a working day
    agency = page.get_by_label("担当機関")
    agency.select_option(agency.locator("option", has_text="長寿サポートセンター").first
                         .get_attribute("value") or "")  # fmt: skip
    page.get_by_label("内容", exact=True).fill("ショートステイの空きを探す")
    page.get_by_label("期限（開庁日）").fill(due)
    page.get_by_role("button", name="行動を追加する").click()
    page.get_by_text("行動を追加しました。").wait_for()
    assert "ショートステイの空きを探す" in page.locator("main").inner_text()
    checked()
    page.get_by_role("link", name="支援プランとモニタリング").first.click()
    page.get_by_label("本人がこのプランに合意している").check()
    page.get_by_role("button", name="合意を記録する").click()
    page.get_by_text("支援プランの合意を記録しました。").wait_for()
    assert "会議で合意済み" in page.locator("#current").inner_text()
    checked()
    page.goto(case_url)
    assert "支援" in page.locator("[aria-current=step]").inner_text()

    # a member agency's worker sees only the confidentiality step first
    member = _window(browser, live_server.url)
    sign_in(member, "consultant.elderly")
    member.goto(case_url)
    member.get_by_role("heading", level=1, name=re.compile("守秘義務の確認$")).wait_for()
    assert "山本" not in member.locator("main").inner_text()
    assert axe_check(member) == [], member.url
    member.get_by_role("button", name="守秘義務を確認して事例を開く").click()
    member.get_by_text("守秘義務の確認を記録しました。").wait_for()
    assert "山本　トキ" in member.locator("main").inner_text()
    assert axe_check(member) == [], member.url
    # the conference's action is in the elderly centre's worklist
    member.goto("/cases/")
    assert "ショートステイの空きを探す" in member.locator("#assigned").inner_text()
    assert axe_check(member) == [], member.url
    # the case's pages work at phone width too
    phone = browser.new_context(locale="ja-JP", base_url=live_server.url,
                                viewport={"width": 390, "height": 844}).new_page()  # fmt: skip
    phone.set_default_timeout(15000)
    sign_in(phone, "coordinator")
    for url in (case_url, f"{case_url}assessment/", f"{case_url}plan/", conference_url, "/cases/"):
        if url:
            phone.goto(url)
            assert axe_check(phone) == [], f"{url} at phone width"
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"{url} scrolls sideways ({width} px)"
    # the coordinator records how the plan's action went, then closes the case
    # with a reason and hands it over to the agency that carries on
    page.goto(f"{case_url}plan/")
    page.locator(".plan-action").first.get_by_label("進み具合").select_option(index=0)
    page.locator(".plan-action").first.get_by_label("経過").fill("週1回の訪問を始めた。")
    page.locator(".plan-action").first.get_by_role("button", name="経過を記録する").click()
    page.get_by_text("経過を記録しました。").wait_for()
    assert "週1回の訪問を始めた。" in page.locator(".plan-action").first.inner_text()
    assert axe_check(page) == [], page.url
    page.goto(case_url)
    page.get_by_label("終結", exact=True).check()
    page.get_by_label("理由", exact=True).select_option("handed_over")
    page.get_by_label("引き継ぐ機関").select_option(label="長寿サポートセンター北砂")
    page.get_by_label("引き継ぎの内容").fill("母の介護サービスの調整を引き継ぐ。")
    page.get_by_role("button", name="記録する", exact=True).click()
    page.get_by_role("button", name="再開する").wait_for()
    ended = page.locator("main").inner_text()
    assert "他の機関に引き継いだ" in ended and "母の介護サービスの調整を引き継ぐ。" in ended
    assert axe_check(page) == [], page.url
    for window in (page, member, phone):
        window.context.close()
