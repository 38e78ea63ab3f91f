from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tsunagari.consultations.limits import add_working_days, due_at, response_days

TOKYO = ZoneInfo("Asia/Tokyo")


def test_it_reads_the_limit_per_agency_kind() -> None:
    assert response_days("longevity_support_centre") == 3
    assert response_days("npo") == 7
    assert response_days("something_new") == 5  # the default


def test_it_skips_weekends() -> None:
    friday = date(2026, 11, 27)
    assert add_working_days(friday, 1) == date(2026, 11, 30)
    assert add_working_days(friday, 3) == date(2026, 12, 2)


def test_it_is_due_at_the_end_of_the_last_working_day() -> None:
    sent = datetime(2026, 11, 27, 16, 30, tzinfo=TOKYO)  # Friday afternoon
    due = due_at(sent, "longevity_support_centre").astimezone(TOKYO)
    assert (due.date(), due.hour, due.minute) == (date(2026, 12, 2), 23, 59)


def test_it_lets_settings_override_the_data(settings: Any) -> None:
    settings.REFERRAL_RESPONSE_DAYS = {"longevity_support_centre": 1}
    assert response_days("longevity_support_centre") == 1
