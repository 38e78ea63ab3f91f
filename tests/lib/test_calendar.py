"""The working-day calendar: weekends, national holidays, 年末年始 and ward closing days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from holidays.countries.japan import Japan

from tsunagari.lib import calendar as calendar_module
from tsunagari.lib.calendar import (
    CLOSING_DAYS,
    FIRST_YEAR,
    LAST_YEAR,
    CalendarDataError,
    WorkingCalendar,
    load_closing_days,
)

CAL = WorkingCalendar()


def closing_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "closing_days.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_skips_the_year_end_closure_and_the_weekend_after_it() -> None:
    # given a referral sent on Monday 2026-12-28, the last working day of the year
    sent = date(2026, 12, 28)
    # when 3, 5 and 7 working days are counted
    # then 12/29–1/3 are skipped, then the weekend of 1/9–1/10 and 成人の日 (1/11)
    assert CAL.add_working_days(sent, 1) == date(2027, 1, 4)
    assert CAL.add_working_days(sent, 3) == date(2027, 1, 6)
    assert CAL.add_working_days(sent, 5) == date(2027, 1, 8)
    assert CAL.add_working_days(sent, 7) == date(2027, 1, 13)


def test_it_names_why_each_day_of_the_year_end_is_closed() -> None:
    reasons = [CAL.closed_reason(date(2026, 12, 29) + timedelta(days=i)) for i in range(6)]
    assert reasons == ["年末年始", "年末年始", "年末年始", "元日", "年末年始", "年末年始"]
    assert CAL.closed_reason(date(2026, 12, 28)) is None
    assert CAL.closed_reason(date(2027, 1, 4)) is None


def test_it_skips_a_national_holiday_and_names_it() -> None:
    # given Friday 2026-11-20, before 勤労感謝の日 on Monday 11/23
    # when one working day is counted, then Monday is skipped
    assert CAL.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 24)
    assert CAL.closed_reason(date(2026, 11, 23)) == "勤労感謝の日"
    assert not CAL.is_working_day(date(2026, 11, 23))
    assert CAL.closed_reason(date(2027, 1, 11)) == "成人の日"


def test_it_skips_a_substitute_holiday() -> None:
    # given 春分の日 2027 falls on Sunday 3/21, so Monday 3/22 is 振替休日
    assert CAL.closed_reason(date(2027, 3, 21)) == "春分の日"
    assert CAL.closed_reason(date(2027, 3, 22)) == "振替休日"
    # when a day is counted from Friday 3/19, then Monday is skipped
    assert CAL.add_working_days(date(2027, 3, 19), 1) == date(2027, 3, 23)
    # and Golden Week 2026: 憲法記念日 on Sunday moves to Wednesday 5/6
    assert CAL.closed_reason(date(2026, 5, 6)) == "振替休日"
    assert CAL.add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 7)


def test_it_skips_a_citizens_holiday_between_two_holidays() -> None:
    # 敬老の日 (9/21) and 秋分の日 (9/23) in 2026 make 9/22 国民の休日
    assert CAL.closed_reason(date(2026, 9, 22)) == "国民の休日"
    assert CAL.add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 24)


def test_it_names_weekends() -> None:
    assert CAL.closed_reason(date(2026, 11, 28)) == "土曜日"
    assert CAL.closed_reason(date(2026, 11, 29)) == "日曜日"
    # a holiday on a Sunday is named as the holiday
    assert CAL.closed_reason(date(2026, 5, 3)) == "憲法記念日"


def test_it_skips_a_ward_closing_day_from_the_data_file(tmp_path: Path) -> None:
    # given a file closing the ward on Monday 2027-03-15
    path = closing_file(
        tmp_path, "# 区の閉庁日\nclosing_days:\n  2027-03-15: 庁舎設備点検のため閉庁\n"
    )
    # when the calendar is built from it
    cal = WorkingCalendar(load_closing_days(path))
    # then that day is closed, with the ward's label, and deadlines skip it
    assert cal.closed_reason(date(2027, 3, 15)) == "庁舎設備点検のため閉庁"
    assert cal.add_working_days(date(2027, 3, 12), 1) == date(2027, 3, 16)
    assert CAL.add_working_days(date(2027, 3, 12), 1) == date(2027, 3, 15)


def test_it_does_not_count_the_start_day_even_when_it_is_closed() -> None:
    # Saturday, Sunday and the holiday Monday all count from the next working day
    for start in (date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23)):
        assert CAL.add_working_days(start, 1) == date(2026, 11, 24)
    assert CAL.add_working_days(date(2026, 11, 24), 1) == date(2026, 11, 25)


def test_it_rolls_zero_days_forward_to_a_working_day() -> None:
    assert CAL.add_working_days(date(2026, 11, 24), 0) == date(2026, 11, 24)
    assert CAL.add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 24)
    assert CAL.add_working_days(date(2026, 12, 29), 0) == date(2027, 1, 4)


def test_it_counts_working_days_between_as_the_inverse_of_adding_them() -> None:
    for offset in range(0, 400, 3):
        start = date(2026, 1, 1) + timedelta(days=offset)
        for n in (1, 2, 3, 5, 7, 20):
            end = CAL.add_working_days(start, n)
            assert CAL.working_days_between(start, end) == n
            assert CAL.working_days_between(end, start) == -n
    assert CAL.working_days_between(date(2026, 12, 28), date(2026, 12, 28)) == 0


def test_it_counts_between_the_same_as_day_by_day() -> None:
    start, end = date(2025, 12, 20), date(2028, 1, 10)
    by_day = sum(
        CAL.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )
    assert CAL.working_days_between(start, end) == by_day


def test_it_works_out_each_years_holidays_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a count of how often the holidays package is asked
    asked: list[Any] = []
    real = Japan

    def counting(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(calendar_module, "Japan", counting)
    cal = WorkingCalendar()
    # when many days of two years are asked about
    cal.add_working_days(date(2026, 12, 1), 40)
    cal.working_days_between(date(2026, 1, 1), date(2027, 12, 31))
    # then each year was worked out once
    assert sorted(asked) == [2026, 2027]


def test_it_loads_the_closing_days_shipped_with_the_package() -> None:
    days = load_closing_days(CLOSING_DAYS)
    assert all(isinstance(d, date) and label for d, label in days.items())


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "closing_days:\n", "closing_days: {}\n"])
def test_it_accepts_a_file_without_closing_days(tmp_path: Path, text: str) -> None:
    assert load_closing_days(closing_file(tmp_path, text)) == {}


@pytest.mark.parametrize(
    ("text", "line", "fix"),
    [
        ("closing_days:\n  2027/03/15: 点検\n", 2, "YYYY-MM-DD"),
        ("closing_days:\n  2027-03-15: 点検\n  2027-02-30: 点検\n", 3, "not a day"),
        ("closing_days:\n  2027-03-15:\n", 2, "needs its reason"),
        ("closing_days:\n  2027-03-15: ''\n", 2, "needs its reason"),
        ("closing_days:\n  2027-03-15: 点検\n  2027-03-15: 保守\n", 3, "already listed on line 2"),
        ("closing_days:\n  - 2027-03-15\n", 2, "one day per line"),
        ("closing_days: 2027-03-15\n", 1, "one day per line"),
        ("holidays:\n  2027-03-15: 点検\n", 1, "unknown key 'holidays'"),
        ("closing_days:\n  2027-03-15: [点検\n", 3, "not valid YAML"),
        ("closing_days:\n  2200-03-15: 点検\n", 2, f"{FIRST_YEAR}–{LAST_YEAR}"),
        ("closing_days:\n  2027-03-15: " + "長" * 61 + "\n", 2, "60 characters"),
        ("closing_days:\n  2027-03-15: {a: b}\n", 2, "needs its reason"),
        ("- 2027-03-15\n", 1, "must start with 'closing_days:'"),
    ],
)
def test_it_refuses_a_bad_file_naming_the_file_and_the_line(
    tmp_path: Path, text: str, line: int, fix: str
) -> None:
    # given a closing-days file with a mistake
    path = closing_file(tmp_path, text)
    # when it is loaded
    with pytest.raises(CalendarDataError) as caught:
        load_closing_days(path)
    # then the message names the file, the line and what to fix
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}: ")
    assert fix in message
    assert caught.value.line == line


def test_it_refuses_a_missing_file_or_one_not_in_utf8(tmp_path: Path) -> None:
    with pytest.raises(CalendarDataError, match="does not exist"):
        load_closing_days(tmp_path / "missing.yaml")
    path = tmp_path / "sjis.yaml"
    path.write_bytes("closing_days:\n  2027-03-15: 点検\n".encode("cp932"))
    with pytest.raises(CalendarDataError, match=r"sjis\.yaml: the file is not UTF-8"):
        load_closing_days(path)


def test_it_refuses_a_huge_file_without_reading_it(tmp_path: Path) -> None:
    path = closing_file(tmp_path, "closing_days:\n" + "  # 点検\n" * 100_000)
    with pytest.raises(CalendarDataError, match="over 256 KB"):
        load_closing_days(path)


def test_it_refuses_a_datetime_which_would_miss_every_holiday() -> None:
    with pytest.raises(TypeError, match=r"\.date\(\)"):
        CAL.is_working_day(datetime(2026, 11, 23, 9, 0))  # a datetime is a date to mypy
    with pytest.raises(TypeError):
        CAL.add_working_days("2026-11-23", 1)  # type: ignore[arg-type]


@pytest.mark.parametrize("days", [True, 1.5, "3", None])
def test_it_refuses_days_that_are_not_a_whole_number(days: Any) -> None:
    with pytest.raises(TypeError):
        CAL.add_working_days(date(2026, 11, 20), days)


def test_it_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        CAL.add_working_days(date(2026, 11, 20), -1)


def test_it_refuses_years_the_holiday_data_does_not_cover() -> None:
    # a huge count stops at the last year instead of counting on without holidays
    with pytest.raises(ValueError, match=str(LAST_YEAR)):
        CAL.add_working_days(date(2026, 11, 20), 10**12)
    with pytest.raises(ValueError, match="outside"):
        CAL.is_working_day(date(LAST_YEAR + 1, 1, 5))
    with pytest.raises(ValueError, match="outside"):
        CAL.working_days_between(date(FIRST_YEAR - 1, 6, 1), date(2026, 1, 1))
    with pytest.raises(ValueError, match="outside"):
        WorkingCalendar({date(LAST_YEAR + 1, 3, 1): "点検"})


def test_it_counts_across_the_whole_covered_range() -> None:
    # the widest count is still answered, year by year rather than day by day
    count = CAL.working_days_between(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
    assert 240 * (LAST_YEAR - FIRST_YEAR) < count < 250 * (LAST_YEAR - FIRST_YEAR + 1)
