"""The plan's pages and reports: who may see and change, what they show."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.plan.conftest import at
from tsunagari.audit.models import AuditEvent
from tsunagari.lib import clock
from tsunagari.plan.export import directions_rows, programmes_rows
from tsunagari.plan.models import Evaluation, PlanPeriod, Target


def test_the_tree_shows_every_direction_with_status_in_words(
    period: PlanPeriod, client_for: Callable[[str], Client]
) -> None:
    page = client_for("council").get("/plan/?year=2026")
    html = page.content.decode()
    assert page.status_code == 200
    for d in period.directions.all():
        assert f"{d.code}　{d.name}" in html
    assert "データなし" in html and "目標未設定" in html
    assert AuditEvent.objects.filter(reason="plan tree").exists()


def test_people_without_the_plan_right_are_refused_with_a_reason(
    period: PlanPeriod, client_for: Callable[[str], Client]
) -> None:
    page = client_for("outsider").get("/plan/")
    assert page.status_code == 403
    indicator = period.indicators.first()
    assert indicator is not None
    # a council member reads but cannot set a target
    response = client_for("council").post(
        f"/plan/indicators/{indicator.pk}/", {"form": "target", "fiscal_year": "2026", "value": "3"}
    )
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_a_planner_sets_a_target_and_evaluates_a_direction(
    period: PlanPeriod, client_for: Callable[[str], Client]
) -> None:
    client = client_for("planner")
    indicator = period.indicators.get(code="10-1.awareness_participants")
    page = client.post(f"/plan/indicators/{indicator.pk}/?year=2026",
                       {"form": "target", "fiscal_year": "2026", "value": "500"})  # fmt: skip
    assert page.status_code == 302
    assert Target.objects.get(indicator=indicator).value == 500
    bad = client.post(f"/plan/indicators/{indicator.pk}/",
                      {"form": "target", "fiscal_year": "2026", "value": "たくさん"})  # fmt: skip
    assert bad.status_code == 400 and "数値で入力してください" in bad.content.decode()
    direction = indicator.direction
    done = client.post(f"/plan/directions/{direction.pk}/?year=2026", {
        "form": "evaluation", "fiscal_year": "2026", "rating": "C",
        "comment": "参加者が伸び悩んだ", "next_steps": "出前講座を増やす"})  # fmt: skip
    assert done.status_code == 302
    evaluation = Evaluation.objects.get(direction=direction)
    client.post(f"/plan/directions/{direction.pk}/",
                {"form": "comment", "evaluation": evaluation.pk, "text": "対象を広げること"})  # fmt: skip
    html = client.get(f"/plan/directions/{direction.pk}/?year=2026").content.decode()
    assert "参加者が伸び悩んだ" in html and "対象を広げること" in html


def test_the_indicator_page_counts_records_and_links_only_for_the_entitled(
    period: PlanPeriod, small_ward: dict[str, object], client_for: Callable[[str], Client],
    settings: Any,
) -> None:  # fmt: skip
    settings.SMALL_CELL_MIN = 1
    indicator = period.indicators.get(code="1-3.local_consultations")
    with clock.frozen(at(2027, 6, 1)):
        planner = client_for("planner").get(f"/plan/indicators/{indicator.pk}/?year=2026")
        consultant = client_for("consultant.elderly").get(
            f"/plan/indicators/{indicator.pk}/?year=2026"
        )
    assert "7件" in planner.content.decode()
    assert "/consultations/" not in planner.content.decode()  # counts only
    assert "/consultations/" in consultant.content.decode()
    assert "山田" not in consultant.content.decode()  # never a person


def test_the_schedule_shows_the_five_programmes_by_year(
    period: PlanPeriod, client_for: Callable[[str], Client]
) -> None:
    html = client_for("planner").get("/plan/schedule/?year=2026").content.decode()
    for name in ("包括的相談支援事業", "参加支援事業", "地域づくり事業", "多機関協働事業"):
        assert name in html
    assert "設計" in html and "移行" in html and "本格実施" in html


def test_the_excel_reports_hold_the_command_values(
    period: PlanPeriod, small_ward: dict[str, object], client_for: Callable[[str], Client],
    settings: Any,
) -> None:  # fmt: skip
    settings.SMALL_CELL_MIN = 5
    with clock.frozen(at(2027, 6, 1)):
        progress = client_for("planner").get("/plan/reports/progress.xlsx?year=2026")
        programmes = client_for("planner").get("/plan/reports/programmes.xlsx?year=2026")
        expected_d = directions_rows(2026)
        expected_p = programmes_rows(2026)
    book = load_workbook(io.BytesIO(progress.content))
    rows = [
        [("" if v is None else str(v)) for v in r]
        for r in book["directions"].iter_rows(min_row=2, values_only=True)
    ]
    assert rows == [[str(v) for v in r] for r in expected_d]
    assert book["状況の内訳"]._charts  # a chart is there
    book = load_workbook(io.BytesIO(programmes.content))
    rows = [
        [("" if v is None else str(v)) for v in r]
        for r in book["programmes"].iter_rows(min_row=2, values_only=True)
    ]
    assert rows == [[str(v) for v in r] for r in expected_p]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("kind", ["progress", "programmes"])
def test_the_pdf_reports_render_in_japanese(
    period: PlanPeriod, client_for: Callable[[str], Client], tmp_path: Path, kind: str
) -> None:
    pytest.importorskip("weasyprint")
    response = client_for("planner").get(f"/plan/reports/{kind}.pdf?year=2026")
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    assert "2026年度" in text and ("進捗状況報告" in text or "実施状況報告" in text)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert sum(image.histogram()[:128]) > 0.01 * image.width * image.height


def test_pages_on_the_demo_plan_say_the_figures_are_sample_data(
    period: PlanPeriod, client_for: Callable[[str], Client]
) -> None:
    client = client_for("planner")
    assert "サンプルデータ" not in client.get("/plan/").content.decode()
    period.sample_data = True
    period.save()
    for url in ("/plan/", "/plan/schedule/"):
        assert "サンプルデータ" in client.get(url).content.decode(), url


def test_a_record_page_registered_by_an_app_is_linked_for_the_entitled(
    period: PlanPeriod, client_for: Callable[[str], Client], monkeypatch: Any
) -> None:
    from tsunagari.plan import registry
    from tsunagari.plan.registry import Indicator, Measure, Unit

    # given an app's indicator counting its own records, and the page that opens them
    monkeypatch.setattr(registry, "_record_pages", {})
    monkeypatch.setitem(registry._indicators, "4-3.test", Indicator(
        code="4-3.test", direction="4-3", name="テストの事例", unit=Unit.CASES,
        definition="テスト", sensitive=False,
        compute=lambda fy: Measure(6, records=tuple(("consultations.consultation", str(i)) for i in range(1, 7))),
    ))  # fmt: skip
    registry.register_record_page(
        "consultations.consultation", "consultations:detail", "テストの相談"
    )
    from tsunagari.plan.loading import sync_computed

    sync_computed(period)
    indicator = period.indicators.get(code="4-3.test")
    html = (
        client_for("consultant.elderly").get(f"/plan/indicators/{indicator.pk}/").content.decode()
    )
    # then the count is shown with links under the app's label
    assert "テストの相談: 6件" in html and "/consultations/6/" in html


def test_evidence_comes_back_as_a_sandboxed_download_that_no_browser_runs(
    period: PlanPeriod, personas: dict[str, Any], client_for: Callable[[str], Client], media: Path
) -> None:
    # given evidence whose uploader called it a PDF but which a browser could render as a page
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tsunagari.plan import services

    indicator = period.indicators.get(code="9-1.welfare_training_participants")
    upload = SimpleUploadedFile("出席簿.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    row = services.enter_value(personas["planner"], indicator.pk, 2026, "320", "出席簿", upload)
    # when a council member downloads it
    response = client_for("council").get(f"/plan/evidence/{row.pk}/")
    # then it is an attachment with a policy that forbids scripts and any fetch, not cached
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]
    assert client_for("outsider").get(f"/plan/evidence/{row.pk}/").status_code == 403
