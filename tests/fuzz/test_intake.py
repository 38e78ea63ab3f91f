"""The file intake refuses any file only with ``intake.Rejected``, and reads back what it was given."""

from __future__ import annotations

import csv
import io
import zipfile
from functools import lru_cache

from hypothesis import assume, given
from hypothesis import strategies as st

from tests.fuzz.strategies import (
    CP932_CELL,
    FUZZ,
    LINE_ENDS,
    QUOTING,
    csv_bytes,
    tables,
    xlsx_bytes,
)
from tsunagari.lib import intake

NAMES = st.sampled_from(["a.csv", "a.tsv", "a.xlsx", "upload", "a.CSV", "b.xlsm"])


def _read(data: bytes, name: str) -> intake.Table | None:
    try:
        return intake.read_table(data, name=name, max_rows=50, max_columns=20)
    except intake.Rejected as refused:
        assert refused.problem.reason.strip() and refused.problem.reason_ja.strip()
        return None


@FUZZ
@given(st.binary(max_size=400), NAMES)
def test_it_refuses_arbitrary_bytes_only_with_its_own_error(data: bytes, name: str) -> None:
    table = _read(data, name)
    if table is not None:
        assert all(len(row) == len(table.header) for row in table.rows)
        assert len(table.numbers) == len(table.rows)


@FUZZ
@given(st.binary(max_size=200), st.sampled_from([b"", b"\xef\xbb\xbf", b"PK\x03\x04", b"id\n"]))
def test_it_refuses_arbitrary_bytes_after_a_telling_prefix(data: bytes, prefix: bytes) -> None:
    _read(prefix + data, "a.csv")


@FUZZ
@given(tables(), QUOTING, LINE_ENDS, st.sampled_from(["utf-8", "utf-8-sig"]))
def test_it_reads_back_any_utf8_csv_in_any_quoting(
    table: tuple[list[str], list[list[str]]], quoting: int, line_end: str, encoding: str
) -> None:
    header, rows = table
    # a lone CR is only quoted by the csv module when it ends lines with CR LF
    assume(
        line_end == "\r\n"
        or quoting != csv.QUOTE_MINIMAL
        or not any("\r" in v for row in rows for v in row)
    )
    # given a file written by the csv module (what Excel and LibreOffice write)
    data = csv_bytes(header, rows, quoting=quoting, encoding=encoding, lineterminator=line_end)
    # when it is read
    read = _read(data, "a.csv")
    # then it comes back cell for cell
    assert read is not None
    assert read.header == header
    assert read.rows == rows


@FUZZ
@given(tables(cell=CP932_CELL), QUOTING)
def test_it_reads_back_any_shift_jis_csv(
    table: tuple[list[str], list[list[str]]], quoting: int
) -> None:
    header, rows = table
    data = csv_bytes(header, rows, quoting=quoting, encoding="cp932")
    read = _read(data, "a.csv")
    assert read is not None
    assert read.rows == rows
    assert read.encoding in ({"utf-8"} if data.isascii() else {"cp932"})


@lru_cache(maxsize=1)
def _workbook() -> bytes:
    return xlsx_bytes(
        ["id", "氏名", "住所"], [[f"A{i}", "山田 太郎", "北砂1-2-3"] for i in range(30)]
    )


@FUZZ
@given(st.integers(min_value=0, max_value=10_000))
def test_it_refuses_a_truncated_workbook_only_with_its_own_error(cut: int) -> None:
    data = _workbook()
    _read(data[: cut % len(data)], "a.xlsx")


@FUZZ
@given(st.integers(min_value=0, max_value=10_000), st.binary(min_size=1, max_size=8))
def test_it_refuses_a_damaged_workbook_only_with_its_own_error(at: int, junk: bytes) -> None:
    data = bytearray(_workbook())
    at %= len(data)
    data[at : at + len(junk)] = junk
    _read(bytes(data), "a.xlsx")


@FUZZ
@given(
    st.sampled_from(
        [
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
            "[Content_Types].xml",
            "xl/sharedStrings.xml",
            "xl/styles.xml",
        ]
    ),
    st.binary(max_size=60),
)
def test_it_refuses_a_workbook_with_a_broken_part(part: str, junk: bytes) -> None:
    # given a valid zip whose one XML part is replaced by junk (a CRC-valid damage)
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, junk if info.filename == part else source.read(info))
    _read(out.getvalue(), "a.xlsx")


@FUZZ
@given(tables(max_rows=4))
def test_it_reads_back_a_workbook(table: tuple[list[str], list[list[str]]]) -> None:
    header, rows = table
    # openpyxl refuses control characters and formulas are not text; keep to plain cells
    assume(all(not v.startswith("=") for row in rows for v in row))
    assume(all(v.isprintable() or v in "\r\n\t" for row in [header, *rows] for v in "".join(row)))
    try:
        data = xlsx_bytes(header, rows)
    except Exception:  # openpyxl refuses some characters on writing
        assume(False)
        raise
    read = _read(data, "a.xlsx")
    assert read is not None
    assert read.header == header


@FUZZ
@given(st.text(max_size=300), st.sampled_from([",", "\t"]))
def test_it_parses_any_text_or_refuses_it(text: str, delimiter: str) -> None:
    try:
        table = intake.parse_text(text, "a.csv", delimiter=delimiter, max_rows=100)
    except intake.Rejected:
        return
    assert all(len(row) == len(table.header) for row in table.rows)


@FUZZ
@given(st.text(max_size=300))
def test_it_checks_the_header_of_any_text_or_refuses_it(text: str) -> None:
    try:
        header = intake.read_header(text, "a.csv", required=["id"])
    except intake.Rejected:
        return
    assert "id" in header


@FUZZ
@given(st.binary(max_size=300))
def test_it_transcodes_any_bytes_to_utf8_or_refuses_them(data: bytes) -> None:
    try:
        utf8, encoding = intake.to_utf8(data, "a.csv")
    except intake.Rejected:
        return
    assert encoding in {"utf-8", "utf-8-sig", "cp932"}
    utf8.decode("utf-8")
