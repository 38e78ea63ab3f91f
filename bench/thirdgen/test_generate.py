"""Smoke tests of the third generator.

.venv/bin/pytest bench/thirdgen -q -p no:django
"""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

# the package is imported as `thirdgen`, as generate.py does when run as a script
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from thirdgen import generate
from thirdgen.difficulties import DIFFICULTIES

SCRIPT = Path(__file__).with_name("generate.py")
REQUIRED = {"record_id", "name_kanji", "birth_date", "address"}
OPTIONAL = {"resident_id", "name_kana", "sex", "phone", "household_id"}


def run(out: Path, *args: str, people: int = 1500, seed: int = 3) -> None:
    assert (
        generate.main(["--people", str(people), "--seed", str(seed), "--out", str(out), *args]) == 0
    )


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def tags_by_record(out: Path) -> dict[tuple[str, str], set[str]]:
    _, rows = read(out / "truth" / "hard_cases.csv")
    return {
        (r["source"], r["record_id"]): {t.split("=")[0] for t in r["difficulties"].split(";") if t}
        for r in rows
    }


def digest(directory: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(directory.rglob("*.csv")):
        h.update(path.relative_to(directory).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("thirdgen")
    run(out)
    return out


def test_it_writes_the_contract_columns_in_every_extract(dataset: Path) -> None:
    # given a generated dataset
    files = sorted((dataset / "extracts").glob("*.csv"))
    # then every source has the contract's required columns, only known optional
    # ones among the contract's names, unique record ids, and decodes as UTF-8
    assert {f.stem for f in files} == set(generate.COLUMNS)
    for path in files:
        columns, rows = read(path)
        assert REQUIRED <= set(columns), path.name
        assert len(columns) == len(set(columns)), path.name
        assert rows, path.name
        ids = [r["record_id"] for r in rows]
        assert len(ids) == len(set(ids)), path.name
        assert all(ids), path.name
    registry_columns, registry = read(dataset / "extracts" / "registry.csv")
    assert OPTIONAL - {"phone"} <= set(registry_columns)
    assert all(r["resident_id"] and r["record_id"] == r["resident_id"] for r in registry)


def test_it_writes_values_in_the_contracts_notations(dataset: Path) -> None:
    # given the kaigo extract and the registry
    _, kaigo = read(dataset / "extracts" / "kaigo.csv")
    _, registry = read(dataset / "extracts" / "registry.csv")
    # then sex is one of the contract's codes and dates are in its families
    assert {r["sex"] for r in kaigo + registry} <= {"1", "2", "男", "女", "M", "F", ""}
    date = re.compile(
        r"^(\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}|\d{8}|\d{4}年\d{1,2}月\d{1,2}日|"
        r"(明治|大正|昭和|平成|令和)([0-9０-９]{1,2}|元)(年[0-9０-９]{1,2}月[0-9０-９]{1,2}日|\.\d{1,2}\.\d{1,2})|"
        r"[MTSHR]\d{1,2}[./]\d{1,2}[./]\d{1,2})$"
    )
    bad = [r["birth_date"] for r in kaigo + registry if not date.match(r["birth_date"])]
    assert not bad, bad[:5]


def test_it_covers_every_record_once_in_the_truth(dataset: Path) -> None:
    # given the extracts and the truth files
    records = []
    for path in (dataset / "extracts").glob("*.csv"):
        records += [(path.stem, r["record_id"]) for r in read(path)[1]]
    _, truth = read(dataset / "truth" / "truth.csv")
    _, people = read(dataset / "truth" / "people.csv")
    # then each record appears exactly once, with a person and a household
    keys = [(t["source"], t["record_id"]) for t in truth]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(records)
    assert set(tags_by_record(dataset)) == set(records)
    household_of = {p["person"]: p["household"] for p in people}
    assert all(household_of[t["person"]] == t["household"] for t in truth)
    assert len({t["person"] for t in truth}) <= len(people)


def test_it_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    # given two runs with one seed and one with another
    run(tmp_path / "a", people=800, seed=11)
    run(tmp_path / "b", people=800, seed=11)
    run(tmp_path / "c", people=800, seed=12)
    # then the first two are byte for byte the same and the third differs
    assert digest(tmp_path / "a" / "extracts") == digest(tmp_path / "b" / "extracts")
    assert digest(tmp_path / "a" / "truth") == digest(tmp_path / "b" / "truth")
    assert digest(tmp_path / "a" / "extracts") != digest(tmp_path / "c" / "extracts")


@pytest.mark.parametrize("name", [d.name for d in DIFFICULTIES])
def test_it_applies_only_the_difficulty_named_by_only(tmp_path: Path, name: str) -> None:
    # given a run with one difficulty at its highest rate
    run(tmp_path, "--only", name, f"--rate-{name}", "1", people=1200)
    # then that difficulty, and no other, appears in the hard cases
    applied = set().union(*tags_by_record(tmp_path).values())
    assert applied == {name}


def test_it_applies_nothing_with_none(tmp_path: Path) -> None:
    # given a run without difficulties
    run(tmp_path, "--none")
    # then no record is listed as hard, and every value is in its plain form
    assert not set().union(*tags_by_record(tmp_path).values())
    _, kaigo = read(tmp_path / "extracts" / "kaigo.csv")
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["birth_date"]) for r in kaigo)
    assert all(r["sex"] in ("1", "2") for r in kaigo)
    # (住所地特例: a few care recipients live in facilities outside the ward)
    assert all(
        re.match(r"(東京都江東区|東京都|千葉県|埼玉県|神奈川県)", r["address"]) for r in kaigo
    )
    assert all(r["name_kana"] for r in kaigo)


def test_it_runs_as_a_script(tmp_path: Path) -> None:
    # given the command line of the README
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--people", "300", "--seed", "1", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    # then it succeeds and writes the registry and the truth
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "extracts" / "registry.csv").exists()
    assert (tmp_path / "truth" / "truth.csv").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--people", "0"],
        ["--people", "-5"],
        ["--people", "many"],
        ["--people", "10", "--rate-moved", "2"],
        ["--people", "10", "--rate-moved", "nan"],
        ["--people", "10", "--only", "no_such_difficulty"],
        ["--people", "10", "--none", "--only", "moved"],
    ],
)
def test_it_refuses_bad_arguments(tmp_path: Path, args: list[str]) -> None:
    # given a bad command line
    # when it is parsed, then argparse exits with an error and writes nothing
    with pytest.raises(SystemExit) as exc:
        generate.main([*args, "--out", str(tmp_path / "x")])
    assert exc.value.code != 0
    assert not (tmp_path / "x").exists()
