from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tsunagari.accounts.models import ApiToken, Staff


class Command(BaseCommand):
    help = "API tokens: 'token issue USERNAME --name PURPOSE [--days N]' prints a new bearer token once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{issue}")
        issue = sub.add_parser("issue", help="issue a token for a staff account")
        issue.add_argument("username")
        issue.add_argument("--name", default="api", help="what the token is for")
        issue.add_argument(
            "--days", type=int, default=90, help="days until it expires (default 90)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        staff = Staff.objects.filter(username=options["username"]).first()
        if staff is None:
            raise CommandError(
                f"no staff account named {options['username']!r}: check the user name."
            )
        if not 1 <= options["days"] <= 366:
            raise CommandError("--days must be between 1 and 366.")
        _token, raw = ApiToken.issue(
            staff, options["name"][:100], timezone.now() + timedelta(days=options["days"])
        )
        self.stdout.write(raw)
