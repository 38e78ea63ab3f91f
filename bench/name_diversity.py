"""How concentrated the synthetic ward's names are, beside the targets.

Generates the ward (default 540,000 residents, the default seed) and prints
the surname shares, the number of distinct names and readings, and how many
other residents share a person's full reading (surname kana + given kana),
the figure that decides whether a name-only look-up can be right. Prints
numbers and whether each target is met; asserts nothing.

    .venv/bin/python bench/name_diversity.py
    .venv/bin/python bench/name_diversity.py --people 54000 --seed 1

Targets (a real ward of this size): 佐藤 about 1.5 % of residents (1.3-1.8 %),
the top 10 surnames together about 10 %, the median resident sharing their
full reading with at most 3 others and no reading held by more than about 60.
Before the composed name tails (same size and seed): 佐藤 9.6 %, 397 distinct
surnames, median 15 others sharing a full reading, サトウ ヒロシ 675 holders.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter

from tsunagari.demo.population import DEFAULT_SEED, generate_ward


def percentile(sorted_values: list[int], p: float) -> int:
    """Nearest-rank percentile of an ascending list."""
    index = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=540_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()

    started = time.perf_counter()
    ward = generate_ward(args.people, seed=args.seed)
    seconds = time.perf_counter() - started
    people = list(ward.persons())
    n = len(people)
    surnames = Counter(p.surname for p in people)
    given = Counter(p.given_name for p in people)
    readings = Counter(p.full_kana for p in people)
    others = sorted(readings[p.full_kana] - 1 for p in people)
    top, top_count = surnames.most_common(1)[0]
    top10 = sum(c for _, c in surnames.most_common(10))
    largest, largest_count = readings.most_common(1)[0]
    median = statistics.median(others)
    top_share = 100 * top_count / n

    print(f"{n:,} residents, seed {args.seed}, generated in {seconds:.1f} s")
    print(f"top surname              {top} {top_share:.2f} %   (target 1.3-1.8 %)")
    print(f"top-10 surnames          {100 * top10 / n:.1f} %     (real Japan about 10 %)")
    print(f"distinct surnames        {len(surnames):,}")
    print(f"distinct given names     {len(given):,}")
    print(f"distinct full readings   {len(readings):,}")
    print(f"others sharing my full reading: median {median:g} (target <= 3), ", end="")
    print(f"95th percentile {percentile(others, 95)}")
    print(
        f"largest full-reading group {largest.replace(chr(0x3000), ' ')}: {largest_count}", end=""
    )
    print("   (target <= about 60)")
    met = 1.3 <= top_share <= 1.8 and median <= 3 and largest_count <= 60
    print("targets met" if met else "targets NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
