"""Hard cases of cross-silo linkage, pinned on a tiny hand-written ward.

tests/linkage/data/hard/ holds six extracts; hard_truth.csv says who is who.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tsunagari.linkage.engine import LinkOptions, link_directory

from .helpers import HARD, HARD_TRUTH, household_of, person_of, same_pairs


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hard")
    link_directory(HARD, directory, LinkOptions(as_of=date(2026, 10, 1)))
    return directory


@pytest.fixture(scope="module")
def person(out: Path) -> dict[tuple[str, str], str]:
    return person_of(out)


def test_it_finds_exactly_the_true_people(person: dict[tuple[str, str], str]) -> None:
    truth = pd.read_csv(HARD_TRUTH, dtype=str)
    expected = {(s, r): p for s, r, p in truth.itertuples(index=False)}
    assert set(person) == set(expected)
    assert same_pairs(person) == same_pairs(expected)


def test_it_keeps_twins_apart(person: dict[tuple[str, str], str]) -> None:
    # Same surname, address, phone and birth date; different given names.
    assert person["registry", "R03"] != person["registry", "R04"]


def test_it_keeps_parent_and_child_with_the_same_reading_apart(
    person: dict[tuple[str, str], str],
) -> None:
    # 鈴木 博 and 鈴木 浩 are both スズキ ヒロシ at one address and phone.
    assert person["registry", "R05"] != person["registry", "R06"]
    assert person["registry", "R05"] == person["care", "C05"]
    assert person["registry", "R06"] == person["csw", "W02"] == person["poverty", "P01"]


def test_it_follows_a_person_who_moved(person: dict[tuple[str, str], str]) -> None:
    assert person["registry", "R07"] == person["csw", "W01"]


def test_it_links_despite_a_stale_resident_number(person: dict[tuple[str, str], str]) -> None:
    assert person["registry", "R08"] == person["care", "C01"]


def test_it_links_a_name_changed_on_marriage(person: dict[tuple[str, str], str]) -> None:
    # 伊藤 由美 in the registry, still 山本 由美 for the community worker.
    assert person["registry", "R09"] == person["csw", "W03"]
    assert person["registry", "R09"] != person["registry", "R10"]


def test_it_folds_variant_kanji_and_reading_scripts(person: dict[tuple[str, str], str]) -> None:
    # 齋藤/斉藤 with a hiragana reading; 渡邊/渡辺 with an unspaced reading and
    # a full-width address; 山﨑/山崎 read ヤマサキ/ヤマザキ.
    assert person["registry", "R11"] == person["care", "C02"]
    assert person["registry", "R15"] == person["disability", "D02"]
    assert person["registry", "R16"] == person["care", "C07"]


def test_it_keeps_registered_namesakes_born_the_same_day_apart(
    person: dict[tuple[str, str], str],
) -> None:
    # Two 小林 誠 born 1970-07-07 under two resident numbers; the care record
    # carries one of the numbers and that person's address.
    assert person["registry", "R18"] != person["registry", "R19"]
    assert person["care", "C06"] == person["registry", "R19"]


def test_it_reads_era_dates(person: dict[tuple[str, str], str]) -> None:
    # 昭和１２年１２月１日 (full-width digits) and 平成22年4月4日 / H22.4.4.
    assert person["registry", "R13"] == person["care", "C03"]
    assert person["registry", "R14"] == person["child", "K01"] == person["csw", "W04"]


def test_it_joins_elderly_parents_registered_as_their_own_household(out: Path) -> None:
    person, household = person_of(out), household_of(out)
    assert household[person["registry", "R12"]] == household[person["registry", "R13"]]


def test_it_keeps_the_registry_household_together(out: Path) -> None:
    person, household = person_of(out), household_of(out)
    family = {household[person["registry", r]] for r in ("R01", "R02", "R03", "R04")}
    assert len(family) == 1


def test_it_puts_people_known_only_to_services_in_the_household_at_their_address(
    out: Path,
) -> None:
    person, household = person_of(out), household_of(out)
    assert household[person["disability", "D01"]] == household[person["registry", "R14"]]


def test_it_keeps_different_households_apart(out: Path) -> None:
    person, household = person_of(out), household_of(out)
    assert household[person["registry", "R01"]] != household[person["registry", "R05"]]
    assert household[person["csw", "W05"]] != household[person["registry", "R07"]]


def test_it_saves_the_model_with_the_run(out: Path) -> None:
    import json

    model = json.loads((out / "model.json").read_text(encoding="utf-8"))
    names = [c["output_column_name"] for c in model["comparisons"]]
    assert names == ["sur", "giv", "dob", "address", "phone", "sex", "resident_id"]
