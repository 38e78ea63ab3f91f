"""Where each app says which of the plan's figures it computes.

The plan app owns the policy system, targets, evaluations and reports; the
figures come from the apps that hold the records. Each app that counts
something for the plan keeps an ``indicators`` module (``tsunagari.<app>.
indicators``) that registers, at import:

* **indicators** of the plan's directions (``register_indicator``): a named
  query from a fiscal year to a :class:`Measure`;
* **programme items** of the five programmes' yearly report
  (``register_programme_item``): a named count for a fiscal year.

``discover()`` imports every installed app's ``indicators`` module once, so
the plan's command, pages and reports read one registry. Computations take
a :class:`FiscalYear` and read the database; they never suppress small cells
themselves (the plan app does, with ``lib.disclosure``, in one place) and
never return names: ``records`` lists what counted, as object references,
for those entitled to open them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

__all__ = [
    "PROGRAMMES",
    "FiscalYear",
    "Indicator",
    "Measure",
    "ProgrammeItem",
    "Unit",
    "counted",
    "discover",
    "indicators",
    "listed",
    "programme_items",
    "record_pages",
    "register_indicator",
    "register_programme_item",
    "register_record_page",
    "share",
]

# The five programmes of the layered support system, as the contract names them
# (../shared/contracts/indicators.md), with their Japanese names.
PROGRAMMES: dict[str, str] = {
    "consultation": "包括的相談支援事業",
    "participation": "参加支援事業",
    "community": "地域づくり事業",
    "outreach": "アウトリーチ等を通じた継続的支援事業",
    "multi_agency": "多機関協働事業",
}


@dataclass(frozen=True, order=True)
class FiscalYear:
    """Japanese fiscal year ``year``: ``year``-04-01 to ``year + 1``-03-31."""

    year: int

    @property
    def first_day(self) -> date:
        return date(self.year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.year + 1, 3, 31)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the ward's time zone, for ``at__gte/at__lt``."""
        from django.utils import timezone

        tz = timezone.get_current_timezone()
        start = datetime.combine(self.first_day, time.min, tzinfo=tz)
        end = datetime.combine(date(self.year + 1, 4, 1), time.min, tzinfo=tz)
        return start, end

    def during(self, field: str) -> dict[str, datetime]:
        """The filter of a date-time ``field`` within the year: ``filter(**fy.during("at"))``."""
        start, end = self.bounds()
        return {f"{field}__gte": start, f"{field}__lt": end}

    def days(self, field: str) -> dict[str, date]:
        """The filter of a date ``field`` within the year: ``filter(**fy.days("held_on"))``."""
        return {f"{field}__gte": self.first_day, f"{field}__lte": self.last_day}

    @classmethod
    def of(cls, day: date) -> FiscalYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def asked(cls, raw: str, today: date, *, ahead: int = 0, earliest: int = 2000) -> FiscalYear:
        """The year a page's ``?year=`` asks for, else the running one.

        Four digits from ``earliest`` to the running year (``ahead`` years
        beyond it) are that year; anything else is the running year.

        Example:
            >>> FiscalYear.asked("2024", date(2026, 5, 1)), FiscalYear.asked("2027", date(2026, 5, 1))
            (FiscalYear(year=2024), FiscalYear(year=2026))
        """
        current = cls.of(today)
        if raw.isascii() and raw.isdigit() and len(raw) == 4:
            year = int(raw)
            if earliest <= year <= current.year + ahead:
                return cls(year)
        return current

    def __str__(self) -> str:
        return f"{self.year}年度"


class Unit(StrEnum):
    PEOPLE = "人"
    CASES = "件"
    PLACES = "か所"
    PERCENT = "%"
    TIMES = "回"
    ORGANISATIONS = "団体"
    DAYS = "日"


@dataclass(frozen=True)
class Measure:
    """One indicator's figure for one fiscal year.

    ``value`` is a count or, for a rate, the percentage; a rate also gives its
    ``numerator`` and ``denominator`` counts so that a small one can be
    suppressed. ``value=None`` means no data for the year (not zero).
    ``records`` are ``(object_type, object_id)`` pairs of what counted.
    """

    value: float | int | None
    numerator: int | None = None
    denominator: int | None = None
    records: tuple[tuple[str, str], ...] = ()


def counted(rows: Any, object_type: str) -> Measure:
    """The count of ``rows`` (a query set) with what counted, in primary-key order.

    The measure of most indicators: how many records of one kind the year
    holds, each listed as ``(object_type, pk)`` for those entitled to open it.
    """
    return listed(object_type, rows.order_by("pk").values_list("pk", flat=True))


def listed(object_type: str, ids: Iterable[Any]) -> Measure:
    """The count of ``ids`` (each once, in order) with each listed as ``(object_type, id)``.

    For counts that are not one query set's rows: the distinct workers of a
    year's attendances, the places where a group met.
    """
    keys = sorted(set(ids))
    return Measure(len(keys), records=tuple((object_type, str(i)) for i in keys))


def share(object_type: str, ids: Iterable[Any], out_of: int) -> Measure:
    """The percentage ``ids`` are of ``out_of``, with both counts and what counted.

    No data (``value`` None) when there is nothing to count out of.
    """
    part = listed(object_type, ids)
    if not out_of:
        return Measure(None, numerator=0, denominator=0)
    n = len(part.records)
    return Measure(100 * n / out_of, numerator=n, denominator=out_of, records=part.records)


@dataclass(frozen=True)
class Indicator:
    code: str  # stable, e.g. "3-1.outreach_connections"
    direction: str  # the policy system's code, "1-1" … "10-1"
    name: str  # Japanese, as it appears in directions.csv and on the page
    unit: Unit
    definition: str  # which records count (shown on the page)
    compute: Callable[[FiscalYear], Measure]
    higher_is_better: bool = True
    # A count of people (or their records) whose small values are suppressed.
    sensitive: bool = True
    # The department that owns the figure and evaluates it (shown on the page).
    owner: str = ""


@dataclass(frozen=True)
class ProgrammeItem:
    programme: str  # a key of PROGRAMMES
    item: str  # stable code, e.g. "consultations_received"
    label: str  # Japanese
    compute: Callable[[FiscalYear], int]
    sensitive: bool = True
    order: int = 0
    notes: str = field(default="")


_indicators: dict[str, Indicator] = {}
# object_type -> (URL name taking the object id, Japanese label): where an
# indicator page links a counted record for those entitled to open it.
_record_pages: dict[str, tuple[str, str]] = {}
_items: dict[tuple[str, str], ProgrammeItem] = {}
_discovered = False


def register_indicator(indicator: Indicator) -> Indicator:
    if indicator.code in _indicators and _indicators[indicator.code] != indicator:
        raise ValueError(f"indicator {indicator.code} is registered twice")
    _indicators[indicator.code] = indicator
    return indicator


def register_programme_item(item: ProgrammeItem) -> ProgrammeItem:
    if item.programme not in PROGRAMMES:
        raise ValueError(f"unknown programme {item.programme!r}; one of {', '.join(PROGRAMMES)}")
    key = (item.programme, item.item)
    if key in _items and _items[key] != item:
        raise ValueError(f"programme item {item.programme}.{item.item} is registered twice")
    _items[key] = item
    return item


def register_record_page(object_type: str, url_name: str, label: str) -> None:
    """Say which page opens a counted record of ``object_type`` (e.g. ``"cases.case"``).

    The URL name takes the object's id; the page itself checks access again.
    Optional: without it the indicator page shows the count and no links.
    """
    _record_pages[object_type] = (url_name, label)


def record_pages() -> dict[str, tuple[str, str]]:
    discover()
    return dict(_record_pages)


def discover() -> None:
    """Import every installed app's ``indicators`` module (once)."""
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("indicators")
    _discovered = True


def indicators() -> list[Indicator]:
    discover()
    return sorted(_indicators.values(), key=lambda i: (_direction_key(i.direction), i.code))


def programme_items() -> list[ProgrammeItem]:
    discover()
    order = list(PROGRAMMES)
    return sorted(_items.values(), key=lambda i: (order.index(i.programme), i.order, i.item))


def _direction_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("-") if p.isdigit())
