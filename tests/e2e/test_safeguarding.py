"""Safeguarding in a browser: a longevity-centre consultant files a report, the
designated team confirms safety and records the core-member meeting's
decision; axe-core on each page, at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from tsunagari.accounts.models import Agency
from tsunagari.people.models import AgencyLink, LinkBasis, Person
from tsunagari.people.services import PersonInput, clean
from tsunagari.safeguarding.models import Report, State


@pytest.fixture
def tome(personas: Any) -> Person:
    values = clean(PersonInput(name="木村　トメ", kana="キムラ　トメ", birth_date="1942-05-05", sex="2",
                               address="江東区北砂五丁目20番1号"))  # fmt: skip
    person = Person.objects.create(**values)
    AgencyLink.objects.create(person=person, agency=Agency.objects.get(code="lsc-16"),
                              basis=LinkBasis.SERVICE)  # fmt: skip
    return person


def _axe(page: Any, axe_check: Any, where: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        problems = axe_check(page)
        assert not problems, f"{where} at {width}px: {problems}"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_it_goes_from_a_report_to_safety_confirmed_to_the_core_member_decision(
    page: Any, browser: Any, live_server: Any, sign_in: Any, tome: Person, axe_check: Any
) -> None:
    # given a consultant at the Kitasuna longevity centre hears of bruises
    sign_in(page, "consultant.elderly")
    page.goto("/safeguarding/new/")
    _axe(page, axe_check, "report form")
    page.get_by_label("高齢者虐待（養護者による）").check()
    page.get_by_label("登録番号（わかる場合）").fill(str(tome.pk))
    page.get_by_label("身体的虐待").check()
    page.get_by_label("通報の内容（何が、いつ、どこで）").fill("訪問時、腕に新しいあざ。")
    page.get_by_label("通報者の種別").select_option(label="介護支援専門員・相談支援専門員")
    page.get_by_label("氏名（任意）").fill("介護　花")
    # when she files it
    page.get_by_role("button", name="通報する").click()
    page.get_by_role("heading", name="通報を受け付けました").wait_for()
    _axe(page, axe_check, "filed")
    report = Report.objects.get()
    # then she cannot open it: the team only
    response = page.goto(f"/safeguarding/{report.pk}/")
    assert response.status == 403 and "担当チームの職員だけ" in page.content()

    # when the designated team opens its list and the report
    context = browser.new_context(locale="ja-JP", base_url=live_server.url)
    team = context.new_page()
    team.set_default_timeout(15000)
    sign_in(team, "safeguarding")
    team.goto("/safeguarding/")
    assert "安全確認: 残り" in team.locator("#open-reports").inner_text()
    _axe(team, axe_check, "team list")
    team.get_by_role("link", name=f"#{report.pk}").click()
    assert "介護　花" in team.locator("#reporter").inner_text()
    _axe(team, axe_check, "report page")
    team.get_by_label("安全確認（誰が、どのように確認したか）").fill("自宅を訪問し本人と面談。")
    team.get_by_role("button", name="安全確認を記録する").click()
    team.get_by_text("安全確認を記録しました。").wait_for()
    team.get_by_label("事実確認（訪問・聞き取り・記録で確かめたこと）").fill("長男から聞き取り。")
    team.get_by_role("button", name="事実確認を記録する").click()
    team.get_by_text("事実確認を記録しました。").wait_for()
    _axe(team, axe_check, "decision form")
    team.get_by_label("虐待と認める", exact=True).check()
    team.get_by_label("緊急性").select_option(label="中程度")
    team.get_by_label("分離").select_option(label="分離しない")
    team.get_by_label("出席者と判断の理由").fill("課長・係長・担当。介護負担による身体的虐待。")
    team.get_by_role("button", name="判断を記録する").click()
    team.get_by_text("コアメンバー会議の判断を記録しました。").wait_for()
    # then the report is under monitoring, with every step on its timeline
    report.refresh_from_db()
    assert report.state == State.MONITORING and report.recognised is True
    timeline = team.locator("#timeline").inner_text()
    for step in ("通報・届出の受付", "安全確認", "事実確認", "コアメンバー会議の判断"):
        assert step in timeline
    _axe(team, axe_check, "monitoring")
    team.goto("/safeguarding/advocacy/")
    _axe(team, axe_check, "advocacy list")
    team.get_by_label("本人の登録番号").fill(str(tome.pk))
    team.get_by_label("支援が必要な理由").fill("金銭管理が難しい。")
    team.get_by_role("button", name="始める").click()
    team.get_by_text("権利擁護支援を始めました。").wait_for()
    team.get_by_label("類型").select_option(label="後見")
    team.get_by_role("button", name="区長申立ての検討を始める").click()
    team.get_by_text("区長申立ての手続きを始めました。").wait_for()
    _axe(team, axe_check, "advocacy page")
    team.goto("/safeguarding/counts/")
    _axe(team, axe_check, "survey counts")
    context.close()
