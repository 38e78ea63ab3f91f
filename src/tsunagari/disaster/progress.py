"""Counts by area: consent and plans per town (high-risk towns first), and the
safety-check picture during a disaster. Counts only, no names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tsunagari.disaster.models import (
    RELEASABLE,
    AreaPriority,
    EvacuationPlan,
    PlanStatus,
    RosterEntry,
    SafetyStatus,
)
from tsunagari.disaster.selection import declared_towns, latest_checks

#: Priority of a town not listed in AreaPriority.
DEFAULT_PRIORITY = 3


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class AreaProgress:
    town: str
    priority: int
    roster: int
    consenting: int
    plans_done: int
    plans_draft: int

    @property
    def plan_percent(self) -> int | None:
        return _percent(self.plans_done, self.roster)

    @property
    def consent_percent(self) -> int | None:
        return _percent(self.consenting, self.roster)


def area_progress() -> list[AreaProgress]:
    """Per town on the roster: people, consenting, plans made and in progress;
    by priority (zero-metre zones first), then fewest plans made."""
    priority = dict(AreaPriority.objects.values_list("town", "priority"))
    rows = list(RosterEntry.objects.filter(on_roster=True).values_list("person_id", "person__town",
                                                                       "consent"))  # fmt: skip
    plans = dict(
        EvacuationPlan.objects.filter(person_id__in=[r[0] for r in rows]).values_list(
            "person_id", "status"
        )
    )
    roster: Counter[str] = Counter()
    consenting: Counter[str] = Counter()
    done: Counter[str] = Counter()
    draft: Counter[str] = Counter()
    for pid, town, consent in rows:
        roster[town] += 1
        consenting[town] += consent in RELEASABLE
        done[town] += plans.get(pid) == PlanStatus.DONE
        draft[town] += plans.get(pid) == PlanStatus.DRAFT
    areas = [
        AreaProgress(
            t or "—", priority.get(t, DEFAULT_PRIORITY), n, consenting[t], done[t], draft[t]
        )
        for t, n in roster.items()
    ]
    return sorted(areas, key=lambda a: (a.priority, a.plan_percent or 0, a.town))


@dataclass
class BoardRow:
    town: str
    total: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def unchecked(self) -> int:
        return self.total - sum(self.counts.values())


def safety_board() -> list[BoardRow]:
    """Per declared town: people on the roster and their latest safety status."""
    declared = declared_towns()
    if not declared:
        return []
    entries = list(
        RosterEntry.objects.filter(on_roster=True, person__town__in=list(declared)).values_list(
            "person_id", "person__town"
        )
    )
    latest = latest_checks(sorted({d.pk for d in declared.values()}))
    rows = {town: BoardRow(town, 0, {s: 0 for s in SafetyStatus.values}) for town in declared}
    for pid, town in entries:
        row = rows[town]
        row.total += 1
        check = latest.get(pid)
        if check is not None and check.declaration_id == declared[town].pk:
            row.counts[check.status] += 1
    return sorted(rows.values(), key=lambda r: (-r.counts[SafetyStatus.NEEDS_HELP], r.town))
