"""Shared hypothesis strategies and settings for the fuzz tests.

FUZZ_EXAMPLES raises the number of examples for a deeper run than the
default, e.g. ``FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/fuzz``.
"""

from __future__ import annotations

import csv
import io
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per fuzz test in the default run (the whole fuzz suite stays under a minute).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Characters a ward's spreadsheet holds: Japanese, full width, CSV syntax, controls.
CELL_CHARS = (
    "あいうアイウｱｲｳ山田太郎北砂江東区丁目番地齋髙々ー－‐一二三〇"
    "abcXYZ0123456789０１２ ,;\t\"'\r\n=+-@|\\/\x1a\ufeff\u200b🙂"
)  # no NUL: the intake refuses it as binary data, by design
CELL = st.text(alphabet=st.sampled_from(CELL_CHARS), max_size=12)
#: Cells that Shift_JIS (CP932) can hold, for files saved by Excel on a Japanese PC.
CP932_CELL = st.text(
    alphabet=st.sampled_from(
        "あいうアイウｱｲｳ山田太郎北砂江東区丁目番地髙ー－一二三〇abc019 ,\"'\r\n"
    ),
    max_size=12,
)
HEADER_NAME = st.text(alphabet=st.sampled_from("abcdefgh_氏名住所"), min_size=1, max_size=6)


def csv_bytes(
    header: list[str],
    rows: list[list[str]],
    *,
    quoting: int,
    encoding: str,
    lineterminator: str = "\r\n",
) -> bytes:
    """Write a CSV file as a spreadsheet would, in the given quoting and encoding."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=quoting, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


QUOTING = st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])
LINE_ENDS = st.sampled_from(["\r\n", "\n"])


@st.composite
def tables(
    draw: Any, cell: st.SearchStrategy[str] = CELL, max_rows: int = 6
) -> tuple[list[str], list[list[str]]]:
    """A header of distinct names and rows of the header's width, none of them blank."""
    header = draw(st.lists(HEADER_NAME, min_size=1, max_size=5, unique=True))
    row = st.lists(cell, min_size=len(header), max_size=len(header)).filter(
        lambda r: any(v.strip() for v in r)
    )
    return header, draw(st.lists(row, min_size=1, max_size=max_rows))


def xlsx_bytes(header: list[str], rows: list[list[str]], *, title: str = "Sheet") -> bytes:
    """A small real workbook with one sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
