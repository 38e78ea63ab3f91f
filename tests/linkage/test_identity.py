"""Identity rules beyond the hand-written ward: a resident number shared
across sources decides whatever the spelling; honorifics do not split."""

from __future__ import annotations

from pathlib import Path

from tsunagari.linkage.engine import LinkOptions, link_directory

from .helpers import person_of, write_csv

HEADER = ["record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex", "address"]
REGISTRY = [
    ["R1", "4878844817", "TRAN DUC MINH", "チャン　ドゥック　ミン", "2016-03-06", "1", "江東区大島4-5-6-301"],
    ["R2", "1000000002", "大西 悟", "オオニシ サトル", "1960-01-25", "1", "江東区森下1-12-6-105"],
    ["R3", "1000000003", "木村 次郎", "キムラ ジロウ", "1955-05-05", "1", "江東区亀戸2-3-4"],
    ["R4", "1000000004", "佐藤 健太", "サトウ ケンタ", "1985-07-07", "1", "江東区北砂3-12-5"],
    ["R5", "1000000005", "佐藤 健二", "サトウ ケンジ", "1985-07-07", "1", "江東区北砂3-12-5"],
]  # fmt: skip


def _link(tmp_path: Path, other: list[list[str]]) -> dict[tuple[str, str], str]:
    write_csv(tmp_path / "in" / "registry.csv", HEADER, REGISTRY)
    write_csv(tmp_path / "in" / "csw.csv", HEADER, other)
    link_directory(tmp_path / "in", tmp_path / "out", LinkOptions())
    return person_of(tmp_path / "out")


def test_it_links_one_resident_number_written_in_two_scripts(tmp_path: Path) -> None:
    # The registry writes the name in Latin letters, the child record in katakana.
    person = _link(
        tmp_path,
        [["C1", "4878844817", "チャン・ドゥック ミン", "トランドクミン", "2016/3/6", "男",
          "大島四丁目5番6号301"]],
    )  # fmt: skip
    assert person["csw", "C1"] == person["registry", "R1"]
    # Twins (no number in common) stay two people.
    assert person["registry", "R4"] != person["registry", "R5"]


def test_it_does_not_let_a_shared_number_join_different_birth_dates(tmp_path: Path) -> None:
    # The same number on a record of someone born 30 years apart is a typing
    # error, not one person.
    person = _link(
        tmp_path,
        [
            [
                "C1",
                "1000000003",
                "木村 一郎",
                "キムラ イチロウ",
                "1925-01-01",
                "1",
                "江東区亀戸2-3-4",
            ]
        ],
    )
    assert person["csw", "C1"] != person["registry", "R3"]


def test_it_links_a_name_written_with_an_honorific(tmp_path: Path) -> None:
    person = _link(
        tmp_path,
        [["C1", "", "大西悟 様", "", "19600125", "", "森下１－１２－６－１０５"]],
    )
    assert person["csw", "C1"] == person["registry", "R2"]


def test_it_links_the_smallest_input_two_records_of_one_person(tmp_path: Path) -> None:
    # Every pair matches the rules here: more than the prior's recall allows.
    one = ["A1", "", "山田 花子", "ヤマダ ハナコ", "1960-01-02", "2", "江東区北砂3-12-5"]
    write_csv(tmp_path / "in" / "registry.csv", HEADER, [one])
    write_csv(tmp_path / "in" / "care.csv", HEADER, [["B1", *one[1:]]])
    summary = link_directory(tmp_path / "in", tmp_path / "out", LinkOptions())
    person = person_of(tmp_path / "out")
    assert summary.people == 1
    assert person["registry", "A1"] == person["care", "B1"]
