"""A hand-made street for the roster: who should be on it and why is known in advance.

* 北砂: 大山 (要介護4), 小川 (要介護1), 中村 (身体1級), 林 (精神1級, alone),
  森 (精神1級, with family), 石井 (80, alone), 石田 (80, with family);
* 豊洲: 上田 (療育A), 佐藤 (要介護5, sealed: DV), 西 (難病).
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.people.conftest import make_person

from tsunagari.accounts.models import Staff
from tsunagari.disaster import services
from tsunagari.disaster.models import Recipient, RecipientKind
from tsunagari.linkage.models import BasisKind, DataSource
from tsunagari.linkage.sources import ensure_default_sources, record_basis
from tsunagari.people.models import Household, Membership, Person

KITA = "東京都江東区北砂三丁目{n}番1号"
TOYO = "東京都江東区豊洲五丁目{n}番1号"

# (key, name, kana, birth date, address pattern, household key, sealed)
PEOPLE = [
    ("oyama", "大山　一郎", "オオヤマ　イチロウ", "1940-01-01", KITA, "h1", False),
    ("ogawa", "小川　二郎", "オガワ　ジロウ", "1960-01-01", KITA, "h2", False),
    ("nakamura", "中村　三郎", "ナカムラ　サブロウ", "1970-01-01", KITA, "h3", False),
    ("hayashi", "林　四郎", "ハヤシ　シロウ", "1980-01-01", KITA, "h4", False),
    ("mori", "森　五郎", "モリ　ゴロウ", "1980-02-01", KITA, "h5", False),
    ("mori_wife", "森　花", "モリ　ハナ", "1981-02-01", KITA, "h5", False),
    ("ishii", "石井　六郎", "イシイ　ロクロウ", "1945-01-01", KITA, "h6", False),
    ("ishida", "石田　七郎", "イシダ　シチロウ", "1945-01-01", KITA, "h7", False),
    ("ishida_son", "石田　八郎", "イシダ　ハチロウ", "1975-01-01", KITA, "h7", False),
    ("ueda", "上田　九", "ウエダ　キュウ", "2000-01-01", TOYO, "h8", False),
    ("sato", "佐藤　恵", "サトウ　メグミ", "1942-01-01", TOYO, "h9", True),
    ("nishi", "西　十", "ニシ　ジュウ", "1990-01-01", TOYO, "h10", False),
]

CARE_CSV = (
    "record_id,resident_id,care_level\n"
    "K1,2000000001,要介護4\n"
    "K2,2000000002,要介護1\n"
    "K3,2000000011,要介護5\n"
    "K9,9999999999,要介護3\n"
)
DISABILITY_CSV = (
    "record_id,resident_id,handbook,disability_grade,intractable_disease\n"
    "S1,2000000003,身体,１級,0\n"
    "S2,2000000004,精神,1級,0\n"
    "S3,2000000005,精神,1級,0\n"
    "S4,2000000010,療育,A,0\n"
    "S5,2000000012,難病,,1\n"
)


@pytest.fixture
def street(personas: dict[str, Staff]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    homes: dict[str, Household] = {}
    for n, (key, name, kana, born, address, home, sealed) in enumerate(PEOPLE, start=1):
        person = make_person(name=name, kana=kana, birth_date=born, sex="1",
                             address=address.format(n=n), phone=f"03-3640-{1000 + n}",
                             resident_id=f"{2000000000 + n}", sealed=sealed)  # fmt: skip
        household = homes.get(home)
        if household is None:
            household = homes[home] = Household.objects.create(number=home, address=person.address)
        Membership.objects.create(household=household, person=person, relation="世帯主")
        people[key] = person
    ensure_default_sources()
    for name in ("care", "disability"):
        record_basis(None, DataSource.objects.get(name=name), BasisKind.STATUTE,
                     "避難行動要支援者名簿の作成のため。", "災害対策基本法第49条の10第3項")  # fmt: skip
    return people


@pytest.fixture
def loaded(street: dict[str, Person]) -> dict[str, Person]:
    """The street with its rules and both department extracts loaded."""
    services.ensure_rules()
    services.load_department_facts(None, "care", CARE_CSV.encode(), "care.csv")
    services.load_department_facts(None, "disability", DISABILITY_CSV.encode(), "disability.csv")
    return street


@pytest.fixture
def roster(loaded: dict[str, Person], personas: dict[str, Staff]) -> dict[str, Any]:
    rebuild = services.rebuild_roster(personas["disaster"])
    kita = Recipient.objects.create(name="北砂三丁目町会", kind=RecipientKind.NEIGHBOURHOOD,
                                    towns=["北砂"])  # fmt: skip
    toyo = Recipient.objects.create(name="豊洲民生委員協議会", kind=RecipientKind.COMMISSIONER,
                                    towns=["豊洲"])  # fmt: skip
    return {"people": loaded, "rebuild": rebuild, "kita": kita, "toyo": toyo}
