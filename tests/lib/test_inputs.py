"""The shared input checks of the actions: text and dates, with what to fix."""

from __future__ import annotations

from datetime import date

import pytest

from tsunagari.lib.inputs import Reader

pytestmark = pytest.mark.nodb

read = Reader(lambda message: f"<{message}>")  # shows that every message is translated


def test_text_is_stripped_and_an_empty_field_is_refused_only_when_required() -> None:
    errors: dict[str, str] = {}
    assert read.text("  北砂  ", "town", errors, limit=2) == "北砂"
    assert read.text(None, "note", errors, limit=10) == ""
    assert errors == {}
    read.text(" ", "reason", errors, limit=10, required="理由を入力してください。")
    assert errors == {"reason": "理由を入力してください。"}


@pytest.mark.parametrize(
    ("value", "message"),
    [("a\x00b", "<使えない文字が含まれています。>"), ("abcd", "<3文字以内で入力してください。>"),
     (12, "<文字で入力してください。>")],
)  # fmt: skip
def test_text_refuses_what_cannot_be_saved_with_what_to_fix(value: object, message: str) -> None:
    errors: dict[str, str] = {}
    assert read.text(value, "f", errors, limit=3) == ("" if value == 12 else str(value))
    assert errors == {"f": message.replace("%(limit)s", "3")}


def test_a_date_is_read_from_iso_text_and_a_bad_one_says_the_form() -> None:
    errors: dict[str, str] = {}
    assert read.date(" 2026-04-01 ", "on", errors) == date(2026, 4, 1)
    assert read.date(date(2026, 5, 1), "on", errors) == date(2026, 5, 1)
    assert read.date("", "on", errors) is None and errors == {}
    assert read.date("", "on", errors, required="日付を入力してください。") is None
    assert errors == {"on": "日付を入力してください。"}
    assert read.date("4月1日", "day", errors) is None
    assert errors["day"] == "<日付は 2026-04-01 の形で入力してください。>"


WHEN = {"today": date(2026, 5, 1), "earliest": date(2000, 1, 1)}


def test_a_past_date_may_be_today_or_the_earliest_day() -> None:
    errors: dict[str, str] = {}
    assert read.past_date("2026-05-01", "on", errors, **WHEN) == date(2026, 5, 1)
    assert read.past_date(date(2000, 1, 1), "on", errors, **WHEN) == date(2000, 1, 1)
    assert errors == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [("2026-05-02", "<未来の日付は記録できません。実施した後に記録してください。>"),
     ("1999-12-31", "<%(year)s年より前の日付は記録できません。>"),
     ("5月1日", "<日付は 2026-04-01 の形で入力してください。>"), ("", "実施日を入力してください。")],
)  # fmt: skip
def test_a_past_date_refuses_tomorrow_a_slip_in_the_year_and_no_date(
    value: object, message: str
) -> None:
    errors: dict[str, str] = {}
    assert (
        read.past_date(value, "on", errors, required="実施日を入力してください。", **WHEN) is None
    )
    assert errors == {"on": message.replace("%(year)s", "2000")}


def test_a_count_reads_whole_numbers_and_nothing_as_zero() -> None:
    errors: dict[str, str] = {}
    assert read.count(" 12 ", "n", errors, limit=12, label="人数") == 12
    assert read.count(7, "n", errors, limit=12, label="人数") == 7
    assert read.count(None, "n", errors, limit=12, label="人数") == 0
    assert errors == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [("十二", "<%(label)sは半角の数字で入力してください。>"), (True, "<%(label)sは半角の数字で入力してください。>"),
     ("2.5", "<%(label)sは半角の数字で入力してください。>"), ("-1", "<%(label)sにマイナスの数は入力できません。>"),
     (5001, "<%(label)sが%(limit)sを超えています。入力の誤りがないか確かめてください。>")],
)  # fmt: skip
def test_a_count_refuses_words_fractions_negatives_and_slips(value: object, message: str) -> None:
    errors: dict[str, str] = {}
    assert read.count(value, "n", errors, limit=5000, label="人数") == 0
    assert errors == {"n": message % {"label": "人数", "limit": "5,000"}}
