"""Reading an uploaded responses file (CSV or Excel) into text columns, within limits.

The file goes through the one intake (``tsunagari.lib.intake``): UTF-8 with
or without BOM, Shift_JIS as Excel saves it, or an .xlsx workbook. Anything
it refuses raises ``FileProblem`` with the intake's problem in the
interface language; nothing is half-read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import IO

import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from django.utils.translation import get_language

from tsunagari.lib import intake

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 300_000
MAX_COLUMNS = 200


def normalise_header(name: object) -> str:
    """Header text compared case- and width-insensitively, without spaces or trailing marks."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    return re.sub(r"[\s　。.?？]+", "", text)


class FileProblem(Exception):
    """The file cannot be read at all; the message says what to fix.

    ``problems`` is the intake's reject report (file, row, column, value, reason).
    """

    def __init__(self, refused: intake.Rejected) -> None:
        self.problems = refused.problems
        super().__init__(refused.problem.text(get_language() or "ja"))


@dataclass(frozen=True, slots=True)
class Table:
    """A file read as text: the header as written and one text column per header."""

    header: list[str]
    frame: pd.DataFrame


def read_upload(data: bytes | IO[bytes], name: str) -> Table:
    """Read an uploaded responses file as text columns.

    Args:
        data: the file's bytes (or a binary file object).
        name: the uploaded file name; ``.xlsx`` is read as Excel, anything else as CSV.

    Returns:
        ``Table`` with every cell as text (empty string for empty cells).

    Raises:
        FileProblem: not a CSV/Excel file, too big, too many rows or columns,
            undecodable text, duplicate or missing header, no data rows.
    """
    try:
        table = intake.read_table(
            data,
            name=name,
            key=normalise_header,
            max_bytes=MAX_BYTES,
            max_rows=MAX_ROWS,
            max_columns=MAX_COLUMNS,
        )
    except intake.Rejected as refused:
        raise FileProblem(refused) from None
    header = [h[:80] for h in table.header]
    return Table(header, pd.DataFrame(table.rows, columns=header, dtype=object))


def file_kind(name: str) -> str:
    return "xlsx" if intake.file_kind(name) == "xlsx" else "csv"
