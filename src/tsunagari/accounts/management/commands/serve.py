from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# gunicorn's access log line without the query string and the referrer:
# the person look-up carries names, birth dates and phone numbers in its
# query, and the page after it names them in its Referer (ASVS 8.3.1, 7.1.1).
# The path, method, status, size and time stay.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


# gunicorn's synchronous workers take one request at a time from the one
# queue of waiting connections, first come first served. Threaded workers
# share each process's interpreter lock among their requests, so a cheap
# request waits behind expensive ones in the same process: measured with
# bench/load_pages.py (20 staff without pauses, 20,000 people), 2 x 4
# threads gave p95 230-340 ms and 4 synchronous workers 170 ms at the same
# throughput (docs/operations.md, "Load on the staff pages"). Behind the
# ward's TLS proxy, which buffers slow clients, the synchronous model is
# gunicorn's own recommendation.
DEFAULT_WORKERS = 4
DEFAULT_THREADS = 1
# A synchronous worker that has not answered within this many seconds is
# stopped and replaced (its request gets an error): long jobs (linkage runs)
# go to the background task worker, so no page should come near it.
REQUEST_TIMEOUT = 120


def gunicorn_config(bind: str, workers: int, threads: int) -> dict[str, object]:
    """The settings ``serve`` gives gunicorn: synchronous workers for one
    thread each (the default), threaded workers when asked for more."""
    return {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "sync" if threads == 1 else "gthread",
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "timeout": REQUEST_TIMEOUT,
        "forwarded_allow_ips": "127.0.0.1",
    }


class Command(BaseCommand):
    help = "Serve Tsunagari with gunicorn (production-grade); static files are served by the app."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help=f"worker processes (default {DEFAULT_WORKERS})",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help=f"threads per worker (default {DEFAULT_THREADS}: one request at a time, "
            "first come first served; more makes threaded workers)",
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="do not start the background task worker (run 'tsunagari db_worker' separately)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        from tsunagari.wsgi import application

        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']} is not a port: use 1–65535.")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be 1 or more.")
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)

        bind = f"{options['host']}:{options['port']}"
        config = gunicorn_config(bind, options["workers"], options["threads"])

        class _App(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        if not options["no_task_worker"]:
            self._start_task_worker()
        self.stdout.write(f"Tsunagari is serving at http://{bind}/ (Ctrl+C to stop)")
        _App().run()

    def _start_task_worker(self) -> None:
        """Long jobs (linkage runs, imports) queued from pages run in one
        background worker beside the web server, stopped with it."""
        import atexit
        import os
        import subprocess
        import sys

        worker = subprocess.Popen(
            [sys.executable, "-m", "tsunagari.cli", "db_worker", "--no-reload", "--interval", "2"]
        )

        owner = os.getpid()

        def stop() -> None:
            # Forked web workers inherit this hook; only the process that started it stops it.
            if os.getpid() != owner:
                return
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

        atexit.register(stop)
        self.stdout.write(f"Background task worker started (pid {worker.pid}).")
