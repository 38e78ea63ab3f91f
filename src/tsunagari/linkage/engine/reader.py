"""Reading department extracts: one CSV file per source.

Row numbers in messages count like a spreadsheet: the header is row 1, the
first record row 2.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

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


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path.name,
            line,
            f"bytes {data[exc.start : exc.start + 4]!r} are not UTF-8; save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


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
    text = _decode(path)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skipinitialspace=False,
        )
    except pd.errors.EmptyDataError:
        raise InputError(path.name, 1, "is empty: a header row is required") from None
    except pd.errors.ParserError as exc:
        match = _LINE_IN_PANDAS_ERROR.search(str(exc))
        row = int(match.group(1)) if match else None
        raise InputError(path.name, row, f"is not valid CSV ({exc})".replace("\n", " ")) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            path.name,
            1,
            f"missing required column {', '.join(missing)} in the header "
            f"(required: {', '.join(REQUIRED_COLUMNS)})",
        )
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
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
