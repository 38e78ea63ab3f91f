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


def gunicorn_config(bind: str, workers: int, threads: int) -> dict[str, object]:
    """The settings ``serve`` gives gunicorn."""
    return {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "timeout": 120,
        "forwarded_allow_ips": "127.0.0.1",
    }


class Command(BaseCommand):
    help = "Serve Tsunagari with gunicorn (production-grade); static files are served by the app."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
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
