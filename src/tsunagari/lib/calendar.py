"""The ward's working days: weekdays that are not a national holiday, 年末年始 or a
ward closing day. No Django import.

Every deadline counted in working days (referral answers today, the deadlines
of cases and plans to come) goes through one :class:`WorkingCalendar`, so a
holiday is skipped the same way everywhere.

* National holidays come from the ``holidays`` package (its ``Japan``), which
  follows the 国民の祝日に関する法律: 振替休日 and 国民の休日 included.
* 年末年始 is 12/29 to 1/3, the closure of public offices under the
  行政機関の休日に関する法律 that the ward follows.
* Ward closing days (区の閉庁日, days the system is down for maintenance) are
  data: ``data/closing_days.yaml``, read with :func:`load_closing_days`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from holidays.countries.japan import Japan

__all__ = [
    "CLOSING_DAYS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "YEAR_END_CLOSURE",
    "CalendarDataError",
    "WorkingCalendar",
    "load_closing_days",
]

CLOSING_DAYS = Path(__file__).resolve().parent / "data" / "closing_days.yaml"

# The years the holidays package knows Japan's holidays for. Outside them it
# answers "no holidays" without a word, so the calendar refuses instead.
FIRST_YEAR: int = Japan.start_year
LAST_YEAR: int = Japan.end_year

YEAR_END_CLOSURE = "年末年始"
_WEEKEND = {5: "土曜日", 6: "日曜日"}
# (month, day) of 年末年始: 12/29, 12/30, 12/31, 1/1, 1/2, 1/3.
_YEAR_END_DAYS = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_FILE_BYTES = 256 * 1024
_MAX_LABEL = 60


class CalendarDataError(ValueError):
    """The closing-days file cannot be used; the message names the file, the line and the fix."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = Path(path)
        self.line = line


class WorkingCalendar:
    """Which days the ward works, and deadlines counted in those days.

    A day is closed when it is a Saturday or Sunday, a national holiday, a day
    of 年末年始 (12/29–1/3) or one of the ward's closing days; every other day
    is a working day. The closed days of a year are worked out once and kept.

    Args:
        closing_days: the ward's own closing days, each with the label shown as
            its reason (usually from :func:`load_closing_days`).

    Example:
        >>> cal = WorkingCalendar({date(2027, 3, 15): "庁舎設備点検のため閉庁"})
        >>> cal.add_working_days(date(2026, 12, 28), 3)
        datetime.date(2027, 1, 6)
        >>> cal.closed_reason(date(2027, 3, 15))
        '庁舎設備点検のため閉庁'
    """

    def __init__(self, closing_days: Mapping[date, str] | None = None) -> None:
        ward: dict[date, str] = {}
        for day, label in (closing_days or {}).items():
            _check_date(day)
            _check_year(day)
            if not isinstance(label, str) or not label.strip():
                raise ValueError(f"The closing day {day.isoformat()} needs a label (its reason).")
            ward[day] = label.strip()
        self._ward = ward
        self._years: dict[int, dict[date, str]] = {}

    def closed_reason(self, day: date) -> str | None:
        """Why the ward is closed on a day, or None on a working day.

        The most specific reason is given: a national holiday's name (from the
        ``holidays`` package, in Japanese), then "年末年始", then the ward's
        label for its closing day, then "土曜日" or "日曜日".

        Args:
            day: a date (not a datetime: convert to local time and take ``.date()``).

        Returns:
            The reason in Japanese, or None when the day is a working day.

        Raises:
            ValueError: the year is outside FIRST_YEAR..LAST_YEAR.

        Example:
            >>> WorkingCalendar().closed_reason(date(2027, 3, 22))
            '振替休日'
            >>> WorkingCalendar().closed_reason(date(2026, 12, 30))
            '年末年始'
            >>> WorkingCalendar().closed_reason(date(2026, 12, 28)) is None
            True
        """
        _check_date(day)
        reason = self._closed_in(day.year).get(day)
        return reason if reason is not None else _WEEKEND.get(day.weekday())

    def is_working_day(self, day: date) -> bool:
        """True when the ward works on this day.

        Args:
            day: a date (not a datetime).

        Returns:
            False on weekends, national holidays, 年末年始 and ward closing days.

        Example:
            >>> WorkingCalendar().is_working_day(date(2026, 11, 23))  # 勤労感謝の日
            False
        """
        _check_date(day)
        return day.weekday() < 5 and day not in self._closed_in(day.year)

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start``.

        ``start`` itself never counts, whether it is a working day or not:
        counting begins with the day after it, and only working days count. So
        a referral sent on a Saturday with 1 day to answer is due on the next
        working day, the same as one sent on the Friday before.
        With ``days=0`` the answer is ``start`` when it is a working day, else
        the first working day after it.

        Args:
            start: the day counting starts from (e.g. the day a referral is sent).
            days: working days to add, 0 or more.

        Returns:
            The date of the last of those working days (always a working day).

        Raises:
            TypeError: ``days`` is not a whole number, or ``start`` is a datetime.
            ValueError: ``days`` is negative, or the count runs past LAST_YEAR.

        Example:
            >>> cal = WorkingCalendar()
            >>> cal.add_working_days(date(2026, 11, 20), 1)  # Friday; Monday is 勤労感謝の日
            datetime.date(2026, 11, 24)
            >>> cal.add_working_days(date(2026, 11, 21), 1)  # Saturday
            datetime.date(2026, 11, 24)
            >>> cal.add_working_days(date(2026, 11, 23), 0)
            datetime.date(2026, 11, 24)
        """
        _check_date(start)
        if isinstance(days, bool) or not isinstance(days, int):
            raise TypeError(f"days must be a whole number of working days, not {days!r}.")
        if days < 0:
            raise ValueError(f"days must be 0 or more, not {days}.")
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day = _next(day)
            return day
        left = days
        while left:
            day = _next(day)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days come after ``start`` up to and including ``end``.

        It is the inverse of :meth:`add_working_days`:
        ``working_days_between(a, add_working_days(a, n)) == n`` for n ≥ 1.
        When ``end`` is before ``start`` the count is negative.

        Args:
            start: the first day, not counted.
            end: the last day, counted when it is a working day.

        Returns:
            The number of working days in (start, end]; 0 when the dates are equal.

        Example:
            >>> WorkingCalendar().working_days_between(date(2026, 12, 28), date(2027, 1, 6))
            3
        """
        _check_date(start)
        _check_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        if end == start:
            return 0
        first = start + timedelta(days=1)
        closed = 0
        for year in range(first.year, end.year + 1):
            closed += sum(1 for d in self._closed_in(year) if first <= d <= end and d.weekday() < 5)
        return _weekdays(first, end) - closed

    def _closed_in(self, year: int) -> dict[date, str]:
        """The closed days of a year other than plain weekends, with their reasons."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(
                f"The working-day calendar covers {FIRST_YEAR}–{LAST_YEAR}; {year} is outside it."
            )
        closed: dict[date, str] = {d: label for d, label in self._ward.items() if d.year == year}
        for month, day in _YEAR_END_DAYS:
            closed[date(year, month, day)] = YEAR_END_CLOSURE
        national = Japan(years=year, language="ja")
        for d, name in national.items():
            # The package joins the names of two holidays on one day with "; ".
            closed[d] = str(name)
        self._years[year] = closed
        return closed


def load_closing_days(path: Path = CLOSING_DAYS) -> dict[date, str]:
    """Read the ward's closing days from a YAML file, checking every entry.

    The file has one mapping, ``closing_days``, from a date (YYYY-MM-DD) to
    the reason shown for it; an empty mapping is fine.

    Args:
        path: the YAML file (the package's ``data/closing_days.yaml`` by default).

    Returns:
        The closing days and their labels.

    Raises:
        CalendarDataError: the file is missing or unreadable, not YAML, or an
            entry is wrong; the message names the file and the line.

    Example:
        A file with::

            closing_days:
              2027-03-15: 庁舎設備点検のため閉庁

        gives ``{date(2027, 3, 15): "庁舎設備点検のため閉庁"}``.
    """
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            raise CalendarDataError(
                path, None, f"the file is over {_MAX_FILE_BYTES // 1024} KB; it should list days."
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalendarDataError(path, None, "the file does not exist.") from None
    except UnicodeDecodeError:
        raise CalendarDataError(path, None, "the file is not UTF-8; save it as UTF-8.") from None
    except OSError as exc:
        raise CalendarDataError(path, None, f"the file cannot be read ({exc.strerror}).") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise CalendarDataError(path, line, f"this is not valid YAML ({exc.problem}).") from None
    except yaml.YAMLError as exc:
        raise CalendarDataError(path, None, f"this is not valid YAML ({exc}).") from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise CalendarDataError(
            path, _line(root), "the file must start with 'closing_days:' followed by the days."
        )
    entries: yaml.Node | None = None
    for key, value in root.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value == "closing_days"):
            raise CalendarDataError(
                path, _line(key), f"unknown key {_text(key)!r}: the only key is 'closing_days'."
            )
        entries = value
    if entries is None or (isinstance(entries, yaml.ScalarNode) and entries.value in ("", "~")):
        return {}
    if not isinstance(entries, yaml.MappingNode):
        raise CalendarDataError(
            path,
            _line(entries),
            "'closing_days' must list one day per line as 'YYYY-MM-DD: reason', "
            "e.g. '2027-03-15: 庁舎設備点検のため閉庁'.",
        )
    days: dict[date, str] = {}
    lines: dict[date, int] = {}
    for key, value in entries.value:
        line = _line(key)
        day = _parse_day(path, line, key)
        if day in days:
            raise CalendarDataError(
                path, line, f"{day.isoformat()} is already listed on line {lines[day]}."
            )
        days[day] = _parse_label(path, line, day, value)
        lines[day] = line
    return days


def _parse_day(path: Path, line: int, node: yaml.Node) -> date:
    raw = _text(node)
    if not _ISO_DATE.fullmatch(raw):
        raise CalendarDataError(
            path, line, f"{raw!r} is not a date: write it as YYYY-MM-DD (e.g. 2027-03-15)."
        )
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise CalendarDataError(path, line, f"{raw} is not a day of the calendar.") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CalendarDataError(
            path,
            line,
            f"{raw} is outside the years the calendar covers ({FIRST_YEAR}–{LAST_YEAR}).",
        )
    return day


def _parse_label(path: Path, line: int, day: date, node: yaml.Node) -> str:
    label = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
    if not label or node.tag == "tag:yaml.org,2002:null":
        raise CalendarDataError(
            path,
            line,
            f"{day.isoformat()} needs its reason after the colon (e.g. 庁舎設備点検のため閉庁).",
        )
    if len(label) > _MAX_LABEL or "\n" in label:
        raise CalendarDataError(
            path,
            line,
            f"the reason for {day.isoformat()} must be one line of {_MAX_LABEL} characters at most.",
        )
    return label


def _text(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else "(a list or mapping)"


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _check_date(day: object) -> None:
    # A datetime is a date too, but never equal to one: it would miss every holiday.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(
            f"Pass a date, not {type(day).__name__}: convert to local time and take .date()."
        )


def _check_year(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(
            f"The working-day calendar covers {FIRST_YEAR}–{LAST_YEAR}; "
            f"{day.isoformat()} is outside it."
        )


def _next(day: date) -> date:
    if day.year >= LAST_YEAR and (day.month, day.day) == (12, 31):
        raise ValueError(
            f"The count runs past {LAST_YEAR}, the last year the working-day calendar covers."
        )
    return day + timedelta(days=1)


def _weekdays(first: date, last: date) -> int:
    """Mondays to Fridays from ``first`` to ``last``, both included."""
    span = (last - first).days + 1
    weeks, rest = divmod(span, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)
