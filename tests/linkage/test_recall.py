"""Recall on extracts the project did not make (issue 13), and the precision
guards that must hold beside it.

Each recall case was missed by the engine that vetoed two resident numbers in
one source and read no approximate birth dates; the guards are the people
who must stay apart whatever the new evidence allows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tsunagari.linkage.engine import LinkOptions, link_directory

from .helpers import person_of, write_csv

HEADER = ["record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex", "address",
          "phone"]  # fmt: skip
AS_OF = date(2026, 4, 1)
#: People who only make the ward less tiny: other names, dates and addresses.
NEIGHBOURS = [
    ["N1", "2000000001", "大西 悟", "オオニシ サトル", "1960-01-25", "1", "江東区森下1-12-6-105", ""],
    ["N2", "2000000002", "木村 次郎", "キムラ ジロウ", "1955-05-05", "1", "江東区亀戸2-3-4", ""],
    ["N3", "2000000003", "佐藤 健太", "サトウ ケンタ", "1985-07-07", "1", "江東区北砂3-12-5", "03-3640-1111"],
    ["N4", "2000000004", "佐藤 健二", "サトウ ケンジ", "1985-07-07", "1", "江東区北砂3-12-5", "03-3640-1111"],
    ["N5", "2000000005", "鈴木 博", "スズキ ヒロシ", "1948-01-15", "1", "江東区亀戸2-3-9", "03-3681-2222"],
    ["N6", "2000000006", "鈴木 博", "スズキ ヒロシ", "1978-03-03", "1", "江東区亀戸2-3-9", "03-3681-2222"],
    ["N7", "2000000007", "山本 正男", "ヤマモト マサオ", "1958-06-01", "1", "江東区枝川1-9-9", ""],
    ["N8", "2000000008", "山本 翔太", "ヤマモト ショウタ", "1988-09-20", "1", "江東区枝川1-9-9", ""],
]  # fmt: skip


def _link(
    tmp_path: Path, registry: list[list[str]], **others: list[list[str]]
) -> dict[tuple[str, str], str]:
    write_csv(tmp_path / "in" / "registry.csv", HEADER, NEIGHBOURS + registry)
    for source, rows in others.items():
        write_csv(tmp_path / "in" / f"{source}.csv", HEADER, rows)
    link_directory(tmp_path / "in", tmp_path / "out", LinkOptions(as_of=AS_OF))
    return person_of(tmp_path / "out")


def test_it_links_one_person_registered_twice_under_two_numbers(tmp_path: Path) -> None:
    # given: moved out and back in; the older record keeps the older address
    person = _link(
        tmp_path,
        [
            ["R1", "3000000001", "中村 美咲", "ナカムラ ミサキ", "1979-12-03", "2", "江東区東雲1-9-10-1205", ""],
            ["R2", "3000000777", "中村 美咲", "ナカムラ ミサキ", "1979-12-03", "2", "江東区東雲2-7-3", ""],
        ],
    )  # fmt: skip
    # then: one person, both numbers
    assert person["registry", "R1"] == person["registry", "R2"]


def test_it_links_the_ikeda_ritsu_pair(tmp_path: Path) -> None:
    # given: the child record keeps her older number; the registry has her
    # twice, and she lives at the 東雲 address both the record and the newer
    # registry record give
    person = _link(
        tmp_path,
        [
            ["R1", "3000000101", "池田 律", "イケダ リツ", "2022-11-11", "2", "江東区東雲1-8-2-406", ""],
            ["R2", "3000000102", "池田　律", "イケダ　リツ", "令和4年11月11日", "2", "江東区東雲二丁目5番1号", ""],
        ],
        child=[["K1", "3000000101", "池田 律", "いけだ りつ", "2022/11/11", "女", "東雲2-5-1", ""]],
    )  # fmt: skip
    # then: the department record and both registry records are one person
    assert person["child", "K1"] == person["registry", "R2"] == person["registry", "R1"]


def test_it_links_a_note_with_a_surname_and_an_approximate_birth_year(tmp_path: Path) -> None:
    # given: a community worker knows only 山本, 昭和63年頃, and the address,
    # where a father (1958) and his son (1988) live
    person = _link(
        tmp_path, [], csw=[["W1", "", "山本", "", "昭和63年頃", "", "江東区枝川一丁目9番9号", ""]]
    )
    # then: the note is the son's, not the father's
    assert person["csw", "W1"] == person["registry", "N8"]
    assert person["registry", "N7"] != person["registry", "N8"]


def test_it_links_an_age_band_note_to_the_one_of_that_age(tmp_path: Path) -> None:
    # given: 60代 on 2026-04-01 is born 1956-1966: the father, not the son
    person = _link(
        tmp_path, [], csw=[["W1", "", "山本", "ヤマモト", "60代", "男", "枝川1-9-9", ""]]
    )
    # then
    assert person["csw", "W1"] == person["registry", "N7"]
    assert person["registry", "N7"] != person["registry", "N8"]


def test_it_links_a_maiden_name_with_an_earlier_address(tmp_path: Path) -> None:
    # given: the older registry record keeps her maiden surname and the
    # address she lived at before marrying, under another number
    person = _link(
        tmp_path,
        [
            ["R1", "3000000201", "伊藤 由美", "イトウ ユミ", "1988-09-09", "2", "江東区木場1-2-3", "090-1234-5678"],
            ["R2", "3000000909", "山本 由美", "ヤマモト ユミ", "1988-09-09", "2", "江東区木場5-8-1-203", "090-1234-5678"],
        ],
    )  # fmt: skip
    # then
    assert person["registry", "R1"] == person["registry", "R2"]


def test_it_keeps_twins_and_a_father_and_son_of_one_name_apart(tmp_path: Path) -> None:
    # given: twins (one surname, birth date and address, two given names), a
    # father and son both 鈴木 博 at one address, and notes that could be any
    # of them
    person = _link(
        tmp_path,
        [],
        csw=[
            ["W1", "", "佐藤", "サトウ", "", "", "江東区北砂3-12-5", ""],
            ["W2", "", "鈴木 博", "スズキ ヒロシ", "", "1", "江東区亀戸2-3-9", "03-3681-2222"],
        ],
    )
    # then: four people, whatever the notes joined
    assert person["registry", "N3"] != person["registry", "N4"]
    assert person["registry", "N5"] != person["registry", "N6"]


def test_it_keeps_namesakes_born_the_same_day_in_two_towns_apart(tmp_path: Path) -> None:
    # given: two 小林 誠 born the same day under two numbers, in two towns
    person = _link(
        tmp_path,
        [
            ["R1", "3000000301", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区亀戸6-1-1", ""],
            ["R2", "3000000302", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区南砂6-9-9", ""],
        ],
    )  # fmt: skip
    # then: not linked: nothing but name and birth date says they are one
    assert person["registry", "R1"] != person["registry", "R2"]
