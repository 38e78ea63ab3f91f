"""Outreach in a browser: a picked-up need becomes a target, two contacts are
logged (one written while the page is offline and sent when it is back), the
person is connected to a case; a stale offline note is shown, not applied; a
note left unsent is cleared on sign-out. axe-core on each page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency
from tsunagari.cases.models import Case, Regime, TeamAgency
from tsunagari.consultations.models import Consultation, Need, NeedKind
from tsunagari.consultations.services import pick_up_need
from tsunagari.outreach.models import Contact, OutreachTarget, State
from tsunagari.outreach.services import ContactInput, create_target_from_need, log_contact

KEY = "tsunagari.outreach.notes"


@pytest.fixture
def need(personas: Any) -> Need:
    person = make_person(name="田中　一郎", kana="タナカ　イチロウ", birth_date="1950-05-05", sex="1",
                         address="江東区北砂三丁目5番1号 北砂荘203")  # fmt: skip
    srs = Agency.objects.get(code="srs-01")
    consultation = Consultation.objects.create(
        agency=srs, received_by=personas["consultant.self"], person=person,
        outcome="outreach", status="recorded")  # fmt: skip
    need = Need.objects.create(consultation=consultation, person=person, kind=NeedKind.OUTREACH,
                               raised_by=personas["consultant.self"], raised_agency=srs)  # fmt: skip
    pick_up_need(personas["outreach"], need.pk)
    mac = Agency.objects.get(code="mac-01")
    case = Case.objects.create(person=person, regime=Regime.LAYERED, lead=personas["coordinator"],
                               opened_by=personas["coordinator"], opened_agency=mac)  # fmt: skip
    TeamAgency.objects.create(case=case, agency=mac)
    return need


def no_violations(page: Any, axe_check: Any) -> None:
    violations = axe_check(page)
    assert violations == [], violations


def stored(page: Any) -> Any:
    return page.evaluate(f"JSON.parse(window.localStorage.getItem('{KEY}') || '[]')")


def fill_contact(page: Any, form: Any, result: str, living: str = "") -> None:
    form.get_by_label("方法").select_option(label="訪問")
    form.get_by_label("結果").select_option(label=result)
    if living:
        form.get_by_label("生活の様子（見たこと・聞いたこと）").fill(living)
    form.get_by_label("次回の予定").fill(timezone.localdate().isoformat())


def test_a_need_becomes_a_target_is_visited_offline_and_connected_to_a_case(
    page: Any, sign_in: Any, need: Need, axe_check: Any
) -> None:
    sign_in(page, "outreach")
    # the picked-up need becomes a target
    page.goto("/outreach/new/")
    no_violations(page, axe_check)
    page.get_by_role("button", name=f"依頼 {need.pk} を対象にする").click()
    page.wait_for_url("**/outreach/*/")
    target = OutreachTarget.objects.get(need=need)
    assert "田中" in page.locator("#person-name").inner_text()
    no_violations(page, axe_check)
    # a first attempt, logged on the target's page
    form = page.locator("form.contact-form")
    fill_contact(page, form, "応答なし")
    form.get_by_role("button", name="記録する").click()
    page.locator("#contact-log").wait_for()
    assert "接触を試みている" in page.locator("#current-state").inner_text()
    assert Contact.objects.filter(target=target).count() == 1
    # the day's visit list, opened with a signal that is then lost
    page.goto("/outreach/visits/")
    no_violations(page, axe_check)
    page.context.set_offline(True)
    visit = page.locator(f"#visit-{target.pk} form.contact-form")
    fill_contact(page, visit, "会えた", living="玄関先で話せた。食事は自分で用意している。")
    visit.get_by_role("button", name="記録する").click()
    card = page.locator("[data-note-status=pending]")
    card.wait_for()
    notes = stored(page)
    assert len(notes) == 1 and notes[0]["target"] == str(target.pk)
    # only the note, the target's number and version: nothing else of the person
    assert set(notes[0]) == {"ref", "target", "version", "author", "status", "note"}
    assert "田中" not in str(notes) and "北砂" not in str(notes)
    assert Contact.objects.filter(target=target).count() == 1
    no_violations(page, axe_check)
    # the signal returns: the note is sent and cleared
    page.context.set_offline(False)
    page.locator("[data-note-sent]").wait_for()
    assert stored(page) == []
    assert Contact.objects.filter(target=target).count() == 2
    target.refresh_from_db()
    assert target.state == State.IN_CONTACT
    # connected to the person's case with a handover note
    page.goto(f"/outreach/{target.pk}/")
    page.get_by_label("多機関協働の事例へつなぐ").check()
    page.get_by_label("事例", exact=True).select_option(index=1)
    page.get_by_label("引き継ぎの内容（本人の様子、これまでの関わり、気をつけること）").fill(
        "訪問は午前中に。息子さんの就労の相談を希望している。"
    )
    page.get_by_role("button", name="つないだことを記録する").click()
    page.get_by_text("支援につなぎました。").wait_for()
    target.refresh_from_db()
    assert target.state == State.CONNECTED and target.case is not None
    no_violations(page, axe_check)
    # the team view and the tip form
    page.goto("/outreach/team/")
    page.locator("#state-flow[data-drawn=true]").wait_for()
    no_violations(page, axe_check)
    page.goto("/outreach/")
    no_violations(page, axe_check)
    page.goto("/outreach/tip/")
    no_violations(page, axe_check)


def test_a_note_that_meets_a_change_made_meanwhile_is_shown_not_applied(
    page: Any, sign_in: Any, need: Need, personas: Any, axe_check: Any
) -> None:
    target = create_target_from_need(personas["outreach"], need.pk)
    sign_in(page, "outreach")
    page.goto("/outreach/visits/")
    page.context.set_offline(True)
    visit = page.locator(f"#visit-{target.pk} form.contact-form")
    fill_contact(page, visit, "会えた", living="本人と話せた。")
    visit.get_by_role("button", name="記録する").click()
    page.locator("[data-note-status=pending]").wait_for()
    # meanwhile a colleague records a contact from the office
    log_contact(personas["outreach"], target.pk, ContactInput(
        on=timezone.localdate().isoformat(), method="phone", result="no_answer"))  # fmt: skip
    page.context.set_offline(False)
    conflict = page.locator("[data-note-status=conflict]")
    conflict.wait_for()
    assert "本人と話せた。" in conflict.inner_text()
    assert Contact.objects.filter(target=target).count() == 1
    no_violations(page, axe_check)
    # the worker checks and sends it anyway
    conflict.get_by_role("button", name="この内容で記録する").click()
    page.locator("[data-note-sent]").wait_for()
    assert Contact.objects.filter(target=target).count() == 2 and stored(page) == []


def test_a_note_not_yet_sent_is_cleared_on_sign_out(
    page: Any, sign_in: Any, need: Need, personas: Any
) -> None:
    target = create_target_from_need(personas["outreach"], need.pk)
    sign_in(page, "outreach")
    page.goto("/outreach/visits/")
    page.route("**/contact/", lambda route: route.abort())  # the signal is too weak to send
    visit = page.locator(f"#visit-{target.pk} form.contact-form")
    fill_contact(page, visit, "応答なし")
    visit.get_by_role("button", name="記録する").click()
    page.locator("[data-note-status=pending]").wait_for()
    assert len(stored(page)) == 1
    page.get_by_role("button", name="サインアウト").click()
    page.wait_for_url("**/signin/**")
    assert stored(page) == []


def test_the_visit_list_fits_a_phone(
    phone_page: Any, sign_in: Any, need: Need, personas: Any, axe_check: Any
) -> None:
    create_target_from_need(personas["outreach"], need.pk)
    sign_in(phone_page, "outreach")
    phone_page.goto("/outreach/visits/")
    phone_page.locator("form.contact-form").first.wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 376, width
    no_violations(phone_page, axe_check)
