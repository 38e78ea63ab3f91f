"""Participation matching over 10,000 opportunities: the engine against a naive
filter-and-sort, in the same run.

The naive method is what one writes first: check each constraint with plain
conditions, score by shared interests and travel, sort everything, take the
top, no variety and no reasons. The engine does all of that plus variety
caps and reasons, once over a ``Catalogue`` (an index built once, whose sets
cut the list by time, town, language, access and cost before the full
check) and once over the plain list. Prints p50 / p95 / max per method; no asserts
(benchmarks are read, not judged). Target: engine p95 under 50 ms.

    .venv/bin/python bench/participation_matching.py                # 10,000 entries, 300 profiles
    .venv/bin/python bench/participation_matching.py --profiles 50  # quicker
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from tsunagari.participation.engine import (
    Catalogue,
    Opportunity,
    Profile,
    Slot,
    rank,
    travel_minutes,
)

TOWNS = (
    "亀戸",
    "大島",
    "北砂",
    "南砂",
    "東砂",
    "東陽",
    "木場",
    "深川",
    "白河",
    "住吉",
    "豊洲",
    "東雲",
)
KINDS = (
    "ibasho",
    "kayoi",
    "salon",
    "cafe",
    "group",
    "volunteering",
    "job_support",
    "kodomo_shokudo",
)
TERMS = ("料理", "体操", "園芸", "手芸", "子ども", "音楽", "読書", "パソコン", "散歩", "将棋")
OFFERS = ("話し相手", "運転", "パソコン", "料理", "子どもの見守り")


def travel_table() -> dict[tuple[str, str], int]:
    return {(a, b): 8 + 4 * abs(i - j) for i, a in enumerate(TOWNS) for j, b in enumerate(TOWNS)}


def catalogue(n: int, rng: random.Random) -> list[Opportunity]:
    out = []
    for i in range(n):
        capacity = rng.choice([None, 10, 20, 30])
        out.append(
            Opportunity(
                id=f"o{i:06d}",
                title=f"活動{i}",
                kind=rng.choice(KINDS),
                host=f"h{rng.randrange(n // 4)}",
                town=rng.choice(TOWNS),
                interests=frozenset(rng.sample(TERMS, rng.randint(0, 2))),
                seeks=frozenset(rng.sample(OFFERS, rng.randint(0, 1))),
                slots=tuple(
                    Slot(rng.randrange(7), rng.choice([600, 780, 900, 1080]))
                    for _ in range(rng.randint(0, 3))
                ),
                flexible_time=rng.random() < 0.1,
                walk_minutes=rng.choice([None, 3, 5, 8, 12, 15, 20]),
                cost_yen=rng.choice([None, 0, 0, 100, 300, 500]),
                group_size=rng.choice([None, 5, 8, 12, 20, 40]),
                wheelchair=rng.choice([None, True, False]),
                companion_ok=rng.random() < 0.9,
                sensory_friendly=rng.choice([None, True, False]),
                languages=frozenset({"ja"} | ({"en"} if rng.random() < 0.2 else set())),
                capacity=capacity,
                vacancies=None if capacity is None else rng.randint(0, capacity // 2),
                keywords=tuple(rng.sample(TERMS, 1)),
            )
        )
    return out


def profile(rng: random.Random) -> Profile:
    return Profile(
        interests=frozenset(rng.sample(TERMS, rng.randint(1, 3))),
        offers=frozenset(rng.sample(OFFERS, rng.randint(0, 2))),
        free_times=frozenset(
            (rng.randrange(7), rng.choice(["am", "pm", "eve"])) for _ in range(rng.randint(0, 8))
        ),
        home_town=rng.choice(TOWNS),
        max_travel_minutes=rng.choice([None, 20, 30, 45]),
        wheelchair=rng.random() < 0.15,
        needs_companion=rng.random() < 0.2,
        max_cost_yen=rng.choice([None, 0, 300]),
        max_group_size=rng.choice([None, 10, 20]),
        prefers_small_groups=rng.random() < 0.4,
        sensory_needs=rng.random() < 0.15,
        goals=rng.choice(["", "料理を覚えたい", "体操で外に出る"]),
    )


def naive(p: Profile, items: list[Opportunity], travel: dict[tuple[str, str], int]) -> list[str]:
    kept = []
    for o in items:
        if o.vacancies is not None and o.vacancies <= 0:
            continue
        if p.wheelchair and o.wheelchair is not True:
            continue
        if p.needs_companion and not o.companion_ok:
            continue
        if p.max_cost_yen is not None and (o.cost_yen is None or o.cost_yen > p.max_cost_yen):
            continue
        if p.max_group_size is not None and o.group_size and o.group_size > p.max_group_size:
            continue
        if p.sensory_needs and o.sensory_friendly is False:
            continue
        if (
            p.free_times
            and not o.flexible_time
            and not any((s.day, s.period) in p.free_times for s in o.slots)
        ):
            continue
        minutes = travel_minutes(p, o, travel)
        if p.max_travel_minutes is not None and (minutes is None or minutes > p.max_travel_minutes):
            continue
        kept.append((len(p.interests & o.interests), -(minutes or 99), o.id))
    kept.sort(reverse=True)
    return [row[2] for row in kept[:10]]


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    q = statistics.quantiles(ms, n=100)
    print(f"{name:<28} p50 {q[49]:7.2f} ms   p95 {q[94]:7.2f} ms   max {max(ms):7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--profiles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    items = catalogue(args.entries, rng)
    table = travel_table()
    people = [profile(rng) for _ in range(args.profiles)]
    start = time.perf_counter()
    index = Catalogue(items)
    build_ms = (time.perf_counter() - start) * 1000
    engine_ms: list[float] = []
    scan_ms: list[float] = []
    naive_ms: list[float] = []
    sizes = []
    for p in people:  # interleaved, so all see the same machine load
        engine_ms += timed(lambda p=p: sizes.append(len(rank(p, index, travel=table))), 1)
        scan_ms += timed(lambda p=p: rank(p, items, travel=table), 1)
        naive_ms += timed(lambda p=p: naive(p, items, table), 1)
    print(f"{args.entries} opportunities, {args.profiles} profiles, "
          f"{statistics.mean(sizes):.1f} suggestions on average")  # fmt: skip
    print(f"catalogue index built once in {build_ms:.0f} ms")
    report("engine (rank, catalogue)", engine_ms)
    report("engine (rank, plain list)", scan_ms)
    report("naive filter-and-sort", naive_ms)
    print(f"ratio p95 engine/naive: {statistics.quantiles(engine_ms, n=100)[94] / statistics.quantiles(naive_ms, n=100)[94]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
