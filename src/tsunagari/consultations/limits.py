"""Response time limits for referrals, read from data/response_days.yaml."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

DATA = Path(__file__).resolve().parent / "data" / "response_days.yaml"


@cache
def _load(path: Path = DATA) -> dict[str, Any]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    kinds = raw.get("kinds") or {}
    default = raw.get("default")
    if not isinstance(default, int) or default < 1:
        raise ImproperlyConfigured(f"{path}: 'default' must be a whole number of days (1 or more).")
    for kind, days in kinds.items():
        if not isinstance(days, int) or days < 1:
            raise ImproperlyConfigured(
                f"{path}: days for {kind!r} must be a whole number, 1 or more."
            )
    holidays = {date.fromisoformat(str(d)) for d in raw.get("holidays") or []}
    return {"default": default, "kinds": dict(kinds), "holidays": holidays}


def response_days(agency_kind: str) -> int:
    """Working days an agency of this kind has to answer a referral."""
    override = getattr(settings, "REFERRAL_RESPONSE_DAYS", None)
    if isinstance(override, dict) and agency_kind in override:
        return int(override[agency_kind])
    data = _load()
    return int(data["kinds"].get(agency_kind, data["default"]))


def add_working_days(start: date, days: int) -> date:
    holidays: set[date] = _load()["holidays"]
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def due_at(sent_at: datetime, agency_kind: str) -> datetime:
    """The end of the last working day the receiving agency has to answer."""
    local = timezone.localtime(sent_at).date()
    last = add_working_days(local, response_days(agency_kind))
    return timezone.make_aware(datetime.combine(last, time(23, 59, 59)))
