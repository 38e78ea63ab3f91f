"""A small consumer-protection ward around 北砂 (the 砂町 area) and 豊洲.

People at risk and not, inside and outside the alert's towns: an older man
living alone in 北砂, an older woman living alone in 豊洲 (outside), an older
couple in 北砂 (not alone), a younger man alone in 北砂, a sealed older woman
alone in 北砂, a younger woman on an open case in 北砂, and a man on an open
outreach target in 南砂. Watch-network agencies: the personas' 砂町民生委員
(msd-08, 北砂), 長寿サポートセンター北砂 (lsc-16) and 豊洲 (lsc-08), plus
南砂民生委員 (msd-10) and an NPO in 北砂 (not a watch kind).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, AgencyKind, Staff
from tsunagari.cases.models import Case, Regime
from tsunagari.consumer.services import AlertInput
from tsunagari.outreach.models import OutreachTarget, Source, State, TargetKind
from tsunagari.people.models import Household, Membership, Person

SEALED_ADDRESS = "江東区北砂五丁目20番1号 北砂コーポ101"


def _home(number: str, *members: Person) -> Household:
    house = Household.objects.create(number=number, address=members[0].address)
    for i, person in enumerate(members):
        Membership.objects.create(household=house, person=person,
                                  relation="世帯主" if i == 0 else "妻")  # fmt: skip
    return house


@pytest.fixture
def ward(personas: dict[str, Staff]) -> dict[str, Any]:
    Agency.objects.create(code="msd-10", name="南砂地区民生委員・児童委員協議会",
                          kind=AgencyKind.COMMISSIONER, town="南砂")  # fmt: skip
    Agency.objects.create(code="npo-01", name="NPO法人 こうとう子ども食堂ネット",
                          kind=AgencyKind.NPO, town="北砂")  # fmt: skip
    people = {
        "alone": make_person(name="田中　一郎", kana="タナカ　イチロウ", birth_date="1944-05-05",
                             sex="1", address="江東区北砂三丁目5番1号 北砂荘203"),
        "outside": make_person(name="高橋　春子", kana="タカハシ　ハルコ", birth_date="1940-01-10",
                               sex="2", address="江東区豊洲四丁目2番3号"),
        "husband": make_person(name="伊藤　進", kana="イトウ　ススム", birth_date="1942-02-02",
                               sex="1", address="江東区北砂二丁目1番1号"),
        "wife": make_person(name="伊藤　和子", kana="イトウ　カズコ", birth_date="1945-03-03",
                            sex="2", address="江東区北砂二丁目1番1号"),
        "young": make_person(name="渡辺　誠", kana="ワタナベ　マコト", birth_date="1970-07-07",
                             sex="1", address="江東区北砂四丁目8番2号"),
        "sealed": make_person(name="佐藤　久子", kana="サトウ　ヒサコ", birth_date="1943-09-09",
                              sex="2", address=SEALED_ADDRESS, sealed=True),
        "on_case": make_person(name="小林　真由", kana="コバヤシ　マユ", birth_date="1990-10-10",
                               sex="2", address="江東区北砂六丁目3番3号"),
        "on_outreach": make_person(name="加藤　隆", kana="カトウ　タカシ", birth_date="1965-04-04",
                                   sex="1", address="江東区南砂二丁目4番4号"),
    }  # fmt: skip
    _home("H-1", people["alone"])
    _home("H-2", people["outside"])
    _home("H-3", people["husband"], people["wife"])
    _home("H-4", people["young"])
    _home("H-5", people["sealed"])
    _home("H-6", people["on_case"])
    coordinator = personas["coordinator"]
    Case.objects.create(person=people["on_case"], regime=Regime.SUPPORT_MEETING, lead=coordinator,
                        opened_by=coordinator, opened_agency=coordinator.agency)  # fmt: skip
    OutreachTarget.objects.create(kind=TargetKind.PERSON, person=people["on_outreach"],
                                  town="南砂", source=Source.NEED, state=State.TRYING,
                                  created_by=personas["outreach"])  # fmt: skip
    return people


def alert_input(**kwargs: Any) -> AlertInput:
    values: dict[str, Any] = {
        "kind": "special_fraud", "title": "還付金詐欺の電話が続いています",
        "description": "区役所の職員を名乗り「医療費の還付金がある」と電話があり、ATMへ行くよう言われる。",
        "advice": "ATMでお金が戻ることはありません。電話でお金の話が出たら切って、家族か消費者センターへ。",
        "source": "police", "police_station": "城東警察署", "areas": ["北砂", "南砂"],
    }  # fmt: skip
    values.update(kwargs)
    return AlertInput(**values)
