"""Reading CSV files for the survey engine: decoding, parsing, and errors that name
the file, row and column.

The header is row 1, as in a spreadsheet; data rows are numbered from 2 by
record (a quoted value spanning lines is still one row).
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

__all__ = ["SurveyInputError", "normalise_text", "read_frame", "read_table", "show_value"]

_SHOWN = 60


class SurveyInputError(ValueError):
    """A file that cannot be used; ``str()`` is one line naming file, row and column."""

    def __init__(self, file: str | os.PathLike[str], row: int, column: str, problem: str) -> None:
        self.file, self.row, self.column, self.problem = str(file), row, column, problem
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


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SurveyInputError(path, 1, "-", f"cannot read the file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        field = data[line_start : exc.start].count(b",")
        header = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").split(",")
        column = (
            normalise_text(header[field]) if field < len(header) and row > 1 else f"#{field + 1}"
        )
        raise SurveyInputError(
            path,
            row,
            column,
            f"bytes that are not UTF-8 at byte {exc.start}; save the file as UTF-8 (CSV UTF-8)",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        row = text.count("\n", 0, nul) + 1
        field = text[text.rfind("\n", 0, nul) + 1 : nul].count(",")
        raise SurveyInputError(
            path,
            row,
            f"#{field + 1}",
            "NUL bytes: this is not a text CSV file; export it as CSV UTF-8",
        )
    return text


def read_table(
    path: Path, required: Sequence[str], text: str | None = None
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = _read_text(path) if text is None else text
    if not text.strip():
        raise SurveyInputError(
            path,
            1,
            required[0],
            f"the file is empty; the header row must name {', '.join(required)}",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        raise _quote_error(path, text, records, exc) from None
    header = [normalise_text(h).lower() for h in records[0]]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise SurveyInputError(path, 1, name, "this column name appears twice in the header")
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing and len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        raise SurveyInputError(
            path,
            1,
            missing[0],
            "the header is not separated by commas; save the file as CSV (comma-separated)",
        )
    if missing:
        raise SurveyInputError(
            path,
            1,
            missing[0],
            f"required column missing (the header has {', '.join(show_value(h) for h in header[:12])})",
        )
    rows: list[tuple[int, list[str]]] = []
    width = len(header)
    for number, record in enumerate(records[1:], start=2):
        if len(record) == width and record[0].strip():
            rows.append((number, record))
            continue
        if not record or not "".join(record).strip():
            continue
        if len(record) > width:
            extra = record[width:]
            if any(v.strip() for v in extra):
                raise SurveyInputError(
                    path,
                    number,
                    f"#{width + 1}",
                    f"{len(record)} fields but the header has {width}; quote values that contain commas",
                )
            record = record[:width]
        elif len(record) < width:
            record = record + [""] * (width - len(record))
        rows.append((number, record))
    if not rows:
        raise SurveyInputError(path, 2, required[0], "the file has a header but no data rows")
    return header, rows


def read_frame(path: Path, required: Sequence[str]) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """The data rows as text columns, and each row's number in the file.

    A well-formed file is parsed by pandas' C reader; anything it refuses, or
    a file with blank or short rows, goes through ``_read_table``, which finds
    and names the bad row.
    """
    text = _read_text(path)
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        raw = None
    if raw is not None and len(raw) > 1:
        header = [normalise_text(str(h)).lower() for h in raw.iloc[0]]
        body = raw.iloc[1:]
        if len(set(header)) == len(header) and all(c in header for c in required):
            cells = body.to_numpy(dtype=object)
            if (cells[:, 0] != "").all():
                table = pd.DataFrame(cells, columns=header, dtype=object)
                numbers = np.arange(2, len(table) + 2, dtype=np.int64)
                return table, numbers
    header, rows = read_table(path, required, text=text)
    table = pd.DataFrame([r for _, r in rows], columns=header, dtype=object)
    return table, np.asarray([n for n, _ in rows], dtype=np.int64)


def _quote_error(
    path: Path, text: str, records: list[list[str]], exc: csv.Error
) -> SurveyInputError:
    """Name the row and column where a quoted value is never closed (or is malformed)."""
    row = len(records) + 1
    lines = text.splitlines()
    # The first physical line of the bad record: records before it may span lines.
    consumed = sum(max(1, sum(f.count("\n") for f in r) + 1) for r in records)
    line = lines[consumed] if consumed < len(lines) else ""
    quote = line.find('"')
    field = line[: max(quote, 0)].count(",")
    header = records[0] if records else line.split(",")
    column = normalise_text(header[field]).lower() if field < len(header) else f"#{field + 1}"
    return SurveyInputError(
        path, row, column, f"a quoted value is not closed or is malformed ({exc}); check the quotes"
    )
