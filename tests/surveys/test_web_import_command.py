"""``tsunagari survey_import``: the same checked, all-or-nothing import from the shell."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.surveys import test_web_fixtures as fixtures
from tsunagari.surveys.models import Response, ResponseImport, Survey

media = fixtures.media
planner = fixtures.planner
ward_survey = fixtures.ward_survey


def test_it_imports_a_file_with_a_mapping_override(ward_survey: Survey, tmp_path: Path) -> None:
    # given a file whose direct question is in 問1
    path = tmp_path / "r.csv"
    path.write_text(
        "ID,年齢,性別,町名,問1,ucla1,ucla2,ucla3\nA,34,1,亀戸,5,4,4,4\nB,50,2,大島,1,1,1,1\n",
        encoding="utf-8",
    )
    out = StringIO()
    # when it is imported with --map direct=問1
    call_command("survey_import", str(path), "--year", "2026", "--map", "direct=問1", stdout=out)
    # then both rows are stored
    assert Response.objects.filter(survey=ward_survey).count() == 2
    assert "imported 2 responses" in out.getvalue()


def test_it_refuses_a_file_with_problems_and_stores_nothing(
    ward_survey: Survey, tmp_path: Path
) -> None:
    # given a file with a duplicate id
    path = tmp_path / "r.csv"
    path.write_text(
        fixtures.HEADER + "\nA,34,1,亀戸,5,4,4,4,1\nA,50,2,大島,1,1,1,1,2\n", encoding="utf-8"
    )
    err = StringIO()
    # when it is imported
    # then the command fails naming the row, and nothing is stored or kept
    with pytest.raises(CommandError, match="not imported"):
        call_command("survey_import", str(path), "--year", "2026", stderr=err)
    assert "row 3" in err.getvalue()
    assert not Response.objects.exists()
    assert not ResponseImport.objects.exclude(status="discarded").exists()
