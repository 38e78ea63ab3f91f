"""An index of the opportunities, built once, so a profile's hard constraints cut the
list with set operations before each remaining opportunity is checked in full. No Django.

The index only narrows: every candidate it returns is still checked by the
same rules as without it, so it can never let a broken constraint through;
it may only leave out what would have failed anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from tsunagari.participation.engine.model import Opportunity, Profile

__all__ = ["Catalogue"]


class Catalogue:
    """Opportunities with sets by meeting time, town, language, access and cost.

    Example:
        >>> from tsunagari.participation.engine.model import Slot
        >>> c = Catalogue([Opportunity("a", "x", "salon", "h", slots=(Slot(0, 600),)),
        ...                Opportunity("b", "y", "salon", "h", slots=(Slot(2, 900),))])
        >>> [c.items[i].id for i in c.candidates(Profile(free_times=frozenset({(0, "am")})))]
        ['a']
    """

    def __init__(self, opportunities: Iterable[Opportunity]) -> None:
        self.items: list[Opportunity] = list(opportunities)
        self.every: frozenset[int] = frozenset(range(len(self.items)))
        by_slot: dict[tuple[int, str], set[int]] = defaultdict(set)
        by_town: dict[str, set[int]] = defaultdict(set)
        by_language: dict[str, set[int]] = defaultdict(set)
        costs: dict[int, set[int]] = defaultdict(set)
        groups: dict[int, set[int]] = defaultdict(set)
        self.any_group: set[int] = set()
        self.open: set[int] = set()
        self.flexible: set[int] = set()
        self.step_free: set[int] = set()
        self.companion: set[int] = set()
        self.not_loud: set[int] = set()
        for i, o in enumerate(self.items):
            if not o.full:
                self.open.add(i)
            if o.flexible_time:
                self.flexible.add(i)
            for s in o.slots:
                by_slot[(s.day, s.period)].add(i)
            by_town[o.town].add(i)
            for code in o.languages:
                by_language[code].add(i)
            if o.cost_yen is not None:
                costs[o.cost_yen].add(i)
            if o.group_size is None:
                self.any_group.add(i)
            else:
                groups[o.group_size].add(i)
            if o.wheelchair is True:
                self.step_free.add(i)
            if o.companion_ok:
                self.companion.add(i)
            if o.sensory_friendly is not False:
                self.not_loud.add(i)
        self.by_slot = dict(by_slot)
        self.by_town = dict(by_town)
        self.by_language = dict(by_language)
        self._costs = sorted(costs.items())
        self._groups = sorted(groups.items())

    def __len__(self) -> int:
        return len(self.items)

    def candidates(
        self, profile: Profile, travel: Mapping[tuple[str, str], int] | None = None
    ) -> list[int]:
        """Positions of the opportunities that may meet the profile, in catalogue order.

        With a journey limit, only towns whose ride from the person's town is
        within it (or their own town) are kept: the walk only adds to the ride.
        """
        found = set(self.open)
        table = travel or {}
        if profile.max_travel_minutes is not None:
            limit = profile.max_travel_minutes
            home = profile.home_town
            near = [
                ids
                for town, ids in self.by_town.items()
                if home and town and (town == home or table.get((home, town), limit + 1) <= limit)
            ]
            found &= set().union(*near)
        if profile.free_times:
            timed = set(self.flexible)
            for key in profile.free_times:
                timed |= self.by_slot.get(key, set())
            found &= timed
        if profile.towns:
            found &= set().union(*(self.by_town.get(t, set()) for t in profile.towns))
        if profile.languages:
            found &= set().union(*(self.by_language.get(c, set()) for c in profile.languages))
        if profile.wheelchair:
            found &= self.step_free
        if profile.needs_companion:
            found &= self.companion
        if profile.sensory_needs:
            found &= self.not_loud
        if profile.max_group_size is not None:
            found &= self.any_group.union(
                *(ids for size, ids in self._groups if size <= profile.max_group_size)
            )
        if profile.max_cost_yen is not None:
            found &= set().union(
                *(ids for cost, ids in self._costs if cost <= profile.max_cost_yen)
            )
        return sorted(found)
