from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.audit.services import verify


class Command(BaseCommand):
    help = "Audit log tools. 'audit verify' checks that no event was edited or deleted."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        sub.add_parser(
            "verify", help="walk the hash chain and report every edited or deleted event"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            report = verify()
            if report.ok:
                self.stdout.write(
                    self.style.SUCCESS(f"OK: {report.checked} events checked, the chain is intact.")
                )
                return
            for problem in report.problems:
                self.stderr.write(f"BROKEN: {problem}")
            raise CommandError(
                f"the audit log has been tampered with: {len(report.problems)} problem(s) in {report.checked} events"
            )
