"""A note with a full name and no birth date names the one person of that name at its place.

Each rule is also run with its assumption switched off, to show the test
depends on it. Where each rule comes from: docs/linkage.md, "Where each rule
comes from".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tsunagari.linkage.engine import LinkOptions, households, link_directory, pipeline
from tsunagari.linkage.engine.households import person_table
from tsunagari.linkage.engine.normalise import _address

from .helpers import household_of, person_of, write_csv
from .test_notes import CARE, NOTE, REGISTRY, WARD

AS_OF = date(2026, 4, 1)

#: 松本和子, registered and in care at 白河4-15-9; a 民生委員's note that knows
#: her name (no reading), 80代 and the block 白河4-15; a note that knows her
#: name, 70代 and only the phone she gave the care office, written at the
#: address of a daughter she stays with.
REGISTERED = [
    ["R1", "3000000001", "H10", "松本 和子", "マツモト カズコ", "1934-04-10", "2", "江東区白河4-15-9-701"],
    ["R2", "3000000002", "H11", "和田 信子", "ワダ ノブコ", "1952-05-25", "2", "江東区大島1-1-10-302"],
]  # fmt: skip
IN_CARE = [
    ["K1", "3000000001", "松本 和子", "マツモト カズコ", "S9.4.10", "女", "白河四丁目15番9号", ""],
    ["K2", "3000000002", "和田 信子", "ワダ ノブコ", "1952/5/25", "女", "大島1-1-10", "070-5896-0120"],
]  # fmt: skip
NOTES = [
    ["M1", "松本和子", "", "80代", "女", "白河4-15", ""],
    ["M2", "和田信子", "わだ のぶこ", "昭和27年頃", "", "亀戸2-19-26", "07058960120"],
]  # fmt: skip


def _link(
    tmp_path: Path,
    registry: list[list[str]],
    notes: list[list[str]],
    care: list[list[str]] | None = None,
) -> tuple[dict[tuple[str, str], str], Path]:
    write_csv(tmp_path / "in" / "registry.csv", REGISTRY, WARD + registry)
    write_csv(tmp_path / "in" / "minsei.csv", NOTE, notes, bom=True)
    if care:
        write_csv(tmp_path / "in" / "kaigo.csv", CARE, care)
    link_directory(tmp_path / "in", tmp_path / "out", LinkOptions(as_of=AS_OF))
    return person_of(tmp_path / "out"), tmp_path / "out"


def test_a_named_note_joins_the_one_person_of_that_name_at_its_block(tmp_path: Path) -> None:
    person, _ = _link(tmp_path, REGISTERED, NOTES, IN_CARE)
    assert person["minsei", "M1"] == person["registry", "R1"] == person["kaigo", "K1"]


def test_a_named_note_joins_the_one_person_of_that_name_on_its_phone(tmp_path: Path) -> None:
    person, _ = _link(tmp_path, REGISTERED, NOTES, IN_CARE)
    assert person["minsei", "M2"] == person["registry", "R2"] == person["kaigo", "K2"]


def test_without_the_rule_the_named_notes_stay_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "NAMED_NOTE_RULE", False)
    person, _ = _link(tmp_path, REGISTERED, NOTES, IN_CARE)
    assert person["minsei", "M1"] != person["registry", "R1"]
    assert person["minsei", "M2"] != person["registry", "R2"]


def test_two_people_of_that_name_at_the_block_and_the_note_joins_neither(
    tmp_path: Path,
) -> None:
    # given: a second 松本和子 at 白河4-15 (another building of the block),
    # born 1940: the note's 80代 fits both
    namesake = [["R3", "3000000003", "H12", "松本 和子", "マツモト カズコ", "1940-01-20", "2",
                 "江東区白河4-15-3-201"]]  # fmt: skip
    person, _ = _link(tmp_path, REGISTERED + namesake, NOTES, IN_CARE)
    assert person["minsei", "M1"] not in (person["registry", "R1"], person["registry", "R3"])


def test_an_age_that_does_not_fit_and_the_note_joins_nobody(tmp_path: Path) -> None:
    notes = [["M1", "松本和子", "", "60代", "女", "白河4-15", ""]]
    person, _ = _link(tmp_path, REGISTERED, notes, IN_CARE)
    assert person["minsei", "M1"] != person["registry", "R1"]


def test_a_town_alone_places_nobody(tmp_path: Path) -> None:
    # given: 石島 has no 丁目, so the town is all its block key holds
    alone = [["R4", "3000000004", "H13", "杉山 光子", "スギヤマ ミツコ", "1953-03-06", "2",
              "江東区石島8-18-411"]]  # fmt: skip
    notes = [["M1", "松本和子", "", "80代", "女", "白河", ""],
             ["M3", "杉山光子", "", "70代", "女", "石島", ""]]  # fmt: skip
    person, _ = _link(tmp_path, REGISTERED + alone, notes, IN_CARE)
    assert person["minsei", "M1"] != person["registry", "R1"]
    assert person["minsei", "M3"] != person["registry", "R4"]


def test_a_named_note_keeps_the_person_in_her_household(tmp_path: Path) -> None:
    # given: the 丁目-only note joins her; she still lives at 白河4-15-9
    person, out = _link(tmp_path, REGISTERED, NOTES, IN_CARE)
    people = pd.read_csv(out / "households.csv", dtype=str)
    assert len(people) == len(set(person.values()))
    assert household_of(out)[person["minsei", "M1"]] == household_of(out)[person["registry", "R1"]]


# -- a residence is a dwelling -------------------------------------------------


def _records(rows: list[tuple[int, str, str, str | None]]) -> pd.DataFrame:
    """Records (person, source, surname, address) with the engine's address keys."""
    keys = [_address(a)[0] if a else (None,) * 6 for _, _, _, a in rows]
    frame = pd.DataFrame(
        keys, columns=["addr_key", "addr_go", "addr_banchi", "addr_chome", "addr_town", "addr_room"]
    )
    frame["person"] = [p for p, _, _, _ in rows]
    frame["source"] = [s for _, s, _, _ in rows]
    frame["sur_kanji"] = [n for _, _, n, _ in rows]
    frame["household_ref"] = [f"registry:{p}" if s == "registry" else None for p, s, _, _ in rows]
    frame["dob"] = "1950-01-01"
    return frame.astype({c: "string" for c in frame.columns if c != "person"})


#: Three people who each live alone at a full address; notes wrote each of
#: them at the 丁目 only (木場2), as community workers do.
AT_THE_BLOCK = [
    (0, "registry", "青木", "江東区木場2-25-3-203"),
    (0, "minsei", "青木", "木場2"),
    (1, "registry", "村田", "江東区木場2-14-17-1409"),
    (1, "shogai", "村田", "木場2"),
    (2, "registry", "松田", "江東区木場2-1-18-907"),
    (2, "minsei", "松田", "木場2"),
    # a building known by its 番 alone, with a room, is a dwelling
    (3, "registry", "市原", "江東区青海1丁目11番 ハイツ青海1612号室"),
    (3, "minsei", "市原", "江東区木場2"),
    (3, "shogai", "市原", "木場2"),
]


def test_a_block_is_no_residence_and_joins_no_household() -> None:
    people = person_table(_records(AT_THE_BLOCK), AS_OF)
    assert people["residence"].tolist() == [
        "木場2-25-3#203",
        "木場2-14-17#1409",
        "木場2-1-18#907",
        "青海1-11#1612",
    ]
    assert len(set(households.infer_households(people).tolist())) == 4


def test_without_the_dwelling_rule_the_block_is_where_others_live(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(households, "DWELLING_RULE", False)
    people = person_table(_records(AT_THE_BLOCK), AS_OF)
    assert people["residence"].tolist()[:3] == ["木場2", "木場2", "木場2"]


def test_a_namesake_at_the_block_makes_it_ambiguous_whatever_her_age(tmp_path: Path) -> None:
    # given: two girls named 佐藤 楓 in one block (古石場3-8); the note's
    # estimate (令和元年頃: 2018-2020) fits the first only, but an estimate can
    # be off, and the second is as much the girl of that name in that block
    girls = [
        ["R5", "3000000005", "H14", "佐藤 楓", "サトウ カエデ", "2019-09-25", "2", "江東区古石場3-8-21-603"],
        ["R6", "3000000006", "H15", "佐藤 楓", "サトウ カエデ", "2022-01-10", "2", "江東区古石場3-8-3"],
    ]  # fmt: skip
    notes = [["M6", "佐藤楓", "", "令和元年頃", "", "古石場3-8", ""]]
    person, _ = _link(tmp_path, REGISTERED + girls, notes, IN_CARE)
    # then: it joins neither
    assert person["minsei", "M6"] not in (person["registry", "R5"], person["registry", "R6"])
