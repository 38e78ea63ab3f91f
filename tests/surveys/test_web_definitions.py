"""Survey definitions carry the national questions word for word, and the ward's own items."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from tests.surveys import test_web_fixtures as fixtures
from tsunagari.accounts.models import Staff
from tsunagari.surveys import services
from tsunagari.surveys.engine.instruments import DIRECT_QUESTION, QUESTIONNAIRE, UCLA_ITEMS
from tsunagari.surveys.models import Question, Survey

analysed = fixtures.analysed
media = fixtures.media
planner = fixtures.planner
ward_survey = fixtures.ward_survey


def test_it_defines_a_survey_with_the_national_questions_word_for_word(ward_survey: Survey) -> None:
    # given a new survey
    # when its questions are read
    questions = {q.column: q for q in ward_survey.questions.all()}
    # then the direct question and the UCLA items are the engine's text and answer codes exactly
    for item in (DIRECT_QUESTION, *UCLA_ITEMS):
        assert questions[item.column].text == item.question
        assert questions[item.column].source == Question.Source.NATIONAL
        assert questions[item.column].choices == [
            {"code": c.code, "label": c.label} for c in item.choices
        ]
    # and the ward's own items are there too
    for column in ("age", "sex", "town", "household", "contact", "help_seeking", "places"):
        assert questions[column].source == Question.Source.WARD
    assert len(questions) == len(QUESTIONNAIRE) + 1


def test_it_shows_the_questionnaire_to_council_members(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given a survey
    # when a council member opens its questions
    html = client_for("council").get(f"/surveys/{ward_survey.pk}/questions/").content.decode()
    # then the national wording is shown as is
    assert DIRECT_QUESTION.question in html
    assert "しばしばある・常にある" in html


def test_it_refuses_a_second_survey_for_the_same_year_and_wave(
    planner: Staff, ward_survey: Survey
) -> None:
    # given the FY2026 survey
    # when another FY2026 first wave is created
    # then it is refused
    with pytest.raises(services.SurveyError):
        services.create_survey(planner, fiscal_year=2026, title="重複")


def test_it_creates_a_survey_from_the_page(
    client_for: Callable[[str], Client], media: object
) -> None:
    # given the planner
    client = client_for("planner")
    # when they fill in the form
    response = client.post(
        "/surveys/new/",
        {"fiscal_year": "2027", "wave": "1", "title": "2027年度 調査", "fieldwork_start": "2027-10-01",
         "fieldwork_end": "2027-10-31", "sample_size": "3000", "sample_design": "無作為抽出"},
    )  # fmt: skip
    # then the survey exists and the import page comes next
    survey = Survey.objects.get(fiscal_year=2027)
    assert response.status_code == 302 and response["Location"] == f"/surveys/{survey.pk}/import/"


def test_it_weights_to_the_people_registry_by_age_band_sex_and_town(
    planner: Staff, ward_survey: Survey
) -> None:
    # given residents in the registry
    from datetime import date

    from tsunagari.people.models import Person

    Person.objects.bulk_create(
        [
            Person(surname="甲", birth_date=date(1990, 1, 1), sex="female", town="亀戸"),
            Person(surname="乙", birth_date=date(1950, 6, 1), sex="male", town="大島"),
            Person(surname="丙", birth_date=date(2015, 6, 1), sex="male", town="大島"),
            Person(surname="丁", birth_date=None, sex="male", town="大島"),
        ]
    )
    # when margins are computed for 1 October 2026
    margins = services.registry_margins(date(2026, 10, 1))
    # then only residents aged 16+ with a known birth date, sex and town count
    assert margins == {
        "age_band": {"30-39": 1.0, "70-79": 1.0},
        "sex": {"1": 1.0, "2": 1.0},
        "town": {"亀戸": 1.0, "大島": 1.0},
    }


def test_it_neutralises_formulas_in_excel_cells(
    client_for: Callable[[str], Client], analysed: Survey, planner: Staff
) -> None:
    # given margins naming a "town" that is a spreadsheet formula
    _frame, margins = fixtures.synthetic_frame()
    margins["town"]["=1+2"] = 10.0
    margins["age_band"]["30-39"] += 10.0
    margins["sex"]["2"] += 10.0
    services.use_margins_file(planner, analysed, fixtures.margins_upload(margins))
    # when the Excel report is downloaded
    book = load_workbook(
        io.BytesIO(client_for("council").get(f"/surveys/{analysed.pk}/report.xlsx").content)
    )
    # then the cell holds the text with an apostrophe, never a formula
    levels = {r[2] for r in book["推計"].iter_rows(values_only=True)}
    assert "'=1+2" in levels and "=1+2" not in levels


def test_it_refuses_an_unreadable_margins_file(planner: Staff, analysed: Survey) -> None:
    # given a margins file with a negative population
    bad = SimpleUploadedFile("m.csv", b"dimension,level,population\nsex,1,-5\nsex,2,10\n")
    # when it is used for weighting
    # then the message names the row and column
    with pytest.raises(services.SurveyError, match="population"):
        services.use_margins_file(planner, analysed, bad)


def test_it_loads_three_demo_years_once(personas: dict[str, Staff], media: object) -> None:
    # given an empty database with the personas
    from tsunagari.surveys.demo import load_demo_surveys

    # when the demo surveys are loaded twice
    first = load_demo_surveys(1)
    second = load_demo_surveys(1)
    # then FY2024–FY2026 exist once each, analysed, near the national share
    assert "3 loneliness surveys" in first and "already" in second
    years = list(Survey.objects.order_by("fiscal_year").values_list("fiscal_year", flat=True))
    assert years == [2024, 2025, 2026]
    for survey in Survey.objects.all():
        often = survey.analysis.estimates.get(weighted=False, measure="lonely_often", group="all")
        assert often.estimate is not None and 0.01 < often.estimate < 0.12
