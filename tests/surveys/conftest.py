"""Fixtures for the survey tests: small synthetic surveys written to files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tsunagari.surveys.engine.synthetic import Population, Survey, draw_survey, make_population

HEADER = "respondent_id,age,sex,town,direct,ucla1,ucla2,ucla3"


@pytest.fixture(scope="session")
def population() -> Population:
    """A fixed synthetic ward of 30,000 residents in 6 towns."""
    return make_population(30_000, towns=6, seed=3)


@pytest.fixture
def survey(population: Population) -> Survey:
    """One survey of about 1,000 respondents drawn from ``population``."""
    return draw_survey(population, 2_200, seed=5)


@pytest.fixture
def survey_files(survey: Survey, tmp_path: Path) -> dict[str, Path]:
    """``survey`` written as RESPONSES.csv, MARGINS.csv and truth.csv."""
    return survey.write(tmp_path / "in")


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write text (UTF-8) or bytes to ``tmp_path/name`` and return the path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
