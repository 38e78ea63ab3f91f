"""The plan committee's annual progress report and the five programmes' yearly
implementation report, as Excel (openpyxl, with charts) and PDF (WeasyPrint
with Japanese fonts, as the survey report does; charts as inline SVG).

Both read ``export.directions_rows`` / ``export.programmes_rows``, so the
workbooks hold exactly the values the ``indicators`` command writes.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from tsunagari.lib.pdf import PdfUnavailable, pdf_from_html
from tsunagari.lib.spreadsheet import add_sheet
from tsunagari.plan.export import (
    DIRECTIONS_HEADER,
    PROGRAMMES_HEADER,
    directions_rows,
    programmes_rows,
)
from tsunagari.plan.figures import STATUSES
from tsunagari.plan.loading import current_period
from tsunagari.plan.models import Evaluation, PlanPeriod, ProgrammeStage, Stage
from tsunagari.plan.registry import PROGRAMMES

__all__ = ["PdfUnavailable", "build", "programmes_context", "progress_context"]

STATUS_JA = {
    "achieved": "達成",
    "on_track": "順調",
    "behind": "遅れ",
    "no_target": "目標未設定",
    "no_data": "データなし",
}


def sample_data(period: PlanPeriod) -> bool:
    """True on the demo ward (its figures are made up)."""
    if period.sample_data:
        return True
    try:
        from tsunagari.demo.models import DemoWard  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return False
    return bool(DemoWard.objects.exists())


def _bars(items: list[tuple[str, float]], *, width: int = 480, bar: int = 16) -> dict[str, Any]:
    """Geometry of a horizontal SVG bar chart (labels left, values right)."""
    top = max([v for _, v in items] + [1.0])
    label_w, value_w = 200, 50
    span = width - label_w - value_w
    rows = []
    for i, (label, value) in enumerate(items):
        rows.append({
            "label": label, "value": f"{value:g}", "y": i * (bar + 6),
            "w": round(span * value / top, 1), "x": label_w, "tx": label_w + span * value / top + 4,
        })  # fmt: skip
    return {"rows": rows, "width": width, "height": len(items) * (bar + 6) + 4, "bar": bar}


def progress_context(year: int) -> dict[str, Any]:
    period = current_period(year)
    rows = directions_rows(year)
    counts = {s: sum(1 for r in rows if r[6] == s) for s in STATUSES}
    evaluations = Evaluation.objects.filter(
        direction__period=period, fiscal_year=year
    ).select_related("direction")
    return {
        "period": period,
        "year": year,
        "rows": [[*r[:6], STATUS_JA[str(r[6])], *r[7:]] for r in rows],
        "evaluations": list(evaluations.prefetch_related("committee_comments")),
        "chart": _bars([(STATUS_JA[s], counts[s]) for s in STATUSES]),
        "counts": [(STATUS_JA[s], counts[s]) for s in STATUSES],
        "generated": timezone.localtime(),
        "sample": sample_data(period),
    }


def programmes_context(year: int, period: PlanPeriod | None = None) -> dict[str, Any]:
    period = period or current_period(year)
    stages = {
        (s.programme.key, s.fiscal_year): s.get_stage_display()
        for s in ProgrammeStage.objects.filter(programme__period=period).select_related("programme")
    }
    years = sorted({fy for _, fy in stages})
    rows = programmes_rows(year)
    programmes = []
    for programme in period.programmes.all():
        items = [r for r in rows if r[0] == programme.key]
        programmes.append({
            "programme": programme,
            "stages": [stages.get((programme.key, y), "") for y in years],
            "stage": stages.get((programme.key, year), ""),
            "items": items,
            "chart": _bars([(str(r[2]), float(str(r[3]))) for r in items if r[3] != ""]),
        })  # fmt: skip
    return {
        "period": period,
        "year": year,
        "years": years,
        "schedule": list(period.schedule.all()),
        "programmes": programmes,
        "rows": rows,
        "stage_names": dict(Stage.choices),
        "generated": timezone.localtime(),
        "sample": sample_data(period),
    }


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> Any:
    return add_sheet(book, title, header, rows, min_width=8, width_scale=1.6)


def _number(value: object) -> object:
    """Numbers as numbers in the workbook (the CSV's text, read back as the same value)."""
    if isinstance(value, str) and value:
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return value


def _note(book: Workbook, lines: list[str]) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext("表紙")
    for line in lines:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 100


def progress_xlsx(year: int) -> bytes:
    context = progress_context(year)
    book = Workbook()
    _note(book, [
        f"{context['period'].name} 進捗状況報告（{year}年度）",
        f"作成: {context['generated']:%Y-%m-%d %H:%M}",
        "小さな件数は個人が特定されないよう空欄とし、suppressed に 1 を示します。",
        *(["これはデモ環境のサンプルデータです。"] if context["sample"] else []),
    ])  # fmt: skip
    rows = [[*r[:4], _number(r[4]), _number(r[5]), *r[6:]] for r in directions_rows(year)]
    _sheet(book, "directions", DIRECTIONS_HEADER, rows)
    summary = _sheet(book, gettext("状況の内訳"), [gettext("状況"), gettext("指標数")],
                     [list(c) for c in context["counts"]])  # fmt: skip
    chart = BarChart()
    chart.title = gettext("指標の状況")
    chart.add_data(Reference(summary, min_col=2, min_row=1, max_row=len(STATUSES) + 1),
                   titles_from_data=True)  # fmt: skip
    chart.set_categories(Reference(summary, min_col=1, min_row=2, max_row=len(STATUSES) + 1))
    summary.add_chart(chart, "D2")
    _sheet(
        book,
        gettext("評価"),
        [gettext("方向性"), gettext("評価"), gettext("評価の理由"), gettext("今後の方向性"),
         gettext("委員会の意見")],
        [
            [e.direction.code, e.rating, e.comment, e.next_steps,
             " / ".join(c.text for c in e.committee_comments.all())]
            for e in context["evaluations"]
        ],
    )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def programmes_xlsx(year: int) -> bytes:
    context = programmes_context(year)
    book = Workbook()
    _note(book, [
        f"重層的支援体制整備事業 実施状況報告（{year}年度）",
        f"作成: {context['generated']:%Y-%m-%d %H:%M}",
        "小さな件数は個人が特定されないよう空欄とし、suppressed に 1 を示します。",
        *(["これはデモ環境のサンプルデータです。"] if context["sample"] else []),
    ])  # fmt: skip
    rows = [[*r[:3], _number(r[3]), r[4]] for r in programmes_rows(year)]
    sheet = _sheet(book, "programmes", PROGRAMMES_HEADER, rows)
    if rows:
        chart = BarChart()
        chart.type = "bar"
        chart.title = gettext("事業別の実績")
        chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=len(rows) + 1),
                       titles_from_data=True)  # fmt: skip
        chart.set_categories(Reference(sheet, min_col=3, min_row=2, max_row=len(rows) + 1))
        chart.height = max(7.5, len(rows) * 0.6)
        sheet.add_chart(chart, "G2")
    _sheet(
        book,
        gettext("スケジュール"),
        [gettext("事業"), *[f"{y}年度" for y in context["years"]]],
        [[p["programme"].name, *p["stages"]] for p in context["programmes"]],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, {**context, "programme_names": PROGRAMMES})
    return pdf_from_html(html)


def build(kind: str, fmt: str, year: int) -> bytes:
    if kind == "progress":
        if fmt == "xlsx":
            return progress_xlsx(year)
        return _pdf("plan/report_progress.html", progress_context(year))
    if fmt == "xlsx":
        return programmes_xlsx(year)
    return _pdf("plan/report_programmes.html", programmes_context(year))
