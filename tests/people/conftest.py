"""A handful of residents with known facts, and which agencies serve them."""

from __future__ import annotations

from typing import Any

import pytest

from tsunagari.accounts.models import Agency, Staff
from tsunagari.people.models import AgencyLink, LinkBasis, Person
from tsunagari.people.services import PersonInput, clean


def make_person(**kwargs: Any) -> Person:
    sealed = kwargs.pop("sealed", False)
    values = clean(PersonInput(**kwargs))
    values["sealed"] = sealed
    return Person.objects.create(**values)


@pytest.fixture
def residents(personas: dict[str, Staff]) -> dict[str, Person]:
    """Yamada Taro (served by the Kitasuna longevity centre), his twin Jiro,
    Suzuki Hanako (disability office), and Sato Megumi, a sealed DV victim
    (child and family centre)."""
    people = {
        "taro": make_person(name="山田　太郎", kana="ヤマダ　タロウ", birth_date="1948-03-05", sex="1",
                            address="東京都江東区北砂三丁目12番5号", phone="03-3640-1234", resident_id="1000000011"),
        "jiro": make_person(name="山田　次郎", kana="ヤマダ　ジロウ", birth_date="1948-03-05", sex="1",
                            address="東京都江東区北砂三丁目12番5号", phone="03-3640-1234", resident_id="1000000029"),
        "hanako": make_person(name="鈴木　花子", kana="スズキ　ハナコ", birth_date="1990-11-20", sex="2",
                              address="江東区豊洲5-6-1 パークタワー1203", phone="090-1111-2222", resident_id="1000000037"),
        "megumi": make_person(name="佐藤　恵", kana="サトウ　メグミ", birth_date="1985-07-01", sex="2",
                              address="江東区東雲1-9-40 東雲レジデンス805", phone="080-3333-4444", resident_id="1000000045",
                              sealed=True),
    }  # fmt: skip
    agency = {a.code: a for a in Agency.objects.all()}
    AgencyLink.objects.create(
        person=people["taro"], agency=agency["lsc-16"], basis=LinkBasis.SERVICE
    )
    AgencyLink.objects.create(
        person=people["jiro"], agency=agency["lsc-16"], basis=LinkBasis.SERVICE
    )
    AgencyLink.objects.create(
        person=people["hanako"], agency=agency["dis-02"], basis=LinkBasis.CONSENT
    )
    AgencyLink.objects.create(
        person=people["megumi"], agency=agency["cfc-03"], basis=LinkBasis.CASE
    )
    AgencyLink.objects.create(
        person=people["megumi"], agency=agency["srs-01"], basis=LinkBasis.SUPPORT_MEETING
    )
    return people
