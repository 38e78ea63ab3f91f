"""The audit log under load: the sealer beside the old lock on the head row.

N writer threads (default 1, 4 and 16) each record audit events inside
short transactions that also do a little work, as a page view does: one
read, half of ``--work-ms`` waiting, the audit event (naming three
persons), the other half, commit. Each level runs twice in the same
process and database: with the method used before (every event locks the
one ``AuditHead`` row until its transaction commits: the baseline, kept
here and no longer in the app) and with the sealer (events written
unsealed, chained by whoever finds the head free). After each run the
backlog is sealed with ``audit seal`` semantics and the chain is verified.

Runs on SQLite (a temporary file) and PostgreSQL (a throwaway server on a
loopback port started here, as ``scripts/test`` does; or ``--postgres-url``).
Bounded by ``--events`` per writer and ``--seconds`` per run; stops by
itself, and stops the server it started.

    .venv/bin/python bench/audit_load.py
    .venv/bin/python bench/audit_load.py --threads 1,4,16 --events 300 --seconds 10
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


# --- the child: one database, every level, both methods ----------------------------


def _baseline_record(person_id: str, persons: list[str]) -> None:
    """``audit.services.record`` as it was before the sealer, whole.

    Every event locks the head row until its transaction commits. The model
    now refuses nothing here (a whole seal may be written at once), so this
    is the old code unchanged apart from its imports.
    """
    import json

    from django.db import transaction

    from tsunagari.audit.models import AuditAction, AuditEvent, AuditHead, AuditSubject
    from tsunagari.audit.services import event_hash

    action, detail = "view", {"persons": persons}
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    clean_detail = json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            actor_id=None,
            actor_username="",
            agency_code="",
            action=action,
            object_type="people.person",
            object_id="",
            person_id=person_id,
            reason="",
            detail=clean_detail,
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save()
        named = {str(p)[:64] for p in persons} - {event.person_id, ""}
        AuditSubject.objects.bulk_create(
            [AuditSubject(event=event, person_id=p) for p in sorted(named)]
        )
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])


def _sealer_record(person_id: str, persons: list[str]) -> None:
    from tsunagari.audit.services import record

    record(
        None,
        "view",
        object_type="people.person",
        person_id=person_id,
        detail={"persons": persons},
    )


METHODS: dict[str, Callable[[str, list[str]], None]] = {
    "lock (before)": _baseline_record,
    "sealer (now)": _sealer_record,
}


def _reset_log() -> None:
    from tsunagari.audit.models import AuditEvent, AuditHead, AuditSubject

    AuditSubject.objects.all()._raw_delete(AuditSubject.objects.db)
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    AuditHead.objects.all().delete()
    AuditHead.objects.create(id=1)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _run_level(
    method: str, writers: int, events: int, seconds: float, work_ms: float
) -> dict[str, Any]:
    from django.db import connection, connections, transaction

    from tsunagari.audit.models import AuditEvent
    from tsunagari.audit.services import seal, verify

    _reset_log()
    write = METHODS[method]
    half = work_ms / 2000
    latencies: list[list[float]] = [[] for _ in range(writers)]
    errors: list[str] = []
    start = threading.Barrier(writers + 1, timeout=60)
    deadline = [0.0]

    def writer(n: int) -> None:
        try:
            start.wait()
            mine = latencies[n]
            for i in range(events):
                if time.perf_counter() > deadline[0]:
                    break
                t0 = time.perf_counter()
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'audit'")
                        cursor.fetchone()
                    time.sleep(half)
                    write(f"W{n}-{i}", [f"W{n}-{i}", f"N{n}-{i}-a", f"N{n}-{i}-b"])
                    time.sleep(half)
                mine.append(time.perf_counter() - t0)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - began
    done = [x for per in latencies for x in per]
    unsealed = AuditEvent.objects.filter(seq__isnull=True).count()
    t0 = time.perf_counter()
    seal(wait=True)
    drain = time.perf_counter() - t0
    report = verify()
    return {
        "method": method,
        "writers": writers,
        "events": len(done),
        "per_s": len(done) / elapsed if elapsed else 0.0,
        "p50_ms": _percentile(done, 0.50) * 1000,
        "p95_ms": _percentile(done, 0.95) * 1000,
        "unsealed_at_end": unsealed,
        "drain_ms": drain * 1000,
        "verified": report.ok and report.checked == len(done) and report.unsealed == 0,
        "errors": errors[:3],
    }


def child(args: argparse.Namespace) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "audit", verbosity=0)
    for writers in args.threads:
        for method in METHODS:
            result = _run_level(method, writers, args.events, args.seconds, args.work_ms)
            print(json.dumps(result), flush=True)


# --- the parent: databases, children, the table ------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def throwaway_postgres(fsync: bool) -> Iterator[str]:
    """A PostgreSQL server in a temporary directory on a loopback port."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = shutil.which("initdb") or (found[-1] if found else None)
    if initdb is None:
        raise SystemExit("PostgreSQL is not installed (initdb not found): see scripts/test.")
    bindir = Path(initdb).parent
    tmp = Path(tempfile.mkdtemp(prefix="tsunagari-bench-pg."))
    runas: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        runas = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "timeout": 120}
    try:
        subprocess.run(
            [
                *runas,
                str(bindir / "initdb"),
                "-D",
                str(tmp / "data"),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            **quiet,
        )
        options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=100"
        if not fsync:
            options += " -c fsync=off -c full_page_writes=off"
        subprocess.run(
            [
                *runas,
                str(bindir / "pg_ctl"),
                "-D",
                str(tmp / "data"),
                "-l",
                str(tmp / "log"),
                "-w",
                "-o",
                options,
                "start",
            ],
            **quiet,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*runas, str(bindir / "pg_ctl"), "-D", str(tmp / "data"), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )
        shutil.rmtree(tmp, ignore_errors=True)


def _run_child(url: str, args: argparse.Namespace, data_dir: str) -> list[dict[str, Any]]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TSUNAGARI_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "tsunagari.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    command = [sys.executable, __file__, "--child"]
    command += ["--threads", ",".join(map(str, args.threads)), "--events", str(args.events)]
    command += ["--seconds", str(args.seconds), "--work-ms", str(args.work_ms)]
    limit = len(args.threads) * 2 * (args.seconds + 120) + 300
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=limit)
    if done.returncode != 0:
        raise SystemExit(f"the benchmark child failed:\n{done.stderr[-3000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _table(backend: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{backend}")
    print(
        f"{'writers':>7}  {'method':<14} {'events':>7} {'events/s':>9} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'unsealed':>9} {'seal ms':>8}  chain"
    )
    for r in rows:
        chain = "intact" if r["verified"] else "BROKEN"
        if r["errors"]:
            chain += f"  errors: {r['errors']}"
        print(
            f"{r['writers']:>7}  {r['method']:<14} {r['events']:>7} {r['per_s']:>9.0f} "
            f"{r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['unsealed_at_end']:>9} "
            f"{r['drain_ms']:>8.1f}  {chain}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--threads",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        default=[1, 4, 16],
        help="writer threads per level, comma-separated (default 1,4,16)",
    )
    parser.add_argument("--events", type=int, default=300, help="events per writer at most")
    parser.add_argument("--seconds", type=float, default=10.0, help="longest run per level")
    parser.add_argument(
        "--work-ms", type=float, default=2.0, help="time each transaction spends besides auditing"
    )
    parser.add_argument(
        "--backends", default="sqlite,postgres", help="sqlite, postgres or both (default)"
    )
    parser.add_argument(
        "--postgres-url", default="", help="use this server instead of starting one"
    )
    parser.add_argument(
        "--no-fsync", action="store_true", help="start PostgreSQL with fsync off (as the tests do)"
    )
    args = parser.parse_args()
    if not args.threads or min(args.threads) < 1 or max(args.threads) > 64:
        parser.error("--threads takes 1 to 64 writers per level")
    if not 1 <= args.events <= 100_000 or not 0.5 <= args.seconds <= 600:
        parser.error("--events 1..100000 and --seconds 0.5..600 keep the run bounded")
    if args.child:
        child(args)
        return
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    print(
        f"audit log under load: {args.threads} writers, at most {args.events} events each "
        f"and {args.seconds:g} s per run, {args.work_ms:g} ms of other work per transaction"
    )
    with tempfile.TemporaryDirectory(prefix="tsunagari-bench-audit.") as data_dir:
        if "sqlite" in backends:
            url = f"sqlite:///{data_dir}/bench.sqlite3"
            _table("SQLite (file, WAL)", _run_child(url, args, data_dir))
        if "postgres" in backends:
            if args.postgres_url:
                _table("PostgreSQL", _run_child(args.postgres_url, args, data_dir))
            else:
                with throwaway_postgres(fsync=not args.no_fsync) as url:
                    label = "PostgreSQL (fsync off)" if args.no_fsync else "PostgreSQL"
                    _table(label, _run_child(url, args, data_dir))


if __name__ == "__main__":
    main()
