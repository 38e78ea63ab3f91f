from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.disaster import services


class Command(BaseCommand):
    help = (
        "Evacuation-support roster: 'roster load SOURCE FILE' loads a department extract "
        "for the inclusion rules; 'roster rebuild' applies the rules and prints who came "
        "and went."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{load,rebuild}")
        load = sub.add_parser("load", help="load a department extract (care, disability …)")
        load.add_argument("source", help="the data source's name, as on the linkage sources page")
        load.add_argument("file", type=Path)
        sub.add_parser("rebuild", help="rebuild the roster from the inclusion rules")

    def handle(self, *args: Any, **options: Any) -> None:
        services.ensure_rules()
        if options["subcommand"] == "load":
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                load = services.load_department_facts(
                    None, options["source"], path.read_bytes(), path.name
                )
            except services.DisasterError as exc:
                raise CommandError(" ".join(exc.errors.values())) from None
            self.stdout.write(
                f"{load.rows} rows, {load.matched} tied to a person; kept columns: "
                f"{', '.join(load.kept) or '(none: no rule reads this source)'}"
            )
            if load.unmatched_rows:
                shown = ", ".join(str(n) for n in load.unmatched_rows[:20])
                self.stderr.write(f"rows tied to nobody: {shown}")
            return
        rebuild = services.rebuild_roster(None)
        for rule in rebuild.rules:
            state = f"{rule['matched']} matched" if rule["evaluated"] else "NOT EVALUATED"
            note = f" — {rule['problem']}" if rule["problem"] else ""
            self.stdout.write(f"{rule['label']}: {state}{note}")
        self.stdout.write(
            f"roster: {rebuild.total} people; {len(rebuild.added)} added, "
            f"{len(rebuild.removed)} removed, {len(rebuild.kept)} kept for missing data "
            f"(rebuild {rebuild.pk})"
        )
