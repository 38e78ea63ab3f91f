"""Reading department extracts: one CSV file per source.

Row numbers in messages count like a spreadsheet: the header is row 1, the
first record row 2.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from tsunagari.linkage.engine.errors import InputError

#: Columns every extract must have (contracts/linkage.md).
REQUIRED_COLUMNS = ("record_id", "name_kanji", "birth_date", "address")
#: Columns the engine reads itself; every other column is a source attribute.
KNOWN_COLUMNS = (
    "record_id",
    "resident_id",
    "name_kanji",
    "name_kana",
    "birth_date",
    "sex",
    "address",
    "phone",
    "household_id",
)

_LINE_IN_PANDAS_ERROR = re.compile(r"line (\d+)")


@dataclass(frozen=True, slots=True)
class Extract:
    """One source file: its name and its rows as strings ("" when empty)."""

    source: str
    path: Path
    frame: pd.DataFrame

    @property
    def attribute_columns(self) -> list[str]:
        """Columns the source adds beyond the contract (care level, grade, ...)."""
        return [c for c in self.frame.columns if c not in KNOWN_COLUMNS]


def list_extracts(input_dir: Path) -> list[Path]:
    """Return the CSV files of an input directory, sorted by name.

    Args:
        input_dir: directory with one ``*.csv`` per department extract.

    Returns:
        The paths, sorted so that runs are repeatable.

    Example:
        >>> list_extracts(Path("extracts"))  # doctest: +SKIP
        [PosixPath('extracts/care.csv'), PosixPath('extracts/registry.csv')]
    """
    if not input_dir.is_dir():
        raise InputError(str(input_dir), None, "is not a directory of CSV extracts")
    paths = sorted(p for p in input_dir.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not paths:
        raise InputError(str(input_dir), None, "holds no *.csv extract")
    return paths


def _check_utf8(path: Path, data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path.name,
            line,
            f"bytes {data[exc.start : exc.start + 4]!r} are not UTF-8; save the file as UTF-8",
        ) from None


def _locate_csv_error(path: Path, data: bytes) -> InputError:
    """Find the row of a CSV syntax error (slow path, only on bad files)."""
    try:
        pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.ParserError as exc:
        match = _LINE_IN_PANDAS_ERROR.search(str(exc))
        row = int(match.group(1)) if match else None
        return InputError(path.name, row, f"is not valid CSV ({exc})".replace("\n", " "))
    return InputError(path.name, None, "is not valid CSV")


def read_extract(path: Path) -> Extract:
    """Read one extract, checking encoding and required columns.

    Args:
        path: a CSV file, UTF-8 with or without BOM, with a header row.

    Returns:
        The extract; every cell a stripped string, empty cells as "".

    Raises:
        InputError: undecodable bytes, broken CSV or a missing required column,
            naming the file and row.

    Example:
        >>> read_extract(Path("extracts/registry.csv")).source  # doctest: +SKIP
        'registry'
    """
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        _check_utf8(path, data)
        raise InputError(path.name, 1, "is empty: a header row is required")
    # pyarrow reads strings without a Python object per cell, which keeps a
    # million-row extract within memory. It also checks that every value is
    # UTF-8; only when it refuses the file is the whole file decoded here,
    # to name the row of the first bad bytes.
    first_line = data[: data.find(b"\n") if b"\n" in data else None]
    try:
        header = next(csv.reader(io.StringIO(first_line.decode("utf-8"))))
    except UnicodeDecodeError:
        _check_utf8(path, data)
        raise
    header = [h.strip() for h in header]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(column_names=header, skip_rows=1, use_threads=True),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        _check_utf8(path, data)
        raise _locate_csv_error(path, data) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(
            path.name,
            1,
            f"missing required column {', '.join(missing)} in the header "
            f"(required: {', '.join(REQUIRED_COLUMNS)})",
        )
    if len(set(header)) != len(header):
        raise InputError(path.name, 1, "the header names a column twice")
    columns = {
        name: pd.Series(pd.arrays.ArrowStringArray(pc.utf8_trim_whitespace(table.column(i))))
        for i, name in enumerate(header)
    }
    frame = pd.DataFrame(columns)
    empty_ids = frame.index[frame["record_id"] == ""]
    if len(empty_ids):
        raise InputError(path.name, int(empty_ids[0]) + 2, "record_id is empty")
    return Extract(source=path.stem, path=path, frame=frame)


def read_extracts(input_dir: Path) -> Iterator[Extract]:
    """Read every extract of a directory, one at a time.

    Args:
        input_dir: directory with one ``*.csv`` per department extract.

    Returns:
        An iterator of extracts in file-name order.

    Example:
        >>> [e.source for e in read_extracts(Path("extracts"))]  # doctest: +SKIP
        ['care', 'registry']
    """
    for path in list_extracts(input_dir):
        yield read_extract(path)
