"""Small date helpers shared by the apps. No Django import."""

from __future__ import annotations

from datetime import date
from typing import overload


@overload
def age_on(born: date, on: date) -> int: ...
@overload
def age_on(born: None, on: date) -> None: ...
@overload
def age_on(born: date | None, on: date) -> int | None: ...


def age_on(born: date | None, on: date) -> int | None:
    """Age in whole years on ``on`` (None when the birth date is unknown).

    The one age rule of the project: a person born on 29 February is a year
    older on 1 March of a common year. (The linkage engine keeps a vectorised
    copy over whole columns of text dates, ``linkage.engine.households._age``.)

    Example:
        >>> age_on(date(1945, 3, 2), date(2026, 3, 1))
        80
    """
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
