"""The one reject report of the file intake: problems naming file, row, column and fix.

Messages follow the text parsers (``tsunagari.text.TextError``): every
problem says what is wrong and what to fix in Japanese (``reason_ja``) and
in English (``reason``); the caller shows the one its reader chose. No
Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["Problem", "RejectReport", "Rejected", "shorten"]

#: Characters of a bad value kept in a report.
SHOWN = 60


def shorten(value: str, limit: int = SHOWN) -> str:
    """A value cut to a readable length, on one line.

    Args:
        value: text from a file.
        limit: characters kept before the ellipsis.

    Returns:
        The value with line breaks shown as spaces, at most ``limit`` characters and "…".

    Example:
        >>> shorten("豊洲"), shorten("a\\nb"), len(shorten("x" * 100))
        ('豊洲', 'a b', 61)
    """
    one_line = value.replace("\r", " ").replace("\n", " ")
    return one_line if len(one_line) <= limit else one_line[:limit] + "…"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, and what to fix.

    Attributes:
        file: the file name as the person knows it (no folder for uploads).
        row: row number as a spreadsheet counts it (the header is row 1);
            None when the problem concerns the whole file (size, format).
        column: the column's name in the header, ``#n`` for the n-th column
            when it has no name, "" when the problem concerns the whole row or file.
        value: the offending value, shortened ("" when there is none to show).
        reason: plain English: what is wrong and what to fix.
        reason_ja: the same in Japanese.
    """

    file: str
    row: int | None
    column: str
    value: str
    reason: str
    reason_ja: str

    def where(self, language: str = "ja") -> str:
        """The place in the file: "3行目・列「町名」" or "row 3, column town"."""
        japanese = language.startswith("ja")
        parts: list[str] = []
        if self.row is not None:
            parts.append(f"{self.row}行目" if japanese else f"row {self.row}")
        if self.column:
            parts.append(f"列「{self.column}」" if japanese else f"column {self.column}")
        return ("・" if japanese else ", ").join(parts)

    def text(self, language: str = "ja") -> str:
        """The problem in one line, in Japanese (``ja…``) or English (anything else).

        Example:
            >>> p = Problem("a.csv", 3, "town", "", "not UTF-8", "UTF-8 ではありません")
            >>> p.text("ja"), p.text("en")
            ('a.csv: 3行目・列「town」: UTF-8 ではありません', 'a.csv: row 3, column town: not UTF-8')
        """
        japanese = language.startswith("ja")
        reason = self.reason_ja if japanese else self.reason
        where = self.where(language)
        head = f"{self.file}: {where}" if where else self.file
        return " ".join(f"{head}: {reason}".split())

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class RejectReport:
    """Everything wrong with one file; the file is stored only when this is empty."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, row: int | None, column: str, value: str, reason: str, reason_ja: str) -> Problem:
        """Record one problem of this report's file and return it."""
        problem = Problem(self.file, row, column, shorten(value), reason, reason_ja)
        self.problems.append(problem)
        return problem

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def lines(self, language: str = "ja") -> list[str]:
        """One line per problem, in the order found."""
        return [p.text(language) for p in self.problems]

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)


class Rejected(ValueError):
    """A file refused by the intake; ``report`` holds every problem found.

    ``str()`` is the first problem in English, one line.
    """

    def __init__(self, report: RejectReport | Problem) -> None:
        if isinstance(report, Problem):
            report = RejectReport(report.file, [report])
        self.report = report
        super().__init__(str(report.problems[0]) if report.problems else report.file)

    @property
    def problem(self) -> Problem:
        """The first problem (intake stops at the first problem that makes a file unreadable)."""
        return self.report.problems[0]

    @property
    def problems(self) -> list[Problem]:
        return self.report.problems
