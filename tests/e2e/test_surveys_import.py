"""Browser test: a planner imports a small CSV with a column mapping and sees the results chart,
with the site's content security policy on; axe-core on the results pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tsunagari.surveys import services
from tsunagari.surveys.models import Survey

TOWNS = ("亀戸", "大島", "豊洲")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
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
def survey(personas: Any, media: Path) -> Survey:
    return services.create_survey(personas["planner"], fiscal_year=2026, title="2026年度 実態調査")


def _csv(path: Path, rows: int = 60) -> Path:
    lines = ["ID,年齢,性別,町名,問1,ucla1,ucla2,ucla3"]
    for i in range(rows):
        lines.append(
            f"E{i:03d},{20 + (i * 7) % 60},{1 + i % 2},{TOWNS[i % 3]},{1 + (i * 3) % 5},"
            f"{1 + i % 4},{1 + (i // 2) % 4},{1 + (i // 3) % 4}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _csp_errors(page: Any) -> list[str]:
    """CSP violations reported on the survey pages (other pages are not this app's)."""
    errors: list[str] = []

    def seen(message: Any) -> None:
        if "Content Security Policy" in message.text and "/surveys/" in page.url:
            errors.append(f"{page.url} {message.text}")

    page.on("console", seen)
    return errors


def test_it_lets_a_planner_import_a_csv_with_mapping_and_see_the_results_chart(
    page: Any, sign_in: Any, survey: Survey, tmp_path: Path, axe_check: Any
) -> None:
    # given a planner and a CSV whose direct question sits in a column named 問1
    csp = _csp_errors(page)
    sign_in(page, "planner")
    # when they upload it, map 問1 to the direct question, check and import
    page.goto(f"/surveys/{survey.pk}/import/")
    assert axe_check(page) == []
    page.get_by_label("回答ファイル").set_input_files(str(_csv(tmp_path / "回答.csv")))
    page.get_by_role("button", name="アップロードして列を確認").click()
    page.get_by_label("孤独感（直接質問）").select_option("問1")
    page.get_by_role("button", name="確認する").click()
    assert "60 行を取り込めます" in page.locator("#check-report").inner_text()
    assert axe_check(page) == []
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_url(f"**/surveys/{survey.pk}/")
    # then the results page draws the chart, beside its table, with no CSP violation
    page.wait_for_selector("#chart-age_band-lonely_any[data-drawn='true'] svg.main-svg")
    expect(page.locator("#table-age_band")).to_be_visible()
    assert page.locator("#overall-table").inner_text().count("%") >= 3
    assert csp == []
    assert axe_check(page) == []
    # and the row-level list the planner may open passes axe too
    page.goto(f"/surveys/{survey.pk}/responses/")
    assert axe_check(page) == []


def test_it_passes_axe_on_the_survey_list_with_a_trend(
    page: Any, sign_in: Any, personas: Any, media: Path, axe_check: Any
) -> None:
    # given two analysed survey years
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tsunagari.surveys.demo import demo_responses

    planner = personas["planner"]
    for year in (2025, 2026):
        s = services.create_survey(planner, fiscal_year=year, title=f"{year}年度 調査")
        frame = demo_responses(year, 1, list(TOWNS))
        job = services.upload_responses(
            planner, s, SimpleUploadedFile("r.csv", frame.to_csv(index=False).encode())
        )
        services.check_import(planner, job, job.mapping, accept_no_answer=True)
        services.run_import(planner, job)
    csp = _csp_errors(page)
    # when a council member opens the list and a results page
    sign_in(page, "council")
    page.goto("/surveys/")
    page.wait_for_selector("#chart-trend[data-drawn='true'] svg.main-svg")
    # then the trend chart draws and axe finds nothing serious
    assert axe_check(page) == []
    page.get_by_role("link", name="2026年度 調査").click()
    page.wait_for_selector("#chart-town-lonely_any[data-drawn='true'] svg.main-svg")
    assert axe_check(page) == []
    assert csp == []
