"""Fixtures for barrier reports: the small demo directory (places to pick)."""

from __future__ import annotations

import pytest

from tsunagari.resources.demo import build_directory
from tsunagari.resources.hsds import bundle_from_tables
from tsunagari.resources.store import import_bundle


@pytest.fixture
def directory(db: None) -> int:
    bundle = bundle_from_tables(build_directory(7, share=0.1))
    return import_bundle(bundle, actor=None, source="test").created["services"]
