from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagari.accounts.mfa import reset_device
from tsunagari.accounts.models import Staff


class Command(BaseCommand):
    help = (
        "Remove a staff member's authenticator (a lost or replaced phone) after confirming "
        "who is asking; they set up a new one at their next sign-in. Audited."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        staff = Staff.objects.filter(username=options["username"]).first()
        if staff is None:
            raise CommandError(f"No staff account {options['username']!r}.")
        removed = reset_device(staff)
        self.stdout.write(
            f"Removed {removed} authenticator(s) of {staff.username}; "
            "they set up a new one at their next sign-in."
        )
