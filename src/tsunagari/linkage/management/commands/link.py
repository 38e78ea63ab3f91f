"""``tsunagari link INPUT_DIR --out OUTPUT_DIR``: extracts in, people and households out."""

from __future__ import annotations

import re
import shutil
import sys
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from tsunagari.lib.commands import FileCommand
from tsunagari.linkage.engine import (
    MATCH_THRESHOLD,
    InputError,
    LinkOptions,
    TrainingOptions,
    link_directory,
)
from tsunagari.linkage.engine.pipeline import default_workers

DEFAULT_TRAINING = TrainingOptions()


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError(f"{value} is not a positive whole number")
    return number


def _size(value: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.IGNORECASE):
        raise ArgumentTypeError(f"{value} is not a size like 2GB or 1536MB")
    return value


def _probability(value: str) -> float:
    number = float(value)
    if not 0 < number < 1:
        raise ArgumentTypeError(f"{value} is not between 0 and 1")
    return number


class Command(FileCommand):
    help = (
        "Link department extracts (one CSV per source in INPUT_DIR) into people and "
        "households; writes clusters.csv, households.csv and warnings.csv into --out."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input_dir", type=Path, help="directory of *.csv extracts")
        parser.add_argument("--out", type=Path, required=True, help="output directory")
        parser.add_argument(
            "--engine",
            choices=["duckdb", "spark"],
            default="duckdb",
            help="where the matching runs: embedded DuckDB (default) or pyspark local mode",
        )
        parser.add_argument(
            "--threads", type=_positive_int, default=2, help="worker threads (default 2)"
        )
        parser.add_argument(
            "--max-pairs",
            type=float,
            default=DEFAULT_TRAINING.max_pairs,
            help="pairs sampled to estimate u-probabilities (main speed setting)",
        )
        parser.add_argument(
            "--threshold",
            type=_probability,
            default=MATCH_THRESHOLD,
            help="match probability at or above which two records are one person",
        )
        parser.add_argument(
            "--workers",
            type=_positive_int,
            default=default_workers(),
            help="processes normalising names and addresses in large runs (default: 2, 1 on one core)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_TRAINING.seed, help="makes sampling repeatable"
        )
        parser.add_argument(
            "--memory-limit",
            type=_size,
            default="2GB",
            help="memory the database may use before spilling to disk (DuckDB), e.g. 2GB",
        )
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="date for ages (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--decisions",
            type=Path,
            default=None,
            help="CSV of reviewed pairs (source_l,record_id_l,source_r,record_id_r,decision "
            "same|different): applied whatever the scores",
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        from tqdm import tqdm

        show = not options["no_progress"] and sys.stderr.isatty()
        bar = tqdm(
            total=100,
            disable=not show,
            unit="%",
            # Some terminals (ptys without a size) report 0x0; tqdm then hides.
            ncols=min(100, shutil.get_terminal_size().columns),
            nrows=shutil.get_terminal_size().lines,
            bar_format="{l_bar}{bar}| {elapsed}",
        )

        def progress(stage: str, done: float) -> None:
            bar.set_description(stage)
            bar.update(max(0, round(done * 100) - bar.n))

        run = LinkOptions(
            engine=options["engine"],
            threads=options["threads"],
            threshold=options["threshold"],
            training=TrainingOptions(max_pairs=options["max_pairs"], seed=options["seed"]),
            as_of=options["as_of"],
            memory_limit=options["memory_limit"],
            workers=options["workers"],
            decisions=options["decisions"],
        )
        try:
            summary = link_directory(options["input_dir"], options["out"], run, progress)
        except InputError as exc:
            raise CommandError(str(exc)) from None
        except RuntimeError as exc:
            raise CommandError(str(exc).splitlines()[0]) from None
        finally:
            bar.close()
        by_source = ", ".join(f"{s} {n:,}" for s, n in summary.sources.items())
        reviewed = ""
        if options["decisions"]:
            reviewed = f"; {summary.decisions_applied:,} reviewed pairs applied"
            if summary.decisions_unknown:
                reviewed += f", {summary.decisions_unknown:,} name records not in these extracts"
        self.stdout.write(
            f"Read {summary.records:,} records ({by_source}); "
            f"{summary.warnings:,} warnings in {options['out'] / 'warnings.csv'}.\n"
            f"Found {summary.people:,} people in {summary.households:,} households "
            f"in {summary.seconds:.1f} seconds.\n"
            f"{summary.review_pairs:,} uncertain pairs to review in "
            f"{options['out'] / 'review.csv'}{reviewed}."
        )
