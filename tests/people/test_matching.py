from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagari.people.matching import Candidate, parse_query, score

TARO = Candidate(
    "ヤマダ",
    "タロウ",
    "ヤマダタロウ",
    "山田太郎",
    "山田",
    date(1948, 3, 5),
    "北砂3-12-5",
    "北砂3",
    "北砂",
    "0336401234",
)


@pytest.mark.parametrize(
    ("text", "kana", "born"),
    [
        ("やまだ たろう S23.3.5", "ヤマダタロウ", date(1948, 3, 5)),
        ("ﾔﾏﾀﾞ ﾀﾛｳ 昭和２３年３月５日", "ヤマダタロウ", date(1948, 3, 5)),
        ("昭和23年3月5日 ヤマダ　タロウ", "ヤマダタロウ", date(1948, 3, 5)),
        ("ヤマダタロウ 19480305", "ヤマダタロウ", date(1948, 3, 5)),
    ],
)
def test_it_reads_kana_and_dates_in_any_notation_and_order(
    text: str, kana: str, born: date
) -> None:
    q = parse_query(text)
    assert q.kana_full == kana
    assert q.birth_date == born


def test_it_reads_an_address_and_a_phone() -> None:
    q = parse_query("北砂３－１２－５ 03-3640-1234")
    assert q.address is not None and q.address.key == "北砂3-12-5"
    assert q.phone == "0336401234"


def test_it_folds_variant_kanji_in_names() -> None:
    assert parse_query("髙橋 一郎").name_full == parse_query("高橋 一郎").name_full


def test_it_lists_what_it_could_not_read() -> None:
    assert parse_query("ヤマダ 1948-02-30").problems == ("1948-02-30",)


def test_it_explains_a_match_in_a_consultants_words() -> None:
    s = score(parse_query("ヤマダ タロウ S23.3.5 北砂3"), TARO)
    assert s.reasons == ("カナ一致", "生年月日一致", "住所の丁目まで一致")


def test_it_still_matches_a_misspelt_kana_name() -> None:
    s = score(parse_query("ヤマダ タロ 1948-03-05"), TARO)
    assert "カナ類似（氏一致）" in s.reasons
    assert s.points >= 14


def test_it_notices_swapped_day_and_month() -> None:
    s = score(parse_query("ヤマダ タロウ 1948-05-03"), TARO)
    assert "生年月日（月日の入れ替わり）" in s.reasons


def test_it_penalises_a_different_birth_date() -> None:
    same = score(parse_query("ヤマダ タロウ 1948-03-05"), TARO).points
    other = score(parse_query("ヤマダ タロウ 1971-09-30"), TARO).points
    assert other < same - 10


def test_it_ignores_address_and_phone_when_the_viewer_may_not_see_them() -> None:
    s = score(parse_query("北砂3-12-5 03-3640-1234 ヤマダ"), TARO, use_contact=False)
    assert not any("住所" in r or "電話" in r for r in s.reasons)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_it_never_raises_on_arbitrary_text(text: str) -> None:
    q = parse_query(text)
    score(q, TARO)


def test_it_says_when_only_the_surname_reading_was_typed() -> None:
    s = score(parse_query("ヤマダ"), TARO)
    assert s.reasons == ("カナ（氏）一致",)
