"""Participation support in a browser: a worker records a person's wishes, picks a
suggestion, records the trial visit and the settling in; axe-core on each page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.resources.conftest import load_small_directory
from tsunagari.accounts.models import Agency
from tsunagari.participation.models import Placement, PlacementState
from tsunagari.people.models import AgencyLink, LinkBasis, Person
from tsunagari.people.services import PersonInput, clean


@pytest.fixture
def kazuo(personas: Any) -> Person:
    load_small_directory()
    values = clean(PersonInput(name="中村　和夫", kana="ナカムラ　カズオ", birth_date="1958-04-02", sex="1",
                               address="東京都江東区北砂三丁目1番1号"))  # fmt: skip
    person = Person.objects.create(**values)
    AgencyLink.objects.create(person=person, agency=Agency.objects.get(code="swc-01"),
                              basis=LinkBasis.SERVICE, since=date(2025, 4, 1))  # fmt: skip
    return person


def test_a_worker_takes_a_person_from_wishes_to_settled(
    page: Any, sign_in: Any, kazuo: Person, axe_check: Any
) -> None:
    sign_in(page, "participation")
    page.goto("/participation/")
    assert axe_check(page) == []
    # the worker opens the person's record of wishes by number
    page.get_by_label("本人の番号で希望の記録を開く").fill(str(kazuo.pk))
    page.get_by_role("button", name="開く").click()
    page.wait_for_url(f"**/participation/people/{kazuo.pk}/")
    assert "中村　和夫" in page.locator("#person").inner_text()
    assert axe_check(page) == []
    # builds the profile: an interest, home town, free on weekday mornings, small groups
    page.get_by_label("サロン", exact=True).check()
    page.get_by_label("住まいの町").select_option("北砂")
    for day in ("月曜", "火曜", "水曜", "木曜", "金曜", "土曜"):
        page.get_by_label(f"{day}午前", exact=True).check()
        page.get_by_label(f"{day}午後", exact=True).check()
    page.get_by_label("大人数が苦手（少人数を優先）").check()
    page.get_by_label("本人のことばでの目標").fill("週に一度は外に出たい")
    page.get_by_role("button", name="記録して参加先の候補を見る").click()
    page.wait_for_url("**/suggestions/")
    # each suggestion says why, from the data
    first = page.locator("#suggestions > li").first
    reason = first.locator(".reason").inner_text()
    assert "曜" in reason
    assert axe_check(page) == []
    # picks the first suggestion
    first.get_by_role("button").click()
    page.wait_for_url("**/participation/placements/*/")
    assert page.locator("#current-state").inner_text() == "提案"
    assert reason in page.locator("#state").inner_text()
    assert axe_check(page) == []
    # records the trial visit, then participating, then settling in
    for step, shown in (("見学・体験", "見学・体験"), ("参加中", "参加中"), ("定着", "定着")):
        page.get_by_role("button", name=f"「{step}」を記録する").click()
        page.wait_for_load_state()
        assert page.locator("#current-state").inner_text() == shown
    placement = Placement.objects.get(person=kazuo)
    assert placement.state == PlacementState.SETTLED and placement.trial_on is not None
    # a reminder to check that it holds, on the worker's list
    assert "定着" in page.locator("#timeline").inner_text()
    page.goto("/participation/")
    assert placement.title in page.locator("#due").inner_text()
    assert axe_check(page) == []
    page.goto("/participation/hosts/")
    assert placement.host_name in page.locator("#hosts").inner_text()
    assert axe_check(page) == []
