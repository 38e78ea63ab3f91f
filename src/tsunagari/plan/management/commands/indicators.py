"""``tsunagari indicators --fiscal-year YYYY --out OUTPUT_DIR``: the contract's command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagari.plan.export import ExportError, parse_fiscal_year, write_indicators


class Command(BaseCommand):
    help = (
        "Write the plan's indicators of every direction (directions.csv) and the five "
        "programmes' yearly counts (programmes.csv) for a fiscal year (April to March), "
        "UTF-8 with BOM; small counts are suppressed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fiscal-year", required=True, metavar="YYYY", help="fiscal year, e.g. 2026"
        )
        parser.add_argument("--out", required=True, metavar="OUTPUT_DIR", help="folder to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = parse_fiscal_year(str(options["fiscal_year"]))
            directions, programmes = write_indicators(year, Path(options["out"]))
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"wrote {directions} and {programmes} for fiscal year {year}")
