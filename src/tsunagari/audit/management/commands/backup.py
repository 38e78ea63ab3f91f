from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError

from tsunagari.audit.backup import BackupError, create_backup, default_archive_name, verify_archive


class Command(BaseCommand):
    # A backup or restore must work even while a page of some app is broken.
    requires_system_checks: ClassVar[list[str]] = []  # type: ignore[misc]
    help = (
        "Back up the database and the data folder to one archive with a manifest (rows per "
        "table, SHA-256 of every part); with --verify, check an archive against its manifest. "
        "The server may keep running: SQLite is copied with its online backup API, PostgreSQL "
        "with pg_dump in one snapshot."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            type=Path,
            help="the archive to write (default ./tsunagari-backup-YYYYMMDD-HHMMSS.tar.gz; "
            "a name ending in .tar is not compressed); with --verify, the archive to check",
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="check ARCHIVE instead of writing one: every part's size and SHA-256, nothing "
            "added or removed, and the database part against the manifest's row counts",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path | None = options["archive"]
        say = self._say(options["verbosity"])
        if options["verify"]:
            if archive is None:
                raise CommandError("name the archive to check: tsunagari backup --verify ARCHIVE")
            check = verify_archive(archive, progress=say)
            for note in check.notes:
                self.stdout.write(f"note: {note}")
            if not check.ok:
                for problem in check.problems:
                    self.stderr.write(f"BAD: {problem}")
                raise CommandError(
                    f"{check.archive} fails its check ({len(check.problems)} problem(s)): do not "
                    "restore from it; use another backup"
                )
            m = check.manifest
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK: {check.archive} — {check.parts} parts ({check.bytes:,} bytes) match the "
                    f"manifest; {m['database']['vendor']} database of {m['created_at']}, "
                    f"{sum(m['row_counts'].values()):,} rows in {len(m['row_counts'])} tables, "
                    f"Tsunagari {m['tsunagari_version']}."
                )
            )
            return
        target = archive if archive is not None else Path(default_archive_name())
        try:
            manifest = create_backup(target, progress=say)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        path = target.expanduser().resolve()
        from tsunagari.audit.backup import sha256_file

        rows = sum(manifest["row_counts"].values())
        files = len(manifest["parts"]) - 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows:,} rows in {len(manifest['row_counts'])} tables and {files} "
                f"file(s) of the data folder to {path} ({path.stat().st_size:,} bytes)."
            )
        )
        self.stdout.write(
            f"SHA-256 of the archive: {sha256_file(path)}\n"
            "Keep this line apart from the archive; check it with "
            f"'tsunagari backup --verify {path}'. The archive holds personal data: store it "
            "encrypted, readable by the administrators only. The secret key is not in it."
        )

    def _say(self, verbosity: int) -> Any:
        def say(message: str) -> None:
            if verbosity > 0:
                self.stdout.write(f"… {message}")

        return say
