"""Extracts from other systems: only the required columns, other notations."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from tsunagari.linkage.engine import link_directory

from .helpers import write_csv

SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健太", "陽子", "誠", "翔", "真由美", "大輔", "愛", "蓮"]
HEADER = ["record_id", "name_kanji", "birth_date", "address"]


def test_it_links_extracts_with_only_the_required_columns(tmp_path: Path) -> None:
    # No reading, sex, phone or household number anywhere, and a population
    # full of namesakes: training falls back to the fields that exist.
    rng = random.Random(1)
    people, copies = [], []
    for i in range(2500):
        name = (rng.choice(SURNAMES), rng.choice(GIVEN))
        y, m, d = rng.randint(1930, 2015), rng.randint(1, 12), rng.randint(1, 28)
        c, b, g = rng.randint(1, 7), rng.randint(1, 30), rng.randint(1, 20)
        people.append(
            [f"A{i}", f"{name[0]} {name[1]}", f"{y}-{m:02d}-{d:02d}", f"江東区北砂{c}-{b}-{g}"]
        )
        if rng.random() < 0.4:
            copies.append([f"B{i}", "".join(name), f"{y}/{m}/{d}", f"北砂{c}丁目{b}番{g}号"])
    write_csv(tmp_path / "in" / "juki.csv", HEADER, people)
    write_csv(tmp_path / "in" / "kaigo.csv", HEADER, copies)

    link_directory(tmp_path / "in", tmp_path / "out")

    clusters = pd.read_csv(tmp_path / "out" / "clusters.csv", dtype=str)
    clusters["who"] = clusters["record_id"].str.slice(1)
    found = clusters.groupby("who")["person_id"].nunique()
    assert (found == 1).mean() > 0.99  # copies found their person
    mixed = clusters.groupby("person_id")["who"].nunique()
    assert (mixed > 1).sum() <= 5  # only true look-alikes (same name, date and address)


def test_it_accepts_a_header_only_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "empty.csv", HEADER, [])
    write_csv(tmp_path / "in" / "one.csv", HEADER, [["X1", "山田 太郎", "1950-01-01", "北砂1-1-1"]])
    link_directory(tmp_path / "in", tmp_path / "out")
    clusters = pd.read_csv(tmp_path / "out" / "clusters.csv", dtype=str)
    assert clusters.to_dict("records") == [
        {"source": "one", "record_id": "X1", "person_id": "P000000"}
    ]
