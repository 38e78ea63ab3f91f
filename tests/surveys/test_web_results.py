"""Results pages, the council report (HTML, PDF, Excel), the API, and small-cell suppression in all."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.surveys import test_web_fixtures as fixtures
from tests.surveys.test_web_fixtures import SMALL_TOWN
from tsunagari.accounts.models import Staff
from tsunagari.surveys.engine.national import (
    national_table,
    published_percentages,
    reconstruct_counts,
)
from tsunagari.surveys.models import Estimate, Survey
from tsunagari.surveys.results import results_for

# The shared fixtures, made visible to pytest in this module.
analysed = fixtures.analysed
media = fixtures.media
planner = fixtures.planner
ward_survey = fixtures.ward_survey


def _town_row(html: str, town: str) -> str:
    match = re.search(rf"<tr><th scope=\"row\">{town}</th>(.*?)</tr>", html, re.S)
    assert match, f"no row for {town}"
    return match.group(1)


def test_it_shows_weighted_and_unweighted_results_side_by_side(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given an analysed survey weighted to margins
    # when a council member opens the results
    page = client_for("council").get(f"/surveys/{analysed.pk}/")
    html = page.content.decode()
    # then the overall table shows both, with intervals, and each group has a chart and a table
    assert page.status_code == 200
    assert "重み付き" in html and "重みなし" in html and "95%信頼区間" in html
    for group in ("age_band", "sex", "household", "town"):
        assert f'id="table-{group}"' in html
        assert f'id="chart-{group}-lonely_any"' in html
    assert 'type="application/json"' in html
    assert "<script>" not in html.replace("<script src=", "").replace(
        '<script type="application/json"', ""
    )


def test_it_scores_exactly_as_the_engine_does(analysed: Survey) -> None:
    # given the stored responses
    from tsunagari.surveys.engine.estimates import estimate_measures
    from tsunagari.surveys.engine.scoring import score_responses
    from tsunagari.surveys.services import responses_frame

    frame = responses_frame(analysed)
    # when the engine scores them directly
    engine = estimate_measures(score_responses(frame).frame, frame[["sex"]], min_cell=5)
    # then the stored unweighted estimates are the same numbers
    stored = {
        (e.measure, e.group, e.level): e.estimate
        for e in Estimate.objects.filter(
            analysis__survey=analysed, weighted=False, group__in=["all", "sex"]
        )
    }
    for e in engine:
        assert stored[(e.measure, e.group, e.level)] == pytest.approx(e.estimate)


def test_it_hides_small_cells_on_the_results_page(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given three respondents in 若洲
    # when the results are shown
    html = client_for("council").get(f"/surveys/{analysed.pk}/").content.decode()
    # then 若洲's row has no count, no estimate and no interval
    row = _town_row(html, SMALL_TOWN)
    # (a hidden count shows "—", not "5未満": a count hidden to protect a small one is
    # not under 5, and a second mark would tell which hidden count is the small one)
    assert row.startswith("<td>—</td>")
    assert not re.search(r"\d+\.\d%", row)
    assert "<td>3</td>" not in row


def test_it_hides_small_cells_in_the_api(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given the same survey
    # when the estimates are read through the API
    body = client_for("council").get(f"/api/surveys/{analysed.pk}/estimates").json()
    # then 若洲's cells carry no n, estimate or interval
    cells = [e for e in body["estimates"] if e["level"] == SMALL_TOWN]
    assert cells and all(e["suppressed"] for e in cells)
    assert all(e["n"] is None and e["estimate"] is None and e["ci_low"] is None for e in cells)
    assert any(e["weighted"] for e in cells) and any(not e["weighted"] for e in cells)
    assert body["min_cell"] == 5


def test_it_hides_small_cells_in_the_excel_report(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given the same survey
    # when the Excel report is downloaded
    response = client_for("council").get(f"/surveys/{analysed.pk}/report.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    # then every 若洲 row shows "—" and no count (one mark for every hidden count)
    rows = [r for r in book["推計"].iter_rows(values_only=True) if r[2] == SMALL_TOWN]
    assert rows
    assert all(r[4] == "—" and r[5] == "—" and r[6] == "—" for r in rows)
    assert set(book.sheetnames) == {"概要", "推計", "区独自の設問", "全国比較", "推移"}


def test_it_hides_small_cells_in_the_html_report(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given the same survey
    # when the HTML report is downloaded
    response = client_for("council").get(f"/surveys/{analysed.pk}/report.html")
    html = response.content.decode()
    # then it is a self-contained attachment and 若洲 is hidden
    assert response["Content-Disposition"].startswith("attachment")
    assert "<script" not in html
    assert _town_row(html, SMALL_TOWN).startswith("<td>—</td>")  # one mark for hidden counts


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_it_renders_the_pdf_report_in_japanese_with_small_cells_hidden(
    client_for: Callable[[str], Client], analysed: Survey, tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    # given the same survey
    # when the PDF report is downloaded
    response = client_for("council").get(f"/surveys/{analysed.pk}/report.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    # then its text has the Japanese title and 若洲's line shows no number
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert analysed.title in text
    town_lines = [line for line in text.splitlines() if line.strip().startswith(SMALL_TOWN)]
    # (one mark, "—", for every hidden count)
    assert town_lines and all("—" in line and "%" not in line for line in town_lines)
    # and its first page, as an image, is not blank
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height


def test_it_reproduces_the_published_national_percentages(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given the shipped national table
    table = national_table()
    # when the comparison is read from the API and the page
    body = client_for("council").get(f"/api/surveys/{analysed.pk}/national").json()
    html = client_for("council").get(f"/surveys/{analysed.pk}/").content.decode()
    # then every published percentage is shown as published, with the source named
    assert body["source"] == "内閣府「人々のつながりに関する基礎調査」"
    assert body["source"] in html
    for row in body["rows"]:
        assert row["national"] == [table[r][row["answer"]] for r in body["rounds"]]
    # and the counts behind them round back to the same percentages
    for survey_round in table:
        counts = reconstruct_counts(survey_round)
        n = next(iter(national_table_n(survey_round)))
        assert published_percentages(counts, n) == table[survey_round]


def national_table_n(survey_round: str) -> list[int]:
    from tsunagari.surveys.engine.national import load_national

    return [r.n for r in load_national() if r.survey == survey_round][:1]


def test_it_shows_the_trend_when_several_years_exist(
    client_for: Callable[[str], Client], analysed: Survey, planner: object
) -> None:
    # given a second survey year
    from tests.surveys.test_web_fixtures import csv_upload, synthetic_frame
    from tsunagari.surveys import services

    older = services.create_survey(planner, fiscal_year=2025, title="2025年度 調査")  # type: ignore[arg-type]
    frame, _ = synthetic_frame(seed=21)
    job = services.upload_responses(planner, older, csv_upload(frame))  # type: ignore[arg-type]
    services.check_import(planner, job, job.mapping)  # type: ignore[arg-type]
    services.run_import(planner, job)  # type: ignore[arg-type]
    # when the survey list is shown
    html = client_for("council").get("/surveys/").content.decode()
    # then the trend chart and its table list both years and the national rounds
    assert 'id="chart-trend"' in html
    assert "2025年度" in html and "2026年度" in html and "全国 2021-12" in html


def test_it_hides_cells_again_when_the_threshold_is_raised(
    analysed: Survey, settings: object
) -> None:
    # given results computed with the default threshold of 5
    settings.SMALL_CELL_MIN = 100_000  # type: ignore[attr-defined]
    # when they are read with a higher threshold
    res = results_for(analysed)
    # then every cell is hidden
    rows = [r for groups in res.tables.values() for rs in groups.values() for r in rs]
    assert all(r.unweighted.suppressed for r in rows)


def test_it_tabulates_the_wards_own_items_with_small_cells_hidden(
    client_for: Callable[[str], Client], ward_survey: Survey, planner: Staff
) -> None:
    # given responses with contact, help-seeking and places answered, and one rare answer
    from tsunagari.surveys import services
    from tsunagari.surveys.demo import demo_responses

    frame = demo_responses(2026, 3, ["亀戸", "大島", "豊洲"])
    frame["contact"] = "1"
    frame.loc[:2, "contact"] = "7"  # three people who never meet anyone: too few to show
    job = services.upload_responses(planner, ward_survey, fixtures.csv_upload(frame))
    services.check_import(planner, job, job.mapping, accept_no_answer=True)
    services.run_import(planner, job)
    # when the items are read through the API and the page
    items = {
        i["column"]: i
        for i in client_for("council").get(f"/api/surveys/{ward_survey.pk}/items").json()
    }
    html = client_for("council").get(f"/surveys/{ward_survey.pk}/").content.decode()
    # then each item's shares are given, and the rare answer is hidden everywhere
    contact = {r["label"]: r for r in items["contact"]["rows"]}
    assert contact["全くない"] == {"label": "全くない", "n": None, "share": None, "weighted": None}
    # the only other answer is hidden too: shown, it would give the three away as the
    # number who answered minus its count (complementary suppression)
    assert contact["週4〜5回以上"] == {
        "label": "週4〜5回以上",
        "n": None,
        "share": None,
        "weighted": None,
    }
    assert items["contact"]["answered"] == len(frame)
    assert any(r["share"] is not None for r in items["help_seeking"]["rows"])
    assert items["places"]["multi"] is True
    assert (
        sum(r["n"] or 0 for r in items["help_seeking"]["rows"]) <= items["help_seeking"]["answered"]
    )
    assert 'id="items-contact"' in html
