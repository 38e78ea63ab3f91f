"""Survey results: a hidden cell cannot be worked out from the overall count or the totals.

A small survey of 62 respondents, every one with a town: 30 in 亀戸, 30 in 大島
and 2 in 若洲. Hiding 若洲 alone would leave it as the overall count minus the
two towns shown, so one more town must be hidden wherever the table appears.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.surveys import test_web_fixtures as fixtures
from tsunagari.accounts.models import Staff
from tsunagari.surveys import services
from tsunagari.surveys.models import Survey
from tsunagari.surveys.results import results_for

media = fixtures.media
planner = fixtures.planner
ward_survey = fixtures.ward_survey

TOWNS = ["亀戸"] * 30 + ["大島"] * 30 + ["若洲"] * 2


def _frame() -> pd.DataFrame:
    n = len(TOWNS)
    return pd.DataFrame(
        {
            "respondent_id": [f"R{i}" for i in range(n)],
            "age": [str(30 + i % 40) for i in range(n)],
            "sex": ["1" if i % 2 else "2" for i in range(n)],
            "town": TOWNS,
            # everyone answers 1 to the direct question except the two in 若洲 (5)
            "direct": ["5" if t == "若洲" else "1" for t in TOWNS],
            "ucla1": ["2"] * n,
            "ucla2": ["2"] * n,
            "ucla3": ["2"] * n,
            "household": ["1" if i % 3 else "2" for i in range(n)],
        }
    )


@pytest.fixture
def small_town(ward_survey: Survey, planner: Staff) -> Survey:
    job = services.upload_responses(planner, ward_survey, fixtures.csv_upload(_frame()))
    services.check_import(planner, job, job.mapping, accept_no_answer=True)
    services.run_import(planner, job)
    return ward_survey


def _recoverable(shown: list[Any], total: Any) -> bool:
    """Would the total minus the shown cells give the one hidden cell away?"""
    return total is not None and sum(v is None for v in shown) == 1


def test_it_hides_a_second_town_in_the_stored_results(small_town: Survey) -> None:
    # when the results are read
    res = results_for(small_town)
    # then, in every measure, 若洲 and one more town are hidden while the overall count shows
    for measure, groups in res.tables.items():
        overall = groups["all"][0].unweighted.n
        towns = {r.level: r.unweighted.n for r in groups["town"]}
        assert overall == 62, measure
        assert towns["若洲"] is None
        assert not _recoverable(list(towns.values()), overall), (measure, towns)


def test_it_hides_a_second_town_in_the_api(
    client_for: Callable[[str], Client], small_town: Survey
) -> None:
    body = client_for("council").get(f"/api/surveys/{small_town.pk}/estimates").json()
    for measure in body["measures"]:
        cells = [e for e in body["estimates"] if e["measure"] == measure and not e["weighted"]]
        overall = next(e["n"] for e in cells if e["group"] == "all")
        towns = [e["n"] for e in cells if e["group"] == "town"]
        assert not _recoverable(towns, overall), (measure, towns)
        hidden = [e for e in cells if e["group"] == "town" and e["n"] is None]
        assert all(e["suppressed"] and e["estimate"] is None for e in hidden)


def test_it_hides_a_second_town_in_the_excel_report(
    client_for: Callable[[str], Client], small_town: Survey
) -> None:
    response = client_for("council").get(f"/surveys/{small_town.pk}/report.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["推計"].iter_rows(values_only=True))[1:]
    for measure in {r[0] for r in rows}:
        town = [r for r in rows if r[0] == measure and r[1] == "町名"]
        assert sum(r[4] == "—" and r[5] == "—" for r in town) >= 2, measure
    overview = {r[0]: r[1] for r in book["概要"].iter_rows(values_only=True)}
    assert "差し引いて" in overview["表示しない区分"]


def test_it_hides_a_second_town_in_the_html_report_and_on_the_page(
    client_for: Callable[[str], Client], small_town: Survey
) -> None:
    client = client_for("council")
    for url in (f"/surveys/{small_town.pk}/report.html", f"/surveys/{small_town.pk}/"):
        html = client.get(url).content.decode()
        shown = [t for t in ("亀戸", "大島") if f'<th scope="row">{t}</th><td>30</td>' in html]
        assert len(shown) <= 1, url
        assert "差し引いて" in html


def test_it_hides_a_second_answer_in_the_national_comparison(
    client_for: Callable[[str], Client], small_town: Survey
) -> None:
    # given 60 answers of "1" and 2 of "5" to the direct question
    body = client_for("council").get(f"/api/surveys/{small_town.pk}/national").json()
    ward = {r["answer"]: r["ward"] for r in body["rows"]}
    # then neither share is shown: 100 % minus the one shown would give the two away
    assert all(v is None or v == 0 for v in ward.values()), ward
