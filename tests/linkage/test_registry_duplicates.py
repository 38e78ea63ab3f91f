"""One person under two resident numbers in one source, and those who must stay apart.

The contract: a number "can be stale after re-registration, and one person can
appear in one source twice under two numbers (moved out and back in, a 住登外
record beside a later 住民 record, a data-entry duplicate); namesakes born on the
same day also exist". Each rule is also run with its assumption switched off,
to show the test depends on it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tsunagari.linkage.engine import LinkOptions, link_directory, model, pipeline

from .helpers import person_of, write_csv

HEADER = ["record_id", "resident_id", "household_id", "name_kanji", "name_kana", "birth_date",
          "sex", "address"]  # fmt: skip
AS_OF = date(2026, 4, 1)
#: A small ward: households of two or more, other names, dates and addresses.
WARD = [
    ["N1", "2000000001", "H01", "大西 悟", "オオニシ サトル", "1960-01-25", "1", "江東区森下1-12-6-105"],
    ["N2", "2000000002", "H01", "大西 恵", "オオニシ メグミ", "1962-04-02", "2", "江東区森下1-12-6-105"],
    ["N3", "2000000003", "H02", "木村 次郎", "キムラ ジロウ", "1955-05-05", "1", "江東区亀戸2-3-4"],
    ["N4", "2000000004", "H02", "木村 花子", "キムラ ハナコ", "1957-08-30", "2", "江東区亀戸2-3-4"],
    ["N5", "2000000005", "H03", "山本 正男", "ヤマモト マサオ", "1958-06-01", "1", "江東区枝川1-9-9"],
    ["N6", "2000000006", "H03", "山本 翔太", "ヤマモト ショウタ", "1988-09-20", "1", "江東区枝川1-9-9"],
]  # fmt: skip


def _link(tmp_path: Path, rows: list[list[str]]) -> dict[tuple[str, str], str]:
    write_csv(tmp_path / "in" / "registry.csv", HEADER, WARD + rows)
    link_directory(tmp_path / "in", tmp_path / "out", LinkOptions(as_of=AS_OF))
    return person_of(tmp_path / "out")


#: A 住登外 record (no 世帯番号: the person lived outside the ward) beside the
#: later 住民 record, in another town, under another number.
OUTSIDE_BESIDE_RESIDENT = [
    ["S1", "3000000001", "", "佐藤 由美", "サトウ ユミ", "1980-02-14", "2", "東京都台東区浅草2丁目19番5号"],
    ["R1", "3000000555", "H10", "佐藤 由美", "サトウ ユミ", "1980-02-14", "2", "江東区豊洲6-18-26-1203"],
    ["R2", "3000000556", "H10", "佐藤 大輔", "サトウ ダイスケ", "1978-11-30", "1", "江東区豊洲6-18-26-1203"],
]  # fmt: skip


def test_it_links_a_record_outside_the_household_list_to_the_later_resident(
    tmp_path: Path,
) -> None:
    # given: the 住登外 record and the later 住民 record of one woman
    person = _link(tmp_path, OUTSIDE_BESIDE_RESIDENT)
    # then: one person
    assert person["registry", "S1"] == person["registry", "R1"]
    assert person["registry", "R1"] != person["registry", "R2"]


def test_without_the_outside_record_rule_the_two_towns_keep_them_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the rule's assumption switched off: a record with no 世帯番号 in
    # the registry is treated like any live record
    monkeypatch.setattr(model, "OUTSIDE_RECORD_RULE", False)
    person = _link(tmp_path, OUTSIDE_BESIDE_RESIDENT)
    # then: two records in two towns under two numbers stay apart
    assert person["registry", "S1"] != person["registry", "R1"]


def test_it_keeps_namesakes_who_both_live_with_others_in_two_towns_apart(
    tmp_path: Path,
) -> None:
    # given: two 小林 誠 born the same day, each in a household of his own
    # family at the same time, in two towns
    person = _link(
        tmp_path,
        [
            ["R1", "3000000301", "H21", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区亀戸6-1-1"],
            ["R2", "3000000302", "H21", "小林 直子", "コバヤシ ナオコ", "1972-03-03", "2", "江東区亀戸6-1-1"],
            ["R3", "3000000303", "H22", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区南砂6-9-9"],
            ["R4", "3000000304", "H22", "小林 陽子", "コバヤシ ヨウコ", "1971-10-10", "2", "江東区南砂6-9-9"],
        ],
    )  # fmt: skip
    # then: two people
    assert person["registry", "R1"] != person["registry", "R3"]


def test_it_never_merges_twins_under_two_numbers(tmp_path: Path) -> None:
    # given: twins in one household, one birth date, two given names
    person = _link(
        tmp_path,
        [
            ["T1", "3000000401", "H30", "高橋 蓮", "タカハシ レン", "2015-05-05", "1", "江東区北砂3-12-5"],
            ["T2", "3000000402", "H30", "高橋 湊", "タカハシ ミナト", "2015-05-05", "1", "江東区北砂3-12-5"],
            ["T3", "3000000403", "H30", "高橋 真理", "タカハシ マリ", "1985-01-20", "2", "江東区北砂3-12-5"],
        ],
    )  # fmt: skip
    # then: three people
    assert len({person["registry", t] for t in ("T1", "T2", "T3")}) == 3


CARE_HEADER = [
    "record_id",
    "resident_id",
    "name_kanji",
    "name_kana",
    "birth_date",
    "sex",
    "address",
]
#: The record of someone who moved out and back in: the older number with its
#: own 世帯番号 at the older address in another town, beside the later record
#: in a family household. The care office kept the older number and was told
#: the new address.
MOVED_OUT_AND_BACK = [
    ["B1", "3000000001", "H11", "中村 美咲", "ナカムラ ミサキ", "1949-12-03", "2", "江東区大島9-5-5-1412"],
    ["A1", "3000000777", "H12", "中村 美咲", "ナカムラ ミサキ", "1949-12-03", "2", "江東区亀戸4-27-1-612"],
    ["A2", "3000000778", "H12", "中村 健", "ナカムラ ケン", "1975-06-01", "1", "江東区亀戸4-27-1-612"],
]  # fmt: skip
CARE = [["C1", "3000000001", "中村美咲", "ﾅｶﾑﾗ ﾐｻｷ", "S24.12.3", "2", "亀戸4-27-1-612"]]


def _link_with_care(tmp_path: Path) -> dict[tuple[str, str], str]:
    write_csv(tmp_path / "in" / "care.csv", CARE_HEADER, CARE)
    return _link(tmp_path, MOVED_OUT_AND_BACK)


def test_it_links_two_numbers_when_one_persons_records_give_the_others_address(
    tmp_path: Path,
) -> None:
    # given: both registry records are live entries in two towns (alone they
    # would go to review), and the care record joins them: the older number,
    # the newer address
    person = _link_with_care(tmp_path)
    # then: one person, her son apart
    assert person["registry", "B1"] == person["registry", "A1"] == person["care", "C1"]
    assert person["registry", "A1"] != person["registry", "A2"]


def test_without_the_address_history_rule_the_two_numbers_stay_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the rule switched off
    monkeypatch.setattr(pipeline, "ADDRESS_HISTORY_RULE", False)
    person = _link_with_care(tmp_path)
    # then: the chain through the care record does not join the two numbers
    assert person["registry", "B1"] != person["registry", "A1"]


def test_namesakes_with_records_of_their_own_stay_apart(tmp_path: Path) -> None:
    # given: two 小林 誠 born the same day, each living with family in two
    # towns, and a care record of the first at his own address
    write_csv(
        tmp_path / "in" / "care.csv",
        CARE_HEADER,
        [["C1", "3000000301", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区亀戸6-1-1"]],
    )
    person = _link(
        tmp_path,
        [
            ["R1", "3000000301", "H21", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区亀戸6-1-1"],
            ["R2", "3000000302", "H21", "小林 直子", "コバヤシ ナオコ", "1972-03-03", "2", "江東区亀戸6-1-1"],
            ["R3", "3000000303", "H22", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区南砂6-9-9"],
            ["R4", "3000000304", "H22", "小林 陽子", "コバヤシ ヨウコ", "1971-10-10", "2", "江東区南砂6-9-9"],
        ],
    )  # fmt: skip
    # then: two people; the care record is the first's
    assert person["registry", "R1"] != person["registry", "R3"]
    assert person["care", "C1"] == person["registry", "R1"]


#: Two live registry records, one name, reading and birth date, two numbers,
#: two towns, each with family: one person registered twice or namesakes.
TWICE_OR_NAMESAKES = [
    ["R1", "3000000301", "H21", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区亀戸6-1-1"],
    ["R2", "3000000302", "H21", "小林 直子", "コバヤシ ナオコ", "1972-03-03", "2", "江東区亀戸6-1-1"],
    ["R3", "3000000303", "H22", "小林 誠", "コバヤシ マコト", "1970-07-07", "1", "江東区南砂6-9-9"],
    ["R4", "3000000304", "H22", "小林 陽子", "コバヤシ ヨウコ", "1971-10-10", "2", "江東区南砂6-9-9"],
]  # fmt: skip


def _review_keys(out: Path) -> set[frozenset[str]]:
    review = pd.read_csv(out / "review.csv", dtype=str)
    return {
        frozenset((left, right))
        for left, right in zip(review["record_id_l"], review["record_id_r"], strict=True)
    }


def test_it_sends_two_numbers_with_one_name_and_birth_date_to_review(tmp_path: Path) -> None:
    # given: the pair scores far below the review band (two live records in
    # two towns), and nothing else tells one person from namesakes
    person = _link(tmp_path, TWICE_OR_NAMESAKES)
    # then: not linked, but a person is asked
    assert person["registry", "R1"] != person["registry", "R3"]
    assert frozenset(("R1", "R3")) in _review_keys(tmp_path / "out")


def test_without_the_review_rule_the_pair_is_left_unseen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "TWICE_TO_REVIEW", False)
    _link(tmp_path, TWICE_OR_NAMESAKES)
    assert frozenset(("R1", "R3")) not in _review_keys(tmp_path / "out")


#: The same moved-out-and-back person; the health office kept the older
#: number and wrote the newer address down to the block only (亀戸4-27).
CARE_AT_THE_BLOCK = [["C1", "3000000001", "中村美咲", "ﾅｶﾑﾗ ﾐｻｷ", "S24.12.3", "2", "亀戸4-27"]]


def _link_with_care_at_the_block(tmp_path: Path) -> dict[tuple[str, str], str]:
    write_csv(tmp_path / "in" / "care.csv", CARE_HEADER, CARE_AT_THE_BLOCK)
    return _link(tmp_path, MOVED_OUT_AND_BACK)


def test_a_block_in_her_history_links_her_two_numbers(tmp_path: Path) -> None:
    # given: the older number with the newer address's 番 (亀戸4-27)
    person = _link_with_care_at_the_block(tmp_path)
    # then: one person
    assert person["registry", "B1"] == person["registry", "A1"] == person["care", "C1"]


def test_without_the_block_history_rule_a_block_is_not_her_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "BLOCK_HISTORY_RULE", False)
    person = _link_with_care_at_the_block(tmp_path)
    assert person["registry", "B1"] != person["registry", "A1"]


def test_a_chome_alone_is_not_her_history(tmp_path: Path) -> None:
    # given: the care record gives the 丁目 only (亀戸4): too wide to tell
    # her from a namesake born the same day
    care = [["C1", "3000000001", "中村美咲", "ﾅｶﾑﾗ ﾐｻｷ", "S24.12.3", "2", "亀戸4"]]
    write_csv(tmp_path / "in" / "care.csv", CARE_HEADER, care)
    person = _link(tmp_path, MOVED_OUT_AND_BACK)
    assert person["registry", "B1"] != person["registry", "A1"]
