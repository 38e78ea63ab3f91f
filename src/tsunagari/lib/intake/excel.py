"""Excel workbooks (.xlsx) read as rows of text, with the limits of a text file.

A workbook is a zip of XML files. openpyxl parses them with ``defusedxml``
(a dependency), which refuses entity declarations, so a "billion laughs"
workbook or one reaching for an external entity is refused with its own
message instead of being expanded. Reading refuses to start if openpyxl is
not using it (``OPENPYXL_DEFUSEDXML=False``, ``OPENPYXL_LXML=True`` with lxml
installed, or the package missing); ``tsunagari/__init__.py`` keeps openpyxl
off lxml by default.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import Any

from defusedxml import DefusedXmlException

from tsunagari.lib.intake.problems import Problem, Rejected

__all__ = ["DAMAGED_ZIP", "MAX_UNZIPPED", "sheet_names", "workbook_rows"]

#: Largest unpacked workbook accepted (a small .xlsx can unpack to gigabytes).
MAX_UNZIPPED = 400 * 1024 * 1024
#: What zipfile raises on a damaged archive: BadZipFile, and also
#: NotImplementedError (an unknown zip version or compression), ValueError,
#: EOFError or OSError on a damaged directory, RuntimeError (encrypted).
DAMAGED_ZIP = (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError, RuntimeError)


def _whole(file: str, reason: str, reason_ja: str) -> Rejected:
    return Rejected(Problem(file, None, "", "", reason, reason_ja))


def cell_text(value: object) -> str:
    """A cell as the text a person sees: whole numbers without ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _hostile_xml(file: str) -> Rejected:
    return _whole(
        file,
        "the workbook contains XML entity or document-type declarations, which Excel never"
        " writes; it was refused as possibly hostile. Open it in Excel and save it again as .xlsx",
        "Excel ファイルの中に、Excel が作らない XML の宣言（エンティティ・DTD）があります。"
        "安全のため読み込みません。Excel で開いて .xlsx で保存し直してください。",
    )


def _refused_by_defusedxml(exc: BaseException) -> bool:
    """True when defusedxml refused the XML (openpyxl wraps it in a ValueError)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _require_defused_xml() -> None:
    import openpyxl
    from openpyxl.xml import functions

    defused = all(
        getattr(parse, "__module__", "").startswith("defusedxml")
        for parse in (functions.iterparse, functions.fromstring)
    )
    if not (openpyxl.DEFUSEDXML and defused):
        raise RuntimeError(
            "openpyxl is not parsing with defusedxml: install defusedxml and do not set"
            " OPENPYXL_DEFUSEDXML=False or OPENPYXL_LXML=True; workbooks are not read"
            " without it."
        )


def _open(data: bytes, file: str) -> Any:
    from openpyxl import load_workbook

    _require_defused_xml()
    if data[:4] != b"PK\x03\x04":
        raise _whole(
            file,
            "this is not an Excel (.xlsx) file; open it in Excel and save it as .xlsx",
            "Excel（.xlsx）ファイルではありません。Excel で開いて .xlsx で保存し直してください。",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except DAMAGED_ZIP:
        raise _whole(
            file,
            "the Excel file is damaged; save it again",
            "Excel ファイルが壊れています。保存し直してください。",
        ) from None
    if unpacked > MAX_UNZIPPED:
        raise _whole(
            file,
            "the workbook unpacks to more than 400 MB; save it as CSV and split it",
            "Excel ファイルの中身が大きすぎます。CSV で保存して分割してください。",
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        if _refused_by_defusedxml(exc):
            raise _hostile_xml(file) from None
        raise _whole(
            file,
            "cannot be read as an Excel workbook; save it again as .xlsx",
            "Excel ファイルとして読み取れません。.xlsx で保存し直してください。",
        ) from None


def sheet_names(data: bytes, file: str) -> list[str]:
    """The workbook's sheet names, in order."""
    book = _open(data, file)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def workbook_rows(
    data: bytes, file: str, *, sheet: str | None, max_rows: int, max_columns: int
) -> tuple[list[list[str]], list[int]]:
    """The non-blank rows of a sheet as text, and their row numbers in the sheet.

    Raises:
        Rejected: not a workbook, damaged, too big unpacked, no such sheet,
            more than ``max_rows`` data rows.
    """
    book = _open(data, file)
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise _whole(
                file,
                f"the workbook has no sheet {sheet!r} (it has {', '.join(book.sheetnames)})",
                f"シート「{sheet}」がありません（あるのは {', '.join(book.sheetnames)}）。",
            )
        rows: list[list[str]] = []
        numbers: list[int] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values[: max_columns + 1]]
            if not any(c.strip() for c in cells):
                continue
            if len(rows) > max_rows:
                raise Rejected(
                    Problem(
                        file,
                        number,
                        "",
                        "",
                        f"more than {max_rows:,} rows; split the file",
                        f"行が多すぎます（上限 {max_rows:,} 行）。分割してください。",
                    )
                )
            rows.append(cells)
            numbers.append(number)
    except Rejected:
        raise
    except Exception as exc:
        if _refused_by_defusedxml(exc):
            raise _hostile_xml(file) from None
        raise _whole(
            file,
            "the workbook could not be read to the end; save it again",
            "Excel ファイルの読み取り中に問題がありました。保存し直してください。",
        ) from None
    finally:
        book.close()
    return rows, numbers
