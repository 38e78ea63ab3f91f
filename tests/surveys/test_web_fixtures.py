"""Fixtures for the survey web tests (imported by the test_web_* files).

A survey of about 1,300 respondents drawn from a synthetic ward, plus three
respondents in 若洲, a town too small to show: every page, export and API
answer must hide that town's cells.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.accounts.models import Staff
from tsunagari.surveys import services
from tsunagari.surveys.engine.synthetic import draw_survey, make_population
from tsunagari.surveys.models import Survey

SMALL_TOWN = "若洲"
HEADER = "respondent_id,age,sex,town,direct,ucla1,ucla2,ucla3,household"


def synthetic_frame(sample: int = 3_000, seed: int = 11) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Responses (with three 若洲 respondents added) and margins that cover them."""
    population = make_population(max(30_000, sample * 2), towns=6, seed=seed)
    drawn = draw_survey(population, sample, seed=seed + 1)
    frame = drawn.responses.copy()
    small = pd.DataFrame(
        {
            "respondent_id": ["W1", "W2", "W3"],
            "age": ["34", "35", "36"],
            "sex": ["2", "2", "2"],
            "town": [SMALL_TOWN] * 3,
            "direct": ["5", "5", "4"],
            "ucla1": ["4", "4", "3"],
            "ucla2": ["4", "4", "3"],
            "ucla3": ["4", "3", "3"],
            "household": ["1", "1", "1"],
        }
    )
    frame = pd.concat([frame, small], ignore_index=True)
    margins = {d: dict(levels) for d, levels in drawn.margins.items()}
    margins["town"][SMALL_TOWN] = 60.0
    margins["age_band"]["30-39"] += 60.0
    margins["sex"]["2"] += 60.0
    return frame, margins


def csv_upload(frame: pd.DataFrame, name: str = "responses.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, frame.to_csv(index=False).encode("utf-8"), "text/csv")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def margins_upload(margins: dict[str, dict[str, float]]) -> SimpleUploadedFile:
    lines = ["dimension,level,population"]
    for dim, levels in margins.items():
        lines += [f"{dim},{level},{pop:.0f}" for level, pop in levels.items()]
    return SimpleUploadedFile("MARGINS.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a temporary MEDIA directory."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def planner(personas: dict[str, Staff]) -> Staff:
    return personas["planner"]


@pytest.fixture
def ward_survey(planner: Staff, media: Path) -> Survey:
    """An empty FY2026 survey with its questions."""
    return services.create_survey(
        planner, fiscal_year=2026, title="2026年度 孤独・孤立に関する実態調査"
    )


@pytest.fixture
def analysed(ward_survey: Survey, planner: Staff) -> Survey:
    """``ward_survey`` with about 1,300 responses imported and weighted to margins."""
    frame, margins = synthetic_frame()
    job = services.upload_responses(planner, ward_survey, csv_upload(frame))
    services.check_import(planner, job, job.mapping)
    services.run_import(planner, job)
    services.use_margins_file(planner, ward_survey, margins_upload(margins))
    return ward_survey
