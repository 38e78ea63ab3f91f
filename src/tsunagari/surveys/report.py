"""The report for the liaison council: HTML, PDF (WeasyPrint, Japanese fonts) and Excel.

All three are built from ``results.results_for``, so they show exactly the
suppressed numbers the pages show. Nothing here reads a response row.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment

from tsunagari.lib.pdf import PdfUnavailable as PdfUnavailable  # the pages catch it here
from tsunagari.lib.pdf import pdf_from_html
from tsunagari.lib.spreadsheet import add_sheet, safe_cell
from tsunagari.surveys.models import Survey
from tsunagari.surveys.results import (
    GROUPS,
    MEASURES,
    SUPPRESSED,
    Results,
    results_for,
    trend,
)
from tsunagari.surveys.services import min_cell


def report_context(survey: Survey) -> dict[str, Any]:
    results = results_for(survey)
    return {
        "survey": survey,
        "results": results,
        "trend": trend(),
        "min_cell": min_cell(),
        "generated": timezone.localtime(),
    }


def report_html(survey: Survey) -> str:
    """A self-contained HTML report (styles in the file, no scripts)."""
    return render_to_string("surveys/report.html", report_context(survey))


def report_pdf(survey: Survey) -> bytes:
    """The same report as PDF, in Noto Sans CJK JP (Debian's fonts-noto-cjk)."""
    html = render_to_string("surveys/report.html", {**report_context(survey), "for_pdf": True})
    return pdf_from_html(html)


def report_xlsx(survey: Survey) -> bytes:
    """The report as an Excel workbook: overview, estimates, national comparison, trend."""
    context = report_context(survey)
    results: Results = context["results"]
    book = Workbook()
    overview = book.active
    assert overview is not None
    overview.title = gettext("概要")
    analysis = results.analysis
    facts: list[tuple[str, object]] = [
        (gettext("調査"), survey.title),
        (gettext("年度"), survey.fiscal_year),
        (gettext("調査期間"), f"{survey.fieldwork_start or ''}〜{survey.fieldwork_end or ''}"),
        (gettext("標本設計"), survey.sample_design),
        (gettext("回答者数"), analysis.respondents if analysis else 0),
        (gettext("重み付け"), analysis.weighting_text if analysis else gettext("未集計")),
        (
            gettext("表示しない区分"),
            gettext("回答者が%(min_cell)s人未満の区分は「%(mark)s」で示します。")
            % {"min_cell": context["min_cell"], "mark": SUPPRESSED}
            + " "
            + gettext(
                "全体や合計から差し引いて分からないよう、ほかの区分も「—」にすることがあります。"
            ),
        ),
        (gettext("全国調査の出典"), results.national.get("source", "")),
        (gettext("作成日時"), context["generated"].strftime("%Y-%m-%d %H:%M")),
    ]
    for key, value in facts:
        overview.append([key, safe_cell(value)])
    overview.column_dimensions["A"].width = 18
    overview.column_dimensions["B"].width = 90
    for row in overview.iter_rows():
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    header = [gettext("指標"), gettext("区分"), gettext("水準"), gettext("重み"), gettext("回答数"),
              gettext("推計値"), gettext("95%信頼区間（下限）"), gettext("95%信頼区間（上限）")]  # fmt: skip
    rows: list[list[object]] = []
    weighted_word, unweighted_word = gettext("重み付き"), gettext("重みなし")
    for measure, groups in results.tables.items():
        for group, group_rows in groups.items():
            for r in group_rows:
                for cell in (r.unweighted, r.weighted):
                    if cell is None:
                        continue
                    rows.append(
                        [
                            str(MEASURES[measure]),
                            str(GROUPS.get(group, gettext("全体"))),
                            cell.label,
                            weighted_word if cell.weighted else unweighted_word,
                            cell.n_shown,
                            SUPPRESSED if cell.suppressed else cell.chart_value(cell.estimate),
                            SUPPRESSED if cell.suppressed else cell.chart_value(cell.ci_low),
                            SUPPRESSED if cell.suppressed else cell.chart_value(cell.ci_high),
                        ]
                    )
    add_sheet(book, gettext("推計"), header, rows)

    item_rows: list[list[object]] = []
    for item in results.ward_items():
        for r in item["rows"]:
            item_rows.append(
                [
                    item["question"],
                    r["label"],
                    SUPPRESSED if r["weighted"] is None else r["weighted"],
                    SUPPRESSED if r["share"] is None else r["share"],
                    SUPPRESSED if r["n"] is None else r["n"],
                ]
            )
    add_sheet(
        book,
        pgettext("report sheet", "区独自の設問"),
        [gettext("設問"), gettext("回答"), gettext("重み付き（%）"), gettext("重みなし（%）"),
         gettext("人数")],
        item_rows,
    )  # fmt: skip

    national = results.national
    if national:
        add_sheet(
            book,
            gettext("全国比較"),
            [gettext("回答"), gettext("区（%(basis)s、%%）") % {"basis": national["ward_basis"]}]
            + [gettext("全国 %(round)s（%%）") % {"round": r} for r in national["rounds"]],
            [
                [r["answer"], SUPPRESSED if r["ward"] is None else r["ward"]]
                + [gettext("要確認") if v is None else v for v in r["national"]]
                for r in national["rows"]
            ],
        )
    points = context["trend"]["points"]
    add_sheet(
        book,
        gettext("推移"),
        [
            gettext("調査"),
            gettext("しばしば・常に（%）"),
            gettext("孤独感あり（%）"),
            gettext("UCLA 10〜12点（%）"),
        ],
        [
            [p["survey"]]
            + [
                SUPPRESSED if p[m] is None or p[m].suppressed else p[m].chart_value(p[m].estimate)
                for m in ("lonely_often", "lonely_any", "ucla_high")
            ]
            for p in points
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
