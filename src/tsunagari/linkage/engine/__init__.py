"""Cross-silo record linkage and complex-need detection (no Django).

Department extracts in, people and households out (contracts/linkage.md);
then households with complex-need patterns, with their evidence.

    from tsunagari.linkage.engine import link_directory, detect_directory
    summary = link_directory(Path("extracts"), Path("out"))
    candidates = detect_directory(Path("out"))
"""

from __future__ import annotations

from tsunagari.linkage.engine.backends import DuckDBBackend, SparkBackend, make_backend
from tsunagari.linkage.engine.detect import detect, detect_directory, load_rules
from tsunagari.linkage.engine.errors import InputError, ValueWarning
from tsunagari.linkage.engine.model import MATCH_THRESHOLD, TrainingOptions
from tsunagari.linkage.engine.pipeline import (
    LinkOptions,
    LinkSummary,
    link_directory,
    load_records,
)

__all__ = [
    "MATCH_THRESHOLD",
    "DuckDBBackend",
    "InputError",
    "LinkOptions",
    "LinkSummary",
    "SparkBackend",
    "TrainingOptions",
    "ValueWarning",
    "detect",
    "detect_directory",
    "link_directory",
    "load_records",
    "load_rules",
    "make_backend",
]
