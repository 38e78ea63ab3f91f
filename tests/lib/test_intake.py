"""The one file intake: encodings, Excel, limits, and the reject report."""

from __future__ import annotations

import io
import random
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from tsunagari.lib import intake

CSV = "id,町名,年齢\nA1,豊洲,34\nA2,亀戸,71\n"


def refused(data: bytes | str | Path, **options: object) -> intake.Problem:
    source = data.encode() if isinstance(data, str) else data
    with pytest.raises(intake.Rejected) as caught:
        intake.read_table(source, name=options.pop("name", "t.csv"), **options)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)
    return caught.value.problem


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ── encodings ───────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CSV.encode(), "utf-8"),
        (b"\xef\xbb\xbf" + CSV.encode(), "utf-8-sig"),
        (CSV.encode("cp932"), "cp932"),
        (CSV.replace("\n", "\r\n").encode("cp932"), "cp932"),
    ],
    ids=["utf-8", "utf-8-bom", "cp932", "cp932-crlf"],
)
def test_it_reads_utf8_with_or_without_bom_and_shift_jis(data: bytes, encoding: str) -> None:
    # given the same table saved in each encoding offices use
    # when read
    table = intake.read_table(data, name="t.csv", required=["id"])
    # then the text is the same, without BOM, and the encoding is named
    assert table.encoding == encoding
    assert table.header == ["id", "町名", "年齢"]
    assert table.rows == [["A1", "豊洲", "34"], ["A2", "亀戸", "71"]]
    assert table.numbers == [2, 3]


def test_it_reads_the_characters_only_cp932_has() -> None:
    # given Shift_JIS as Windows writes it: 髙 (IBM extension), ① and ㈱ (NEC specials)
    data = "id,名前\nA1,髙橋①㈱\n".encode("cp932")
    # when read / then they come out as written
    assert intake.read_table(data, name="t.csv").rows == [["A1", "髙橋①㈱"]]


def test_it_refuses_a_utf8_file_with_one_value_in_shift_jis_instead_of_guessing() -> None:
    # given a UTF-8 file where row 3 was pasted in from a Shift_JIS file
    data = "id,町名\nA1,豊洲\n".encode() + "A2,亀戸\n".encode("cp932")
    # when read
    problem = refused(data)
    # then row 3, column 町名 is named; nothing is read as mojibake
    assert (problem.file, problem.row, problem.column) == ("t.csv", 3, "町名")
    assert "UTF-8" in problem.reason and "UTF-8" in problem.reason_ja


@pytest.mark.parametrize(
    "bad",
    [b"\xff", b"\x80", b"\xa0", b"\x81\x20"],
    ids=["ff", "80", "a0", "broken-pair"],
)
def test_it_refuses_bytes_that_are_neither_utf8_nor_shift_jis(bad: bytes) -> None:
    # given a Shift_JIS file with a byte that is no character in row 3
    data = "id,名前,memo\nA1,山田,x\n".encode("cp932") + b"A2,x," + bad + b"y\n"
    # when read
    problem = refused(data)
    # then the row, the column and the bytes are named, in both languages
    assert (problem.row, problem.column) == (3, "memo")
    assert "neither UTF-8 nor Shift_JIS" in problem.reason
    assert "UTF-8 でも Shift_JIS でもない" in problem.reason_ja
    assert problem.value.startswith("b'")


def test_it_counts_rows_as_a_spreadsheet_does() -> None:
    # given a quoted value over two lines and a blank line before a bad byte
    data = b'id,note\nA1,"two\nlines"\n\nA2,\xff\n'
    # when read
    problem = refused(data)
    # then the bad byte is on row 4 (header 1, A1 2, blank 3, A2 4)
    assert (problem.row, problem.column) == (4, "note")


def test_it_refuses_utf16_with_a_clear_message() -> None:
    # given a file saved as "Unicode text" without NUL bytes in it
    problem = refused("Ｒ".encode("utf-16"))
    # then it says UTF-16
    assert "UTF-16" in problem.reason and "UTF-16" in problem.reason_ja


def test_it_hands_utf8_bytes_to_fast_readers_without_copying_and_transcodes_shift_jis() -> None:
    # given the same file in UTF-8 and in Shift_JIS
    utf8 = CSV.encode()
    # when asked for UTF-8 bytes
    same, encoding = intake.to_utf8(utf8, "t.csv")
    transcoded, sjis = intake.to_utf8(CSV.encode("cp932"), "t.csv")
    # then UTF-8 comes back as it was, Shift_JIS as UTF-8
    assert same is utf8 and encoding == "utf-8"
    assert (transcoded, sjis) == (utf8, "cp932")


# ── Excel ───────────────────────────────────────────────────────────────────


def test_it_reads_the_first_sheet_of_a_workbook_as_text() -> None:
    # given a workbook with numbers, dates and a blank row
    data = xlsx(
        ("回答", [["id", "年齢", "回答日"], ["A1", 34, date(2026, 4, 1)], [None, None], ["A2", 71.0, datetime(2026, 4, 2)]]),
        ("メモ", [["x"]]),
    )  # fmt: skip
    # when read
    table = intake.read_table(data, name="r.xlsx")
    # then cells are text as a person sees them, rows keep their sheet numbers
    assert table.encoding == "xlsx"
    assert table.rows == [["A1", "34", "2026-04-01"], ["A2", "71", "2026-04-02"]]
    assert table.numbers == [2, 4]


def test_it_reads_a_named_sheet_and_names_a_missing_one() -> None:
    # given a workbook with two sheets
    data = xlsx(("メモ", [["x"]]), ("回答", [["id"], ["A1"]]))
    # when the named sheet is read / then it is that sheet
    assert intake.read_table(data, name="r.xlsx", sheet="回答").rows == [["A1"]]
    # and a sheet that does not exist is named with the ones that do
    problem = refused(data, name="r.xlsx", sheet="集計")
    assert "集計" in problem.reason_ja and "回答" in problem.reason_ja


@pytest.mark.parametrize(
    ("data", "reason_ja"),
    [
        (b"<html>not excel</html>", "Excel（.xlsx）ファイルではありません"),
        (b"PK\x03\x04garbage" * 10, "壊れて"),
    ],
    ids=["not-a-zip", "damaged-zip"],
)
def test_it_refuses_a_file_that_only_claims_to_be_excel(data: bytes, reason_ja: str) -> None:
    # given a .xlsx that is not a workbook / when read / then it says so
    assert reason_ja in refused(data, name="r.xlsx").reason_ja


def test_it_refuses_a_workbook_for_csv_only_importers() -> None:
    # given a workbook named .csv, for an importer that takes CSV only
    data = xlsx(("s", [["id"], ["A1"]]))
    # when read / then it is refused as not CSV text
    assert "CSV" in refused(data, name="t.csv", allow_excel=False).reason


# ── limits ──────────────────────────────────────────────────────────────────


def test_it_refuses_a_file_over_the_callers_size_limit(tmp_path: Path) -> None:
    # given a 2 kB file and a 1 kB limit, as bytes, a file object and a path
    data = ("id\n" + "A1\n" * 700).encode()
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    for source in (data, io.BytesIO(data), path):
        # when read
        with pytest.raises(intake.Rejected) as caught:
            intake.read_table(source, name="big.csv", max_bytes=1024)
        # then the limit is named, in both languages
        problem = caught.value.problem
        assert problem.row is None
        assert "limit" in problem.reason and "大きすぎます" in problem.reason_ja


def test_it_refuses_more_rows_than_the_callers_limit_in_csv_and_excel() -> None:
    # given five data rows and a limit of four
    rows = [["id"], *([f"A{i}"] for i in range(5))]
    csv_data = "\n".join(r[0] for r in rows).encode()
    for data, name in ((csv_data, "t.csv"), (xlsx(("s", rows)), "t.xlsx")):
        # when read
        problem = refused(data, name=name, max_rows=4)
        # then the first row over the limit is named
        assert problem.row == 6
        assert "4 rows" in problem.reason
    # and four rows pass
    assert len(intake.read_table(csv_data, name="t.csv", max_rows=5)) == 5


def test_it_refuses_more_columns_than_the_limit() -> None:
    # given a header of 300 columns and a limit of 200
    data = (",".join(f"c{i}" for i in range(300)) + "\n" + "1," * 299 + "1\n").encode()
    # when read / then the first column over the limit is named
    assert refused(data, max_columns=200).column == "#201"


@pytest.mark.parametrize("data", [b"", b"  \n\r\n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom"])
def test_it_refuses_an_empty_file_naming_what_it_needs(data: bytes) -> None:
    # given an empty file / when read with a required column
    problem = refused(data, required=["id"])
    # then row 1 and the required column are named
    assert (problem.row, problem.column) == (1, "id")
    assert "ファイルが空です" in problem.reason_ja


def test_it_refuses_a_header_without_rows_unless_an_empty_table_is_allowed() -> None:
    # given a header only
    data = b"id,name\n"
    # when read / then row 2 is missing
    assert refused(data).row == 2
    # and an importer of tables that may be empty gets the header
    assert intake.read_table(data, name="t.csv", empty_ok=True).header == ["id", "name"]


def test_it_refuses_binary_garbage_in_one_line() -> None:
    # given random bytes without a NUL (so only the decoding can tell)
    rng = random.Random(7)
    data = bytes(rng.choice(range(1, 256)) for _ in range(5000))
    # when read / then it is refused naming a row, never read as text
    problem = refused(data)
    assert problem.row is not None and problem.row >= 1


def test_it_refuses_a_ten_megabyte_single_line_quickly() -> None:
    # given one 10 MB line without a separator (a dump, not a table)
    data = b"x" * (10 * 1024 * 1024)
    # when read
    started = time.perf_counter()
    problem = refused(data, max_bytes=20 * 1024 * 1024)
    # then it is refused with a reason, in seconds
    assert time.perf_counter() - started < 10
    assert "characters" in problem.reason and "文字を超える" in problem.reason_ja


def test_it_refuses_a_ten_megabyte_line_of_commas_as_too_many_columns() -> None:
    # given a 10 MB header of empty names and one value
    data = b"a" + b"," * (10 * 1024 * 1024) + b"b\n1\n"
    # when read / then the column limit is named
    assert refused(data, max_bytes=20 * 1024 * 1024).column == "#201"


def test_it_refuses_nul_bytes_as_binary_naming_the_row_and_column() -> None:
    # given a text file with a NUL byte in row 3
    data = b"id,name\nA1,x\nA2,y\x00z\n"
    # when read
    problem = refused(data)
    # then it is binary data, at row 3, column name
    assert (problem.row, problem.column) == (3, "name")
    assert "binary data" in problem.reason and "バイナリ" in problem.reason_ja


# ── header and rows ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("data", "row", "column"),
    [
        (b"id,name,id\n1,2,3\n", 1, "id"),
        (b"id,name\n1,x\n", 1, "town"),
        (b"id;town\n1;x\n", 1, "id"),
        (b"id,town\n1,x\n2,y,z\n", 3, "#3"),
        (b'id,town\n1,x\n2,"y\n3,z\n', 3, "town"),
    ],
    ids=["duplicate", "missing", "semicolons", "extra-fields", "unclosed-quote"],
)
def test_it_names_the_row_and_column_of_a_broken_table(data: bytes, row: int, column: str) -> None:
    # given a broken table / when read with a required column
    problem = refused(data, required=["id", "town"])
    # then row and column are named
    assert (problem.row, problem.column) == (row, column)


def test_it_pads_short_rows_reads_tsv_and_compares_names_by_the_callers_key() -> None:
    # given a TSV whose header is in capitals and whose second row is short
    data = "ID\tTown\nA1\t豊洲\nA2\n".encode()
    # when read with a lower-case key
    table = intake.read_table(data, name="t.tsv", required=["town"], key=str.lower)
    # then the header is kept as written, keyed lower-case, and the row padded
    assert (table.header, table.keys) == (["ID", "Town"], ["id", "town"])
    assert list(table.dicts()) == [{"id": "A1", "town": "豊洲"}, {"id": "A2", "town": ""}]
    assert table.frame().shape == (2, 2)


# ── the report ──────────────────────────────────────────────────────────────


def test_it_reports_a_problem_in_one_line_in_japanese_or_english() -> None:
    # given a problem with a long, multi-line value
    report = intake.RejectReport("r.csv")
    problem = report.add(3, "町名", "x\n" * 100, "not a town", "町名ではありません")
    # then the value is shortened to one line and the text names file, row and column
    assert "\n" not in problem.value and len(problem.value) <= 61
    assert problem.text("ja") == "r.csv: 3行目・列「町名」: 町名ではありません"
    assert problem.text("en") == str(problem) == "r.csv: row 3, column 町名: not a town"
    assert report.lines("en") == [str(problem)] and len(report) == 1


def test_it_imports_nothing_from_django() -> None:
    # given a fresh interpreter / when the intake is imported and used
    code = (
        "import sys; from tsunagari.lib import intake; "
        "intake.read_table(b'a\\n1\\n', name='a.csv'); "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    # then Django was never loaded
    assert done.returncode == 0, done.stderr


# --- crashes found by fuzzing (tests/fuzz/test_intake.py), each with its minimal input ---


def _zip_of_an_unknown_version(data: bytes) -> bytes:
    """The archive with its first central-directory entry claiming zip version 6.4."""
    damaged = bytearray(data)
    entry = damaged.index(b"PK\x01\x02")
    damaged[entry + 6] = 64  # the version needed to extract
    return bytes(damaged)


def test_it_refuses_binary_data_after_a_bom_and_bad_bytes() -> None:
    # given a BOM, a byte that is not UTF-8, then a NUL (once an UnicodeDecodeError)
    problem = refused(b"\xef\xbb\xbf\x01\x80\x00")
    # then the file is refused as binary
    assert "binary" in problem.reason


def test_it_refuses_a_workbook_of_an_unknown_zip_version() -> None:
    # given a workbook whose zip directory names version 6.4 (once a NotImplementedError)
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    problem = refused(_zip_of_an_unknown_version(out.getvalue()), name="t.xlsx")
    # then it is refused as a damaged Excel file
    assert "damaged" in problem.reason
