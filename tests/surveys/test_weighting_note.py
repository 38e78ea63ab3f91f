"""The weighting note is stored as a code and its numbers and worded when
shown, so a reader who chose English reads it in English."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client
from django.utils import translation

from tests.surveys import test_web_fixtures as fixtures
from tsunagari.surveys.models import Analysis, Survey
from tsunagari.surveys.tabulate import describe_weighting, note_code

analysed = fixtures.analysed
media = fixtures.media
planner = fixtures.planner
ward_survey = fixtures.ward_survey


def test_it_words_a_stored_note_in_the_active_language() -> None:
    stored = note_code("weighted", n=1234, source="registry", left_out=5, spread=True)
    assert json.loads(stored)["n"] == 1234
    with translation.override("ja"):
        japanese = describe_weighting(stored)
    with translation.override("en"):
        english = describe_weighting(stored)
    assert japanese.startswith("1,234人を母集団（住民基本台帳）の年齢区分・性別・町名に合わせて")
    assert "無回答の5人" in japanese and "ほかの区分に振り分けました" in japanese
    assert english.startswith("1,234 respondents were weighted to the population (the resident")
    assert "5 respondents who did not give" in english


def test_it_words_each_kind_of_note() -> None:
    with translation.override("en"):
        assert "Unweighted results only" in describe_weighting(note_code("failed", reason="x"))
        assert '"北砂" of town' in describe_weighting(
            note_code("uncovered", dimension="town", level="北砂")
        )
        assert "no population figures" in describe_weighting(note_code("no_margins"))


def test_it_shows_a_note_stored_as_text_as_it_is() -> None:
    assert describe_weighting("旧形式のメモ") == "旧形式のメモ"
    assert describe_weighting("{not json") == "{not json"


def test_the_results_page_shows_the_note_in_english(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    analysis = Analysis.objects.get(survey=analysed)
    assert analysis.weighting_note.startswith("{")
    client = client_for("council")
    client.cookies["django_language"] = "en"
    html = client.get(f"/surveys/{analysed.pk}/").content.decode()
    assert "respondents were weighted to the population" in html
    assert "&quot;code&quot;" not in html and '"code"' not in html  # never the stored code
