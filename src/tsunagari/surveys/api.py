"""Survey API: aggregated estimates only, small cells suppressed. No endpoint returns a response row."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Router, Schema

from tsunagari.accounts.policy import Action, require
from tsunagari.surveys.models import Survey
from tsunagari.surveys.results import MEASURES, Cell, national_comparison, results_for
from tsunagari.surveys.services import min_cell

router = Router(tags=["surveys"])


class ErrorOut(Schema):
    detail: str


class SurveyOut(Schema):
    id: int
    fiscal_year: int
    wave: int
    title: str
    fieldwork_start: date | None
    fieldwork_end: date | None
    respondents: int | None
    weighted: bool


class EstimatesOut(Schema):
    survey: SurveyOut
    min_cell: int
    weighting_note: str
    measures: dict[str, str]
    # The cells as the report prints them (surveys.results.Cell), one schema for both.
    estimates: list[Cell]


class ItemRowOut(Schema):
    label: str
    n: int | None
    share: float | None
    weighted: float | None


class ItemOut(Schema):
    column: str
    question: str
    multi: bool
    answered: int | None
    rows: list[ItemRowOut]


class NationalRowOut(Schema):
    answer: str
    ward: float | None
    national: list[float | None]


class NationalOut(Schema):
    source: str
    rounds: list[str]
    ward_basis: str
    rows: list[NationalRowOut]


def _survey_out(survey: Survey) -> dict[str, Any]:
    analysis = getattr(survey, "analysis", None)
    return {
        "id": survey.pk,
        "fiscal_year": survey.fiscal_year,
        "wave": survey.wave,
        "title": survey.title,
        "fieldwork_start": survey.fieldwork_start,
        "fieldwork_end": survey.fieldwork_end,
        "respondents": analysis.respondents if analysis else None,
        "weighted": bool(analysis and analysis.weighted),
    }


@router.get("/", response={200: list[SurveyOut], 403: ErrorOut})
def list_surveys(request: HttpRequest) -> Any:
    require(request.user, Action.VIEW_AGGREGATES)
    return [_survey_out(s) for s in Survey.objects.select_related("analysis")]


@router.get("/{survey_id}/estimates", response={200: EstimatesOut, 403: ErrorOut, 404: ErrorOut})
def estimates(request: HttpRequest, survey_id: int, weighted: bool | None = None) -> Any:
    """Every measure overall and by age band, sex, household type and town; cells under
    SMALL_CELL_MIN respondents have no n, estimate or interval."""
    require(request.user, Action.VIEW_AGGREGATES)
    survey = get_object_or_404(Survey.objects.select_related("analysis"), pk=survey_id)
    res = results_for(survey)
    rows = []
    for groups in res.tables.values():
        for group_rows in groups.values():
            for row in group_rows:
                for cell in (row.unweighted, row.weighted):
                    if cell is None or (weighted is not None and cell.weighted != weighted):
                        continue
                    rows.append(cell)
    return {
        "survey": _survey_out(survey),
        "min_cell": min_cell(),
        "weighting_note": res.analysis.weighting_text if res.analysis else "",
        "measures": {k: str(v) for k, v in MEASURES.items()},
        "estimates": rows,
    }


@router.get("/{survey_id}/national", response={200: NationalOut, 403: ErrorOut, 404: ErrorOut})
def national(request: HttpRequest, survey_id: int) -> Any:
    """The direct question's answers, ward beside every published national round (percent)."""
    require(request.user, Action.VIEW_AGGREGATES)
    survey = get_object_or_404(Survey.objects.select_related("analysis"), pk=survey_id)
    analysis = getattr(survey, "analysis", None)
    if analysis is None:
        return 404, {"detail": gettext("この調査はまだ集計されていません。")}
    return national_comparison(analysis, max(min_cell(), analysis.min_cell))


@router.get("/{survey_id}/items", response={200: list[ItemOut], 403: ErrorOut, 404: ErrorOut})
def ward_items(request: HttpRequest, survey_id: int) -> Any:
    """The ward's own items (contact, help-seeking, places) as percentages; small cells null."""
    require(request.user, Action.VIEW_AGGREGATES)
    survey = get_object_or_404(Survey.objects.select_related("analysis"), pk=survey_id)
    return results_for(survey).ward_items()
