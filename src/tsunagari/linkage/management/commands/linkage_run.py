"""``tsunagari linkage_run INPUT_DIR``: a linkage run stored in the database,
synchronously (what the upload page queues, for operators and tests)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.linkage.models import RunStatus
from tsunagari.linkage.runs import create_run_from_directory, execute_run
from tsunagari.linkage.sources import LinkageError


class Command(BaseCommand):
    help = (
        "Link the extracts in INPUT_DIR (one CSV per source, each source with a recorded "
        "legal basis), detect complex-need candidates and store the run in the database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input_dir", type=Path, help="directory of *.csv extracts")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="date ages are taken on"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        input_dir: Path = options["input_dir"]
        if not input_dir.is_dir():
            raise CommandError(f"{input_dir} is not a directory")
        try:
            run = create_run_from_directory(input_dir, as_of=options["as_of"])
        except LinkageError as exc:
            raise CommandError(str(exc)) from None
        run = execute_run(run)
        if run.status != RunStatus.DONE:
            raise CommandError(f"run {run.pk} failed: {run.error}")
        self.stdout.write(
            f"run {run.pk}: {run.records} records, {run.people} people, "
            f"{run.households} households, {run.warnings} warnings, "
            f"{run.candidates} candidates, {run.seconds:.1f} s"
        )
