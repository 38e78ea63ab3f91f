from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.accounts.alerts import security_alerts


class Command(BaseCommand):
    help = (
        "Report failed sign-ins and refusals over the thresholds (ALERT_* settings) in the "
        "last --minutes; prints nothing and exits 0 when there is nothing to report, else "
        "prints one line per alert and exits 1 (for a timer that forwards its output)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--minutes", type=int, default=60, help="window to look back over")

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["minutes"]
        if not 1 <= minutes <= 7 * 24 * 60:
            raise CommandError("--minutes must be 1 to 10080 (a week).")
        alerts = security_alerts(minutes)
        for alert in alerts:
            self.stdout.write(alert.line(minutes))
        if alerts:
            sys.exit(1)
