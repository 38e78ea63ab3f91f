"""Reading an uploaded responses file (CSV or Excel) into text columns, within limits.

Anything that is not a usable CSV or workbook raises ``FileProblem`` with a
one-line reason in the interface language; nothing is half-read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from django.utils.translation import gettext as _

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 300_000
MAX_COLUMNS = 200
MAX_UNZIPPED = 400 * 1024 * 1024


def normalise_header(name: object) -> str:
    """Header text compared case- and width-insensitively, without spaces or trailing marks."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    return re.sub(r"[\s　。.?？]+", "", text)


class FileProblem(Exception):
    """The file cannot be read at all; the message says what to fix."""


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
            undecodable text, duplicate or missing header.
    """
    raw = data if isinstance(data, bytes) else data.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise FileProblem(
            _("ファイルが大きすぎます（上限 %(max_mb)s MB）。分割してください。")
            % {"max_mb": MAX_BYTES // 1024 // 1024}
        )
    if not raw.strip():
        raise FileProblem(_("ファイルが空です。見出し行と回答の行が必要です。"))
    if file_kind(name) == "xlsx":
        rows = _xlsx_rows(raw)
    else:
        rows = _csv_rows(raw)
    return _table(rows)


def file_kind(name: str) -> str:
    return "xlsx" if name.lower().endswith((".xlsx", ".xlsm")) else "csv"


def _csv_rows(raw: bytes) -> list[list[str]]:
    if b"\x00" in raw[:65536]:
        raise FileProblem(
            _(
                "テキストの CSV ではありません（バイナリデータを含みます）。"
                "CSV（UTF-8）か Excel で保存してください。"
            )
        )
    if raw[:4] == b"PK\x03\x04":
        raise FileProblem(_("Excel ファイルのようです。拡張子 .xlsx のまま選んでください。"))
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem(
            _("文字コードを読み取れません。CSV（UTF-8）または Shift_JIS で保存してください。")
        )
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
        return frame.to_numpy(dtype=object).tolist()  # type: ignore[no-any-return]
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        pass
    # Ragged rows: the csv module reads them and _table pads or names the bad row.
    try:
        return [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise FileProblem(
            _("CSV として読み取れません（%(problem)s）。引用符の閉じ忘れがないか確認してください。")
            % {"problem": exc}
        ) from None


def _too_many_rows() -> str:
    return _("行が多すぎます（上限 %(max)s 行）。分割してください。") % {"max": f"{MAX_ROWS:,}"}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    if raw[:4] != b"PK\x03\x04":
        raise FileProblem(
            _("Excel（.xlsx）ファイルではありません。Excel で開いて .xlsx で保存し直してください。")
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise FileProblem(_("Excel ファイルが壊れています。保存し直してください。")) from None
    if unpacked > MAX_UNZIPPED:
        raise FileProblem(_("Excel ファイルの中身が大きすぎます。CSV で保存して分割してください。"))
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise FileProblem(_("Excel ファイルとして読み取れません。保存し直してください。")) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS:
                raise FileProblem(_too_many_rows())
            cells = [_cell(v) for v in values[: MAX_COLUMNS + 1]]
            if any(c.strip() for c in cells):
                rows.append(cells)
    except FileProblem:
        raise
    except Exception:
        raise FileProblem(
            _("Excel ファイルの読み取り中に問題がありました。保存し直してください。")
        ) from None
    finally:
        book.close()
    return rows


def _table(rows: list[list[str]]) -> Table:
    if not rows:
        raise FileProblem(_("ファイルが空です。見出し行と回答の行が必要です。"))
    if len(rows) - 1 > MAX_ROWS:
        raise FileProblem(_too_many_rows())
    header = [unicodedata.normalize("NFKC", str(h)).strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise FileProblem(_("列が多すぎます（上限 %(max)s 列）。") % {"max": MAX_COLUMNS})
    if not any(header):
        raise FileProblem(_("1行目に見出し（列名）がありません。"))
    header = [h[:80] if h else f"列{i + 1}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        key = normalise_header(h)
        if key in seen:
            raise FileProblem(
                _(
                    "見出し「%(header)s」が2回あります（%(first)s列目と%(second)s列目）。"
                    "列名を直してください。"
                )
                % {"header": h, "first": seen[key] + 1, "second": i + 1}
            )
        seen[key] = i
    width = len(header)
    body = rows[1:]
    if not body:
        raise FileProblem(_("見出し行のほかに回答の行がありません。"))
    fixed: list[list[str]] = []
    for number, record in enumerate(body, start=2):
        if len(record) > width:
            if any(str(v).strip() for v in record[width:]):
                raise FileProblem(
                    _(
                        "%(row)s行目の値の数（%(values)s）が見出しの列数（%(columns)s）より多いです。"
                        "カンマを含む値は引用符で囲んでください。"
                    )
                    % {"row": number, "values": len(record), "columns": width}
                )
            record = record[:width]
        elif len(record) < width:
            record = list(record) + [""] * (width - len(record))
        fixed.append(record)
    frame = pd.DataFrame(fixed, columns=header, dtype=object)
    return Table(header, frame)
