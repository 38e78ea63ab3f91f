"""``tsunagari survey``: loneliness survey tools for analysts.

Subcommands:

* ``analyse RESPONSES.csv [--margins MARGINS.csv] --out OUTPUT_DIR [--min-cell N]``
  writes estimates.csv and warnings.csv (see docs/survey-methods.md).

The work is done by ``tsunagari.surveys.engine``; this command parses the
arguments, runs it and prints a short summary. It needs no database.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from tsunagari.lib.commands import FileCommand
from tsunagari.surveys.engine import RakingError, SurveyInputError, analyse_files


def _cell_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("the minimum cell size must be 1 or more")
    return value


class Command(FileCommand):
    help = "Loneliness survey tools: 'survey analyse RESPONSES.csv --out DIR' writes estimates."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        analyse = actions.add_parser(
            "analyse",
            help="estimate the loneliness measures from a survey file",
            description=(
                "Score, weight (raking to MARGINS.csv) and tabulate RESPONSES.csv into "
                "OUTPUT_DIR/estimates.csv and OUTPUT_DIR/warnings.csv."
            ),
        )
        analyse.add_argument("responses", type=Path, metavar="RESPONSES.csv")
        analyse.add_argument(
            "--margins",
            type=Path,
            metavar="MARGINS.csv",
            help="population margins (dimension,level,population); without it, unweighted",
        )
        analyse.add_argument("--out", type=Path, required=True, metavar="OUTPUT_DIR")
        analyse.add_argument(
            "--min-cell",
            type=_cell_size,
            default=5,
            metavar="N",
            help="suppress cells with fewer than N valid answers (default 5)",
        )
        analyse.add_argument(
            "--method",
            choices=("linearised", "kish"),
            default="linearised",
            help="interval method (default: linearised with raking residuals)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "analyse":
            self._analyse(options)

    def _analyse(self, options: dict[str, Any]) -> None:
        responses: Path = options["responses"]
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(
                f"{out}: row 0, column -: the output path exists and is not a folder"
            )
        try:
            result = analyse_files(
                responses,
                options["margins"],
                min_cell=options["min_cell"],
                method=options["method"],
            )
            written = result.write(out)
        except (SurveyInputError, RakingError) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"{exc.filename or out}: row 0, column -: {exc.strerror}") from exc
        estimates = result.estimates
        shown = int((estimates["suppressed"] == 0).sum())
        if result.rake is not None:
            weighting = (
                f"weighted to {', '.join(result.rake.levels)} "
                f"(raking: {result.rake.iterations} passes, largest gap "
                f"{result.rake.max_relative_error:.4%})"
            )
        else:
            weighting = "unweighted (no --margins)"
        self.stdout.write(
            f"{result.respondents} respondents, {weighting}; {len(estimates)} estimates "
            f"({len(estimates) - shown} suppressed), {len(result.warnings)} warnings"
        )
        for path in written:
            self.stdout.write(f"wrote {path}")
