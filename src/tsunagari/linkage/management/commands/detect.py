"""``tsunagari detect OUTPUT_DIR``: households with complex-need patterns."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from tsunagari.lib.commands import FileCommand
from tsunagari.linkage.engine import detect_directory
from tsunagari.linkage.engine.detect import DEFAULT_RULES, RulesError


class Command(FileCommand):
    help = (
        "Find households showing complex-need patterns (8050, double care, young carer, "
        "isolation, poverty with children) in a link output directory; writes candidates.csv."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("output_dir", type=Path, help="directory written by `link`")
        parser.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="patterns YAML")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="date for ages (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            candidates = detect_directory(options["output_dir"], options["rules"], options["as_of"])
        except (FileNotFoundError, RulesError) as exc:
            raise CommandError(str(exc)) from None
        counts = candidates["pattern"].value_counts().to_dict()
        detail = ", ".join(f"{p} {n}" for p, n in counts.items()) or "none"
        self.stdout.write(
            f"{len(candidates):,} candidate households ({detail}) in "
            f"{options['output_dir'] / 'candidates.csv'}."
        )
