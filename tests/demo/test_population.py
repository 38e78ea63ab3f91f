"""The synthetic ward: determinism, plausibility and planted ground truth."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date

import pytest

from tsunagari.demo.population import (
    CARE_LEVELS,
    HOUSEHOLD_KINDS,
    PARENT_RELATIONS,
    PATTERNS,
    Address,
    Household,
    Resident,
    Ward,
    age_on,
    build_agencies,
    check_digit,
    detect_patterns,
    generate_ward,
    kanji_number,
    load_towns,
)

# DOMAIN.md, "Koto City figures for realistic data"
DOMAIN_TOWNS = """亀戸 大島 北砂 南砂 東砂 新砂 東陽 木場 門前仲町 深川 富岡 牡丹 古石場 越中島
永代 佐賀 福住 冬木 平野 三好 白河 高橋 常盤 新大橋 森下 清澄 千石 石島 扇橋
猿江 住吉 毛利 千田 海辺 塩浜 枝川 豊洲 東雲 有明 青海 辰巳 潮見 新木場 夢の島
若洲 海の森""".split()

KATAKANA = re.compile(r"^[ァ-ヶー]+$")


@pytest.fixture(scope="module")
def ward() -> Ward:
    return generate_ward(2_000, seed=11)


@pytest.fixture(scope="module")
def big_ward() -> Ward:
    # large enough for shares to settle, still well under a second
    return generate_ward(20_000, seed=12)


def _ref_age(p: Resident) -> int:
    return age_on(p.birth_date)


def _digest(ward: Ward) -> str:
    return hashlib.sha256(repr(ward).encode()).hexdigest()


# -- determinism ---------------------------------------------------------------


def test_it_builds_the_same_ward_for_the_same_seed(ward: Ward) -> None:
    again = generate_ward(2_000, seed=11)

    assert again == ward
    assert _digest(again) == _digest(ward)


def test_it_builds_a_different_ward_for_another_seed(ward: Ward) -> None:
    other = generate_ward(2_000, seed=12)

    assert _digest(other) != _digest(ward)


def test_it_does_not_depend_on_hash_randomisation() -> None:
    code = (
        "import hashlib; from tsunagari.demo.population import generate_ward; "
        "print(hashlib.sha256(repr(generate_ward(600, seed=5)).encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        digests.add(run.stdout.strip())

    assert len(digests) == 1


@pytest.mark.parametrize("people", [0, 1, 39, 41, 2_000])
def test_it_generates_exactly_the_requested_number_of_people(people: int) -> None:
    ward = generate_ward(people, seed=3)

    assert ward.person_count == people
    assert len(list(ward.persons())) == people
    assert all(h.members for h in ward.households)


def test_it_refuses_a_negative_population() -> None:
    with pytest.raises(ValueError):
        generate_ward(-1)


# -- plausibility ----------------------------------------------------------------


def test_it_has_tokyo_like_household_sizes(big_ward: Ward) -> None:
    sizes = [h.size for h in big_ward.households]

    assert 0.44 <= sizes.count(1) / len(sizes) <= 0.54
    assert 1.8 <= sum(sizes) / len(sizes) <= 2.0
    assert max(sizes) <= 9
    assert {h.kind for h in big_ward.households} == set(HOUSEHOLD_KINDS)


def test_it_has_about_21_percent_aged_65_plus(big_ward: Ward) -> None:
    ages = [_ref_age(p) for p in big_ward.persons()]

    share = sum(a >= 65 for a in ages) / len(ages)

    assert 0.19 <= share <= 0.23
    assert max(ages) <= 106
    assert sum(a < 15 for a in ages) / len(ages) > 0.08


def test_it_balances_sexes_with_a_small_share_of_other(big_ward: Ward) -> None:
    sexes = Counter(p.sex for p in big_ward.persons())
    total = sum(sexes.values())

    assert set(sexes) == {"male", "female", "other"}
    assert 0.46 <= sexes["female"] / total <= 0.54
    assert 0 < sexes["other"] / total < 0.01


def test_it_keeps_spouses_mostly_within_eight_years(big_ward: Ward) -> None:
    gaps = []
    for h in big_ward.households:
        head = h.members[0]
        for m in h.members:
            if m.relation in ("妻", "夫"):
                gaps.append(abs(_ref_age(head) - _ref_age(m)))
                assert m.sex != head.sex

    assert gaps
    assert sum(g <= 8 for g in gaps) / len(gaps) >= 0.9
    assert max(gaps) <= 16


def test_it_has_mothers_aged_20_to_45_at_each_birth(big_ward: Ward) -> None:
    checked = 0
    for h in big_ward.households:
        mothers = [m for m in h.members if m.relation in ("世帯主", "妻") and m.sex == "female"]
        children = [m for m in h.members if m.relation == "子"]
        for mother in mothers:
            for child in children:
                gap = _ref_age(mother) - _ref_age(child)
                assert 19 <= gap <= 46, (h.household_id, mother, child)
                checked += 1

    assert checked > 1_000


def test_it_uses_only_the_towns_of_the_domain_guide(big_ward: Ward) -> None:
    towns = {t.name: t for t in load_towns()}

    assert sorted(towns) == sorted(DOMAIN_TOWNS)
    used = Counter(h.address.town for h in big_ward.households)
    assert set(used) <= set(DOMAIN_TOWNS)
    for name in ("夢の島", "若洲", "海の森"):
        assert used[name] == 0
    for big in ("大島", "亀戸", "北砂", "豊洲"):
        assert used[big] > used["青海"] * 10
    for h in big_ward.households:
        town = towns[h.address.town]
        if town.max_chome == 0:
            assert h.address.chome is None
        else:
            assert h.address.chome is not None and 1 <= h.address.chome <= town.max_chome


def test_it_writes_the_registry_notation_with_kanji_chome() -> None:
    address = Address(town="北砂", chome=3, banchi=12, go=5, building="北砂ハイツ", room="203")

    assert address.text() == "東京都江東区北砂三丁目12番5号 北砂ハイツ203"
    assert Address(town="冬木", chome=None, banchi=4, go=2).text() == "東京都江東区冬木4番2号"
    assert (
        Address(town="新木場", chome=1, banchi=7, go=None).text() == "東京都江東区新木場一丁目7番地"
    )
    assert [kanji_number(n) for n in (1, 9, 10, 11, 20, 35)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "三十五",
    ]


def test_it_gives_every_household_its_own_dwelling(big_ward: Ward) -> None:
    keys = [h.address.key() for h in big_ward.households]

    assert len(set(keys)) == len(keys)
    assert any(h.address.building for h in big_ward.households)
    assert any(h.address.building is None for h in big_ward.households)


def test_it_issues_unique_ids_with_check_digits(big_ward: Ward) -> None:
    residents = list(big_ward.persons())
    resident_ids = [p.resident_id for p in residents]
    household_ids = [h.household_id for h in big_ward.households]

    assert len(set(resident_ids)) == len(resident_ids)
    assert len(set(household_ids)) == len(household_ids)
    assert [p.person_id for p in residents] == list(range(1, len(residents) + 1))
    for rid in resident_ids[:500] + household_ids[:500]:
        assert len(rid) == 10 and rid.isdigit()
        assert check_digit(int(rid[:9])) == int(rid[9])
    assert all(p.household_id == h.household_id for h in big_ward.households for p in h.members)


def test_it_names_people_with_katakana_readings(big_ward: Ward) -> None:
    for p in big_ward.persons():
        assert p.surname and p.given_name
        assert KATAKANA.match(p.surname_kana), p.surname_kana
        assert KATAKANA.match(p.given_kana), p.given_kana
    surnames = Counter(p.surname for p in big_ward.persons())
    assert surnames.most_common(1)[0][0] in ("佐藤", "鈴木", "高橋", "田中")
    assert {"齋藤", "渡邉", "渡邊"} & set(surnames)


def test_it_shares_the_surname_within_a_family(big_ward: Ward) -> None:
    from tsunagari.demo.population import _read_tsv

    foreign = {r[3] for r in _read_tsv("foreign_names.tsv") if r[1] == "surname"}
    for h in big_ward.households:
        head = h.members[0]
        for m in h.members:
            if m.relation in ("妻", "夫", "子", "孫", "父", "母"):
                # parents of a wife who heads the household, and foreign wives, differ
                keeps_own = m.relation == "妻" and m.surname in foreign
                assert m.surname == head.surname or m.relation in ("父", "母") or keeps_own


def test_it_includes_foreign_residents_as_the_registry_writes_them(big_ward: Ward) -> None:
    alphabet = [p for p in big_ward.persons() if p.surname.isascii()]

    assert 0.005 < len(alphabet) / big_ward.person_count < 0.05
    assert all(p.surname.isupper() and p.given_name.isupper() for p in alphabet)
    assert all(KATAKANA.match(p.surname_kana) and KATAKANA.match(p.given_kana) for p in alphabet)


def test_it_gives_plausible_phones(big_ward: Ward) -> None:
    phones = [p.phone for p in big_ward.persons()]
    pattern = re.compile(r"^(03-\d{4}-\d{4}|0[789]0-\d{4}-\d{4})$")

    assert all(pattern.match(x) for x in phones if x)
    missing = phones.count(None) / len(phones)
    assert 0.1 < missing < 0.4
    assert any(x.startswith("03-") for x in phones if x)


def test_it_assigns_service_attributes_by_age(big_ward: Ward) -> None:
    people = list(big_ward.persons())
    old = [p for p in people if _ref_age(p) >= 65]
    care = [p for p in old if p.care_level]

    assert 0.12 <= len(care) / len(old) <= 0.26
    assert {p.care_level for p in people if p.care_level} <= set(CARE_LEVELS)
    assert all(_ref_age(p) >= 40 for p in people if p.care_level)
    assert all(_ref_age(p) < 18 for p in people if p.child_support)
    assert all(not p.income for p in people if _ref_age(p) < 15)
    disabilities = {p.disability for p in people if p.disability}
    assert {"身体1級", "療育A", "精神2級"} <= disabilities
    assert all(
        p.lives_alone == (len(h.members) == 1) for h in big_ward.households for p in h.members
    )


def test_it_includes_sealed_people_and_a_roster_population(big_ward: Ward) -> None:
    people = list(big_ward.persons())
    sealed = [p for p in people if p.sealed]
    roster = [p for p in people if p.roster_reasons]

    assert 0 < len(sealed) / len(people) < 0.01
    assert roster
    reasons = {r for p in roster for r in p.roster_reasons}
    assert {"要介護3", "身体1級", "難病"} <= reasons


# -- planted ground truth ---------------------------------------------------------


def _check_definition(h: Household, pattern: str, ids: tuple[int, ...]) -> None:
    """Each pattern's definition, written out independently of detect_patterns."""
    by_id = {m.person_id: m for m in h.members}
    involved = [by_id[i] for i in ids]
    age = {m.person_id: _ref_age(m) for m in h.members}
    if pattern == "8050":
        parents = [m for m in involved if age[m.person_id] >= 75 and m.care_level]
        kids = [
            m for m in involved if 45 <= age[m.person_id] <= 59 and m.withdrawn and not m.income
        ]
        assert parents and kids
    elif pattern == "double_care":
        assert any(m.relation == "子" and age[m.person_id] < 6 for m in involved)
        assert any(m.relation in PARENT_RELATIONS and m.care_level for m in involved)
        assert {"世帯主"} <= {m.relation for m in involved}
    elif pattern == "young_carer":
        assert any(10 <= age[m.person_id] <= 18 for m in involved)
        assert any(m.care_level or m.disability for m in involved)
        for m in h.members:
            if 19 <= age[m.person_id] <= 64:
                assert m.care_level or m.disability
    elif pattern == "isolation":
        (m,) = h.members
        assert age[m.person_id] >= 65 and m.csw_note and not m.uses_services
    elif pattern == "poverty_with_children":
        assert any(m.poverty_support for m in involved)
        assert any(age[m.person_id] < 18 for m in involved)
    else:  # pragma: no cover
        raise AssertionError(pattern)


def test_it_plants_every_pattern_deliberately(ward: Ward) -> None:
    deliberate = Counter(x.pattern for x in ward.planted if x.deliberate)

    assert set(deliberate) == set(PATTERNS)


def test_it_plants_households_that_meet_their_definition(big_ward: Ward) -> None:
    households = {h.household_id: h for h in big_ward.households}

    for planted in big_ward.planted:
        _check_definition(households[planted.household_id], planted.pattern, planted.person_ids)


def test_it_lists_every_household_that_meets_a_pattern(ward: Ward) -> None:
    found = {(x.pattern, x.household_id) for h in ward.households for x in detect_patterns(h)}

    assert {(x.pattern, x.household_id) for x in ward.planted} == found


def test_it_plants_8050_households_with_parent_and_child() -> None:
    ward = generate_ward(8_000, seed=2)
    households = {h.household_id: h for h in ward.households}

    for planted in [x for x in ward.planted if x.pattern == "8050" and x.deliberate]:
        h = households[planted.household_id]
        ages = sorted(_ref_age(m) for m in h.members)
        assert ages[-1] - ages[0] >= 20
        assert h.kind == "single_parent"


def test_it_plants_twins_and_namesakes_as_hard_negatives(big_ward: Ward) -> None:
    people = {p.person_id: p for p in big_ward.persons()}
    kinds = Counter(x.kind for x in big_ward.hard_negatives)

    assert kinds["twins"] > 0 and kinds["namesake"] + kinds["namesake_same_birthday"] > 0
    for x in big_ward.hard_negatives:
        a, b = (people[i] for i in x.person_ids)
        assert a.person_id != b.person_id
        if x.kind == "twins":
            assert a.birth_date == b.birth_date and a.household_id == b.household_id
            assert a.given_name != b.given_name
        else:
            assert (a.surname, a.given_name) == (b.surname, b.given_name)
            assert a.household_id != b.household_id
        if x.kind == "namesake_same_birthday":
            assert a.birth_date == b.birth_date


# -- agencies and data -----------------------------------------------------------


def test_it_lists_the_wards_agencies() -> None:
    agencies = build_agencies()
    kinds = Counter(a.kind for a in agencies)

    assert len({a.code for a in agencies}) == len(agencies)
    assert kinds["longevity_support_centre"] == 21
    for kind in ("ward_department", "disability_consultation", "child_family_centre",
                 "self_reliance_support", "social_welfare_council", "npo", "commissioner"):  # fmt: skip
        assert kinds[kind] >= 1
    assert {a.town for a in agencies} <= set(DOMAIN_TOWNS)
    assert any(a.name == "社会福祉法人 江東区社会福祉協議会" for a in agencies)


def test_it_ships_enough_names_with_variants() -> None:
    from tsunagari.demo.population import _read_tsv

    surnames = _read_tsv("surnames.tsv")
    given = _read_tsv("given_names.tsv")

    assert len(surnames) >= 300
    assert {"齋藤", "髙橋", "渡邉", "渡邊", "山﨑", "濱田", "澤田", "廣瀬", "櫻井", "𠮷田"} <= {
        r[0] for r in surnames
    }
    assert sum(r[2] == "male" for r in given) >= 200
    assert sum(r[2] == "female" for r in given) >= 200
    readings: dict[str, set[str]] = {}
    kanji: dict[str, set[str]] = {}
    for r in given:
        readings.setdefault(r[1], set()).add(r[0])
        kanji.setdefault(r[0], set()).add(r[1])
    assert any(len(v) >= 3 for v in readings.values())  # one reading, several spellings
    assert any(len(v) >= 2 for v in kanji.values())  # one spelling, several readings


def test_it_takes_ages_on_the_reference_date() -> None:
    assert age_on(date(1948, 3, 5), date(2026, 3, 5)) == 78
    assert age_on(date(1948, 3, 5), date(2026, 3, 4)) == 77


@pytest.mark.slow
def test_it_generates_a_full_size_ward_within_a_minute() -> None:
    started = time.perf_counter()
    ward = generate_ward(540_000)
    seconds = time.perf_counter() - started

    assert ward.person_count == 540_000
    assert seconds < 60
    counts = ward.counts()
    assert 0.19 < counts["aged_65_plus"] / counts["persons"] < 0.23
