"""Extract reading: crashes found by fuzzing (tests/fuzz), each kept with its minimal input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsunagari.linkage.engine import InputError
from tsunagari.linkage.engine.reader import read_extract


@pytest.mark.parametrize(
    "data", [b"\n\x00", b"\nrecord_id,name_kanji,birth_date,address\nK1,a,b,c\n"]
)
def test_it_refuses_an_extract_whose_first_line_is_blank(tmp_path: Path, data: bytes) -> None:
    # given an extract whose header is not on the first line
    path = tmp_path / "care.csv"
    path.write_bytes(data)
    # when it is read, then the officer is told to put the header on row 1
    with pytest.raises(InputError, match=r"care\.csv, row 1: .*header must be row 1"):
        read_extract(path)


@pytest.mark.parametrize(
    "data", [b"a\rb\n", b'record_id,"name\rkanji",birth_date,address\n\xa1\n', b'"a\xa1\n']
)
def test_it_refuses_a_header_with_a_stray_carriage_return_or_quote(
    tmp_path: Path, data: bytes
) -> None:
    # given a header line the csv module cannot read on its own
    path = tmp_path / "care.csv"
    path.write_bytes(data)
    # when it is read, then the extract is refused naming the file, not crashed on
    with pytest.raises(InputError, match=r"^care\.csv"):
        read_extract(path)
