from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.accounts.initial import INITIAL_DAYS, issue_initial_password
from tsunagari.accounts.models import Staff


class Command(BaseCommand):
    help = (
        "Give a staff member a random initial password, printed once: it signs in only "
        f"for --days (default {INITIAL_DAYS}) and only to choose their own password."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, default=INITIAL_DAYS, help="days it stays usable (1-14)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        staff = Staff.objects.filter(username=options["username"]).first()
        if staff is None:
            raise CommandError(f"No staff account {options['username']!r}.")
        if not 1 <= options["days"] <= 14:
            raise CommandError("--days must be 1 to 14.")
        password = issue_initial_password(staff, days=options["days"])
        self.stdout.write(password)
        self.stderr.write(
            f"Initial password for {staff.username}, usable for {options['days']} day(s) and "
            "only to choose their own at /password/. Hand it over in person; it is not shown again."
        )
