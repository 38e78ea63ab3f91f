"""Reading department extracts: one CSV file per source.

UTF-8 files go straight to pyarrow; Shift_JIS files and broken files go
through the one file intake (``tsunagari.lib.intake``) first.

Row numbers in messages count like a spreadsheet: the header is row 1, the
first record row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from tsunagari.lib import intake
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

#: Extracts may hold the whole registry and more; the intake only locates problems here.
_NO_LIMIT = 100_000_000


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


def _refused(path: Path, refused: intake.Rejected) -> InputError:
    """The intake's first problem as the engine's one-line error."""
    p = refused.problem
    where = f"column {p.column}: " if p.column else ""
    return InputError(path.name, p.row, where + p.reason, problems=refused.problems)


def _arrow(data: bytes) -> tuple[list[str], pa.Table]:
    """Parse UTF-8 CSV bytes with pyarrow (it checks that every value is UTF-8)."""
    end = data.find(b"\n")
    first_line = data[: end if end >= 0 else None]
    try:
        # newline="" so a lone CR ends the header as it ends pyarrow's first row
        record = next(csv.reader(io.StringIO(first_line.decode("utf-8"), newline="")), [])
    except csv.Error as exc:
        # the callers treat ValueError as "broken CSV" and let the intake name the row
        raise ValueError(str(exc)) from None
    header = [h.strip() for h in record]
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
    return header, table


def _through_intake(path: Path, data: bytes) -> tuple[list[str], pa.Table]:
    """Transcode Shift_JIS once and parse again, or name the row and column that breaks."""
    try:
        utf8, _encoding = intake.to_utf8(data, path.name)
    except intake.Rejected as refused:
        raise _refused(path, refused) from None
    try:
        return _arrow(utf8)
    except (pa.ArrowInvalid, ValueError) as exc:
        try:
            intake.parse_text(utf8.decode("utf-8"), path.name, max_rows=_NO_LIMIT)
        except intake.Rejected as refused:
            raise _refused(path, refused) from None
        raise InputError(path.name, None, f"is not valid CSV ({exc})".replace("\n", " ")) from None


def read_extract(path: Path) -> Extract:
    """Read one extract, checking encoding and required columns.

    Args:
        path: a CSV file with a header row: UTF-8 with or without BOM, or
            Shift_JIS as Excel saves it (transcoded once, in memory).

    Returns:
        The extract; every cell a stripped string, empty cells as "".

    Raises:
        InputError: undecodable bytes, broken CSV or a missing required column,
            naming the file and row (the file intake's report in ``problems``).

    Example:
        >>> read_extract(Path("extracts/registry.csv")).source  # doctest: +SKIP
        'registry'
    """
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise InputError(path.name, 1, "is empty: a header row is required")
    if not data.split(b"\n", 1)[0].strip():
        # the header is read from the first line alone; a blank one is no header
        raise InputError(path.name, 1, "the first line is blank: the header must be row 1")
    # pyarrow reads strings without a Python object per cell, which keeps a
    # million-row extract within memory, and checks that every value is
    # UTF-8. Only when it refuses the file does the file intake decode it:
    # to transcode Shift_JIS once, or to name the row of the bad bytes.
    try:
        header, table = _arrow(data)
    except (pa.ArrowInvalid, ValueError):
        header, table = _through_intake(path, data)
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
