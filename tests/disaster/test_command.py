"""The roster command: load an extract, rebuild, and say what a rule could not do."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from tests.disaster.conftest import CARE_CSV

from tsunagari.disaster.models import RosterEntry
from tsunagari.people.models import Person


def test_it_loads_an_extract_and_rebuilds_naming_the_rule_it_could_not_run(
    street: dict[str, Person], tmp_path: Path
) -> None:
    care = tmp_path / "care.csv"
    care.write_text(CARE_CSV, encoding="utf-8")
    out = StringIO()
    call_command("roster", "load", "care", str(care), stdout=out, stderr=StringIO())
    assert "3 tied to a person" in out.getvalue()
    out = StringIO()
    call_command("roster", "rebuild", stdout=out)
    text = out.getvalue()
    # disability was never loaded: its rules say so
    assert "療育手帳A: NOT EVALUATED" in text and "要介護3〜5: 2 matched" in text
    assert RosterEntry.objects.filter(person=street["oyama"], on_roster=True).exists()


def test_it_refuses_a_source_without_a_basis(street: dict[str, Person], tmp_path: Path) -> None:
    path = tmp_path / "poverty.csv"
    path.write_text("resident_id\n1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="根拠"):
        call_command("roster", "load", "poverty", str(path))
