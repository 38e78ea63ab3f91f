"""Directory search over 10,000 services: Tsunagari's search columns against a
naive baseline (icontains over every text field, joins for place, day, price).

Prints p50 / p95 / max per method; no asserts (benchmarks are read, not judged).
Each query does what a results page does: count, then the first 20 rows.

    .venv/bin/python bench/directory_search.py                 # 10,000 services, 500 queries
    .venv/bin/python bench/directory_search.py --queries 100   # quicker
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

# Always a fresh SQLite database of its own: never the user's data.
_TMP = tempfile.mkdtemp(prefix="tsunagari-bench-")
os.environ["TSUNAGARI_DATA_DIR"] = _TMP
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Q, QuerySet  # noqa: E402

from tsunagari.resources.demo import build_directory, load_unchecked  # noqa: E402
from tsunagari.resources.models import (  # noqa: E402
    Accessibility,
    Address,
    CostOption,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
)
from tsunagari.resources.services import SearchQuery, search_services  # noqa: E402
from tsunagari.resources.towns import TOWNS  # noqa: E402

WORDS = [
    "サロン",
    "子ども",
    "食堂",
    "体操",
    "カフェ",
    "ボランティア",
    "就労",
    "ひまわり",
    "さくら",
    "相談",
    "居場所",
    "サークル",
]
KINDS = [
    "salon",
    "kayoi",
    "kodomo_shokudo",
    "ibasho",
    "cafe",
    "group",
    "volunteering",
    "job_support",
]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]


def make_queries(n: int, seed: int) -> list[SearchQuery]:
    rng = random.Random(seed)
    queries = []
    for _ in range(n):
        queries.append(
            SearchQuery(
                text=" ".join(rng.sample(WORDS, rng.choice([0, 1, 1, 2]))),
                kinds=(rng.choice(KINDS),) if rng.random() < 0.4 else (),
                town=rng.choice(TOWNS[:42]) if rng.random() < 0.5 else "",
                day=rng.choice(DAYS) if rng.random() < 0.3 else "",
                free=rng.random() < 0.3,
                wheelchair=rng.random() < 0.2,
            )
        )
    return queries


def naive(query: SearchQuery) -> QuerySet[Service]:
    """What one would write first: icontains over the raw HSDS columns, and
    subqueries through service_at_location for anything about the place."""
    qs = Service.objects.filter(x_confidential=False)
    for token in query.text.split():
        places = Location.objects.filter(
            Q(name__icontains=token) | Q(x_town__icontains=token)
        ).values("id")
        addresses = Address.objects.filter(address_1__icontains=token).values("location_id")
        at_place = ServiceAtLocation.objects.filter(
            Q(location_id__in=places) | Q(location_id__in=addresses)
        ).values("service_id")
        qs = qs.filter(
            Q(name__icontains=token)
            | Q(alternate_name__icontains=token)
            | Q(description__icontains=token)
            | Q(x_easy_description__icontains=token)
            | Q(eligibility_description__icontains=token)
            | Q(id__in=at_place)
        )
    if query.kinds:
        qs = qs.filter(x_kind__in=query.kinds)
    if query.town:
        in_town = Address.objects.filter(address_1__icontains=query.town).values("location_id")
        qs = qs.filter(
            id__in=ServiceAtLocation.objects.filter(location_id__in=in_town).values("service_id")
        )
    if query.day:
        qs = qs.filter(
            id__in=Schedule.objects.filter(byday__icontains=query.day).values("service_id")
        )
    if query.free:
        qs = qs.filter(id__in=CostOption.objects.filter(amount=0).values("service_id"))
    if query.wheelchair:
        ok = Accessibility.objects.filter(description__icontains="車いす").values("location_id")
        qs = qs.filter(
            id__in=ServiceAtLocation.objects.filter(location_id__in=ok).values("service_id")
        )
    return qs.order_by("name", "id")


def _p95(times: list[float]) -> float:
    return times[int(len(times) * 0.95) - 1]


def run(
    name: str, search: Callable[[SearchQuery], QuerySet[Service]], queries: list[SearchQuery]
) -> list[float]:
    times = []
    hits = 0
    for query in queries:
        started = time.perf_counter()
        qs = search(query)
        total = qs.count()
        rows = list(qs[:20])
        times.append((time.perf_counter() - started) * 1000)
        hits += total > 0 and len(rows) > 0
    times.sort()
    p95 = _p95(times)
    print(
        f"{name:<28} p50 {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms   "
        f"max {times[-1]:7.2f} ms   ({hits}/{len(queries)} queries with results)"
    )
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    one = build_directory(args.seed, scale=1)["services"]
    fixed = sum(1 for s in one if s.get("x_kind") not in KINDS)
    per_round = len(one) - fixed
    scale = max(1, -(-(args.services - fixed) // per_round))
    started = time.perf_counter()
    tables = build_directory(args.seed, scale=scale)
    created = load_unchecked(tables)
    print(
        f"directory: {created:,} services loaded and indexed in {time.perf_counter() - started:.1f} s (SQLite, {_TMP})"
    )
    queries = make_queries(args.queries, args.seed)
    # Warm the page cache so both methods start alike.
    run("warm-up (not counted)", search_services, queries[:20])
    ours = run("tsunagari search columns", search_services, queries)
    base = run("naive icontains + joins", naive, queries)
    print(f"p95 ratio naive/tsunagari: {_p95(base) / _p95(ours):.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
