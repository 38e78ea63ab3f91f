"""Name distribution of the synthetic ward: real head shares and long composed tails."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tsunagari.demo.population import (
    Ward,
    _given_table,
    _name_params,
    _read_tsv,
    _surname_reading,
    _surname_table,
    generate_ward,
)

KATAKANA = re.compile(r"^[ァ-ヶー]+$")


@pytest.fixture(scope="module")
def big_ward() -> Ward:
    return generate_ward(20_000, seed=12)


def _shares(items: list[tuple[str, str]], weights: list[float]) -> dict[tuple[str, str], float]:
    total = sum(weights)
    out: dict[tuple[str, str], float] = {}
    for item, weight in zip(items, weights, strict=True):
        out[item] = out.get(item, 0.0) + weight / total
    return out


# -- surnames ----------------------------------------------------------------------


def test_listed_surnames_carry_about_their_real_share() -> None:
    items, weights = _surname_table()
    shares = _shares(items, weights)
    listed = _read_tsv("surnames.tsv")
    listed_share = sum(shares[(r[0], r[1])] for r in listed)

    assert 0.014 <= shares[("佐藤", "サトウ")] <= 0.016
    assert 0.45 <= listed_share <= 0.65
    top10 = sorted(shares.values(), reverse=True)[:10]
    assert 0.08 <= sum(top10) <= 0.12


def test_the_surname_tail_is_long_and_never_repeats_a_listed_surname() -> None:
    items, weights = _surname_table()
    listed = {r[0] for r in _read_tsv("surnames.tsv")}
    tail = items[len(_read_tsv("surnames.tsv")) :]
    tail_weights = weights[len(items) - len(tail) :]

    assert len(tail) >= 5_000
    assert not {kanji for kanji, _kana in tail} & listed
    assert len(set(tail)) == len(tail)
    assert len({kanji for kanji, _kana in tail}) == len(tail)  # one reading per spelling
    assert all(KATAKANA.match(kana) for _kanji, kana in tail)
    # the tail continues the listed ranking: its most common entry is rarer than 佐藤 by far
    assert max(tail_weights) < weights[0] / 20


def test_the_surname_tail_has_rare_variant_kanji() -> None:
    items, weights = _surname_table()
    listed = len(_read_tsv("surnames.tsv"))
    tail = list(zip(items[listed:], weights[listed:], strict=True))
    total = sum(w for _item, w in tail)
    variant = [(item, w) for item, w in tail if re.search("[﨑澤濱邊邉髙]", item[0])]

    for mark in "﨑澤濱邊邉髙":
        assert any(mark in kanji for (kanji, _kana), _w in variant), mark
    assert 0 < sum(w for _item, w in variant) / total < 0.1
    # a variant form reads like its plain form
    readings = dict(items)
    assert readings["大﨑"] == readings["大崎"]


def test_the_rendaku_rule_is_deterministic_and_respects_voiced_first_elements() -> None:
    elements = {(r[0], r[1]): r for r in _read_tsv("surname_elements.tsv")}
    naga, sawa = elements[("first", "長")], elements[("second", "沢")]
    oo, ta = elements[("first", "大")], elements[("second", "田")]

    # ナガ has a voiced consonant: 沢 stays サワ whatever the hash says
    assert _surname_reading(naga, sawa, "長沢") == "ナガサワ"
    assert _surname_reading(oo, ta, "大田") == _surname_reading(oo, ta, "大田")
    readings = {
        _surname_reading(elements[("first", k)], sawa, k + "沢")
        for k in ("大", "小", "中", "石", "松", "岩", "森", "竹", "北", "西", "宮", "平", "白")
    }
    assert any(r.endswith("ザワ") for r in readings)
    assert any(r.endswith("サワ") for r in readings)


def test_surnames_in_the_ward_are_diverse(big_ward: Ward) -> None:
    japanese = [p for p in big_ward.persons() if not p.surname.isascii()]
    surnames = Counter(p.surname for p in japanese)
    top, count = surnames.most_common(1)[0]

    assert top in ("佐藤", "鈴木")  # 1.87 and 1.79 million in Japan: close at this size
    assert 0.01 <= count / len(japanese) <= 0.02
    assert len(surnames) >= 3_000


# -- given names -------------------------------------------------------------------


@pytest.mark.parametrize("sex", ["male", "female"])
@pytest.mark.parametrize("era", [0, 1, 2, 3])
def test_listed_given_names_keep_their_share_of_each_cohort(sex: str, era: int) -> None:
    items, weights = _given_table(sex, era)
    listed = [r for r in _read_tsv("given_names.tsv") if r[2] == sex and float(r[3 + era]) > 0]
    head = len(listed)

    assert items[:head] == [(r[0], r[1]) for r in listed]
    share = sum(weights[:head]) / sum(weights)
    assert share == pytest.approx(_name_params()[f"given_head_share.{sex}.{era}"])
    assert len(items) - head >= 300
    taken = {(r[0], r[1]) for r in _read_tsv("given_names.tsv") if r[2] == sex}
    assert not set(items[head:]) & taken
    assert len(set(items)) == len(items)
    assert all(KATAKANA.match(kana) for _name, kana in items)


def test_one_reading_has_many_kanji_spellings() -> None:
    items, _weights = _given_table("female", 3)
    haruka = {name for name, kana in items if kana == "ハルカ"}

    assert {"遥", "遙", "春香", "晴香", "遥香"} <= haruka
    assert len(haruka) >= 10


def test_given_names_follow_the_fashion_of_the_era() -> None:
    def share(era: int, ending: str) -> float:
        items, weights = _given_table("female", era)
        hits = sum(
            w for (name, _kana), w in zip(items, weights, strict=True) if name.endswith(ending)
        )
        return hits / sum(weights)

    assert share(0, "子") > 0.4 > 0.05 > share(3, "子")
    assert share(3, "菜") > 0.02 > share(0, "菜") == 0


def test_few_residents_share_their_full_reading(big_ward: Ward) -> None:
    readings = Counter(p.full_kana for p in big_ward.persons())
    others = sorted(readings[p.full_kana] - 1 for p in big_ward.persons())

    assert others[len(others) // 2] == 0
    assert readings.most_common(1)[0][1] <= 10
