"""Response time limits for referrals, read from data/response_days.yaml.

Limits are counted in the ward's working days (``tsunagari.lib.calendar``):
weekends, national holidays, 年末年始 and the ward's closing days are skipped.
"""

from __future__ import annotations

from datetime import datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from tsunagari.lib.calendar import CalendarDataError, WorkingCalendar, load_closing_days

DATA = Path(__file__).resolve().parent / "data" / "response_days.yaml"


def _whole_days(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


@cache
def _load(path: Path = DATA) -> dict[str, Any]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if "holidays" in raw:
        raise ImproperlyConfigured(
            f"{path}: 'holidays' is no longer read here: list the ward's closing days in "
            "the file named by WARD_CLOSING_DAYS_FILE (tsunagari/lib/data/closing_days.yaml)."
        )
    kinds = raw.get("kinds") or {}
    default = raw.get("default")
    if not _whole_days(default):
        raise ImproperlyConfigured(f"{path}: 'default' must be a whole number of days (1 or more).")
    for kind, days in kinds.items():
        if not _whole_days(days):
            raise ImproperlyConfigured(
                f"{path}: days for {kind!r} must be a whole number, 1 or more."
            )
    return {"default": default, "kinds": dict(kinds)}


@cache
def _calendar(path: Path) -> WorkingCalendar:
    try:
        return WorkingCalendar(load_closing_days(path))
    except CalendarDataError as exc:
        raise ImproperlyConfigured(str(exc)) from exc


def working_calendar() -> WorkingCalendar:
    """The ward's calendar, with the closing days of settings.WARD_CLOSING_DAYS_FILE."""
    return _calendar(Path(settings.WARD_CLOSING_DAYS_FILE))


def check_data(**kwargs: Any) -> list[CheckMessage]:
    """System check: a bad limits or closing-days file stops start-up, not a referral."""
    try:
        _load()
        working_calendar()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="consultations.E001")]
    return []


def response_days(agency_kind: str) -> int:
    """Working days an agency of this kind has to answer a referral."""
    override: dict[str, int] = settings.REFERRAL_RESPONSE_DAYS
    if agency_kind in override:
        days = override[agency_kind]
        if not _whole_days(days):
            raise ImproperlyConfigured(
                f"REFERRAL_RESPONSE_DAYS[{agency_kind!r}] must be a whole number, 1 or more."
            )
        return days
    data = _load()
    return int(data["kinds"].get(agency_kind, data["default"]))


def due_at(sent_at: datetime, agency_kind: str) -> datetime:
    """The end of the last working day the receiving agency has to answer.

    The day of sending never counts: an agency with 3 days has until the end
    of the third working day after it, whether the referral was sent on a
    working day, a weekend or a holiday (see WorkingCalendar.add_working_days).
    """
    local = timezone.localtime(sent_at).date()
    last = working_calendar().add_working_days(local, response_days(agency_kind))
    return timezone.make_aware(datetime.combine(last, time(23, 59, 59)))
