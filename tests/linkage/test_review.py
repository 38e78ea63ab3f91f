"""Uncertain pairs for review, and reviewed decisions fed into the next run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tsunagari.linkage.engine import InputError, LinkOptions, link_directory
from tsunagari.linkage.engine.graph import constrained_components
from tsunagari.linkage.engine.review import REVIEW_COLUMNS, read_decisions

from .helpers import HARD, HEADER, person_of, run_link, write_csv

AS_OF = date(2026, 10, 1)
DECISION_HEADER = ["source_l", "record_id_l", "source_r", "record_id_r", "decision"]


def _components(
    edges: list[tuple[int, int]],
    n: int = 4,
    forced: list[bool] | None = None,
    apart: list[tuple[int, int]] | None = None,
    group: list[int] | None = None,
    key: list[int] | None = None,
) -> list[int]:
    left = np.array([e[0] for e in edges], dtype=np.int64)
    right = np.array([e[1] for e in edges], dtype=np.int64)
    apart_arrays = None
    if apart is not None:
        apart_arrays = (
            np.array([a for a, _ in apart], dtype=np.int64),
            np.array([b for _, b in apart], dtype=np.int64),
        )
    return constrained_components(
        n,
        left,
        right,
        np.arange(len(edges)),
        np.array(group or [-1] * n, dtype=np.int64),
        np.array(key or [-1] * n, dtype=np.int64),
        forced=np.array(forced, dtype=bool) if forced is not None else None,
        apart=apart_arrays,
    ).tolist()


def test_it_keeps_an_apart_pair_apart_even_through_a_chain() -> None:
    # 0-1 and 1-2 would chain 0 and 2 together; a reviewer said 0 and 2 differ.
    labels = _components([(0, 1), (1, 2)], n=3, apart=[(0, 2)])
    assert labels[0] != labels[2]
    assert labels[0] == labels[1]  # the stronger edge came first and holds


def test_it_keeps_an_apart_pair_apart_after_their_groups_grew() -> None:
    labels = _components([(0, 1), (2, 3), (1, 3)], n=4, apart=[(0, 2)])
    assert labels == [0, 0, 1, 1]


def test_it_joins_a_forced_pair_across_two_resident_numbers() -> None:
    # One source, two numbers: normally never joined; a reviewer said same.
    group, key = [0, 0, -1, -1], [7, 8, -1, -1]
    unforced = _components([(0, 1)], group=group, key=key)
    forced = _components([(0, 1)], forced=[True], group=group, key=key)
    assert unforced[0] != unforced[1]
    assert forced[0] == forced[1]


def test_it_prefers_different_over_same_for_one_pair() -> None:
    labels = _components([(0, 1)], forced=[True], apart=[(0, 1)])
    assert labels[0] != labels[1]


def test_it_writes_review_csv_with_every_column(tmp_path: Path) -> None:
    link_directory(HARD, tmp_path, LinkOptions(as_of=AS_OF))
    review = pd.read_csv(tmp_path / "review.csv", dtype=str)
    assert list(review.columns) == list(REVIEW_COLUMNS)


def test_it_lists_a_near_threshold_pair_with_how_each_field_compares(tmp_path: Path) -> None:
    # The same name and birth date at two unrelated addresses, no phone, no
    # number: a moved person or a namesake; the model cannot be sure.
    a = ["A1", "", "山田 花子", "ヤマダ ハナコ", "1960-01-02", "2", "江東区北砂3-12-5"]
    b = ["B1", "", "山田 花子", "ヤマダ ハナコ", "1960-01-02", "2", "江東区亀戸2-3-4"]
    others = [
        ["A2", "", "木村 次郎", "キムラ ジロウ", "1955-05-05", "1", "江東区亀戸2-3-4"],
        ["A3", "", "鈴木 一郎", "スズキ イチロウ", "1948-03-05", "1", "江東区大島1-2-3"],
    ]
    write_csv(tmp_path / "in" / "registry.csv", HEADER, [a, *others])
    write_csv(tmp_path / "in" / "csw.csv", HEADER, [b])
    summary = link_directory(
        # (0.9989 before name frequencies were weighed against their own level,
        # 0.9998 since: linked either way, in the band either way)
        tmp_path / "in",
        tmp_path / "out",
        LinkOptions(as_of=AS_OF, review_band=(0.01, 0.9999)),
    )
    review = pd.read_csv(tmp_path / "out" / "review.csv", dtype=str)
    assert summary.review_pairs == len(review) == 1
    row = review.iloc[0]
    assert {row["record_id_l"], row["record_id_r"]} == {"A1", "B1"}
    assert row["cmp_surname"] == row["cmp_given"] == row["cmp_birth_date"] == "same"
    assert row["cmp_address"] == "differ"
    assert row["cmp_phone"] == "missing"
    assert row["name_l"] == "山田 花子" and row["birth_date_r"] == "1960-01-02"
    assert 0.01 <= float(row["match_probability"]) < 0.9999


def test_it_applies_decisions_on_the_next_run(tmp_path: Path) -> None:
    first = tmp_path / "first"
    link_directory(HARD, first, LinkOptions(as_of=AS_OF))
    before = person_of(first)
    # The run linked the stale-number pair and kept 一郎 and 花子 apart.
    assert before["registry", "R08"] == before["care", "C01"]
    assert before["registry", "R01"] != before["registry", "R02"]
    decisions = write_csv(
        tmp_path / "decisions.csv",
        DECISION_HEADER,
        [
            ["care", "C01", "registry", "R08", "different"],
            ["registry", "R02", "registry", "R01", "same"],
            ["registry", "NOPE", "care", "C01", "same"],
        ],
    )
    second = tmp_path / "second"
    summary = link_directory(HARD, second, LinkOptions(as_of=AS_OF, decisions=decisions))
    after = person_of(second)
    assert after["registry", "R08"] != after["care", "C01"]
    assert after["registry", "R01"] == after["registry", "R02"]
    assert summary.decisions_applied == 2 and summary.decisions_unknown == 1
    # Decided pairs are not asked again.
    review = pd.read_csv(second / "review.csv", dtype=str)
    asked = {
        frozenset({(r.source_l, r.record_id_l), (r.source_r, r.record_id_r)})
        for r in review.itertuples()
    }
    assert frozenset({("care", "C01"), ("registry", "R08")}) not in asked


def test_it_reads_decision_words_and_keeps_the_last_one(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        DECISION_HEADER,
        [
            ["care", "C1", "registry", "R1", "same"],
            ["registry", "R1", "care", "C1", "別人"],
            ["care", "C2", "registry", "R2", "Accept"],
            ["", "", "", "", ""],
        ],
    )
    assert read_decisions(path) == [
        ("care", "C1", "registry", "R1", "different"),
        ("care", "C2", "registry", "R2", "same"),
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("source_l,record_id_l,source_r,record_id_r\n", "row 1: missing column decision"),
        (",".join(DECISION_HEADER) + "\ncare,C1,registry,R1,maybe\n", "row 2: decision 'maybe'"),
        (",".join(DECISION_HEADER) + "\ncare,,registry,R1,same\n", "row 2: a source or record_id"),
        (",".join(DECISION_HEADER) + "\ncare,C1\n", "row 2: 2 cells, expected 5"),
    ],
)
def test_it_refuses_a_bad_decisions_file_naming_the_row(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        read_decisions(path)


def test_it_refuses_undecodable_decisions_in_one_line_before_linking(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_bytes(b"\x82\xa0\x82\xa2")
    result = run_link(
        str(HARD), "--out", str(tmp_path / "out"), "--decisions", str(path), env_dir=tmp_path
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "decisions.csv" in lines[0] and "UTF-8" in lines[0]
    assert not (tmp_path / "out" / "clusters.csv").exists()


def test_the_command_reports_review_pairs_and_applied_decisions(tmp_path: Path) -> None:
    decisions = write_csv(
        tmp_path / "decisions.csv",
        DECISION_HEADER,
        [["care", "C01", "registry", "R08", "different"]],
    )
    result = run_link(
        str(HARD), "--out", str(tmp_path / "out"), "--decisions", str(decisions), env_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "uncertain pairs to review" in result.stdout
    assert "1 reviewed pairs applied" in result.stdout


@pytest.mark.parametrize("seed", range(30))
def test_the_shortcut_through_plain_components_changes_no_one(seed: int) -> None:
    # Only components with a conflict go through the careful joins; the
    # result must equal careful joins over the whole graph.
    from tsunagari.linkage.engine.graph import _union_find, components

    rng = np.random.default_rng(seed)
    n = 60
    m = int(rng.integers(20, 90))
    left = rng.integers(0, n, m).astype(np.int64)
    right = rng.integers(0, n, m).astype(np.int64)
    order = rng.permutation(m).astype(np.int64)
    group = np.where(rng.random(n) < 0.4, rng.integers(0, 3, n), -1).astype(np.int64)
    key = np.where(group >= 0, rng.integers(0, 4, n), -1).astype(np.int64)
    forced = rng.random(m) < 0.1
    apart = (rng.integers(0, n, 4).astype(np.int64), rng.integers(0, n, 4).astype(np.int64))
    fast = constrained_components(n, left, right, order, group, key, forced, apart)
    roots = _union_find(n, left[order], right[order], forced[order], group, key, apart)
    careful = components(n, roots, np.arange(n, dtype=np.int64))
    assert fast.tolist() == careful.tolist()
