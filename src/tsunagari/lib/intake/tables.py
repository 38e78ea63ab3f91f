"""Text and workbooks into a header and rows of text, within limits.

Rows are numbered as a spreadsheet shows them: the header is row 1, and a
quoted value spanning lines is still one row. Blank rows are skipped but
keep their numbers, so every problem points at the row a person sees.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tsunagari.lib.intake.decoding import Source, decode, read_source
from tsunagari.lib.intake.problems import Problem, Rejected, shorten

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_COLUMNS",
    "DEFAULT_MAX_ROWS",
    "Table",
    "column_name",
    "file_kind",
    "parse_text",
    "read_header",
    "read_table",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 300_000
DEFAULT_MAX_COLUMNS = 200
#: Longest value a CSV cell may hold (the csv module's own limit).
MAX_CELL = csv.field_size_limit()

Key = Callable[[str], str]
#: Columns the header must have, or a function of the header's keys giving them
#: (when one column may stand in for another).
Required = Sequence[str] | Callable[[Sequence[str]], Sequence[str]]


def _needed(required: Required, keys: Sequence[str]) -> Sequence[str]:
    return required(keys) if callable(required) else required


def _as_written(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def column_name(header: Sequence[str], index: int) -> str:
    """The header's name for a 0-based column index, or ``#n`` when it has none."""
    if 0 <= index < len(header):
        name = _as_written(header[index])
        if name:
            return name
    return f"#{index + 1}"


def file_kind(name: str, data: bytes = b"") -> str:
    """``xlsx`` for Excel workbooks (by name or content), ``tsv`` or ``csv`` otherwise."""
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if lower.endswith((".tsv", ".tab")):
        return "tsv"
    return "csv"


@dataclass(frozen=True, slots=True)
class Table:
    """A file read as text.

    Attributes:
        file: the name shown in problems.
        encoding: "utf-8", "utf-8-sig", "cp932" or "xlsx".
        header: column names as written (NFKC, stripped; ``列n`` for a blank one).
        keys: the names as the caller compares them (``key`` of ``read_table``).
        rows: every non-blank row, padded or cut to the header's width.
        numbers: each row's number in the file (header = row 1).
    """

    file: str
    encoding: str
    header: list[str]
    keys: list[str]
    rows: list[list[str]]
    numbers: list[int]

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self, *, by_key: bool = True) -> Iterator[dict[str, str]]:
        """Each row as ``{column: value}`` (by key, or by the header as written)."""
        names = self.keys if by_key else self.header
        for row in self.rows:
            yield dict(zip(names, row, strict=True))

    def frame(self, *, by_key: bool = False) -> pd.DataFrame:
        """The rows as a DataFrame of text columns (object dtype), for vectorised checks."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.keys if by_key else self.header, dtype=object)

    def problem(
        self, row: int | None, column: str, value: str, reason: str, reason_ja: str
    ) -> Problem:
        """A problem in this table's file."""
        return Problem(self.file, row, column, shorten(value), reason, reason_ja)

    def require(self, columns: Sequence[str]) -> None:
        """Refuse the file when a column is missing from the header (compared by key)."""
        _require(self.file, self.header, self.keys, columns)


def _require(file: str, header: Sequence[str], keys: Sequence[str], columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in keys]
    if not missing:
        return
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        raise Rejected(
            Problem(
                file,
                1,
                missing[0],
                shorten(header[0]),
                "the header is not separated by commas; save the file as CSV (comma-separated)",
                "見出しがカンマで区切られていません。CSV（コンマ区切り）で保存し直してください。",
            )
        )
    shown = ", ".join(repr(h) for h in header[:12])
    names = ", ".join(missing)
    raise Rejected(
        Problem(
            file,
            1,
            missing[0],
            "",
            f"required column {names} missing (the header has {shown})",
            f"必須の列 {names} が見出しにありません（見出しは {shown}）。",
        )
    )


def _identity(name: str) -> str:
    return name


def read_table(
    source: Source,
    *,
    name: str | None = None,
    required: Required = (),
    key: Key = _identity,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    sheet: str | None = None,
    allow_excel: bool = True,
    empty_ok: bool = False,
) -> Table:
    """Read a CSV/TSV file or an Excel workbook (.xlsx) into a header and rows of text.

    Args:
        source: a path, the bytes, or a binary file object.
        name: the file name shown in problems (default: the path's name).
        required: columns the header must have (compared by ``key``), or a
            function of the header's keys that gives them.
        key: how the caller compares column names (e.g. lower-case); duplicate
            names under it are refused.
        max_bytes, max_rows, max_columns: the caller's limits.
        sheet: the workbook sheet to read (default: the first).
        allow_excel: False for importers that take CSV only.
        empty_ok: accept a header without data rows (an empty table).

    Returns:
        ``Table``; cells are text as written ("" for empty), never stripped.

    Raises:
        Rejected: the first problem that makes the file unreadable (size,
            encoding, binary data, CSV syntax, header, too many rows or columns,
            no data rows).

    Example:
        >>> t = read_table("id,町名\\nA1,豊洲\\n".encode("cp932"), name="r.csv", required=["id"])
        >>> t.encoding, t.header, t.rows, t.numbers
        ('cp932', ['id', '町名'], [['A1', '豊洲']], [2])
    """
    data, file = read_source(source, name=name, max_bytes=max_bytes)
    kind = file_kind(file, data)
    if kind == "xlsx" and allow_excel:
        from tsunagari.lib.intake.excel import workbook_rows

        records, numbers, encoding = (
            *workbook_rows(data, file, sheet=sheet, max_rows=max_rows, max_columns=max_columns),
            "xlsx",
        )
        return _table(file, encoding, records, numbers, required, key, max_columns, empty_ok)
    if kind == "xlsx" or data[:4] == b"PK\x03\x04":
        raise Rejected(
            Problem(
                file,
                None,
                "",
                "",
                "this is a zip or Excel file, not a CSV text file; save it as CSV",
                "Excel などの zip ファイルで、CSV テキストではありません。CSV で保存してください。",
            )
        )
    decoded = decode(data, file)
    return parse_text(
        decoded.text,
        file,
        encoding=decoded.encoding,
        delimiter="\t" if kind == "tsv" else ",",
        required=required,
        key=key,
        max_rows=max_rows,
        max_columns=max_columns,
        empty_ok=empty_ok,
    )


def parse_text(
    text: str,
    file: str,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    required: Required = (),
    key: Key = _identity,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    empty_ok: bool = False,
) -> Table:
    """Parse decoded CSV text (see ``read_table``, which decodes first)."""
    if not text.strip():
        raise Rejected(_empty(file, required))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    numbers: list[int] = []
    number = 0
    try:
        for record in reader:
            number += 1
            if not record or not any(v.strip() for v in record):
                continue
            if len(records) > max_rows:
                raise Rejected(_too_many_rows(file, number, max_rows))
            records.append(record)
            numbers.append(number)
    except csv.Error as exc:
        raise Rejected(_syntax_error(file, text, number + 1, records, exc)) from None
    return _table(file, encoding, records, numbers, required, key, max_columns, empty_ok)


def read_header(
    text: str,
    file: str,
    *,
    required: Required = (),
    key: Key = _identity,
    delimiter: str = ",",
    max_columns: int = DEFAULT_MAX_COLUMNS,
) -> list[str]:
    """Check only the header of decoded text (for a file too big to parse twice).

    Returns:
        The header as written (NFKC, stripped).

    Raises:
        Rejected: empty file, no names, a duplicate name, a missing required column.
    """
    if not text.strip():
        raise Rejected(_empty(file, required))
    try:
        for number, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True), start=1
        ):
            if record and any(v.strip() for v in record):
                return _table(
                    file, "", [record], [number], required, key, max_columns, empty_ok=True
                ).header
    except csv.Error as exc:
        raise Rejected(_syntax_error(file, text, 1, [], exc)) from None
    raise Rejected(_empty(file, required))


def _empty(file: str, required: Required) -> Problem:
    required = _needed(required, ())
    needs = f"; the header row must name {', '.join(required)}" if required else ""
    return Problem(
        file,
        1,
        required[0] if required else "",
        "",
        f"the file is empty{needs}",
        "ファイルが空です。1行目に見出し、2行目から各行のデータが必要です。",
    )


def _too_many_rows(file: str, number: int, max_rows: int) -> Problem:
    return Problem(
        file,
        number,
        "",
        "",
        f"more than {max_rows:,} rows; split the file",
        f"行が多すぎます（上限 {max_rows:,} 行）。分割してください。",
    )


def _syntax_error(
    file: str, text: str, row: int, records: list[list[str]], exc: csv.Error
) -> Problem:
    """Name the row and column where the CSV breaks (an unclosed quote, a huge value)."""
    if "field larger than field limit" in str(exc):
        return Problem(
            file,
            row,
            "",
            "",
            f"a value longer than {MAX_CELL:,} characters: this is not a usable CSV "
            "file (or a quote is never closed)",
            f"{MAX_CELL:,} 文字を超える値があります。CSV として使えないか、引用符が閉じられていません。",
        )
    lines = text.splitlines()
    consumed = sum(max(1, sum(f.count("\n") for f in r) + 1) for r in records)
    line = lines[consumed] if consumed < len(lines) else ""
    quote = line.find('"')
    index = line[: max(quote, 0)].count(",")
    header = records[0] if records else line.split(",")
    return Problem(
        file,
        row,
        column_name(header, index),
        shorten(line[max(quote, 0) :]),
        f"a quoted value is not closed or is malformed ({exc}); check the quotes",
        '引用符（"）で囲んだ値が閉じられていないか、形が崩れています。引用符を確かめてください。',
    )


def _table(
    file: str,
    encoding: str,
    records: list[list[str]],
    numbers: list[int],
    required: Required,
    key: Key,
    max_columns: int,
    empty_ok: bool = False,
) -> Table:
    if not records:
        raise Rejected(_empty(file, required))
    header = [_as_written(h) for h in records[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) > max_columns:
        raise Rejected(
            Problem(
                file,
                numbers[0],
                f"#{max_columns + 1}",
                "",
                f"more than {max_columns} columns; remove the columns that are not needed",
                f"列が多すぎます（上限 {max_columns} 列）。不要な列を削除してください。",
            )
        )
    if not any(header):
        raise Rejected(
            Problem(
                file,
                numbers[0],
                "",
                "",
                "the first row has no column names; the header must be row 1",
                "1行目に見出し（列名）がありません。",
            )
        )
    header = [h if h else f"列{i + 1}" for i, h in enumerate(header)]
    keys = [key(h) for h in header]
    seen: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k in seen:
            raise Rejected(
                Problem(
                    file,
                    numbers[0],
                    k,
                    "",
                    f"this column name appears twice in the header (columns {seen[k] + 1} and {i + 1})",
                    f"見出し「{header[i]}」が2回あります（{seen[k] + 1}列目と{i + 1}列目）。列名を直してください。",
                )
            )
        seen[k] = i
    required = _needed(required, keys)
    _require(file, header, keys, required)
    width = len(header)
    body = records[1:]
    if not body and not empty_ok:
        raise Rejected(
            Problem(
                file,
                numbers[0] + 1,
                required[0] if required else "",
                "",
                "the file has a header but no data rows",
                "見出し行のほかにデータの行がありません。",
            )
        )
    rows: list[list[str]] = []
    for number, record in zip(numbers[1:], body, strict=True):
        if len(record) != width:
            if len(record) > width:
                if any(v.strip() for v in record[width:]):
                    raise Rejected(
                        Problem(
                            file,
                            number,
                            f"#{width + 1}",
                            shorten(record[width]),
                            f"{len(record)} fields but the header has {width}; "
                            "quote values that contain commas",
                            f"値の数（{len(record)}）が見出しの列数（{width}）より多いです。"
                            "カンマを含む値は引用符で囲んでください。",
                        )
                    )
                record = record[:width]
            else:
                record = record + [""] * (width - len(record))
        rows.append(record)
    return Table(file, encoding, header, keys, rows, list(numbers[1:]))
