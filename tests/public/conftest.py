"""Fixtures for the residents' pages: the (smaller) demo directory."""

from __future__ import annotations

import pytest

from tsunagari.resources.demo import build_directory
from tsunagari.resources.hsds import bundle_from_tables
from tsunagari.resources.models import Location, Service
from tsunagari.resources.store import import_bundle


@pytest.fixture
def directory(db: None) -> int:
    bundle = bundle_from_tables(build_directory(7, share=0.1))
    return import_bundle(bundle, actor=None, source="test").created["services"]


@pytest.fixture
def shelter(directory: int) -> tuple[Service, Location]:
    service = Service.objects.filter(x_confidential=True).order_by("id").first()
    location = Location.objects.filter(x_confidential=True).order_by("id").first()
    assert service is not None and location is not None
    return service, location
