"""Community workers' notes: part of an address, a surname only, a family's phone.

Each rule is also run with its assumption switched off, to show the test
depends on it. Where each rule comes from: docs/linkage.md, "Where each rule
comes from".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tsunagari.linkage.engine import LinkOptions, link_directory, model, normalise, pipeline

from .helpers import person_of, write_csv

REGISTRY = ["record_id", "resident_id", "household_id", "name_kanji", "name_kana", "birth_date",
            "sex", "address"]  # fmt: skip
CARE = ["record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex", "address",
        "phone"]  # fmt: skip
NOTE = ["record_id", "name_kanji", "name_kana", "birth_date", "sex", "address", "phone"]
AS_OF = date(2026, 4, 1)
#: Other households of the ward, so that surnames are known spaced.
WARD = [
    ["W1", "2000000001", "H01", "大西 悟", "オオニシ サトル", "1960-01-25", "1", "江東区森下1-12-6-105"],
    ["W2", "2000000002", "H01", "大西 恵", "オオニシ メグミ", "1962-04-02", "2", "江東区森下1-12-6-105"],
    ["W3", "2000000003", "H02", "原 健一", "ハラ ケンイチ", "1955-05-05", "1", "江東区亀戸2-3-4"],
    ["W4", "2000000004", "H03", "村 正", "ムラ タダシ", "1949-12-01", "1", "江東区北砂3-1-1"],
    ["W5", "2000000005", "H04", "山本 正男", "ヤマモト マサオ", "1958-06-01", "1", "江東区枝川1-9-9"],
]  # fmt: skip
_SURNAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("伊藤", "イトウ"),
             ("渡辺", "ワタナベ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"),
             ("山口", "ヤマグチ"), ("斎藤", "サイトウ"), ("清水", "シミズ"), ("池田", "イケダ")]  # fmt: skip
_GIVEN = [("博", "ヒロシ", "1"), ("誠", "マコト", "1"), ("茂", "シゲル", "1"), ("学", "マナブ", "1"),
          ("和子", "カズコ", "2"), ("洋子", "ヨウコ", "2"), ("恵子", "ケイコ", "2"),
          ("陽子", "ヨウコ", "2"), ("裕子", "ユウコ", "2"), ("明", "アキラ", "1")]  # fmt: skip
_TOWNS = ["大島", "北砂", "南砂", "東陽", "木場", "豊洲", "亀戸", "有明"]
#: Enough other people that a name's frequency is a ward's, not a handful's.
WARD += [
    [f"F{i:03d}", f"25{i:08d}", f"HF{i:03d}", f"{s} {g}", f"{sk} {gk}",
     f"{1930 + i % 70}-{1 + i % 12:02d}-{1 + i % 28:02d}", sex,
     f"江東区{_TOWNS[i % 8]}{1 + i % 5}-{1 + i % 29}-{1 + i % 17}"]
    for i, ((s, sk), (g, gk, sex)) in enumerate(
        (a, b) for a in _SURNAMES for b in _GIVEN
    )
]  # fmt: skip


def _link(
    tmp_path: Path,
    registry: list[list[str]],
    notes: list[list[str]],
    care: list[list[str]] | None = None,
) -> dict[tuple[str, str], str]:
    write_csv(tmp_path / "in" / "registry.csv", REGISTRY, WARD + registry)
    write_csv(tmp_path / "in" / "minsei.csv", NOTE, notes, bom=True)
    if care:
        write_csv(tmp_path / "in" / "kaigo.csv", CARE, care)
    link_directory(tmp_path / "in", tmp_path / "out", LinkOptions(as_of=AS_OF))
    return person_of(tmp_path / "out")


# -- part of an address -----------------------------------------------------

#: A note with the full name, an estimated age and the 丁目 only.
PARTIAL_ADDRESS = (
    [["R1", "3000000001", "H10", "藤井 光男", "フジイ ミツオ", "1946-10-19", "1", "江東区辰巳二丁目19番24号"]],
    [["M1", "藤井光男", "ふじい みつお", "70代", "男", "辰巳2丁目", ""]],
)  # fmt: skip


def test_a_note_with_the_town_block_only_meets_the_person(tmp_path: Path) -> None:
    # given: a note that knows name, an age band and the 丁目
    person = _link(tmp_path, *PARTIAL_ADDRESS)
    # then: it joins the registered person
    assert person["minsei", "M1"] == person["registry", "R1"]


def test_without_the_partial_blocks_the_note_is_never_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "PARTIAL_BLOCKS", False)
    # The named-note rule would join it without any score (a full name at
    # its 丁目); it has its own tests in test_named_notes.py.
    monkeypatch.setattr(pipeline, "NAMED_NOTE_RULE", False)
    person = _link(tmp_path, *PARTIAL_ADDRESS)
    assert person["minsei", "M1"] != person["registry", "R1"]


# -- a surname alone ---------------------------------------------------------

#: Notes that know the surname only: one written 原田 (原 is a surname too),
#: one 村上氏, one 松本様 read まつもと; each woman lives alone.
SURNAME_ALONE = (
    [
        ["R2", "3000000002", "H11", "原田 悦子", "ハラダ エツコ", "1940-09-25", "2", "江東区木場1-9-20-708"],
        ["R3", "3000000003", "H12", "村上 文子", "ムラカミ フミコ", "1954-08-21", "2", "江東区東雲1-5-7-408"],
        ["R4", "3000000004", "H13", "松本 幸子", "マツモト サチコ", "1943-07-17", "2", "江東区豊洲5-20-28-402"],
        ["W6", "2000000006", "H05", "松 一郎", "マツ イチロウ", "1950-02-02", "1", "江東区塩浜1-1-1"],
    ],
    [
        ["M2", "原田", "", "1940-09-25", "", "江東区木場1-9-20", ""],
        ["M3", "村上氏", "", "1954/8/21", "女", "東雲1-5-7", ""],
        ["M4", "松本様", "まつもと", "1943/7/17", "女", "豊洲5-20-28", ""],
    ],
)  # fmt: skip


def test_a_name_that_is_a_known_surname_is_read_as_the_surname(tmp_path: Path) -> None:
    # given: 原田 (原 is also a surname), 村上氏 and 松本様 / まつもと
    person = _link(tmp_path, *SURNAME_ALONE)
    # then: each note joins the woman of that surname, birth date and address
    assert person["minsei", "M2"] == person["registry", "R2"]
    assert person["minsei", "M3"] == person["registry", "R3"]
    assert person["minsei", "M4"] == person["registry", "R4"]


def test_split_at_a_shorter_surname_the_notes_get_given_names_that_veto(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: names split at the longest proper prefix that is a surname
    monkeypatch.setattr(normalise, "SURNAME_ALONE_FIRST", False)
    person = _link(tmp_path, *SURNAME_ALONE)
    # then: 原 + 田, 村上 + 氏 (and マツ + モト) are given names that veto
    assert person["minsei", "M2"] != person["registry", "R2"]
    assert person["minsei", "M3"] != person["registry", "R3"]


# -- a family's surname and phone ------------------------------------------

#: 森 俊夫 and 森 信子 live together; his care record has the landline. A
#: note knows 森, the address and the landline: either of them.
FAMILY = (
    [
        ["R5", "3000000005", "H14", "森 俊夫", "モリ トシオ", "1940-05-29", "1", "江東区常盤1-30-17-1106"],
        ["R6", "3000000006", "H14", "森 信子", "モリ ノブコ", "1939-04-02", "2", "江東区常盤1-30-17-1106"],
    ],
    [["M5", "森", "", "", "", "常盤1-30-17", "03-3638-8173"]],
    [["K5", "3000000005", "森 俊夫", "モリ トシオ", "S15.5.29", "1", "常盤1-30-17-1106", "0336388173"]],
)  # fmt: skip


def test_a_surname_only_note_that_fits_two_family_members_joins_neither(
    tmp_path: Path,
) -> None:
    person = _link(tmp_path, *FAMILY)
    assert person["minsei", "M5"] != person["registry", "R5"]
    assert person["minsei", "M5"] != person["registry", "R6"]
    assert person["kaigo", "K5"] == person["registry", "R5"]


def test_without_the_family_rule_the_landline_joins_the_note_to_him(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "FAMILY_AMBIGUITY_RULE", False)
    person = _link(tmp_path, *FAMILY)
    assert person["minsei", "M5"] == person["registry", "R5"]


#: 田中 久子 (born 1936) and her daughter 田中 美保 (1978) live together; the
#: mother's care record has the landline. A note knows 田中, 40代 and the
#: landline: the daughter's age.
FAMILY_AGE = (
    [
        ["R7", "3000000007", "H15", "田中 久子", "タナカ ヒサコ", "1936-09-22", "2", "江東区辰巳2-7-26-609"],
        ["R8", "3000000008", "H15", "田中 美保", "タナカ ミホ", "1978-11-13", "2", "江東区辰巳2-7-26-609"],
    ],
    [["M6", "田中", "たなか", "40代", "女", "辰巳2-7-26", "03-3684-4845"]],
    [["K7", "3000000007", "田中 久子", "タナカ ヒサコ", "S11.9.22", "2", "辰巳2-7-26-609", "0336844845"]],
)  # fmt: skip


def test_a_surname_only_note_joins_the_member_its_age_fits(tmp_path: Path) -> None:
    # given: the landline and surname point at the mother, the age at the daughter
    person = _link(tmp_path, *FAMILY_AGE)
    # then: the age decides: the daughter
    assert person["minsei", "M6"] == person["registry", "R8"]
    assert person["minsei", "M6"] != person["registry", "R7"]
    assert person["kaigo", "K7"] == person["registry", "R7"]


def test_without_the_family_age_rule_the_note_reaches_both_and_joins_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "FAMILY_AGE_RULE", False)
    person = _link(tmp_path, *FAMILY_AGE)
    assert person["minsei", "M6"] != person["registry", "R8"]
    assert person["minsei", "M6"] != person["registry", "R7"]


# -- an age as written -------------------------------------------------------

#: 大川 正 (born June 1931, 94 on the run's date) lives alone; a note written
#: in a past term, when he was about 89, says 89歳位 and knows only the
#: surname. Taken on the run's date 89歳位 allows 1934-1939 only.
AGE_AS_WRITTEN = (
    [["R9", "3000000009", "H16", "大川 正", "オオカワ タダシ", "1931-06-01", "1", "江東区亀戸9-2-17-111"]],
    [["M9", "大川", "おおかわ", "89歳位", "男", "江東区亀戸9-2-17-111", ""]],
)  # fmt: skip


def test_an_age_in_a_note_may_have_been_written_before_the_run(tmp_path: Path) -> None:
    person = _link(tmp_path, *AGE_AS_WRITTEN)
    assert person["minsei", "M9"] == person["registry", "R9"]


def test_an_age_taken_on_the_runs_date_does_not_fit_and_keeps_the_note_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(normalise, "AGE_AS_WRITTEN", False)
    person = _link(tmp_path, *AGE_AS_WRITTEN)
    assert person["minsei", "M9"] != person["registry", "R9"]


# -- a given name written by ear ---------------------------------------------

#: 宮崎 弘 (ヒロシ); a consultation log wrote 宮崎 浩 without a reading. 浩 is
#: read ヒロシ by the run's other records. Twins 高橋 蓮 and 高橋 湊 (ミナト)
#: share everything else; the log has 蓮 without a reading, usually レン.
BY_EAR = (
    [
        ["R10", "3000000010", "H17", "宮崎 弘", "ミヤザキ ヒロシ", "1943-03-12", "1", "江東区東砂8-20-9-205"],
        ["W7", "2000000007", "H06", "佐藤 浩", "サトウ ヒロシ", "1950-01-01", "1", "江東区塩浜2-2-2"],
        ["W8", "2000000008", "H07", "池田 浩", "イケダ ヒロシ", "1961-03-03", "1", "江東区塩浜2-3-3"],
        ["T1", "3000000011", "H18", "高橋 蓮", "タカハシ レン", "2015-05-05", "1", "江東区北砂3-12-5"],
        ["T2", "3000000012", "H18", "高橋 湊", "タカハシ ミナト", "2015-05-05", "1", "江東区北砂3-12-5"],
    ],
    [
        ["M10", "宮崎浩", "", "1943/3/12", "男", "東砂8-20-9-205", ""],
        ["M11", "高橋 蓮", "", "2015/5/5", "男", "北砂3-12-5", ""],
    ],
)  # fmt: skip


def test_a_given_name_written_by_ear_is_weighed_not_vetoed(tmp_path: Path) -> None:
    person = _link(tmp_path, *BY_EAR)
    assert person["minsei", "M10"] == person["registry", "R10"]
    # twins' names do not sound the same: the log is 蓮's, never 湊's
    assert person["registry", "T1"] != person["registry", "T2"]
    assert person["minsei", "M11"] != person["registry", "T2"]


def test_without_the_reading_by_ear_the_given_names_veto(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "HOMOPHONE_RULE", False)
    person = _link(tmp_path, *BY_EAR)
    assert person["minsei", "M10"] != person["registry", "R10"]
