"""The readers built on the intake refuse any file only with their own error type.

Linkage extracts (``InputError``), HSDS files (``ImportFileError``) and survey
uploads (``FileProblem``): whatever the bytes, the reader returns its value
or its documented error, never an exception of another type.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import CELL, FUZZ, QUOTING, csv_bytes, tables, xlsx_bytes
from tsunagari.linkage.engine.errors import InputError
from tsunagari.linkage.engine.reader import REQUIRED_COLUMNS, read_extract
from tsunagari.resources.hsds.files import (
    ImportFileError,
    escape_cell,
    read_file,
    read_json_bytes,
    unescape_cell,
)

LINKAGE_HEADER = [*REQUIRED_COLUMNS, "phone"]


def _written(data: bytes, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / name
    path.write_bytes(data)
    return path


@FUZZ
@given(st.binary(max_size=300))
def test_it_refuses_any_linkage_extract_only_with_an_input_error(data: bytes) -> None:
    try:
        extract = read_extract(_written(data, "care.csv"))
    except InputError as refused:
        assert str(refused).startswith("care.csv")
        return
    assert list(extract.frame.columns)[: len(REQUIRED_COLUMNS)] or extract.frame.empty


@FUZZ
@given(
    st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=5),
    QUOTING,
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_it_reads_any_quoted_linkage_extract_or_names_the_row(
    rows: list[list[str]], quoting: int, encoding: str
) -> None:
    data = csv_bytes(LINKAGE_HEADER, rows, quoting=quoting, encoding=encoding)
    try:
        extract = read_extract(_written(data, "registry.csv"))
    except InputError as refused:
        assert refused.file == "registry.csv"
        return
    assert list(extract.frame.columns) == LINKAGE_HEADER
    assert all(extract.frame["record_id"] != "")


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["a.json", "a.csv", "a.zip", "a.xlsx", "a.tsv"]))
def test_it_refuses_any_hsds_file_only_with_an_import_file_error(data: bytes, name: str) -> None:
    with pytest.raises(ImportFileError) if not data.strip() else _either():
        read_file(_written(data, name))


class _either:
    """Accept a return or an ``ImportFileError``, nothing else."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: object, tb: object) -> bool:
        return kind is None or kind is ImportFileError


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["id", "name", "services", "organization_id", "locations", "phones", "x"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@FUZZ
@given(JSON)
def test_it_refuses_any_json_document_only_with_an_import_file_error(document: object) -> None:
    with _either():
        read_json_bytes(json.dumps(document).encode())


@FUZZ
@given(tables(), QUOTING)
def test_it_refuses_any_hsds_table_package_only_with_an_import_file_error(
    table: tuple[list[str], list[list[str]]], quoting: int
) -> None:
    header, rows = table
    header = ["id", "name", *header]
    rows = [[f"o{i}", "name", *row] for i, row in enumerate(rows)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(
            "organizations.csv", csv_bytes(header, rows, quoting=quoting, encoding="utf-8")
        )
    with _either():
        read_file(_written(out.getvalue(), "hsds.zip"))


@FUZZ
@given(tables(max_rows=3), st.integers(min_value=0, max_value=10_000))
def test_it_refuses_a_truncated_hsds_workbook_only_with_an_import_file_error(
    table: tuple[list[str], list[list[str]]], cut: int
) -> None:
    # given an HSDS workbook (one sheet per table) cut short anywhere
    header, rows = table
    data = xlsx_bytes(
        ["id", "name", *header],
        [[f"o{i}", "NPO", *(v.replace("\x1a", "") for v in row)] for i, row in enumerate(rows)],
        title="organizations",
    )
    # when it is read, then it is a bundle or a refusal, nothing else
    with _either():
        read_file(_written(data[: cut % (len(data) + 1)], "hsds.xlsx"))


@FUZZ
@given(st.text(max_size=30))
def test_it_round_trips_every_cell_through_the_csv_escape(text: str) -> None:
    escaped = escape_cell(text)
    assert unescape_cell(escaped) == text or (escaped == text and unescape_cell(text) != text)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["a.csv", "a.xlsx", "a.tsv"]))
def test_it_refuses_any_survey_upload_only_with_a_file_problem(data: bytes, name: str) -> None:
    from tsunagari.surveys.reading import FileProblem, read_upload

    try:
        table = read_upload(data, name)
    except FileProblem as refused:
        assert str(refused).strip()
        return
    assert list(table.frame.columns) == table.header


def _package() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("organizations.csv", "id,name\n" + "o1,NPO\n" * 20)
        package.writestr("services.csv", "id,organization_id,name\ns1,o1,相談\n")
    return out.getvalue()


@FUZZ
@given(st.integers(min_value=0, max_value=10_000), st.binary(min_size=1, max_size=8))
def test_it_refuses_a_damaged_hsds_package_only_with_an_import_file_error(
    at: int, junk: bytes
) -> None:
    # given an HSDS zip package with a few bytes overwritten anywhere
    data = bytearray(_package())
    at %= len(data)
    data[at : at + len(junk)] = junk
    # when it is read, then it is a bundle or a refusal, nothing else
    with _either():
        read_file(_written(bytes(data), "hsds.zip"))
