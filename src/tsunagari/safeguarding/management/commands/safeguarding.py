"""``tsunagari safeguarding clocks``: escalate every overrun clock once.

Run it from cron every hour (nights and holidays too: the clocks count wall
hours); the team's list also runs it each time it is opened.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tsunagari.safeguarding.services import escalate_overdue


class Command(BaseCommand):
    help = "Safeguarding: 'clocks' escalates every overrun clock (safety, facts, decision, monitoring) once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("task", choices=["clocks"], help="clocks: escalate overrun clocks")

    def handle(self, *args: Any, **options: Any) -> None:
        made = escalate_overdue()
        for e in made:
            self.stdout.write(
                f"report {e.report_id}: {e.clock} overdue since {e.due_at:%Y-%m-%d %H:%M}, escalated"
            )
        self.stdout.write(f"{len(made)} clock(s) escalated.")
