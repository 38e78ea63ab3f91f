from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tsunagari.people.importer import ImportFileError, import_registry


class Command(BaseCommand):
    help = (
        "People: 'people import REGISTRY.csv' loads a resident-registry extract "
        "(all-or-nothing; --skip-invalid loads the valid rows and reports the rest)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{import}")
        imp = sub.add_parser(
            "import", help="import a resident-registry extract (linkage contract format)"
        )
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows even if some are rejected",
        )
        imp.add_argument("--report", type=Path, help="write the rejected rows to this CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        bar = tqdm(
            desc="checking rows",
            unit=" rows",
            disable=options["verbosity"] == 0 or not self.stdout.isatty(),
        )
        try:
            report = import_registry(
                path, skip_invalid=options["skip_invalid"], progress=bar.update
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        for r in report.rejected[:50]:
            self.stderr.write(
                f"row {r.row} (record {r.record_id or '-'}), column {r.column}: {r.problem}"
            )
        if len(report.rejected) > 50:
            self.stderr.write(
                f"… and {len(report.rejected) - 50} more rejected rows (use --report FILE for all)"
            )
        if options.get("report"):
            import csv

            with options["report"].open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["row", "record_id", "column", "problem"])
                for r in report.rejected:
                    w.writerow([r.row, r.record_id, r.column, r.problem])
        self.stdout.write(report.summary)
        if not report.written:
            raise CommandError(
                f"{len(report.rejected)} rejected row(s): fix them, or use --skip-invalid"
            )
