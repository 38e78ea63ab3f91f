"""``--engine spark``: the same model on pyspark local mode gives the same people.

Skipped only when pyspark is not installed (it is the optional ``spark``
extra: ``pip install 'tsunagari[spark]'``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tsunagari.linkage.engine import LinkOptions, link_directory

from .helpers import HARD, household_of, person_of, same_pairs

pytest.importorskip(
    "pyspark",
    reason="pyspark is not installed: pip install 'tsunagari[spark]' to test --engine spark",
)


def test_it_finds_the_same_people_and_households_on_spark_as_on_duckdb(tmp_path: Path) -> None:
    found = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / engine
        link_directory(HARD, out, LinkOptions(engine=engine, as_of=date(2026, 10, 1)))
        person, household = person_of(out), household_of(out)
        by_record = {key: household[p] for key, p in person.items()}
        found[engine] = (same_pairs(person), same_pairs(by_record))
    assert found["spark"] == found["duckdb"]
