"""Normalising in worker processes gives the same records as in one process."""

from __future__ import annotations

import pandas as pd
import pytest

from tsunagari.linkage.engine import load_records, normalise

from .helpers import HARD


def test_it_normalises_the_same_in_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    alone, _, _ = load_records(HARD)
    monkeypatch.setattr(normalise, "_PARALLEL_MIN", 1)
    together, _, _ = load_records(HARD, workers=2)
    pd.testing.assert_frame_equal(alone, together)
