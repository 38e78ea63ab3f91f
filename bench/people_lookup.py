"""Intake look-up at the ward's size: latency and hit rate, beside a naive LIKE scan.

Loads N synthetic residents (default 540,000) into a fresh database through
the registry import, then asks Q queries built from noisy variants of real
residents (misspelt or differently written kana, era dates, variant kanji,
partial addresses, phones) and prints p50/p95 latency and the share of
queries whose true person is in the top 5, for Tsunagari's look-up and for
a naive LIKE scan on the same data.

    .venv/bin/python bench/people_lookup.py                         # SQLite file in bench/out/
    .venv/bin/python bench/people_lookup.py --people 54000 --queries 300
    DATABASE_URL=postgres://user@127.0.0.1:5432/bench .venv/bin/python bench/people_lookup.py
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def setup_django(people: int) -> None:
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("TSUNAGARI_DATA_DIR", str(OUT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{OUT / f'lookup-{people}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")
    import django

    django.setup()


HIRA = {chr(k): chr(k - 0x60) for k in range(0x30A1, 0x30F7)}  # katakana -> hiragana
TYPO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"


def noisy_query(r: object, address_key: str, rng: random.Random) -> str:
    from tsunagari.demo.extracts import DATE_STYLES, format_date

    surname_kana, given_kana = r.surname_kana, r.given_kana  # type: ignore[attr-defined]
    parts: list[str] = []
    style = rng.random()
    given = given_kana
    if rng.random() < 0.35 and len(given) > 2:  # one typo in the given name
        i = rng.randrange(1, len(given))
        given = given[:i] + rng.choice(TYPO) + given[i + 1 :]
    if style < 0.45:
        kana = f"{surname_kana} {given}"
        if rng.random() < 0.5:
            kana = "".join(HIRA.get(c, c) for c in kana)
        parts.append(kana)
    elif style < 0.75:
        name = f"{r.surname} {r.given_name}"  # type: ignore[attr-defined]
        parts.append(name.replace("斎", "齋").replace("高", "髙").replace("崎", "﨑"))
    else:
        parts.append(f"{surname_kana}{given}")
    if rng.random() < 0.9:
        parts.append(format_date(r.birth_date, rng.choice(DATE_STYLES)))  # type: ignore[attr-defined]
    if rng.random() < 0.3 and address_key:
        parts.append(address_key.rsplit("-", rng.randint(1, 2))[0])
    rng.shuffle(parts)
    return " ".join(parts)


def _has_date(text: str) -> bool:
    from tsunagari.text import TextError, parse_date

    return any(not isinstance(parse_date(t), TextError) for t in text.split())


def _same_name_counts(person_ids: list[int]) -> dict[int, int]:
    from django.db.models import Count

    from tsunagari.people.models import Person

    keys = dict(Person.objects.filter(pk__in=person_ids).values_list("id", "kana_key"))
    counts = dict(
        Person.objects.filter(kana_key__in=set(keys.values()))
        .values("kana_key")
        .annotate(n=Count("id"))
        .values_list("kana_key", "n")
    )
    return {pid: counts.get(key, 1) for pid, key in keys.items()}


def naive(text: str) -> list[int]:
    """What a plain system does: LIKE on name and reading, plus the birth date if it parses."""
    from django.db.models import Q

    from tsunagari.people.models import Person
    from tsunagari.text import TextError, parse_date

    cond = Q()
    words = []
    for token in text.split():
        d = parse_date(token)
        if not isinstance(d, TextError):
            cond &= Q(birth_date=d)
        else:
            words.append(token)
    for w in words:
        cond &= (
            Q(surname__contains=w)
            | Q(given_name__contains=w)
            | Q(surname_kana__contains=w)
            | Q(given_kana__contains=w)
        )
    return list(Person.objects.filter(cond).values_list("id", flat=True)[:5])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=540_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--reuse", action="store_true", help="reuse an already loaded database")
    parser.add_argument(
        "--show-misses",
        type=int,
        default=0,
        help="print this many queries whose person was not in the top 5",
    )
    args = parser.parse_args()
    setup_django(args.people)

    from django.core.management import call_command
    from django.db import connection

    from tsunagari.accounts.personas import ensure_personas
    from tsunagari.demo.loader import write_registry
    from tsunagari.demo.population import generate_ward
    from tsunagari.people.importer import import_registry
    from tsunagari.people.lookup import lookup
    from tsunagari.people.models import AgencyLink, LinkBasis, Person

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    t = time.perf_counter()
    ward = generate_ward(args.people, seed=args.seed)
    print(f"generated {ward.person_count:,} residents in {time.perf_counter() - t:.1f} s")
    call_command("migrate", verbosity=0)
    if not args.reuse or not Person.objects.exists():
        if Person.objects.exists():
            call_command("flush", interactive=False, verbosity=0)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "registry.csv"
            write_registry(ward, path)
            t = time.perf_counter()
            report = import_registry(path)
            print(f"imported: {report.summary} in {time.perf_counter() - t:.1f} s")
    staff = ensure_personas()["consultant.elderly"]
    residents = list(ward.persons())
    rng = random.Random(args.seed)
    sample = rng.sample(residents, min(args.queries, len(residents)))
    ids = dict(
        Person.objects.filter(resident_id__in=[r.resident_id for r in sample]).values_list(
            "resident_id", "id"
        )
    )
    keys = dict(
        Person.objects.filter(resident_id__in=[r.resident_id for r in sample]).values_list(
            "resident_id", "address_key"
        )
    )
    # The consultant's agency serves everyone sampled, so results come back in full.
    AgencyLink.objects.bulk_create(
        [
            AgencyLink(
                person_id=ids[r.resident_id], agency_id=staff.agency_id, basis=LinkBasis.SERVICE
            )
            for r in sample
        ],
        ignore_conflicts=True,
    )
    queries = [(noisy_query(r, keys[r.resident_id], rng), ids[r.resident_id]) for r in sample]
    for text, _ in queries[:5]:
        print(f"  e.g. {text}")

    misses: list[str] = []
    # Queries without a birth date can be ambiguous in a ward of this size:
    # count how many residents share the queried person's reading.
    dated = [_has_date(text) for text, _ in queries]
    same_name = {
        pid: n
        for pid, n in _same_name_counts(
            [truth for (_, truth), d in zip(queries, dated, strict=True) if not d]
        ).items()
    }

    def measure(fn: object, keep_misses: bool = False) -> tuple[list[float], dict[str, float]]:
        times: list[float] = []
        hits = {"all": 0, "dated": 0, "undated": 0}
        for (text, truth), has_date in zip(queries, dated, strict=True):
            start = time.perf_counter()
            found = fn(text)  # type: ignore[operator]
            times.append((time.perf_counter() - start) * 1000)
            hit = truth in found[:5]
            hits["all"] += hit
            hits["dated" if has_date else "undated"] += hit
            if keep_misses and not hit:
                misses.append(
                    f"{text}  ({same_name.get(truth, 1)} residents share the name)"
                    if not has_date
                    else text
                )
        n_dated = sum(dated)
        return times, {
            "all": hits["all"] / len(queries),
            "dated": hits["dated"] / max(n_dated, 1),
            "undated": hits["undated"] / max(len(queries) - n_dated, 1),
        }

    lookup(staff, queries[0][0])  # warm caches
    ours, our_hits = measure(
        lambda text: [m.view.id for m in lookup(staff, text, limit=5).matches], keep_misses=True
    )
    base, base_hits = measure(naive)

    def pct(xs: list[float], p: float) -> float:
        return statistics.quantiles(xs, n=100)[int(p) - 1]

    print()
    print(f"{args.people:,} residents, {len(queries)} noisy queries, {connection.vendor}")
    n_dated = sum(dated)
    print(f"{'':<22}{'':>9}{'':>9}{'top-5 hit rate':^36}")
    print(
        f"{'method':<22}{'p50 ms':>9}{'p95 ms':>9}{'all':>10}{f'dated ({n_dated})':>14}{f'name only ({len(queries) - n_dated})':>16}"
    )
    for label, times, hits in (
        ("naive LIKE scan", base, base_hits),
        ("tsunagari look-up", ours, our_hits),
    ):
        print(
            f"{label:<22}{pct(times, 50):>9.1f}{pct(times, 95):>9.1f}{hits['all']:>10.1%}{hits['dated']:>14.1%}{hits['undated']:>16.1%}"
        )
    shared = sorted(same_name.values())
    if shared:
        print(
            f"name-only queries: the true person's reading is shared by a median of {shared[len(shared) // 2]} residents"
        )
    print(f"speed-up at p95: {pct(base, 95) / pct(ours, 95):.1f}x")
    for text in misses[: args.show_misses]:
        print(f"  missed: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
