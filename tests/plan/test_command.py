"""The contract's command: files, columns, BOM, errors; once as the console command."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.plan.conftest import at
from tsunagari.lib import clock
from tsunagari.plan.export import DIRECTIONS_HEADER, PROGRAMMES_HEADER
from tsunagari.plan.models import PlanPeriod

TSUNAGARI = Path(sys.executable).with_name("tsunagari")


def _read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_it_writes_both_files_with_the_contract_columns(
    period: PlanPeriod, small_ward: dict[str, object], tmp_path: Path, settings: Any
) -> None:
    settings.SMALL_CELL_MIN = 5
    out = tmp_path / "new" / "folder"
    with clock.frozen(at(2027, 6, 1)):
        call_command("indicators", "--fiscal-year", "2026", "--out", str(out), stdout=io.StringIO())
    directions = _read(out / "directions.csv")
    programmes = _read(out / "programmes.csv")
    assert list(directions[0]) == DIRECTIONS_HEADER
    assert list(programmes[0]) == PROGRAMMES_HEADER
    # every one of the 19 directions, with its Japanese name
    assert len({r["code"] for r in directions}) == 19
    assert {r["status"] for r in directions} <= {
        "achieved",
        "on_track",
        "behind",
        "no_target",
        "no_data",
    }
    assert {r["source"] for r in directions} <= {"computed", "entered"}
    local = next(r for r in directions if r["indicator"] == "身近な相談機関で受けた相談の件数")
    assert (local["code"], local["direction"], local["value"]) == ("1-3", "身近な相談先の充実", "7")
    hidden = [r for r in directions if r["suppressed"] == "1"]
    assert hidden and all(r["value"] == "" for r in hidden)
    received = next(r for r in programmes if r["item"] == "consultations_received")
    assert (received["programme"], received["value"], received["suppressed"]) == (
        "consultation",
        "10",
        "0",
    )
    people = next(
        r for r in programmes if (r["programme"], r["item"]) == ("consultation", "people_supported")
    )
    assert (people["value"], people["suppressed"]) == ("", "1")


@pytest.mark.parametrize("year", ["26", "2026-27", "二〇二六", "20261", ""])
def test_it_refuses_a_bad_year_format(db: None, tmp_path: Path, year: str) -> None:
    with pytest.raises(CommandError, match="four digits"):
        call_command("indicators", "--fiscal-year", year, "--out", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_it_refuses_an_unwritable_folder(db: None, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(CommandError, match="cannot write"):
        call_command("indicators", "--fiscal-year", "2026", "--out", str(blocker / "out"))


def test_the_console_command_runs_on_a_fresh_database(tmp_path: Path) -> None:
    # given a fresh data folder with its database migrated
    env = {**os.environ, "TSUNAGARI_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    subprocess.run([str(TSUNAGARI), "migrate", "-v0"], env=env, check=True, timeout=300)
    # when the command is run as planners run it
    ok = subprocess.run(
        [str(TSUNAGARI), "indicators", "--fiscal-year", "2026", "--out", str(tmp_path / "out")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    # then it exits 0 with a row for each direction and the programmes' items
    assert ok.returncode == 0, ok.stderr
    assert len({r["code"] for r in _read(tmp_path / "out" / "directions.csv")}) == 19
    assert _read(tmp_path / "out" / "programmes.csv")
    # and a bad year is one line and a non-zero exit
    bad = subprocess.run(
        [str(TSUNAGARI), "indicators", "--fiscal-year", "FY26", "--out", str(tmp_path / "o2")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode != 0
    assert len(bad.stderr.strip().splitlines()) == 1
