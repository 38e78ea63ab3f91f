"""The clocks of a report: when each step is due, on the wall clock.

Abuse does not keep office hours: the 48 hours to confirm a person's safety
(安全確認) run through nights, weekends and holidays, so these clocks count
hours from the report, never working days (``lib.calendar`` is for referrals).
Each limit is a setting read with a default, so the ward can shorten them:

* ``SAFEGUARDING_SAFETY_HOURS`` (48): safety confirmed after the report;
* ``SAFEGUARDING_FACTS_HOURS`` (168): fact finding (事実確認) done;
* ``SAFEGUARDING_DECISION_HOURS`` (336): the core-member meeting decided;
* ``SAFEGUARDING_MONITORING_DAYS`` (90): a monitoring review after the
  decision (or the last review).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

from tsunagari.safeguarding.models import Clock, State

if TYPE_CHECKING:
    from tsunagari.safeguarding.models import Report

__all__ = ["ClockState", "clocks_of", "limits", "running_clock"]


def limits() -> dict[str, timedelta]:
    """Each clock's length, from the settings (or the defaults)."""
    return {
        Clock.SAFETY: timedelta(hours=settings.SAFEGUARDING_SAFETY_HOURS),
        Clock.FACTS: timedelta(hours=settings.SAFEGUARDING_FACTS_HOURS),
        Clock.DECISION: timedelta(hours=settings.SAFEGUARDING_DECISION_HOURS),
        Clock.MONITORING: timedelta(days=settings.SAFEGUARDING_MONITORING_DAYS),
    }


@dataclass(frozen=True)
class ClockState:
    clock: str
    label: str
    due_at: datetime
    done_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        return self.done_at is None and now > self.due_at

    def late(self) -> bool:
        """Done, but after it was due."""
        return self.done_at is not None and self.done_at > self.due_at

    def hours_left(self, now: datetime) -> float:
        return (self.due_at - now).total_seconds() / 3600


def clocks_of(report: Report) -> list[ClockState]:
    """The report's clocks in order; none for a child's report once handed over
    (the child and family support centre's own clocks run from then)."""
    if report.state == State.HANDED_OVER:
        return []
    span = limits()
    labels = dict(Clock.choices)
    start = report.received_at
    rows = [
        ClockState(Clock.SAFETY, str(labels[Clock.SAFETY]), start + span[Clock.SAFETY],
                   report.safety_at),
        ClockState(Clock.FACTS, str(labels[Clock.FACTS]), start + span[Clock.FACTS],
                   report.facts_at),
        ClockState(Clock.DECISION, str(labels[Clock.DECISION]), start + span[Clock.DECISION],
                   report.decided_at),
    ]  # fmt: skip
    if report.decided_at is not None and report.state == State.MONITORING:
        since = max(report.decided_at, report.monitored_at or report.decided_at)
        rows.append(ClockState(Clock.MONITORING, str(labels[Clock.MONITORING]),
                               since + span[Clock.MONITORING], None))  # fmt: skip
    return rows


def running_clock(report: Report) -> ClockState | None:
    """The first clock not yet done (what the team works towards now)."""
    if not report.is_open:
        return None
    return next((c for c in clocks_of(report) if c.done_at is None), None)
