"""The link command's fixed interface (shared/contracts/linkage.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .helpers import HARD, HEADER, run_link, write_csv

ALICE = ["A1", "", "山田 花子", "ヤマダ ハナコ", "1960-01-02", "2", "江東区北砂3-12-5"]
ALICE_AGAIN = ["B1", "", "山田花子", "ﾔﾏﾀﾞ ﾊﾅｺ", "昭和35年1月2日", "女", "北砂三丁目12番5号"]
BOB = ["A2", "", "木村 次郎", "キムラ ジロウ", "1955-05-05", "1", "江東区亀戸2-3-4"]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    write_csv(tmp_path / "in" / "registry.csv", HEADER, [ALICE, BOB])
    write_csv(tmp_path / "in" / "care.csv", HEADER, [ALICE_AGAIN])
    return tmp_path / "in"


def test_it_exits_zero_and_writes_the_contract_files(tmp_path: Path) -> None:
    result = run_link(str(HARD), "--out", str(tmp_path / "out"), env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    clusters = pd.read_csv(tmp_path / "out" / "clusters.csv", dtype=str)
    households = pd.read_csv(tmp_path / "out" / "households.csv", dtype=str)
    assert list(clusters.columns) == ["source", "record_id", "person_id"]
    assert list(households.columns) == ["person_id", "household_id"]
    assert set(households["person_id"]) == set(clusters["person_id"])
    assert households["person_id"].is_unique
    assert "people" in result.stdout and "households" in result.stdout


def test_it_lists_every_input_record_exactly_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    call_command("link", str(HARD), "--out", str(out), "--no-progress")
    clusters = pd.read_csv(out / "clusters.csv", dtype=str)
    expected = sum(len(pd.read_csv(p, dtype=str)) for p in HARD.glob("*.csv"))
    assert len(clusters) == expected
    assert not clusters.duplicated(["source", "record_id"]).any()
    assert set(clusters["source"]) == {p.stem for p in HARD.glob("*.csv")}


def test_it_links_a_tiny_extract_across_notations(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    call_command("link", str(tiny), "--out", str(out), "--no-progress")
    person = pd.read_csv(out / "clusters.csv", dtype=str).set_index(["source", "record_id"])
    assert person.loc[("registry", "A1"), "person_id"] == person.loc[("care", "B1"), "person_id"]
    assert (
        person.loc[("registry", "A1"), "person_id"] != person.loc[("registry", "A2"), "person_id"]
    )


def test_it_reads_files_with_a_byte_order_mark(tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "registry.csv", HEADER, [ALICE, BOB], bom=True)
    call_command("link", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-progress")
    clusters = pd.read_csv(tmp_path / "out" / "clusters.csv", dtype=str)
    assert sorted(clusters["record_id"]) == ["A1", "A2"]


def test_it_lists_bad_values_in_warnings_and_still_links_the_row(
    tiny: Path, tmp_path: Path
) -> None:
    bad_date = [
        "B2",
        "",
        "木村 次郎",
        "キムラ ジロウ",
        "昭和九十年13月40日",
        "1",
        "江東区亀戸2-3-4",
    ]
    no_name = ["B3", "", "", "", "1970-01-01", "", "江東区東陽4-7-1"]
    write_csv(tiny / "care.csv", HEADER, [ALICE_AGAIN, bad_date, no_name])
    out = tmp_path / "out"
    result = run_link(str(tiny), "--out", str(out), env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = pd.read_csv(out / "warnings.csv", dtype=str)
    assert list(warnings.columns) == ["source", "record_id", "column", "problem"]
    flagged = set(zip(warnings["record_id"], warnings["column"], strict=True))
    assert ("B2", "birth_date") in flagged
    assert ("B3", "name_kanji") in flagged
    person = pd.read_csv(out / "clusters.csv", dtype=str).set_index(["source", "record_id"])
    # Linked on name, reading and address although the date is unreadable.
    assert person.loc[("care", "B2"), "person_id"] == person.loc[("registry", "A2"), "person_id"]
    assert ("care", "B3") in person.index


def test_it_keeps_unknown_extra_columns_as_attributes(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "in" / "care.csv",
        [*HEADER, "care_level", "担当センター"],
        [[*ALICE, "要介護2", "北砂"], [*BOB, "", "亀戸"]],
    )
    out = tmp_path / "out"
    call_command("link", str(tmp_path / "in"), "--out", str(out), "--no-progress")
    records = pd.read_parquet(out / "records.parquet").set_index("record_id")
    assert records.loc["A1", "attr.care_level"] == "要介護2"
    assert records.loc["B1" if "B1" in records.index else "A2", "attr.担当センター"] == "亀戸"


def test_it_refuses_a_missing_required_column_in_one_line(tiny: Path, tmp_path: Path) -> None:
    write_csv(
        tiny / "child.csv",
        ["record_id", "name_kanji", "address"],
        [["K1", "山田 太郎", "北砂1-1-1"]],
    )
    result = run_link(str(tiny), "--out", str(tmp_path / "out"), env_dir=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "child.csv" in lines[0] and "row 1" in lines[0] and "birth_date" in lines[0]
    assert "Traceback" not in result.stderr


def test_it_refuses_undecodable_bytes_naming_file_and_row(tiny: Path, tmp_path: Path) -> None:
    (tiny / "poverty.csv").write_bytes(
        # Shift_JIS あい, then a byte that is neither UTF-8 nor Shift_JIS
        ",".join(HEADER).encode() + b"\nP1,,\x82\xa0\x82\xa2,,1960-01-01,,\xff\n"
    )
    result = run_link(str(tiny), "--out", str(tmp_path / "out"), env_dir=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "poverty.csv" in lines[0] and "row 2" in lines[0]


def test_it_raises_command_error_for_an_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    with pytest.raises(CommandError, match=r"no \*\.csv"):
        call_command("link", str(tmp_path / "in"), "--out", str(tmp_path / "out"))


def test_it_reaches_the_command_through_the_tsunagari_console_script(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = Path(sys.executable).with_name("tsunagari")
    if not script.exists():
        pytest.skip("the tsunagari console script is not installed in this environment")
    shutil.copytree(HARD, tmp_path / "in")
    result = subprocess.run(
        [str(script), "link", str(tmp_path / "in"), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "TSUNAGARI_DATA_DIR": str(tmp_path)},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "clusters.csv").exists()
