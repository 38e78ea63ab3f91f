from __future__ import annotations

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


def test_it_finds_a_person_from_a_misspelt_kana_and_an_era_date(
    page: Any, sign_in: Any, taro: Person
) -> None:
    sign_in(page, "consultant.elderly")
    page.get_by_role("link", name="本人の検索").first.click()
    page.get_by_label("検索する内容").fill("やまだ たろ 昭和23年3月5日")
    result = page.locator("#results").get_by_role("link", name="山田\u3000太郎")
    result.wait_for()
    row = page.locator("#results tbody tr").first
    assert "生年月日一致" in row.inner_text()
    result.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("山田\u3000太郎")


def test_the_search_page_has_no_serious_accessibility_violations(
    page: Any, sign_in: Any, taro: Person, axe_check: Any
) -> None:
    sign_in(page, "consultant.elderly")
    page.goto("/people/?q=ヤマダ+タロウ")
    assert axe_check(page) == []
    page.goto(f"/people/{taro.pk}/")
    assert axe_check(page) == []
