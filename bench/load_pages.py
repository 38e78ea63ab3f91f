"""Load on the main staff pages and the API, as a ward's staff would make it.

Builds (once, then reuses) a demo ward of ``--people`` residents, starts
``tsunagari serve`` on a loopback port (each serving model of ``--serve`` in
turn: by default serve's own, 4 synchronous workers, beside 2 threaded
workers of 4 threads), and runs locust headless against it: signed-in personas (a
consultant of the longevity support centre; an outreach worker) hit the home
page, the consultation worklist, the person look-up, person pages, the cases
list, the outreach list and the API, without pauses. Prints, per page,
requests per second, p50/p95 latency and the error rate, for SQLite and for
PostgreSQL (when ``--postgres-url`` or ``DATABASE_URL`` names a server: a
database ``tsunagari_load_<people>`` is created there, never the one named),
side by side.

    .venv/bin/python bench/load_pages.py                          # 20,000 people, 30 s, SQLite (+ PostgreSQL if DATABASE_URL)
    .venv/bin/python bench/load_pages.py --rate 100               # 20 staff offering 100 requests/s in all
    .venv/bin/python bench/load_pages.py --people 540000 --seconds 120 --postgres-url postgres://…   # Koto's size
    .venv/bin/python bench/load_pages.py --in-process               # per page: server CPU ms, queries, calls

``--in-process`` needs no server and no locust: one member of staff's
requests go through Django's test client in one process (all middleware,
templates, the audit write), and each page prints its median server time
(CPU time of the request, so other work on the machine matters little),
its SQL queries and its Python function calls. Those are the figures to
compare before and after a change on a busy machine; the load run is the
one to trust on a quiet one.

Needs locust (``pip install -e ".[bench]"``). Everything stays on 127.0.0.1; the
wards are kept in bench/out/load_pages/ (building 540,000 people takes long:
build once, reuse).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "load_pages"
USERNAMES = ["consultant.elderly", "outreach"]
PAGES = [
    "home",
    "consultation worklist",
    "person look-up",
    "person page",
    "cases list",
    "outreach list",
    "api consultations",
    "api cases",
    "api me",
]

# --- the locust side (only when locust loads this file) ------------------------------

if os.environ.get("LOAD_PAGES_LOCUST") == "1":
    import itertools
    import random

    from locust import FastHttpUser, between, constant_throughput, task

    _COUNTER = itertools.count()
    CONFIG = json.loads(Path(os.environ["LOAD_PAGES_CONFIG"]).read_text(encoding="utf-8"))

    class _Staff(FastHttpUser):
        # locust's lighter client (geventhttpclient): the load generator shares
        # the server's two cores, so the less it spends the more is measured.
        abstract = True
        username = ""
        # No pauses (the worst case), or each member of staff paced to their
        # share of --rate requests per second.
        wait_time = constant_throughput(CONFIG["pace"]) if CONFIG.get("pace") else between(0, 0)
        cookie = ""
        lookup_cookie = ""

        def on_start(self) -> None:
            # A session made beforehand for this persona (one per simulated user):
            # signing 20 staff in at once would measure Argon2, not the pages.
            n = next(_COUNTER)
            sessions = CONFIG["sessions"][self.username]
            self.cookie = f"{CONFIG['cookie']}={sessions[n % len(sessions)]}"
            lookups = CONFIG["lookups"]
            self.lookup_cookie = f"{CONFIG['cookie']}={lookups[n % len(lookups)]}"

        def _get(self, url: str, name: str, *, cookie: str = "") -> None:
            with self.client.get(
                url,
                name=name,
                headers={"Cookie": cookie or self.cookie},
                catch_response=True,
                allow_redirects=False,
            ) as r:
                if r.status_code != 200:
                    # 429: the look-up's limit per staff member (against trawling) was reached.
                    r.failure(f"HTTP {r.status_code}")

    class Consultant(_Staff):
        """A consultant of a longevity support centre (地域包括支援センター) at the desk."""

        weight = 4
        username = "consultant.elderly"

        @task(3)
        def home(self) -> None:
            self._get("/", "home")

        @task(4)
        def worklist(self) -> None:
            self._get("/consultations/", "consultation worklist")

        @task(4)
        def lookup(self) -> None:
            query = random.choice(CONFIG["queries"])
            self._get(
                f"/consultations/lookup/?q={query}", "person look-up", cookie=self.lookup_cookie
            )

        @task(4)
        def person(self) -> None:
            if CONFIG["persons"]:
                pid = random.choice(CONFIG["persons"])
                self._get(f"/people/{pid}/", "person page")

        @task(2)
        def cases(self) -> None:
            self._get("/cases/", "cases list")

        @task(2)
        def api_consultations(self) -> None:
            self._get("/api/consultations", "api consultations")

        @task(1)
        def api_cases(self) -> None:
            self._get("/api/cases", "api cases")

        @task(1)
        def api_me(self) -> None:
            self._get("/api/me", "api me")

    class OutreachWorker(_Staff):
        """An outreach worker (アウトリーチ) checking the list between visits."""

        weight = 1
        username = "outreach"

        @task(3)
        def outreach(self) -> None:
            self._get("/outreach/", "outreach list")

        @task(1)
        def home(self) -> None:
            self._get("/", "home")


# --- the parent: wards, servers, locust, the table -----------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data_dir: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LOAD_PAGES_LOCUST"}}
    env.update(
        TSUNAGARI_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="tsunagari.settings",
        DEBUG="0",  # as served: no query log, no debug pages
        PYTHONPATH=str(ROOT / "src"),
    )
    if url:
        env["DATABASE_URL"] = url
    return env


def _tsunagari(env: dict[str, str], *args: str, timeout: float = 7200) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"tsunagari {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


PROBE = """
import json, django
django.setup()
from tsunagari.accounts.models import Staff
from tsunagari.people.models import AgencyLink, Person
staff = Staff.objects.get(username="consultant.elderly")
from tsunagari.accounts.policy import Action, allowed
linked = (AgencyLink.objects.filter(agency_id=staff.agency_id)
          .values_list("person_id", flat=True).distinct().order_by("person_id")[:400])
ids = [p.pk for p in Person.objects.filter(pk__in=list(linked))
       if allowed(staff, Action.VIEW_PERSONAL_DATA, p)][:300]
kana = sorted(set(Person.objects.exclude(surname_kana="").order_by("pk")
              .values_list("surname_kana", flat=True)[:3000]))[::25]
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
# The site's own session store and the first backend that reads a member of
# staff back (as a sign-in would record it), whatever the settings name.
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
first = Staff.objects.get(username=USERNAMES[0])
backend = next(path for path in settings.AUTHENTICATION_BACKENDS
               if getattr(load_backend(path), "get_user", lambda pk: None)(first.pk) is not None)
def session_for(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = backend
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key
sessions, lookups = {}, []
for username in USERNAMES:
    user = Staff.objects.get(username=username)
    sessions[username] = [session_for(user) for _ in range(USERS)]
# Each simulated consultant looks people up as a colleague of their own (same
# agency, roles and access): the look-up limit and its count of the day's
# searches are per person, as in an office, not one account's for twenty.
# Their other pages stay the persona's, whose worklist is the fullest.
persona = Staff.objects.get(username=USERNAMES[0])
for n in range(1, USERS + 1):
    colleague, _ = Staff.objects.get_or_create(
        username=f"{persona.username}.{n:02d}",
        defaults={f: getattr(persona, f) for f in (
            "display_name", "agency_id", "roles", "sealed_access", "flag_access",
            "safeguarding_access", "disaster_authority", "consumer_affairs")},
    )
    lookups.append(session_for(colleague))
print(json.dumps({"people": Person.objects.count(), "persons": ids, "queries": kana,
                  "sessions": sessions, "lookups": lookups,
                  "cookie": settings.SESSION_COOKIE_NAME}))
"""


def _build(
    backend: str, people: int, seed: int, url: str, users: int
) -> tuple[Path, dict[str, Any]]:
    data_dir = OUT / f"{backend}-{people}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _env(data_dir, url)
    marker = data_dir / "built.json"
    if not marker.exists():
        print(f"[{backend}] building a demo ward of {people:,} people (once; kept in {data_dir})")
        started = time.monotonic()
        _tsunagari(env, "migrate", "-v0")
        _tsunagari(env, "demo", "--people", str(people), "--seed", str(seed), "-v0")
        marker.write_text(
            json.dumps({"people": people, "seed": seed, "seconds": time.monotonic() - started}),
            encoding="utf-8",
        )
    else:
        # A kept ward: bring its tables up to the code's (new apps, new columns).
        _tsunagari(env, "migrate", "-v0")
    probe = PROBE.replace("USERNAMES", repr(USERNAMES)).replace("USERS", str(users))
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"[{backend}] could not read the ward:\n{done.stderr[-2000:]}")
    ward = json.loads(done.stdout.strip().splitlines()[-1])
    if not ward["people"]:
        # The folder was kept but the database is new (e.g. another PostgreSQL server): build again.
        marker.unlink()
        return _build(backend, people, seed, url, users)
    return data_dir, ward


def _wait_ready(base: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer within two minutes")


def _serve_models(text: str) -> list[tuple[int, int]]:
    """``4x1,2x4`` -> [(4, 1), (2, 4)]: workers x threads, run side by side."""
    models = []
    for part in text.split(","):
        workers, _, threads = part.strip().partition("x")
        if not (workers.isdigit() and threads.isdigit() and int(workers) and int(threads)):
            raise SystemExit(f"--serve {text!r}: write workers x threads, e.g. 4x1,2x4")
        models.append((int(workers), int(threads)))
    return models


def _model_name(workers: int, threads: int) -> str:
    return f"{workers}x{threads} {'sync' if threads == 1 else 'threads'}"


def _run(
    backend: str, url: str, args: argparse.Namespace, workers: int, threads: int
) -> dict[str, dict[str, float]]:
    data_dir, ward = _build(backend, args.people, args.seed, url, args.users)
    print(
        f"[{backend}] {ward['people']:,} people; {len(ward['persons'])} person pages the "
        f"consultant may open; serving with {workers} workers x {threads} threads"
    )
    env = _env(data_dir, url)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tsunagari.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-task-worker",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(data_dir / "serve.log", "ab"),
        start_new_session=True,
    )
    try:
        _wait_ready(base, server)
        config = data_dir / "locust.json"
        config.write_text(
            json.dumps(
                {
                    "sessions": ward["sessions"],
                    "lookups": ward["lookups"],
                    "cookie": ward["cookie"],
                    "persons": ward["persons"],
                    "queries": ward["queries"] or ["ヤマダ"],
                    "pace": args.rate / args.users if args.rate else 0,
                }
            ),
            encoding="utf-8",
        )
        prefix = data_dir / "locust"
        locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
        command = [
            locust, "-f", __file__, "--headless", "--host", base,
            "--users", str(args.users), "--spawn-rate", str(args.users),
            "--run-time", f"{int(args.seconds)}s", "--csv", str(prefix), "--only-summary",
            "--loglevel", "ERROR", "--stop-timeout", "10",
        ]  # fmt: skip
        locust_env = {**os.environ, "LOAD_PAGES_LOCUST": "1", "LOAD_PAGES_CONFIG": str(config)}
        print(f"[{backend}] {args.users} staff for {args.seconds:.0f} s against {base}")
        cpu_before = _server_cpu_seconds(server.pid)
        subprocess.run(
            command,
            env=locust_env,
            stdout=subprocess.DEVNULL,
            stderr=open(data_dir / "locust.log", "w"),
            timeout=args.seconds + 300,
            check=False,
        )
        cpu = _server_cpu_seconds(server.pid) - cpu_before
        stats = _read_stats(Path(f"{prefix}_stats.csv"))
        served = stats.get("Aggregated", {}).get("count", 0.0)
        if served:
            # The server's own CPU per request: the figure a busy machine hardly moves.
            stats["Aggregated"]["cpu_ms"] = cpu * 1000 / served
        failures = Path(f"{prefix}_failures.csv")
        if failures.exists():
            with failures.open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    print(
                        f"[{backend}] failed: {row['Name']}: {row['Error']} x{row['Occurrences']}"
                    )
        return stats
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)


def _server_cpu_seconds(session: int) -> float:
    """User and system CPU of every process in the server's session (the
    gunicorn master and its workers), from /proc: what the server spent,
    whatever else the machine was doing."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[3]) == session:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _read_stats(path: Path) -> dict[str, dict[str, float]]:
    if not path.exists():
        raise SystemExit(f"locust wrote no statistics ({path}); see locust.log beside it")
    rows: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            count = float(row["Request Count"] or 0)
            rows[row["Name"]] = {
                "count": count,
                "rps": float(row["Requests/s"] or 0),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "errors": (float(row["Failure Count"] or 0) / count * 100) if count else 0.0,
            }
    return rows


def _table(results: dict[str, dict[str, dict[str, float]]]) -> None:
    backends = list(results)
    head = f"{'page':<24}" + "".join(f" | {b:^34}" for b in backends)
    sub = f"{'':<24}" + "".join(
        f" | {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>9}" for _ in backends
    )
    print("\n" + head + "\n" + sub + "\n" + "-" * len(sub))
    for name in [*PAGES, "Aggregated"]:
        line = f"{'all pages' if name == 'Aggregated' else name:<24}"
        for b in backends:
            r = results[b].get(name)
            if r is None:
                line += f" | {'—':>7} {'':>7} {'':>7} {'':>9}"
            else:
                line += (
                    f" | {r['rps']:>7.1f} {r['p50']:>7.0f} {r['p95']:>7.0f} {r['errors']:>8.1f}%"
                )
        print(line)
    line = f"{'server CPU ms/request':<24}"
    for b in backends:
        cpu_ms = results[b].get("Aggregated", {}).get("cpu_ms")
        line += f" | {cpu_ms:>7.1f}{'':>27}" if cpu_ms else f" | {'—':>7}{'':>27}"
    print(line)


IN_PROCESS = """
import cProfile, json, os, pstats, random, statistics, sys, time
import django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tsunagari.accounts.models import Staff
ward = json.loads(sys.argv[1])
repeat = int(sys.argv[2])
rng = random.Random(1)
persons, queries = ward["persons"][:50] or [0], ward["queries"] or ["ヤマダ"]
PAGES = [
    ("home", "consultant.elderly", lambda: "/"),
    ("consultation worklist", "consultant.elderly", lambda: "/consultations/"),
    ("person look-up", "consultant.elderly",
     lambda: "/consultations/lookup/?q=" + rng.choice(queries)),
    ("person page", "consultant.elderly", lambda: "/people/%d/" % rng.choice(persons)),
    ("cases list", "consultant.elderly", lambda: "/cases/"),
    ("outreach list", "outreach", lambda: "/outreach/"),
    ("api consultations", "consultant.elderly", lambda: "/api/consultations"),
    ("api cases", "consultant.elderly", lambda: "/api/cases"),
    ("api me", "consultant.elderly", lambda: "/api/me"),
    ("home (outreach worker)", "outreach", lambda: "/"),
    # Not in the load mix; their single-user times are the issue's other figures.
    ("needs list", "outreach", lambda: "/consultations/needs/"),
    ("early-detection candidates", "outreach", lambda: "/linkage/candidates/"),
]
# The look-up's limit per member of staff would refuse a long run: counted
# elsewhere (the bench's load run names its 429s), not measured here.
from django.conf import settings
settings.LOOKUP_PER_MINUTE = settings.LOOKUP_PER_DAY = 10**9
clients = {}
out = {}
for name, username, url in PAGES:
    if username not in clients:
        clients[username] = Client(HTTP_HOST="127.0.0.1")
        clients[username].force_login(Staff.objects.get(username=username))
    client = clients[username]
    client.get(url())
    cpu, wall, counts, statuses = [], [], [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as q:
            t, c = time.perf_counter(), time.thread_time()
            response = client.get(url())
            cpu.append((time.thread_time() - c) * 1000)
            wall.append((time.perf_counter() - t) * 1000)
        counts.append(len(q.captured_queries))
        statuses.add(response.status_code)
        cache.clear()
    profile = cProfile.Profile()
    profile.enable()
    client.get(url())
    profile.disable()
    out[name] = {"cpu": statistics.median(cpu), "wall": statistics.median(wall),
                 "queries_min": min(counts), "queries_max": max(counts),
                 "calls": pstats.Stats(profile).total_calls, "status": sorted(statuses)}
print(json.dumps(out))
"""


def _in_process(backend: str, url: str, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    data_dir, ward = _build(backend, args.people, args.seed, url, 1)
    env = _env(data_dir, url)
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, json.dumps(ward), str(args.repeat)],
        env=env, capture_output=True, text=True, check=False, timeout=3600,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"[{backend}] the in-process run failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _in_process_table(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    for backend, pages in results.items():
        print(f"\n{backend}: one member of staff, in process (median of the runs)")
        print(f"{'page':<28} {'CPU ms':>7} {'wall ms':>8} {'queries':>8} {'calls':>8}")
        for name, r in pages.items():
            queries = (
                str(r["queries_min"])
                if r["queries_min"] == r["queries_max"]
                else f"{r['queries_min']}-{r['queries_max']}"
            )
            bad = "" if r["status"] == [200] else f"  HTTP {r['status']}"
            print(
                f"{name:<28} {r['cpu']:>7.1f} {r['wall']:>8.1f} {queries:>8} {r['calls']:>8}{bad}"
            )


def _postgres_url(args: argparse.Namespace) -> str:
    server = args.postgres_url or os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        return ""
    parts = urlsplit(server)
    name = f"tsunagari_load_{args.people}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20000, help="residents (default 20,000)")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--seconds", type=float, default=30.0, help="run time per database")
    parser.add_argument("--users", type=int, default=20, help="staff at once (default 20)")
    parser.add_argument(
        "--serve",
        default="4x1,2x4",
        help="serving models to run side by side, workers x threads (default 4x1,2x4: "
        "serve's default, 4 synchronous workers, beside 2 threaded workers of 4 threads)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="requests per second offered by all staff together (default 0: no pauses)",
    )
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--postgres-url", default="", help="a PostgreSQL server (default: DATABASE_URL)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="no server, no locust: each page's server CPU time, queries and calls for one user",
    )
    parser.add_argument("--repeat", type=int, default=20, help="requests per page (--in-process)")
    args = parser.parse_args()
    wanted = {b.strip() for b in args.backends.split(",")}
    if args.in_process:
        measured: dict[str, dict[str, dict[str, Any]]] = {}
        if "sqlite" in wanted:
            measured["SQLite"] = _in_process("sqlite", "", args)
        if "postgres" in wanted and (url := _postgres_url(args)):
            measured["PostgreSQL"] = _in_process("postgresql", url, args)
        _in_process_table(measured)
        if args.json:
            args.json.write_text(json.dumps(measured, indent=2), encoding="utf-8")
        return
    if args.rate < 0:
        raise SystemExit("--rate: requests per second, 0 or more")
    models = _serve_models(args.serve)
    databases: list[tuple[str, str, str]] = []
    if "sqlite" in wanted:
        databases.append(("SQLite", "sqlite", ""))
    if "postgres" in wanted:
        url = _postgres_url(args)
        if url:
            databases.append(("PostgreSQL", "postgresql", url))
        else:
            print("PostgreSQL: skipped (no --postgres-url and DATABASE_URL names no PostgreSQL)")
    results: dict[str, dict[str, dict[str, float]]] = {}
    for label, backend, url in databases:
        for workers, threads in models:
            name = f"{label} {_model_name(workers, threads)}" if len(models) > 1 else label
            results[name] = _run(backend, url, args, workers, threads)
    pace = f"offering {args.rate:g} requests/s in all" if args.rate else "without pauses"
    served = ", ".join(_model_name(w, t) for w, t in models)
    print(
        f"\n{args.people:,} people; {args.users} staff {pace} for {args.seconds:.0f} s per "
        f"run; serve {served} (workers x threads); loopback"
    )
    _table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__" and os.environ.get("LOAD_PAGES_LOCUST") != "1":
    main()
