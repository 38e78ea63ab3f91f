"""The survey engine's files through the one intake (``tsunagari.lib.intake``),
with errors that name the file, row and column in one line.

The header is row 1, as in a spreadsheet; data rows are numbered by record
(a quoted value spanning lines is still one row). Files may be UTF-8 (with
or without BOM) or Shift_JIS as Excel saves them.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from tsunagari.lib import intake

__all__ = ["SurveyInputError", "normalise_text", "read_frame", "read_table", "show_value"]

_SHOWN = 60
#: The survey command reads files of any size a workstation holds.
MAX_BYTES = 2 * 1024 * 1024 * 1024
MAX_ROWS = 5_000_000


class SurveyInputError(ValueError):
    """A file that cannot be used; ``str()`` is one line naming file, row and column.

    ``problem_ja`` is the same problem in Japanese; ``problems`` the intake's
    report when the file itself could not be read.
    """

    def __init__(
        self,
        file: str | os.PathLike[str],
        row: int,
        column: str,
        problem: str,
        *,
        problem_ja: str = "",
        problems: Sequence[intake.Problem] = (),
    ) -> None:
        self.file, self.row, self.column, self.problem = str(file), row, column, problem
        self.problem_ja = problem_ja or problem
        self.problems = list(problems)
        super().__init__(_one_line(f"{self.file}: row {row}, column {column}: {problem}"))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def show_value(value: str) -> str:
    """A value quoted for a one-line message, cut to a readable length.

    Args:
        value: text from a file.

    Returns:
        Its ``repr`` (so newlines and control characters stay visible), at most 60 characters.

    Example:
        >>> show_value("豊洲"), len(show_value("x" * 100))
        ("'豊洲'", 63)
    """
    value = value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
    return repr(value)


def normalise_text(value: str) -> str:
    """Text as compared: NFKC-normalised (full-width digits and letters become ASCII), stripped.

    Args:
        value: text from a file.

    Returns:
        The normalised text.

    Example:
        >>> normalise_text(" ４５歳 ")
        '45歳'
    """
    return unicodedata.normalize("NFKC", value).strip()


def _key(name: str) -> str:
    return normalise_text(name).lower()


def from_rejected(path: str | os.PathLike[str], refused: intake.Rejected) -> SurveyInputError:
    """The intake's first problem as the engine's one-line error (row 1 for the whole file)."""
    p = refused.problem
    return SurveyInputError(
        path,
        p.row if p.row is not None else 1,
        p.column or "-",
        p.reason,
        problem_ja=p.reason_ja,
        problems=refused.problems,
    )


def read_table(path: Path, required: intake.Required = ()) -> intake.Table:
    """Read a survey file with column names compared lower-case.

    Raises:
        SurveyInputError: the intake refused the file (encoding, CSV syntax,
            header, required columns, no rows).
    """
    try:
        return intake.read_table(
            path,
            name=str(path),
            required=required,
            key=_key,
            max_bytes=MAX_BYTES,
            max_rows=MAX_ROWS,
        )
    except intake.Rejected as refused:
        raise from_rejected(path, refused) from None


def read_frame(
    path: Path, required: intake.Required = ()
) -> tuple[pd.DataFrame, npt.NDArray[np.int64], intake.Table]:
    """The data rows as text columns named by key, each row's number, and the table."""
    table = read_table(path, required)
    frame = table.frame(by_key=True)
    return frame, np.asarray(table.numbers, dtype=np.int64), table
