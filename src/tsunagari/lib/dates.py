"""Small date helpers shared by the apps. No Django import."""

from __future__ import annotations

from datetime import date


def age_on(born: date | None, on: date) -> int | None:
    """Age in whole years on ``on`` (None when the birth date is unknown).

    Example:
        >>> age_on(date(1945, 3, 2), date(2026, 3, 1))
        80
    """
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
