"""Storing what a run found: every input record with its person cluster
(and the stored person it matched), the outreach candidates, and the pairs
a person should look at.

Called by :func:`tsunagari.linkage.runs.execute_run` inside the run's
transaction; nothing here decides or shows anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from tsunagari.linkage.models import Candidate, LinkageRun, RecordLink, ReviewPair
from tsunagari.people.models import Person

_BATCH = 2000
# Source attributes that identify a person in another system (被保険者番号,
# 手帳番号 …): not needed as evidence, so not stored with a candidate.
IDENTIFIER = re.compile(r"(^|_)(no|id|number|num)$|番号$", re.IGNORECASE)


def store_results(run: LinkageRun, out: Path, candidates: pd.DataFrame) -> int:
    """Store the run's records, candidates and review pairs from the engine's
    output folder ``out``; returns the number of candidates stored."""
    records = pd.read_parquet(
        out / "records.parquet",
        columns=["source", "record_id", "resident_id", "person_id", "household_id"],
    )
    resident = records["resident_id"].fillna("").astype(str)
    numbers = sorted(set(resident) - {""})
    person_of_number: dict[str, int] = {}
    for chunk in range(0, len(numbers), 500):
        for stored_pk, stored_number in Person.objects.filter(
            resident_id__in=numbers[chunk : chunk + 500]
        ).values_list("pk", "resident_id"):
            person_of_number.setdefault(stored_number, stored_pk)
    # A cluster is a stored person when its records' numbers name exactly one.
    found: dict[str, set[int]] = {}
    for cluster, number in zip(records["person_id"].astype(str), resident, strict=True):
        matched = person_of_number.get(number)
        if matched is not None:
            found.setdefault(cluster, set()).add(matched)
    person_of_cluster = {c: next(iter(p)) for c, p in found.items() if len(p) == 1}
    sealed = _sealed_clusters(out, records, found)
    # The stored person behind each record of the review queue, so that the
    # queue can read their seal (and their household's) as it is now.
    review_keys = _review_keys(out)
    person_of_record: dict[tuple[str, str], int] = {}

    batch: list[RecordLink] = []
    for source, record_id, number, cluster, household in zip(
        records["source"].astype(str),
        records["record_id"].astype(str),
        resident,
        records["person_id"].astype(str),
        records["household_id"].astype(str),
        strict=True,
    ):
        person_pk = person_of_number.get(number) or person_of_cluster.get(cluster)
        if person_pk is not None and (source[:40], record_id[:100]) in review_keys:
            person_of_record[(source[:40], record_id[:100])] = person_pk
        batch.append(
            RecordLink(
                run=run,
                source=source[:40],
                record_id=record_id[:100],
                cluster=cluster[:40],
                household=household[:40],
                resident_id=number[:20],
                person_id=person_pk,
            )
        )
        if len(batch) >= _BATCH:
            RecordLink.objects.bulk_create(batch)
            batch = []
    RecordLink.objects.bulk_create(batch)

    count = 0
    for row in candidates.itertuples(index=False):
        keys = [k for k in str(row.members).split(";") if k]
        candidate = Candidate.objects.create(
            run=run,
            pattern=str(row.pattern)[:40],
            pattern_ja=str(row.pattern_ja)[:60],
            household_key=str(row.household_id)[:40],
            member_keys=keys,
            sources=[s for s in str(row.sources).split(";") if s],
            reason=str(row.reason),
            evidence=_minimal_evidence(json.loads(str(row.evidence))),
        )
        people = {person_of_cluster[k] for k in keys if k in person_of_cluster}
        if people:
            candidate.members.set(people)
        count += 1
    _store_review(run, out, sealed, person_of_record)
    return count


def _sealed_clusters(out: Path, records: pd.DataFrame, found: dict[str, set[int]]) -> set[str]:
    """Clusters of a person whose address is restricted (閲覧制限): a stored
    sealed person, or a record an extract marks as sealed."""
    stored = {pk for pks in found.values() for pk in pks}
    sealed_pks: set[int] = set()
    ordered = sorted(stored)
    for chunk in range(0, len(ordered), 500):
        sealed_pks.update(
            Person.objects.filter(pk__in=ordered[chunk : chunk + 500], sealed=True).values_list(
                "pk", flat=True
            )
        )
    clusters = {c for c, pks in found.items() if pks & sealed_pks}
    try:
        marks = pd.read_parquet(out / "records.parquet", columns=["person_id", "attr.sealed"])
    except (KeyError, ValueError, OSError):  # no extract has a sealed column
        return clusters
    flag = marks["attr.sealed"].fillna("").astype(str).str.strip().str.lower()
    marked = flag.isin({"1", "true", "yes", "y", "有", "あり", "○", "閲覧制限"})
    clusters.update(marks.loc[marked, "person_id"].astype(str))
    return clusters


#: At most this many uncertain pairs of a run are kept for review (the most
#: uncertain first); the rest wait for the next run.
MAX_REVIEW_PAIRS = 500
_SIDE = ("name", "kana", "birth_date", "sex", "address", "phone", "resident_id")
_COMPARED = ("surname", "given", "birth_date", "address", "phone", "resident_id")


def _review_keys(out: Path) -> set[tuple[str, str]]:
    """The (source, record id) of both sides of the pairs kept for review."""
    path = out / "review.csv"
    if not path.exists():
        return set()
    sides = ["source_l", "record_id_l", "source_r", "record_id_r"]
    pairs = pd.read_csv(
        path, dtype=str, keep_default_na=False, nrows=MAX_REVIEW_PAIRS, usecols=sides
    )
    keys: set[tuple[str, str]] = set()
    for side in ("l", "r"):
        keys.update(
            zip(
                pairs[f"source_{side}"].str[:40],
                pairs[f"record_id_{side}"].str[:100],
                strict=True,
            )
        )
    return keys


def _store_review(
    run: LinkageRun, out: Path, sealed: set[str], person_of_record: dict[tuple[str, str], int]
) -> int:
    path = out / "review.csv"
    if not path.exists():
        return 0
    pairs = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=MAX_REVIEW_PAIRS)
    rows = []
    for rank, row in enumerate(pairs.to_dict("records")):
        left = (row["source_l"][:40], row["record_id_l"][:100])
        right = (row["source_r"][:40], row["record_id_r"][:100])
        rows.append(
            ReviewPair(
                run=run,
                source_l=row["source_l"][:40],
                record_id_l=row["record_id_l"][:100],
                source_r=row["source_r"][:40],
                record_id_r=row["record_id_r"][:100],
                probability=float(row["match_probability"] or 0),
                linked=row["linked"] == "yes",
                comparison={k: row[f"cmp_{k}"] for k in _COMPARED},
                left={k: row[f"{k}_l"][:200] for k in _SIDE},
                right={k: row[f"{k}_r"][:200] for k in _SIDE},
                sealed=row["person_id_l"] in sealed or row["person_id_r"] in sealed,
                person_l_id=person_of_record.get(left),
                person_r_id=person_of_record.get(right),
                rank=rank,
            )
        )
    ReviewPair.objects.bulk_create(rows, batch_size=_BATCH)
    return len(rows)


def _minimal_evidence(evidence: dict[str, Any]) -> dict[str, Any]:
    for fact in evidence.values():
        if isinstance(fact, dict) and isinstance(fact.get("attributes"), dict):
            fact["attributes"] = {
                k: v for k, v in fact["attributes"].items() if not IDENTIFIER.search(str(k))
            }
    return evidence
