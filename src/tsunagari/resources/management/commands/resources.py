"""``tsunagari resources import FILE`` and ``tsunagari resources export --format json|csv OUT``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.resources.hsds import MAX_IMPORT_BYTES
from tsunagari.resources.services import export_directory, import_file


class Command(BaseCommand):
    help = (
        "Import or export the resource directory in Open Referral HSDS 3.0 form. "
        "Imports are all or nothing per file and may be repeated safely."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="import an HSDS JSON file, CSV table, zip or datapackage directory"
        )
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--max-mb",
            type=int,
            default=MAX_IMPORT_BYTES // 1_048_576,
            help="refuse files larger than this (MB)",
        )
        exp = sub.add_parser(
            "export", help="export the directory as HSDS JSON or a CSV datapackage"
        )
        exp.add_argument("out", type=Path, help="a .json file, a directory, or a .zip for csv")
        exp.add_argument("--format", choices=["json", "csv"], default="json")
        exp.add_argument(
            "--public",
            action="store_true",
            help="leave out confidential places (shelters) and everything linked to them: use for anything published",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            report = import_file(
                options["file"], actor=None, max_bytes=options["max_mb"] * 1_048_576
            )
            for line in report.lines():
                self.stdout.write(line)
            if report.refused:
                raise CommandError(
                    f"{options['file']}: import refused; fix the records listed above and run it again."
                )
            return
        result = export_directory(
            options["out"], fmt=options["format"], public=options["public"], actor=None
        )
        self.stdout.write(
            f"Exported {result.records} records to {', '.join(str(p) for p in result.paths[:1])}."
        )
        if result.problems:
            for problem in result.problems[:50]:
                self.stderr.write(f"  schema: {problem}")
            raise CommandError(
                f"The export does not validate against HSDS 3.0 ({len(result.problems)} problems)."
            )
