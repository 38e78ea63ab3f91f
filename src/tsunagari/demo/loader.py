"""Turn the synthetic ward into database rows for the demo and the tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from django.db import transaction

from tsunagari.accounts.models import Agency
from tsunagari.accounts.personas import ensure_personas
from tsunagari.resources.demo import load_demo_directory


def load_demo(
    *,
    people: int,
    seed: int,
    extracts_dir: Path | None = None,
    truth_dir: Path | None = None,
    progress: bool = True,
    stdout: TextIO | None = None,
) -> str:
    started = time.monotonic()
    with transaction.atomic():
        ensure_personas()
    with transaction.atomic():
        services = load_demo_directory(seed)
    agencies = Agency.objects.count()
    seconds = time.monotonic() - started
    return (
        f"Demo ward loaded: {agencies} agencies, staff personas ready, "
        f"{services} directory services ({seconds:.1f} s)."
    )
