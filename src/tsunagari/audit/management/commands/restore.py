from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError

from tsunagari.audit.backup import BackupError, restore_backup


class Command(BaseCommand):
    # A backup or restore must work even while a page of some app is broken.
    requires_system_checks: ClassVar[list[str]] = []  # type: ignore[misc]
    help = (
        "Restore a backup made by 'tsunagari backup' into an EMPTY database and data folder "
        "(a new SQLite data folder, or a database made with createdb), then compare the rows "
        "with the manifest and verify the audit chain. Stop the server first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="the archive written by tsunagari backup")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]

        def say(message: str) -> None:
            if verbosity > 0:
                self.stdout.write(f"… {message}")

        try:
            result = restore_backup(options["archive"], progress=say)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {m['created_at']} (Tsunagari {m['tsunagari_version']}): "
                f"{result.rows:,} rows in {result.tables} tables, as the manifest counts; "
                f"{result.files} file(s) into the data folder"
                + (
                    f" ({result.files_already_there} were already there, identical)"
                    if result.files_already_there
                    else ""
                )
                + "."
            )
        )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(result.pending_migrations)} migration(s) of this "
                    "version: run 'tsunagari migrate' before serving."
                )
            )
        if result.audit_problems:
            for problem in result.audit_problems:
                self.stderr.write(f"BROKEN: {problem}")
            raise CommandError(
                f"restored, but the audit log fails its verification ({len(result.audit_problems)} "
                f"problem(s) in {result.audit_checked} events): the backup holds a log that was "
                "tampered with; keep this copy for investigation and do not serve from it before "
                "the problems are understood"
            )
        sealed = (
            f", {result.sealed} event(s) the backup caught unsealed were sealed"
            if result.sealed
            else ""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log verified: {result.audit_checked} events, the chain is intact{sealed}."
            )
        )
