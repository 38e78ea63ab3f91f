"""Missed and false pairs of a link run, grouped by cause, with a sample of each.

Reads a run's ``clusters.csv``, ``records.parquet`` and ``review.csv`` beside
the generator's truth (``persons.csv``) and, for the third generator, its
``hard_cases.csv`` (difficulty tags per record). A missed pair is two records
of one true person in two predicted people; it is grouped by the kind of
records (registry twice, department against registry, two departments) and
by the difficulty tags of its two records; each group shows how many of its
pairs are in ``review.csv`` (a person would see them) and a few examples.

    .venv/bin/python bench/linkage_misses.py bench/out/perturb-thirdgen-20000-s3/none/out-recall-after \\
        bench/out/perturb-thirdgen-20000-s3/none/truth \\
        --hard-cases bench/out/perturb-thirdgen-20000-s3/base/raw/truth/hard_cases.csv
"""

from __future__ import annotations

import argparse
from collections import Counter
from itertools import combinations
from pathlib import Path

import pandas as pd

REGISTRY = "registry"
SHOW = (
    "source", "record_id", "resident_id", "name_key", "kana_key", "dob", "sex", "addr_key",
    "phone", "household_ref", "attr.status",
)  # fmt: skip


#: Difficulties that explain a miss by themselves, most telling first: a pair
#: is grouped under the first one either record carries (else by all tags).
PRIMARY = (
    "registry_dup", "name_partial", "birth_vague", "surname_change", "moved", "stale_id",
    "kana_reading", "kanji_homophone", "foreign_name", "date_error", "kana_typo", "namesake",
    "household_split", "address_partial", "kana_missing",
)  # fmt: skip


def _pairs(groups: pd.Series) -> set[tuple[int, int]]:
    """All unordered record pairs (row positions) that share a group key."""
    out: set[tuple[int, int]] = set()
    for _, idx in groups.groupby(groups).groups.items():
        if len(idx) > 1:
            out.update(combinations(sorted(int(i) for i in idx), 2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--hard-cases", type=Path)
    parser.add_argument("--sample", type=int, default=4)
    parser.add_argument("--detail", action="store_true", help="group by every difficulty tag")
    args = parser.parse_args()
    clusters = pd.read_csv(args.out / "clusters.csv", dtype=str)
    truth = pd.read_csv(args.truth / "persons.csv", dtype=str)
    records = pd.read_parquet(args.out / "records.parquet")
    frame = clusters.merge(truth, on=["source", "record_id"], suffixes=("_pred", "_true"))
    frame = frame.merge(records, on=["source", "record_id"], how="left", suffixes=("", "_rec"))
    tags = {}
    if args.hard_cases:
        hc = pd.read_csv(args.hard_cases, dtype=str, keep_default_na=False)
        tags = {
            (s, r): d
            for s, r, d in zip(hc["source"], hc["record_id"], hc["difficulties"], strict=True)
        }
    frame["tags"] = [
        tags.get((s, r), "") for s, r in zip(frame["source"], frame["record_id"], strict=True)
    ]
    review_keys: set[tuple[str, str, str, str]] = set()
    review_path = args.out / "review.csv"
    if review_path.exists():
        rv = pd.read_csv(review_path, dtype=str)
        for a, b, c, d in zip(
            rv["source_l"], rv["record_id_l"], rv["source_r"], rv["record_id_r"], strict=True
        ):
            review_keys.add((a, b, c, d))
            review_keys.add((c, d, a, b))
    true_pairs = _pairs(frame["person_id_true"])
    pred_pairs = _pairs(frame["person_id_pred"])
    missed = true_pairs - pred_pairs
    false = pred_pairs - true_pairs
    print(f"true pairs {len(true_pairs):,}  predicted {len(pred_pairs):,}  "
          f"missed {len(missed):,}  false {len(false):,}")  # fmt: skip

    def kind(i: int, j: int) -> str:
        a, b = frame.at[i, "source"], frame.at[j, "source"]
        if a == b == REGISTRY:
            return "registry twice"
        if REGISTRY in (a, b):
            return "department-registry"
        return "same department" if a == b else "two departments"

    def cause(i: int, j: int) -> str:
        if args.detail:
            return detail(i, j)
        both = frame.at[i, "tags"] + ";" + frame.at[j, "tags"]
        for label in PRIMARY:
            if label in both:
                return label
        return detail(i, j)

    def detail(i: int, j: int) -> str:
        found = sorted(
            {
                t.split("=")[0] + ("=" + t.split("=")[1] if t.startswith("registry_dup") else "")
                for t in (frame.at[i, "tags"] + ";" + frame.at[j, "tags"]).split(";")
                if t and not t.startswith(("date_format", "address_format", "name_space",
                                           "kana_script", "sex_format", "phone_format"))
            }
        )  # fmt: skip
        return ", ".join(found) or "(no tag)"

    def show(pairs: set[tuple[int, int]], title: str) -> None:
        groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for i, j in sorted(pairs):
            groups.setdefault((kind(i, j), cause(i, j)), []).append((i, j))
        print(f"\n## {title}: {len(pairs):,} pairs\n")
        by_kind = Counter(k for k, _ in groups for _ in groups[(k, _)])
        for k, n in by_kind.most_common():
            print(f"  {k}: {n}")
        for (k, c), members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            seen = sum(
                (frame.at[i, "source"], frame.at[i, "record_id"], frame.at[j, "source"],
                 frame.at[j, "record_id"]) in review_keys
                for i, j in members
            )  # fmt: skip
            print(f"\n### {k} | {c}: {len(members)} pairs, {seen} in review.csv")
            for i, j in members[: args.sample]:
                for x in (i, j):
                    row = [str(frame.at[x, c2]) if c2 in frame else "" for c2 in SHOW]
                    print("   ", " | ".join(row), "|", frame.at[x, "tags"])
                print()

    show(missed, "missed")
    show(false, "false")


if __name__ == "__main__":
    main()
