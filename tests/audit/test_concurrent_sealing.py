"""Concurrent writers and sealers on a real database (threads, bounded).

These need committed transactions seen by other connections, so they use
``transactional_db``. The ones that hold the head row from one connection
while another writes only mean something on PostgreSQL: SQLite has no row
locks, and an open write transaction there holds the whole database, so a
second writer waits for it by design (writes are serialised by SQLite).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, connections, transaction

from tsunagari.audit.models import AuditAction, AuditEvent, AuditHead
from tsunagari.audit.services import record, seal, verify

WAIT = 30  # seconds any step may take before the test gives up

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks and concurrent write transactions (PostgreSQL); "
    "SQLite serialises writers by design",
)


def _in_thread(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def head_holder(transactional_db: None) -> Iterator[Callable[[], Callable[[], None]]]:
    """``hold()`` locks the head row from another connection until the returned
    ``release()`` is called (which returns once that transaction has ended)."""
    errors: list[BaseException] = []
    releases: list[Callable[[], None]] = []

    def hold() -> Callable[[], None]:
        AuditHead.objects.get_or_create(id=1)
        held, free = threading.Event(), threading.Event()

        def body() -> None:
            with transaction.atomic():
                AuditHead.objects.select_for_update().get(id=1)
                held.set()
                free.wait(WAIT)

        thread = _in_thread(body, errors)

        def release() -> None:
            free.set()
            thread.join(WAIT)

        releases.append(release)
        assert held.wait(WAIT), "the holder did not get the head"
        return release

    yield hold
    for release in releases:
        release()
    assert not errors, errors


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database answers 'table is locked' to concurrent "
    "writers; the SQLite-file test below covers SQLite",
)
def test_it_chains_concurrent_writers_into_one_unbroken_chain(transactional_db: None) -> None:
    # given 8 writers, each recording 25 events in short transactions that also read
    writers, per_writer = 8, 25
    errors: list[BaseException] = []
    start = threading.Barrier(writers, timeout=WAIT)

    def writer(n: int) -> Callable[[], None]:
        def body() -> None:
            start.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    AuditHead.objects.filter(id=1).exists()  # a little work
                    record(None, AuditAction.VIEW, person_id=f"W{n}-{i}", detail={"persons": [n]})

        return body

    # when they all run at once
    threads = [_in_thread(writer(n), errors) for n in range(writers)]
    for thread in threads:
        thread.join(WAIT)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    assert not errors, errors
    seal(wait=True)  # the timer's catch-up, in case the last round was skipped
    # then every event is in one chain numbered 1..200 with no gap
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, writers * per_writer + 1))
    report = verify()
    assert report.ok, report.problems
    assert (report.checked, report.unsealed) == (writers * per_writer, 0)


@postgres_only
def test_a_writer_does_not_wait_for_a_sealer_holding_the_head(
    head_holder: Callable[[], Callable[[], None]],
) -> None:
    # given another connection holding the head (a sealer at work)
    release = head_holder()
    # when a request records an event
    done = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        record(None, AuditAction.VIEW, person_id="P1")
        done.set()

    _in_thread(writer, errors)
    # then it finishes while the head is still held, leaving its event unsealed
    assert done.wait(10), "the writer queued on the head"
    assert not errors, errors
    assert AuditEvent.objects.get(person_id="P1").seq is None
    # and once the head is free, the next writer's sealing takes it along
    release()
    record(None, AuditAction.VIEW, person_id="P2")
    stored = dict(AuditEvent.objects.values_list("person_id", "seq"))
    assert sorted(stored.values()) == [1, 2]
    assert verify().ok


@postgres_only
def test_it_seals_a_lower_pk_that_commits_late_after_a_higher_one(
    head_holder: Callable[[], Callable[[], None]],
) -> None:
    # given writer A holding its transaction open with an event written while the head was busy
    release = head_holder()
    written, commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        with transaction.atomic():
            record(None, AuditAction.VIEW, person_id="A")
            written.set()
            assert commit.wait(WAIT)

    thread = _in_thread(slow_writer, errors)
    assert written.wait(WAIT)
    # and writer B, later, with a higher pk, committed first
    record(None, AuditAction.VIEW, person_id="B")
    release()
    # when the sealer runs before A commits
    assert seal(wait=True).sealed == 1
    # then B is sealed and A, not yet visible, is neither sealed nor lost
    b = AuditEvent.objects.get(person_id="B")
    assert b.seq == 1
    assert not AuditEvent.objects.filter(person_id="A").exists()
    # when A commits (its after-commit sealing takes the free head)
    commit.set()
    thread.join(WAIT)
    assert not errors, errors
    a = AuditEvent.objects.get(person_id="A")
    # then A follows B in the chain although its pk is lower
    assert a.pk < b.pk
    assert a.seq == 2 and a.prev_hash == b.hash
    report = verify()
    assert report.ok, report.problems
    assert (report.checked, report.unsealed) == (2, 0)


_SQLITE_WRITERS = """
import threading, django
django.setup()
from django.db import connections
from tsunagari.audit.services import record, seal, verify

def writer(n):
    try:
        for i in range(10):
            record(None, "view", person_id=f"W{n}-{i}")
    finally:
        connections.close_all()

threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
[t.start() for t in threads]
[t.join(60) for t in threads]
seal(wait=True)
report = verify()
print(report.ok, report.checked, report.unsealed, report.problems)
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL tests above cover it")
def test_concurrent_writers_on_a_sqlite_file_take_turns_and_lose_no_event(tmp_path: Any) -> None:
    # (the test database is in memory with a shared cache, which answers
    # "table is locked" instead of waiting; a real deployment uses a file)
    env = {
        **os.environ,
        "TSUNAGARI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "tsunagari.settings",
    }
    run = {"env": env, "capture_output": True, "text": True, "timeout": 120}
    migrated = subprocess.run([sys.executable, "-m", "tsunagari.cli", "migrate", "audit"], **run)
    assert migrated.returncode == 0, migrated.stderr
    # when 4 writers record 10 events each at once
    result = subprocess.run([sys.executable, "-c", _SQLITE_WRITERS], **run)
    # then all 40 are in one intact chain, none left unsealed
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "40", "0", "[]"]
