from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.audit.services import VerifyReport, seal, verify


def _tail(report: VerifyReport) -> str:
    if not report.unsealed:
        return "no event is waiting to be sealed"
    age = report.oldest_unsealed_age or 0.0
    return (
        f"{report.unsealed} event(s) wait to be sealed, the oldest for {age:.0f} s "
        f"(allowed: {report.grace_seconds} s)"
    )


class Command(BaseCommand):
    help = (
        "Audit log tools. 'audit seal' chains the events written since the last seal "
        "(run it from a timer); 'audit verify' checks that no event was edited or deleted."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{seal,verify}")
        sub.add_parser(
            "seal",
            help="number and chain every unsealed event (waits for a sealer already at work)",
        )
        sub.add_parser(
            "verify",
            help="walk the hash chain and the unsealed tail; report every edited, deleted or "
            "overdue event",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "seal":
            result = seal(wait=True)
            if result.busy:
                raise CommandError(
                    "could not take the audit log head (its row is missing): run "
                    "'tsunagari audit verify' to see what happened to the log"
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sealed {result.sealed} event(s); the chain ends at #{result.head_seq}."
                )
            )
            return
        report = verify()
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK: {report.checked} events checked, the chain is intact; {_tail(report)}."
                )
            )
            return
        for problem in report.problems:
            self.stderr.write(f"BROKEN: {problem}")
        self.stderr.write(_tail(report))
        raise CommandError(
            f"the audit log has been tampered with or is not being sealed: {len(report.problems)} "
            f"problem(s) in {report.checked} events"
        )
