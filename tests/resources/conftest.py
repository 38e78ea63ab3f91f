"""Fixtures for the directory tests: the demo directory and small HSDS documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tsunagari.resources.demo import build_directory, load_demo_directory
from tsunagari.resources.hsds import bundle_from_tables
from tsunagari.resources.models import Location, Service
from tsunagari.resources.store import import_bundle

FIXTURES = Path(__file__).parent / "fixtures" / "hsds"


def load_small_directory(seed: int = 7) -> int:
    """The demo directory with a tenth of its community places: every kind,
    every consultation window and both shelters, loaded in well under a second."""
    bundle = bundle_from_tables(build_directory(seed, share=0.1))
    assert bundle.ok, bundle.rejections[:3]
    return import_bundle(bundle, actor=None, source="test").created["services"]


@pytest.fixture
def demo_directory(db: None) -> int:
    return load_small_directory()


@pytest.fixture
def full_demo_directory(db: None) -> int:
    return load_demo_directory(7)


@pytest.fixture
def shelter(demo_directory: int) -> tuple[Service, Location]:
    service = Service.objects.filter(x_confidential=True).order_by("id").first()
    assert service is not None
    location = Location.objects.filter(x_confidential=True).order_by("id").first()
    assert location is not None
    return service, location


def org_document(**service: Any) -> dict[str, Any]:
    """A small valid organisation with one service, overridable per field."""
    svc = {
        "id": "0b4c5a3e-1111-4c1b-9a51-000000000001",
        "name": "ふれあいサロン テスト",
        "status": "active",
        "x_kind": "salon",
        "phones": [{"id": "0b4c5a3e-1111-4c1b-9a51-000000000002", "number": "03-0000-0000"}],
    }
    svc.update(service)
    return {
        "id": "0b4c5a3e-1111-4c1b-9a51-000000000000",
        "name": "テストの会",
        "description": "テスト用の団体",
        "services": [svc],
    }


@pytest.fixture
def write_json(tmp_path: Path) -> Any:
    def write(document: Any, name: str = "upload.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    target = tmp_path / "examples"
    shutil.copytree(FIXTURES, target)
    return target
