"""The demo ward's linkage: sources with a recorded basis and one finished
run whose records point at the ward's stored residents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tsunagari.accounts.personas import ensure_personas
from tsunagari.demo.loader import write_registry
from tsunagari.demo.population import generate_ward
from tsunagari.linkage.demo import load_demo_linkage
from tsunagari.linkage.models import DataSource, LinkageRun, RecordLink, RunStatus
from tsunagari.people.importer import import_registry


@pytest.fixture
def ward(db: None, settings: Any, tmp_path: Path) -> Any:
    settings.DATA_DIR = tmp_path / "data"
    ensure_personas()
    made = generate_ward(600, seed=11)
    write_registry(made, tmp_path / "registry.csv")
    assert import_registry(tmp_path / "registry.csv").written
    return made


def test_it_records_every_basis_and_runs_one_linkage(ward: Any) -> None:
    summary = load_demo_linkage(ward, seed=11)
    assert "linkage run of" in summary
    assert all(s.has_basis for s in DataSource.objects.all())
    run = LinkageRun.objects.get()
    assert run.status == RunStatus.DONE and run.records and run.people
    # Registry records point at the stored residents, so the person page can
    # say which departments know them.
    registry = RecordLink.objects.filter(run=run, source="registry")
    assert registry.exists()
    assert not registry.filter(person__isnull=True).exists()
    # Loading the demo again keeps one run.
    assert load_demo_linkage(ward, seed=11) == "linkage run already loaded"
    assert LinkageRun.objects.count() == 1
