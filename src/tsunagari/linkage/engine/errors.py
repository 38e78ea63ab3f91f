"""Errors and warnings the linkage engine reports about its input."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tsunagari.lib.intake import Problem


class InputError(Exception):
    """Input the engine cannot use at all: the run stops.

    The message is one line naming the file and the row, so a ward officer
    knows what to fix without reading a traceback.
    """

    def __init__(
        self, file: str, row: int | None, problem: str, *, problems: Sequence[Problem] = ()
    ) -> None:
        self.file = file
        self.row = row
        self.problem = problem
        #: The file intake's reject report, when the intake refused the file.
        self.problems = list(problems)
        where = f"{file}, row {row}" if row is not None else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class ValueWarning:
    """A single bad value; the record is still linked on what remains."""

    source: str
    record_id: str
    column: str
    problem: str
