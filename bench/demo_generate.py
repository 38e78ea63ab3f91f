"""Time the synthetic ward generator and the extract writer.

Prints seconds and rates; no asserts (benchmarks are read, not judged).

    .venv/bin/python bench/demo_generate.py            # 54,000 and 540,000 people, ~1M records
    .venv/bin/python bench/demo_generate.py --quick    # 54,000 people only
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from pathlib import Path

from tsunagari.demo.extracts import write_extracts
from tsunagari.demo.population import generate_ward

# people giving about 1,000,000 extract records (registry + department sources)
PEOPLE_FOR_1M_RECORDS = 740_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_generate(people: int) -> None:
    gc.collect()
    started = time.perf_counter()
    ward = generate_ward(people)
    seconds = time.perf_counter() - started
    print(
        f"generate_ward({people:,}): {seconds:.1f} s, {people / seconds:,.0f} people/s, "
        f"{ward.household_count:,} households, peak RSS {_peak_mb():,.0f} MB"
    )


def time_extracts(people: int) -> None:
    ward = generate_ward(people)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        summary = write_extracts(ward, Path(tmp) / "in", truth_dir=Path(tmp) / "truth")
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in (Path(tmp) / "in").glob("*.csv"))
    records = summary.total_records
    print(
        f"write_extracts({people:,} people): {records:,} records in {seconds:.1f} s, "
        f"{records / seconds:,.0f} records/s, {size / 1e6:,.0f} MB of CSV, "
        f"per source {summary.records}, peak RSS {_peak_mb():,.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="54,000 people only")
    args = parser.parse_args(argv)
    time_generate(54_000)
    if args.quick:
        time_extracts(54_000)
        return 0
    time_generate(540_000)
    time_extracts(PEOPLE_FOR_1M_RECORDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
