from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tsunagari.accounts.models import Agency
from tsunagari.accounts.personas import DEMO_PASSWORD, PERSONAS
from tsunagari.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the synthetic demo ward (agencies, staff personas, residents) and print the demo "
        "sign-in accounts. Deterministic: the same --people and --seed give the same ward."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=20000,
            help="residents to generate (default 20,000; the ward has about 540,000)",
        )
        parser.add_argument(
            "--seed", type=int, default=20261126, help="random seed (default 20261126)"
        )
        parser.add_argument(
            "--extracts",
            type=Path,
            help="also write department-extract CSVs (linkage contract format) to this folder",
        )
        parser.add_argument(
            "--truth",
            type=Path,
            help="with --extracts: where to write the ground truth (default EXTRACTS/../truth)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Every persona signs in with the password printed below and in the README.
            raise CommandError(
                "The demo ward creates sign-in accounts with a published password, so it is not "
                "loaded in production mode (TSUNAGARI_MODE=production). Try it in a separate "
                "installation in development mode."
            )
        people: int = options["people"]
        if not 0 <= people <= 2_000_000:
            raise CommandError(f"--people {people} is out of range: use 0 to 2,000,000.")
        summary = load_demo(
            people=people,
            seed=options["seed"],
            extracts_dir=options["extracts"],
            truth_dir=options["truth"],
            progress=options["verbosity"] > 0,
        )
        self.stdout.write(self.style.SUCCESS(summary))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-in accounts (password for all: {DEMO_PASSWORD})")
        agencies = dict(
            Agency.objects.filter(code__in={p.agency for p in PERSONAS if p.agency}).values_list(
                "code", "name"
            )
        )
        for persona in PERSONAS:
            roles = ", ".join(str(r) for r in persona.roles) or "no role"
            agency = agencies.get(persona.agency, persona.agency) if persona.agency else "no agency"
            self.stdout.write(
                f"  {persona.username:<24} {persona.display_name:<8} {roles:<16} {agency}"
            )
