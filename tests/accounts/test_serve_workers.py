"""``tsunagari serve``'s serving model: synchronous workers by default.

Threaded workers share a process's interpreter lock among their requests,
so a cheap page waits behind an expensive one in the same process; the
synchronous workers take requests from the one queue, first come first
served (bench/load_pages.py compares both; docs/operations.md).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tsunagari.accounts.management.commands.serve import (
    DEFAULT_THREADS,
    DEFAULT_WORKERS,
    Command,
    gunicorn_config,
)

STATIC = "/static/cases/cases.css"


def test_serve_defaults_to_synchronous_workers() -> None:
    options = Command().create_parser("tsunagari", "serve").parse_args([])
    assert (options.workers, options.threads) == (DEFAULT_WORKERS, DEFAULT_THREADS) == (4, 1)
    assert gunicorn_config("127.0.0.1:8000", options.workers, options.threads)["worker_class"] == (
        "sync"
    )


def test_more_than_one_thread_makes_threaded_workers() -> None:
    config = gunicorn_config("127.0.0.1:8000", 2, 4)
    assert (config["worker_class"], config["workers"], config["threads"]) == ("gthread", 2, 4)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback http)
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_serve_with_its_defaults_answers_requests_at_once(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "TSUNAGARI_DATA_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "tsunagari.cli", "serve", "--port", str(port), "--no-task-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                if _get(base + STATIC) == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "serve did not answer within a minute"
            time.sleep(0.3)
        # gunicorn's master and one process per worker (booted one after
        # another: the first may answer before the last is up)
        while len(_children(server.pid)) < DEFAULT_WORKERS and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_children(server.pid)) == DEFAULT_WORKERS
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(_get, [base + STATIC] * 24))
        assert statuses == [200] * 24
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
