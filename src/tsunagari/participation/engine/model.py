"""What the matching engine reads: a person's profile and the opportunities. No Django import.

Both are plain frozen dataclasses, so the engine can be fed from the
directory (the app's adapter), from a benchmark or from a test alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "DAY_NAMES",
    "PERIOD_NAMES",
    "SMALL_GROUP",
    "Opportunity",
    "Profile",
    "Slot",
    "period_of",
]

# Monday first, as the ward's schedules (HSDS byday MO…SU) are read.
DAY_NAMES: tuple[str, ...] = ("月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜")
# Parts of the day a person can say they are free: morning, afternoon, evening.
PERIOD_NAMES: dict[str, str] = {"am": "午前", "pm": "午後", "eve": "夜"}
# A group of at most this many people is "少人数" in a reason.
SMALL_GROUP = 10


def period_of(minute: int) -> str:
    """The part of the day a slot starting at ``minute`` (after midnight) belongs to.

    Example:
        >>> period_of(9 * 60), period_of(13 * 60), period_of(18 * 60)
        ('am', 'pm', 'eve')
    """
    if minute < 12 * 60:
        return "am"
    if minute < 17 * 60:
        return "pm"
    return "eve"


@dataclass(frozen=True, order=True)
class Slot:
    """One weekly (or monthly) time an opportunity meets: ``day`` 0 = Monday."""

    day: int
    start: int  # minutes after midnight
    end: int = 0
    monthly: bool = False  # e.g. the second Saturday only

    @cached_property
    def period(self) -> str:
        return period_of(self.start)

    @property
    def label(self) -> str:
        """``月曜午後`` (``第2土曜`` style monthly days read ``土曜午前・月1回``)."""
        text = f"{DAY_NAMES[self.day]}{PERIOD_NAMES[self.period]}"
        return f"{text}・月1回" if self.monthly else text


@dataclass(frozen=True)
class Opportunity:
    """A place to take part: a directory service, a group, volunteering, work experience.

    ``None`` means the directory does not say; a hard constraint that needs
    the fact treats an unknown as not met (a wheelchair user is never sent to
    a place nobody has checked), a soft preference simply earns nothing.
    """

    id: str
    title: str
    kind: str  # the directory's kind (居場所, ボランティア …) or a created kind
    host: str  # the host organisation's id: variety counts per host
    town: str = ""
    interests: frozenset[str] = frozenset()  # taxonomy terms the opportunity is about
    seeks: frozenset[str] = frozenset()  # what the host would welcome people to offer
    slots: tuple[Slot, ...] = ()
    flexible_time: bool = False  # no fixed times: arranged with the host
    walk_minutes: int | None = None  # from the nearest station or bus stop
    cost_yen: int | None = None  # per visit; 0 is free
    group_size: int | None = None  # usual number of participants
    wheelchair: bool | None = None
    companion_ok: bool = True  # someone may come along
    sensory_friendly: bool | None = None  # quiet, calm light, a place to step out
    languages: frozenset[str] = frozenset({"ja"})
    capacity: int | None = None
    vacancies: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    keywords: tuple[str, ...] = ()  # words a person's goals may name (料理, 畑 …)

    @property
    def full(self) -> bool:
        return self.vacancies is not None and self.vacancies <= 0


@dataclass(frozen=True)
class Profile:
    """A person's wishes and constraints. Empty constraints do not restrict.

    Hard constraints: ``free_times``, ``towns``, ``max_travel_minutes``,
    ``wheelchair``, ``needs_companion``, ``max_cost_yen``, ``languages``,
    ``max_group_size``, ``sensory_needs``, ``age``. Soft preferences:
    ``interests``, ``offers``, ``prefers_small_groups``, shorter travel,
    lower cost, ``goals`` words.
    """

    interests: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    free_times: frozenset[tuple[int, str]] = frozenset()  # (day, "am"/"pm"/"eve")
    home_town: str = ""
    towns: frozenset[str] = frozenset()  # only these towns
    max_travel_minutes: int | None = None
    wheelchair: bool = False
    needs_companion: bool = False
    max_cost_yen: int | None = None
    languages: frozenset[str] = frozenset({"ja"})  # one of these must be spoken
    max_group_size: int | None = None
    prefers_small_groups: bool = False
    sensory_needs: bool = False
    age: int | None = None
    goals: str = ""
