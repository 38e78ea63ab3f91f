"""Dates in Gregorian and Japanese era notations."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from tsunagari.text import ERAS, TextError, kanji_to_int, parse_date


@pytest.mark.parametrize(
    "text",
    [
        "1948-03-05",
        "1948/3/5",
        "1948.3.5",
        "19480305",
        "1948年3月5日",
        "昭和23年3月5日",
        "S23.3.5",
        "s23/3/5",
        "S.23.3.5",
        "昭23.3.5",
        "昭和２３年３月５日",
        "１９４８－０３－０５",
        "昭和二十三年三月五日",
        "一九四八年三月五日",
        "千九百四十八年三月五日",
        " 昭和 23年 3月 5日 ",
        "3230305",
        "1948-03-05 00:00:00",
        "1948-03-05T00:00",
        "1948／3／5",
    ],
)
def test_it_reads_every_notation_of_the_contract(text: str) -> None:
    assert parse_date(text) == date(1948, 3, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H1.1.8", date(1989, 1, 8)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("R6.2.29", date(2024, 2, 29)),
        ("㍻元年1月8日", date(1989, 1, 8)),
        ("大正元年7月30日", date(1912, 7, 30)),
        ("T15.12.24", date(1926, 12, 24)),
        ("明治45年7月29日", date(1912, 7, 29)),
        ("M1.1.25", date(1868, 1, 25)),
        ("明治元年1月25日", date(1868, 1, 25)),
        ("平成元年一月八日", date(1989, 1, 8)),
        ("昭和元年12月25日", date(1926, 12, 25)),
    ],
)
def test_it_reads_era_letters_names_and_gannen(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("大正15年12月25日", date(1926, 12, 25)),
        ("明治45年7月30日", date(1912, 7, 30)),
        ("大正元年7月30日", date(1912, 7, 30)),
    ],
)
def test_it_accepts_the_first_and_last_day_of_each_era(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "昭和64年1月8日",
        "平成31年5月1日",
        "平成元年1月7日",
        "令和元年4月30日",
        "大正15年12月26日",
        "昭和元年12月24日",
        "明治45年7月31日",
        "大正元年7月29日",
        "明治元年1月24日",
        "H31.5.1",
        "S64.1.8",
    ],
)
def test_it_rejects_a_day_outside_its_era(text: str) -> None:
    result = parse_date(text)
    assert isinstance(result, TextError)
    assert result.field == "date"
    assert "era" in result.reason
    assert "元号" in result.reason_ja


@pytest.mark.parametrize("text", ["2021-02-30", "昭和23年2月30日", "2023-02-29", "1948-04-31"])
def test_it_rejects_an_impossible_day(text: str) -> None:
    result = parse_date(text)
    assert isinstance(result, TextError)
    assert "day" in result.reason


def test_it_accepts_a_leap_day() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("平成12年2月29日") == date(2000, 2, 29)


def test_it_rejects_month_thirteen() -> None:
    result = parse_date("1948-13-01")
    assert isinstance(result, TextError)
    assert "month" in result.reason


def test_it_rejects_year_zero_of_an_era() -> None:
    result = parse_date("昭和0年1月1日")
    assert isinstance(result, TextError)
    assert "元年" in result.reason


def test_it_asks_for_month_and_day_when_only_the_year_is_given() -> None:
    result = parse_date("平成元年")
    assert isinstance(result, TextError)
    assert "month and day" in result.reason


def test_it_asks_for_the_era_when_only_gannen_is_given() -> None:
    result = parse_date("元年5月1日")
    assert isinstance(result, TextError)
    assert "era" in result.reason


def test_it_refuses_to_guess_the_century_of_a_two_digit_year() -> None:
    result = parse_date("48/3/5")
    assert isinstance(result, TextError)
    assert "century" in result.reason


@pytest.mark.parametrize(
    "text", ["", "  ", "abc", "1948", "3月5日", "昭和", "X23.3.5", "1948-03-05x", "9" * 100]
)
def test_it_rejects_text_that_is_not_a_date(text: str) -> None:
    result = parse_date(text)
    assert isinstance(result, TextError)
    assert result.reason and result.reason_ja


def test_it_keeps_the_era_table_contiguous() -> None:
    for earlier, later in itertools.pairwise(ERAS):
        assert earlier.last is not None
        # same-day changes (1912, 1926) overlap by one day, midnight ones do not
        assert (later.first - earlier.last).days in (0, 1)
    assert [e.first for e in ERAS] == [
        date(1868, 1, 25),
        date(1912, 7, 30),
        date(1926, 12, 25),
        date(1989, 1, 8),
        date(2019, 5, 1),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二十三", 23), ("十", 10), ("十五", 15), ("三十一", 31), ("百", 100), ("千九百四十八", 1948),
        ("一九四八", 1948), ("二〇二四", 2024), ("元", 1), ("壱", 1), ("参拾", 30), ("23", 23),
    ],
)  # fmt: skip
def test_it_reads_kanji_numerals(text: str, value: int) -> None:
    assert kanji_to_int(text) == value


@pytest.mark.parametrize(
    "text", ["", "十十", "二三十", "百千", "abc", "１a", "元元", "一二三四五六七八九十"]
)
def test_it_refuses_text_that_is_not_a_kanji_numeral(text: str) -> None:
    assert kanji_to_int(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("S230305", date(1948, 3, 5)), ("h010108", date(1989, 1, 8)), ("R010501", date(2019, 5, 1))],
)
def test_it_reads_the_compact_era_letter_code(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_it_reads_a_date_followed_by_its_weekday() -> None:
    assert parse_date("2019年5月1日(水)") == date(2019, 5, 1)
    assert parse_date("令和元年5月1日（水曜日）") == date(2019, 5, 1)


def test_it_rejects_a_date_whose_weekday_does_not_match() -> None:
    result = parse_date("2019年5月1日(木)")
    assert isinstance(result, TextError)
    assert "Wednesday" in result.reason
    assert "水曜日" in result.reason_ja


# Approximate birth dates (community workers' notes)

from tsunagari.text import BirthYears, parse_vague_birth  # noqa: E402

AS_OF = date(2026, 4, 1)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("昭和63年頃", (1987, 1989)),
        ("昭和６３年頃生まれ", (1987, 1989)),
        ("S63頃", (1987, 1989)),
        ("1988年", (1988, 1988)),
        ("1950年代", (1950, 1959)),
        ("80代", (1936, 1946)),
        ("80歳代", (1936, 1946)),
        ("80代後半", (1936, 1941)),
        ("91歳位", (1932, 1937)),
        ("九十歳くらい", (1933, 1938)),
        ("推定91歳", (1934, 1935)),
    ],
)
def test_it_reads_the_years_an_approximate_birth_date_allows(
    text: str, years: tuple[int, int]
) -> None:
    assert parse_vague_birth(text, AS_OF) == BirthYears(*years)


@pytest.mark.parametrize(
    "text", ["", "不明", "63年頃", "平成40年頃", "200歳", "85代", "1948-03-05", "x" * 10_000]
)
def test_it_refuses_what_is_no_approximate_birth_date(text: str) -> None:
    result = parse_vague_birth(text, AS_OF)
    assert isinstance(result, TextError)
    assert result.reason_ja
