"""Rank opportunities for a person: hard constraints first, then soft preferences. No Django.

The order of work, for each opportunity:

1. **Hard constraints** (never broken): not full; a meeting time inside the
   person's free times (or times arranged with the host); in one of the
   person's towns; within their travel limit; step-free for a wheelchair
   user; someone may come along when the person needs that; within the cost
   limit; a language the person speaks; not a group larger than they can
   bear; not a place known to be hard on the senses when they have sensory
   needs; their age within the opportunity's ages. A fact the directory does
   not record counts as not met for wheelchair access, travel, cost and
   language (nobody is sent somewhere on a guess); for group size and
   sensory needs only a known "no" excludes.
2. **Score** (whole points, so ties are real and broken by id): shared
   interests, what the person can offer that the host seeks, words of their
   goals, short travel, small groups when preferred, quiet places for
   sensory needs, free, several fitting times, known vacancies.
3. **Variety**: walking down the scored list, at most ``max_per_host`` from
   one host and ``max_per_kind`` of one kind are taken; only when the list
   cannot be filled otherwise are the skipped ones added, best first.
4. **Reasons**: a short Japanese line from the opportunity's own data, e.g.
   「月曜午後・徒歩15分・少人数」.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tsunagari.participation.engine.catalogue import Catalogue
from tsunagari.participation.engine.model import SMALL_GROUP, Opportunity, Profile, Slot

__all__ = [
    "LANGUAGE_LABELS",
    "Suggestion",
    "eligible",
    "rank",
    "reasons_for",
    "travel_minutes",
]

LANGUAGE_LABELS: dict[str, str] = {
    "ja": "日本語",
    "en": "英語",
    "zh": "中国語",
    "ko": "韓国語",
    "vi": "ベトナム語",
    "ne": "ネパール語",
    "tl": "タガログ語",
    "pt": "ポルトガル語",
}

# Points of the soft preferences (whole numbers: ties are exact).
W_INTEREST = 30
W_OFFER = 20
W_GOAL = 10
W_SMALL = 15
W_LARGE = -10
W_SENSORY = 10
W_FREE = 5
W_TIME = 4
W_VACANCY = 3
TRAVEL_POINTS = 20  # for no travel at all, one point less per 3 minutes
MAX_REASON_PARTS = 5


@dataclass(frozen=True)
class Suggestion:
    """One ranked opportunity: its score, the fitting times and why, in parts and as a line."""

    opportunity: Opportunity
    score: int
    fitting: tuple[Slot, ...]
    travel: int | None
    parts: tuple[tuple[str, str], ...]  # (what, text): ("time", "月曜午後") …

    @property
    def reason(self) -> str:
        return "・".join(text for _what, text in self.parts)


def travel_minutes(
    profile: Profile, opportunity: Opportunity, travel: Mapping[tuple[str, str], int]
) -> int | None:
    """Minutes from the person's town to the opportunity, or None when unknown.

    In the person's own town the walk from the nearest station or stop stands
    for the way there; to another town, the ride (``travel``) plus that walk.

    Example:
        >>> p = Profile(home_town="亀戸")
        >>> travel_minutes(p, Opportunity("1", "x", "ibasho", "h", town="亀戸", walk_minutes=7), {})
        7
        >>> o = Opportunity("2", "x", "ibasho", "h", town="大島", walk_minutes=5)
        >>> travel_minutes(p, o, {("亀戸", "大島"): 10})
        15
    """
    if not profile.home_town or not opportunity.town:
        return None
    if opportunity.town == profile.home_town:
        return opportunity.walk_minutes
    ride = travel.get((profile.home_town, opportunity.town))
    if ride is None:
        return None
    return ride + (opportunity.walk_minutes or 0)


def _fitting(profile: Profile, opportunity: Opportunity) -> tuple[Slot, ...]:
    if not profile.free_times:
        return opportunity.slots
    free = profile.free_times
    return tuple(s for s in opportunity.slots if (s.day, s.period) in free)


def eligible(
    profile: Profile,
    opportunity: Opportunity,
    travel: Mapping[tuple[str, str], int] | None = None,
) -> bool:
    """Whether every hard constraint of ``profile`` holds for ``opportunity``."""
    return _check(profile, opportunity, travel or {}) is not None


def _check(
    profile: Profile, o: Opportunity, travel: Mapping[tuple[str, str], int]
) -> tuple[tuple[Slot, ...], int | None] | None:
    """The fitting slots and travel minutes when every hard constraint holds, else None."""
    if o.vacancies is not None and o.vacancies <= 0:
        return None
    if profile.towns and o.town not in profile.towns:
        return None
    if profile.wheelchair and o.wheelchair is not True:
        return None
    if profile.needs_companion and not o.companion_ok:
        return None
    if profile.max_cost_yen is not None and (
        o.cost_yen is None or o.cost_yen > profile.max_cost_yen
    ):
        return None
    if profile.languages and not (profile.languages & o.languages):
        return None
    if profile.max_group_size is not None and (
        o.group_size is not None and o.group_size > profile.max_group_size
    ):
        return None
    if profile.sensory_needs and o.sensory_friendly is False:
        return None
    if profile.age is not None and (
        (o.min_age is not None and profile.age < o.min_age)
        or (o.max_age is not None and profile.age > o.max_age)
    ):
        return None
    fitting = _fitting(profile, o)
    if profile.free_times and not fitting and not o.flexible_time:
        return None
    if not o.slots and not o.flexible_time:
        return None  # no time at all: nothing to go to
    minutes = travel_minutes(profile, o, travel)
    if profile.max_travel_minutes is not None and (
        minutes is None or minutes > profile.max_travel_minutes
    ):
        return None
    return fitting, minutes


def _score(profile: Profile, o: Opportunity, fitting: tuple[Slot, ...], minutes: int | None) -> int:
    score = W_INTEREST * min(len(profile.interests & o.interests), 2)
    score += W_OFFER * min(len(profile.offers & o.seeks), 2)
    if profile.goals and o.keywords:
        score += W_GOAL * min(sum(1 for k in o.keywords if k and k in profile.goals), 2)
    if minutes is not None:
        score += max(0, TRAVEL_POINTS - minutes // 3)
    if profile.prefers_small_groups and o.group_size is not None:
        score += W_SMALL if o.group_size <= SMALL_GROUP else W_LARGE
    if profile.sensory_needs and o.sensory_friendly:
        score += W_SENSORY
    if o.cost_yen == 0:
        score += W_FREE
    score += W_TIME * min(len(fitting), 3)
    if o.vacancies is not None and o.vacancies > 0:
        score += W_VACANCY
    return score


def reasons_for(
    profile: Profile, o: Opportunity, fitting: tuple[Slot, ...], minutes: int | None
) -> tuple[tuple[str, str], ...]:
    """Why ``o`` suits ``profile``, in short parts read from the data, most telling first."""
    parts: list[tuple[str, str]] = []
    if fitting:
        parts.append(("time", fitting[0].label))
    elif o.flexible_time:
        parts.append(("time", "日時は相談"))
    if minutes is not None:
        if o.town == profile.home_town:
            parts.append(("travel", f"徒歩{minutes}分"))
        else:
            parts.append(("travel", f"{o.town}・約{minutes}分"))
    if o.group_size is not None and o.group_size <= SMALL_GROUP:
        parts.append(("group", "少人数"))
    shared = sorted(profile.interests & o.interests)
    if shared:
        parts.append(("interest", shared[0]))
    offered = sorted(profile.offers & o.seeks)
    if offered:
        parts.append(("offer", f"{offered[0]}を活かせる"))
    if o.cost_yen == 0:
        parts.append(("cost", "無料"))
    elif o.cost_yen is not None:
        parts.append(("cost", f"{o.cost_yen}円"))
    if profile.wheelchair and o.wheelchair:
        parts.append(("access", "車いす可"))
    if profile.needs_companion and o.companion_ok:
        parts.append(("companion", "付き添い可"))
    if profile.sensory_needs and o.sensory_friendly:
        parts.append(("sensory", "静かな環境"))
    spoken = sorted((profile.languages & o.languages) - {"ja"})
    if spoken:
        parts.append(("language", f"{LANGUAGE_LABELS.get(spoken[0], spoken[0])}可"))
    if o.vacancies is not None and o.vacancies > 0:
        parts.append(("vacancy", f"空き{o.vacancies}"))
    # Needs the person named come before comfort: they are what made it possible.
    needs = [p for p in parts if p[0] in {"access", "companion", "sensory", "language"}]
    rest = [p for p in parts if p not in needs]
    ordered = rest[:3] + needs + rest[3:]
    return tuple(ordered[:MAX_REASON_PARTS])


def rank(
    profile: Profile,
    opportunities: Catalogue | Iterable[Opportunity],
    *,
    travel: Mapping[tuple[str, str], int] | None = None,
    limit: int = 10,
    max_per_host: int = 2,
    max_per_kind: int = 3,
    exclude: Sequence[str] = (),
) -> list[Suggestion]:
    """The best ``limit`` opportunities for ``profile``, each with its reason.

    Args:
        profile: the person's wishes and constraints.
        opportunities: every candidate (full ones are left out here); a
            :class:`Catalogue` built once answers many profiles faster.
        travel: minutes by public transport between towns, ``(from, to)``.
        limit: how many suggestions at most.
        max_per_host: at most this many from one host, unless the list
            cannot be filled otherwise.
        max_per_kind: the same for one kind.
        exclude: opportunity ids already proposed to the person.

    Returns:
        Suggestions, best first; equal scores in the order of their ids.

    Example:
        >>> from tsunagari.participation.engine.model import Slot
        >>> o = Opportunity("a", "体操", "kayoi", "h1", town="亀戸", walk_minutes=15,
        ...                 slots=(Slot(0, 14 * 60),), group_size=8, cost_yen=0)
        >>> rank(Profile(home_town="亀戸"), [o])[0].reason
        '月曜午後・徒歩15分・少人数・無料'
    """
    table = travel or {}
    skip = set(exclude)
    pool: Iterable[Opportunity]
    if isinstance(opportunities, Catalogue):
        items = opportunities.items
        pool = (items[i] for i in opportunities.candidates(profile, table))
    else:
        pool = opportunities  # one profile: a scan costs less than building an index
    scored: list[tuple[int, str, Opportunity, tuple[Slot, ...], int | None]] = []
    for o in pool:
        if o.id in skip:
            continue
        checked = _check(profile, o, table)
        if checked is None:
            continue
        fitting, minutes = checked
        scored.append((-_score(profile, o, fitting, minutes), o.id, o, fitting, minutes))
    scored.sort(key=lambda row: (row[0], row[1]))
    picked: list[int] = []
    hosts: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for i, (_s, _id, o, _f, _m) in enumerate(scored):
        if len(picked) >= limit:
            break
        if hosts.get(o.host, 0) >= max_per_host or kinds.get(o.kind, 0) >= max_per_kind:
            continue
        picked.append(i)
        hosts[o.host] = hosts.get(o.host, 0) + 1
        kinds[o.kind] = kinds.get(o.kind, 0) + 1
    if len(picked) < limit:
        taken = set(picked)
        rest = [i for i in range(len(scored)) if i not in taken]
        picked.extend(rest[: limit - len(picked)])
    return [
        Suggestion(o, -neg, fitting, minutes, reasons_for(profile, o, fitting, minutes))
        for neg, _id, o, fitting, minutes in (scored[i] for i in picked)
    ]
