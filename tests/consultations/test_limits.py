from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from tsunagari.consultations.limits import (
    _load,
    check_data,
    due_at,
    response_days,
    working_calendar,
)

TOKYO = ZoneInfo("Asia/Tokyo")


def due_day(sent: datetime, kind: str) -> date:
    due = due_at(sent, kind).astimezone(TOKYO)
    assert (due.hour, due.minute) == (23, 59)
    return due.date()


def test_it_reads_the_limit_per_agency_kind() -> None:
    assert response_days("longevity_support_centre") == 3
    assert response_days("npo") == 7
    assert response_days("something_new") == 5  # the default


def test_it_skips_weekends() -> None:
    friday = date(2026, 11, 27)
    assert working_calendar().add_working_days(friday, 1) == date(2026, 11, 30)
    assert working_calendar().add_working_days(friday, 3) == date(2026, 12, 2)


def test_it_is_due_at_the_end_of_the_last_working_day() -> None:
    sent = datetime(2026, 11, 27, 16, 30, tzinfo=TOKYO)  # Friday afternoon
    assert due_day(sent, "longevity_support_centre") == date(2026, 12, 2)


def test_it_skips_the_year_end_closure_for_a_referral_sent_on_28_december() -> None:
    # given a referral sent on Monday 2026-12-28, the last working day of the year
    sent = datetime(2026, 12, 28, 15, 0, tzinfo=TOKYO)
    # when the receiver has 3 working days, then 12/29–1/3 do not count
    assert due_day(sent, "longevity_support_centre") == date(2027, 1, 6)
    # and with 7 days the weekend of 1/9–1/10 and 成人の日 (1/11) are skipped too
    assert due_day(sent, "npo") == date(2027, 1, 13)


def test_it_skips_a_national_holiday() -> None:
    # given a referral sent on Friday 2026-11-20, before 勤労感謝の日 (Monday 11/23)
    sent = datetime(2026, 11, 20, 10, 0, tzinfo=TOKYO)
    # then its 3 working days are 11/24, 11/25 and 11/26
    assert due_day(sent, "longevity_support_centre") == date(2026, 11, 26)


def test_it_skips_a_substitute_holiday() -> None:
    # 春分の日 2027 is a Sunday, so Monday 3/22 is 振替休日
    sent = datetime(2027, 3, 19, 10, 0, tzinfo=TOKYO)
    assert due_day(sent, "longevity_support_centre") == date(2027, 3, 25)


def test_it_counts_from_the_next_working_day_when_sent_on_a_holiday() -> None:
    # sent late on 12/30, inside the year-end closure: the count starts on 1/4
    sent = datetime(2026, 12, 30, 23, 30, tzinfo=TOKYO)
    assert due_day(sent, "longevity_support_centre") == date(2027, 1, 6)


def test_it_skips_a_ward_closing_day_from_the_data_file(settings: Any, tmp_path: Path) -> None:
    # given the ward closes on Monday 2027-03-15
    path = tmp_path / "closing_days.yaml"
    path.write_text("closing_days:\n  2027-03-15: 庁舎設備点検のため閉庁\n", encoding="utf-8")
    settings.WARD_CLOSING_DAYS_FILE = path
    # when a referral is sent on the Friday before, then the closing day does not count
    sent = datetime(2027, 3, 12, 10, 0, tzinfo=TOKYO)
    assert due_day(sent, "longevity_support_centre") == date(2027, 3, 18)
    assert working_calendar().closed_reason(date(2027, 3, 15)) == "庁舎設備点検のため閉庁"


def test_it_stops_on_a_bad_closing_days_file_naming_file_and_line(
    settings: Any, tmp_path: Path
) -> None:
    # given a closing day written with slashes on line 3
    path = tmp_path / "closing_days.yaml"
    path.write_text("closing_days:\n  2027-03-15: 点検\n  2027/08/21: 保守\n", encoding="utf-8")
    settings.WARD_CLOSING_DAYS_FILE = path
    # when a deadline is asked for, then it stops with the file, the line and the fix
    with pytest.raises(ImproperlyConfigured, match=r"closing_days\.yaml, line 3: .*YYYY-MM-DD"):
        due_at(datetime(2027, 3, 12, 10, 0, tzinfo=TOKYO), "npo")
    # and the system check reports it at start-up
    errors = check_data()
    assert [e.id for e in errors] == ["consultations.E001"]
    assert "line 3" in errors[0].msg


def test_it_passes_the_system_check_with_the_shipped_data() -> None:
    assert check_data() == []


def test_it_points_old_holidays_in_the_limits_file_to_the_closing_days(tmp_path: Path) -> None:
    path = tmp_path / "response_days.yaml"
    path.write_text("default: 5\nholidays: [2027-03-15]\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=r"closing_days\.yaml"):
        _load(path)


def test_it_declares_the_override_setting_empty() -> None:
    assert django_settings.REFERRAL_RESPONSE_DAYS == {}


def test_it_lets_settings_override_the_data(settings: Any) -> None:
    settings.REFERRAL_RESPONSE_DAYS = {"longevity_support_centre": 1}
    assert response_days("longevity_support_centre") == 1
    assert response_days("npo") == 7


@pytest.mark.parametrize("days", [0, -3, "3", 2.5, True, None])
def test_it_refuses_an_override_that_is_not_a_whole_number_of_days(
    settings: Any, days: Any
) -> None:
    settings.REFERRAL_RESPONSE_DAYS = {"npo": days}
    with pytest.raises(ImproperlyConfigured, match=r"REFERRAL_RESPONSE_DAYS\['npo'\]"):
        response_days("npo")
