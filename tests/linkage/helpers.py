"""Helpers for the linkage tests: tiny extracts and reading the outputs."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pandas as pd

DATA = Path(__file__).with_name("data")
HARD = DATA / "hard"
HARD_TRUTH = DATA / "hard_truth.csv"
REPO = Path(__file__).resolve().parents[2]

HEADER = ["record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex", "address"]


def write_csv(path: Path, header: list[str], rows: list[list[str]], bom: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def person_of(out: Path) -> dict[tuple[str, str], str]:
    clusters = pd.read_csv(out / "clusters.csv", dtype=str)
    return {
        (s, r): p
        for s, r, p in zip(
            clusters["source"], clusters["record_id"], clusters["person_id"], strict=True
        )
    }


def household_of(out: Path) -> dict[str, str]:
    households = pd.read_csv(out / "households.csv", dtype=str)
    return dict(zip(households["person_id"], households["household_id"], strict=True))


def same_pairs(labels: dict[tuple[str, str], str]) -> set[frozenset[tuple[str, str]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, label in labels.items():
        groups.setdefault(label, []).append(key)
    return {frozenset(p) for g in groups.values() for p in combinations(sorted(g), 2)}


def run_link(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m django link ...`` as the command line would."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tsunagari.settings",
        "TSUNAGARI_DATA_DIR": str(env_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "link", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
        check=False,
    )
