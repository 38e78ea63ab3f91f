"""One person written differently by two offices normalises to the same keys.

The contract lists the writings real extracts use: a full-width, half-width or
no space in names; readings in full-width katakana, half-width katakana or
hiragana; dates in ISO, slashes, compact digits and Japanese eras (also with
full-width digits); addresses with 丁目/番/号 or hyphens.
"""

from __future__ import annotations

from pathlib import Path

from tsunagari.linkage.engine.pipeline import load_records

from .helpers import write_csv

HEADER = ["record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex", "address"]
KEYS = ["sur_kanji", "giv_kanji", "sur_kana", "giv_kana", "dob", "addr_go"]
WRITINGS = [
    ["R1", "3000000102", "池田　律", "イケダ　リツ", "令和4年11月11日", "2", "東京都江東区東雲二丁目5番1号"],
    ["K1", "3000000101", "池田 律", "いけだ りつ", "2022/11/11", "女", "東雲2-5-1"],
    ["K2", "", "池田律", "ｲｹﾀﾞ ﾘﾂ", "R4.11.11", "", "江東区東雲２－５－１"],
    ["K3", "", "池田　律", "イケダリツ", "令和４年１１月１１日", "", "江東区東雲2丁目5-1"],
    ["K4", "", "池田 律", "いけだ　りつ", "20221111", "", "江東区東雲二丁目5番1号"],
]  # fmt: skip


def test_every_writing_of_one_person_gives_the_same_keys(tmp_path: Path) -> None:
    # given: the 池田 律 of issue 13 as five offices write her
    write_csv(tmp_path / "in" / "registry.csv", HEADER, WRITINGS[:1])
    write_csv(tmp_path / "in" / "child.csv", HEADER, WRITINGS[1:])
    records, warnings, _ = load_records(tmp_path / "in")
    # then: every name part, reading, date and address key agrees, with no warning
    assert warnings == []
    keys = records[KEYS].astype(object).to_numpy().tolist()
    assert all(row == keys[0] for row in keys), keys
    assert None not in keys[0]
