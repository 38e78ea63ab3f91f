"""The actions' clock: the time now, unless a caller sets it.

Every action reads the time from here, so the demo can replay six months of
a ward's work with each step at its own moment, and tests can fix the time,
without a ``now=`` parameter threaded through every function.

    with clock.frozen(datetime(2026, 12, 28, 10, tzinfo=JST)):
        send_referral(...)      # due date counted from 12/28
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

__all__ = ["frozen", "now", "today"]

_fixed: ContextVar[datetime | None] = ContextVar("tsunagari_clock", default=None)


def now() -> datetime:
    """The current time (aware), or the time a caller froze."""
    return _fixed.get() or timezone.now()


def today() -> date:
    """The local date of :func:`now`."""
    return timezone.localdate(now())


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Within the block, :func:`now` is ``at`` (which must be aware)."""
    if timezone.is_naive(at):
        raise ValueError("frozen() needs an aware datetime")
    token = _fixed.set(at)
    try:
        yield at
    finally:
        _fixed.reset(token)
