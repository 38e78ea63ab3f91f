"""Survey pages. Each view checks the policy, calls one service or reader, and responds.

Aggregates (results, reports) need VIEW_AGGREGATES; anything that touches
response rows or changes a survey needs MANAGE_SURVEYS.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.lib.http import attempt, signed_in_staff
from tsunagari.surveys import importing, report, services
from tsunagari.surveys.models import ImportStatus, Response, ResponseImport, Survey
from tsunagari.surveys.results import results_for, trend, trend_chart


class SurveyForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("年度（西暦）"), min_value=2000, max_value=2100)
    wave = forms.IntegerField(label=_("回"), min_value=1, max_value=12, initial=1)
    title = forms.CharField(label=_("調査名"), max_length=200)
    fieldwork_start = forms.DateField(label=_("調査期間（開始）"), required=False)
    fieldwork_end = forms.DateField(label=_("調査期間（終了）"), required=False)
    sample_size = forms.IntegerField(
        label=_("発送数"), required=False, min_value=1, max_value=10**7
    )
    sample_design = forms.CharField(label=_("標本設計"), required=False, widget=forms.Textarea)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_AGGREGATES)
    surveys = list(Survey.objects.select_related("analysis").order_by("-fiscal_year", "-wave"))
    data = trend()
    return render(
        request,
        "surveys/index.html",
        {
            "surveys": surveys,
            "trend": data,
            "trend_chart": trend_chart(data) if len(data["points"]) > 1 else None,
            "can_manage": allowed(request.user, Action.MANAGE_SURVEYS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_SURVEYS)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(signed_in_staff(request), **form.cleaned_data)
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                gettext("「%(title)s」を作成しました。回答ファイルを取り込んでください。")
                % {"title": survey.title},
            )
            return redirect("surveys:import", pk=survey.pk)
    return render(request, "surveys/create.html", {"form": form})


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.VIEW_AGGREGATES)
    survey = get_object_or_404(Survey, pk=pk)
    res = results_for(survey)
    data = trend()
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": res,
            "charts": res.charts(),
            "trend": data,
            "trend_chart": trend_chart(data) if len(data["points"]) > 1 else None,
            "min_cell": services.min_cell(),
            "can_manage": allowed(request.user, Action.MANAGE_SURVEYS),
        },
    )


@login_required
@require_GET
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.VIEW_AGGREGATES)
    survey = get_object_or_404(Survey, pk=pk)
    return render(
        request,
        "surveys/questions.html",
        {"survey": survey, "questions": survey.questions.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_SURVEYS)
    survey = get_object_or_404(Survey, pk=pk)
    error = ""
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            error = str(_("ファイルを選んでください。"))
        else:
            try:
                job = services.upload_responses(signed_in_staff(request), survey, file)
            except services.SurveyError as exc:
                error = str(exc)
            else:
                return redirect("surveys:mapping", job=job.pk)
    jobs = survey.imports.order_by("-created")[:10]
    return render(
        request,
        "surveys/upload.html",
        {"survey": survey, "error": error, "jobs": jobs},
        status=400 if error else 200,
    )


def _job(request: HttpRequest, job: int) -> ResponseImport:
    require(request.user, Action.MANAGE_SURVEYS)
    return get_object_or_404(ResponseImport.objects.select_related("survey"), pk=job)


def _mapping_context(job: ResponseImport, mapping: dict[str, str]) -> dict[str, Any]:
    return {
        "job": job,
        "survey": job.survey,
        "fields": [
            {
                "key": f.key,
                "label": f.label,
                "required": f.required,
                "column": mapping.get(f.key, ""),
            }
            for f in importing.FIELDS
        ],
        "report": job.report,
        "labels": {f.key: f.label for f in importing.FIELDS},
    }


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, job: int) -> HttpResponse:
    """Confirm or adjust the proposed mapping, then check the whole file."""
    item = _job(request, job)
    status = 200
    chosen = dict(item.mapping)
    if request.method == "POST":
        chosen = {f.key: request.POST.get(f"map_{f.key}", "")[:100] for f in importing.FIELDS}
        try:
            services.check_import(
                signed_in_staff(request),
                item,
                chosen,
                accept_no_answer=request.POST.get("accept") == "on",
            )
        except services.SurveyError as exc:
            messages.error(request, str(exc))
            status = 400
        item.refresh_from_db()
        if item.status == ImportStatus.INVALID:
            status = 400
    return render(request, "surveys/mapping.html", _mapping_context(item, chosen), status=status)


@login_required
@require_POST
def run(request: HttpRequest, job: int) -> HttpResponse:
    item = _job(request, job)
    if not attempt(
        request,
        lambda: services.run_import(signed_in_staff(request), item),
        refused=services.SurveyError,
    ):
        return _go(request, reverse("surveys:mapping", kwargs={"job": item.pk}))
    messages.success(
        request, _("%(rows)s件の回答を取り込み、集計しました。") % {"rows": f"{item.rows_total:,}"}
    )
    return _go(request, reverse("surveys:results", kwargs={"pk": item.survey_id}))


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; for htmx, a whole-page redirect rather than a page swapped into the form."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def discard(request: HttpRequest, job: int) -> HttpResponse:
    item = _job(request, job)
    attempt(
        request,
        lambda: services.discard_import(signed_in_staff(request), item),
        refused=services.SurveyError,
    )
    return redirect("surveys:import", pk=item.survey_id)


@login_required
@require_POST
def weighting(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_SURVEYS)
    survey = get_object_or_404(Survey, pk=pk)
    try:
        file = request.FILES.get("margins")
        if file is not None:
            analysis = services.use_margins_file(signed_in_staff(request), survey, file)
        else:
            analysis = services.analyse_survey(signed_in_staff(request), survey)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, analysis.weighting_text or gettext("集計しました。"))
    return redirect("surveys:results", pk=survey.pk)


@login_required
@require_GET
def responses(request: HttpRequest, pk: int) -> HttpResponse:
    """Row-level responses: survey managers only, and every look is audited."""
    require(request.user, Action.MANAGE_SURVEYS)
    survey = get_object_or_404(Survey, pk=pk)
    rows = Response.objects.filter(survey=survey).order_by("respondent_id")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    record_request(
        request,
        AuditAction.VIEW,
        obj=survey,
        reason="survey responses",
        detail={"page": page.number},
    )
    return render(request, "surveys/responses.html", {"survey": survey, "page": page})


def _export(request: HttpRequest, pk: int, kind: str) -> Survey:
    require(request.user, Action.VIEW_AGGREGATES)
    survey = get_object_or_404(Survey, pk=pk)
    record_request(request, AuditAction.EXPORT, obj=survey, detail={"report": kind})
    return survey


def _filename(survey: Survey, ext: str) -> str:
    return f"survey-report-{survey.fiscal_year}-{survey.wave}.{ext}"


@login_required
@require_GET
def report_html(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _export(request, pk, "html")
    response = HttpResponse(report.report_html(survey), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "html")}"'
    return response


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _export(request, pk, "pdf")
    try:
        data = report.report_pdf(survey)
    except report.PdfUnavailable as exc:
        return HttpResponse(gettext(str(exc)), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "pdf")}"'
    return response


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _export(request, pk, "xlsx")
    response = HttpResponse(
        report.report_xlsx(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "xlsx")}"'
    return response
