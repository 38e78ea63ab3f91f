"""The plan's pages: thin views over ``figures`` (reading) and ``services`` (writing).

Aggregates only: an indicator page gives the count of the records that
counted and, to those who may see personal data, links to the apps' own
pages (which decide again, per record); never a person.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.lib import clock
from tsunagari.lib.http import download, signed_in_staff
from tsunagari.plan import reports, services
from tsunagari.plan.figures import STATUSES, IndicatorRow, direction_figures, fmt, indicator_row
from tsunagari.plan.loading import current_period, ensure_loaded
from tsunagari.plan.models import (
    Direction,
    EnteredValue,
    Evaluation,
    IndicatorDefinition,
    PlanPeriod,
    Rating,
    Source,
    Target,
)
from tsunagari.plan.registry import FiscalYear, record_pages

STATUS_LABELS: dict[str, Any] = {
    "achieved": _("達成"),
    "on_track": _("順調"),
    "behind": _("遅れ"),
    "no_target": _("目標未設定"),
    "no_data": _("データなし"),
}
STATUS_MARKS = {"achieved": "◎", "on_track": "○", "behind": "△", "no_target": "－", "no_data": "－"}

# Where a counted record's reference leads (the app's own page checks access again).
RECORD_PAGES: dict[str, tuple[str, Any]] = {
    "consultations.consultation": ("consultations:detail", _("相談")),
    "consultations.referral": ("consultations:referral", _("つなぎ")),
    "surveys.survey": ("surveys:results", _("区民調査")),
    "resources.service": ("resources:detail", _("地域資源")),
    "council.organisation": ("council:members", _("連携会議の団体")),
    "council.actionitem": ("council:actions", _("連携会議の取組")),
}


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and len(raw) == 4:
        return int(raw)
    return FiscalYear.of(clock.today()).year


def _years(period: PlanPeriod) -> list[int]:
    """The plan's fiscal years up to the one running (the trend's x axis)."""
    now = FiscalYear.of(clock.today()).year
    last = max(period.first_year, min(period.last_year, now))
    return list(range(period.first_year, last + 1))


def _view(request: HttpRequest) -> None:
    require(request.user, Action.VIEW_PLAN)


def _viewed_year(request: HttpRequest) -> int:
    """The fiscal year a page asks for (``?year=``), once the viewer may see the plan."""
    _view(request)
    return _year(request)


def _row_view(row: IndicatorRow) -> dict[str, Any]:
    return {
        "row": row,
        "value": fmt(row.value),
        "target": fmt(row.target),
        "status_label": STATUS_LABELS[row.status],
        "status_mark": STATUS_MARKS[row.status],
    }


def _sparkline(values: list[float | None], width: int = 90, height: int = 24) -> str:
    """Points of a small inline SVG line (the table beside it carries the numbers)."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(1, len(values) - 1)
    points = [
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
        if v is not None
    ]
    return " ".join(points)


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    """The whole policy system at a glance for one fiscal year."""
    year = _viewed_year(request)
    period = current_period(year)
    years = _years(period)
    figures = direction_figures(year, period)
    history = {y: direction_figures(y, period) for y in years if y != year}
    history[year] = figures
    trend: dict[str, list[float | None]] = {}
    for y in years:
        for f in history[y]:
            for r in f.rows:
                trend.setdefault(r.code, []).append(r.value)
    by_measure: dict[int, list[dict[str, Any]]] = {}
    counts = dict.fromkeys(STATUSES, 0)
    for f in figures:
        rows = []
        for r in f.rows:
            counts[r.status] += 1
            values = trend.get(r.code, [])
            rows.append(
                {
                    **_row_view(r),
                    "trend": [fmt(v) or "—" for v in values],
                    "spark": _sparkline(values),
                    "defn_id": None,
                }
            )
        by_measure.setdefault(f.direction.measure_id, []).append(
            {"direction": f.direction, "rows": rows}
        )
    ids = dict(period.indicators.values_list("code", "pk"))
    for directions in by_measure.values():
        for d in directions:
            for r in d["rows"]:
                r["defn_id"] = ids.get(r["row"].code)
    policies = [
        {
            "policy": p,
            "measures": [
                {"measure": m, "directions": by_measure.get(m.pk, [])} for m in p.measures.all()
            ],
        }
        for p in period.policies.prefetch_related("measures")
    ]
    record_request(request, AuditAction.VIEW, object_type="plan.planperiod", object_id=period.pk,
                   reason="plan tree", detail={"fiscal_year": year})  # fmt: skip
    return render(
        request,
        "plan/tree.html",
        {
            "period": period,
            "year": year,
            "years": years,
            "year_choices": list(range(period.first_year, period.last_year + 1)),
            "policies": policies,
            "counts": [(STATUS_LABELS[s], STATUS_MARKS[s], counts[s]) for s in STATUSES],
            "can_manage": allowed(request.user, Action.MANAGE_PLAN),
        },
    )


def _form_page(
    request: HttpRequest, template: str, errors: dict[str, str], form: str, context: dict[str, Any]
) -> HttpResponse:
    """A plan page with its forms: whether the viewer manages the plan, and a refused
    form's messages and input (400) shown again."""
    return render(request, template, {
        **context,
        "can_manage": allowed(request.user, Action.MANAGE_PLAN),
        "errors": errors,
        "form": form,
        "post": request.POST if request.method == "POST" else {},
    }, status=400 if errors else 200)  # fmt: skip


def _records(request: HttpRequest, row: IndicatorRow) -> dict[str, Any]:
    """How many records counted, by kind; links only for those who may see personal data."""
    kinds: dict[str, list[str]] = {}
    for object_type, object_id in row.records:
        kinds.setdefault(object_type, []).append(object_id)
    entitled = allowed(request.user, Action.VIEW_PERSONAL_DATA)
    out = []
    for object_type, ids in kinds.items():
        page, label = {**RECORD_PAGES, **record_pages()}.get(object_type, ("", object_type))
        links = []
        if entitled and page:
            for object_id in ids[:200]:
                try:
                    url = reverse(page, args=[int(object_id) if object_id.isdigit() else object_id])
                except NoReverseMatch:
                    try:
                        url = reverse(page)
                    except NoReverseMatch:
                        url = ""
                links.append({"id": object_id, "url": url})
        out.append({"label": label, "count": len(ids), "links": links})
    return {"kinds": out, "entitled": entitled}


@login_required
@require_http_methods(["GET", "POST"])
def indicator(request: HttpRequest, pk: int) -> HttpResponse:
    year = _viewed_year(request)
    ensure_loaded()
    defn = get_object_or_404(
        IndicatorDefinition.objects.select_related("direction", "period"), pk=pk
    )
    errors: dict[str, str] = {}
    form = request.POST.get("form", "")
    if request.method == "POST":
        staff = signed_in_staff(request)
        try:
            if form == "target":
                services.set_target(staff, defn.pk, request.POST.get("fiscal_year", ""),
                                    request.POST.get("value", ""))  # fmt: skip
                messages.success(request, gettext("目標値を保存しました。"))
            elif form == "baseline":
                services.set_baseline(staff, defn.pk, request.POST.get("fiscal_year", ""),
                                      request.POST.get("value", ""))  # fmt: skip
                messages.success(request, gettext("基準値を保存しました。"))
            elif form == "value":
                services.enter_value(
                    staff, defn.pk, request.POST.get("fiscal_year", ""),
                    request.POST.get("value", ""), request.POST.get("note", ""),
                    request.FILES.get("evidence"),
                )  # fmt: skip
                messages.success(request, gettext("値と根拠を保存しました。"))
            else:
                raise Http404
            return redirect(f"{reverse('plan:indicator', args=[defn.pk])}?year={year}")
        except services.PlanError as exc:
            errors = exc.errors
    years = _years(defn.period)
    rows = [indicator_row(defn, FiscalYear(y)) for y in years]
    current = indicator_row(defn, FiscalYear(year))
    targets = dict(Target.objects.filter(indicator=defn).values_list("fiscal_year", "value"))
    entered = {e.fiscal_year: e for e in EnteredValue.objects.filter(indicator=defn)}
    table = [
        {**_row_view(r), "year": y, "entered": entered.get(y)}
        for y, r in zip(years, rows, strict=True)
    ]
    chart = {
        "id": "chart-trend",
        "title": defn.name,
        "unit": defn.unit,
        "years": [f"{y}" for y in years],
        "values": [r.value for r in rows],
        "targets": [targets.get(y) for y in years],
        "value_label": gettext("実績"),
        "target_label": gettext("目標"),
    }
    record_request(request, AuditAction.VIEW, obj=defn, reason="plan indicator",
                   detail={"fiscal_year": year})  # fmt: skip
    return _form_page(request, "plan/indicator.html", errors, form, {
        "defn": defn,
        "year": year,
        "current": _row_view(current),
        "table": table,
        "chart": chart,
        "records": _records(request, current),
        "year_choices": list(range(defn.period.first_year - 1, defn.period.last_year + 1)),
        "entered_source": defn.source == Source.ENTERED,
    })  # fmt: skip


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An entered value's evidence file, always as a download with our own type."""
    _view(request)
    row = get_object_or_404(EnteredValue, pk=pk)
    if not row.evidence:
        raise Http404
    record_request(request, AuditAction.VIEW, obj=row, reason="plan evidence")
    return download(
        row.evidence.open("rb"),
        filename=row.evidence_name or "evidence",
        content_type=row.evidence_type or "application/octet-stream",
    )


@login_required
@require_http_methods(["GET", "POST"])
def direction(request: HttpRequest, pk: int) -> HttpResponse:
    """One direction: its indicators this year, its evaluations and the committee's comments."""
    year = _viewed_year(request)
    ensure_loaded()
    item = get_object_or_404(Direction.objects.select_related("measure", "period"), pk=pk)
    errors: dict[str, str] = {}
    form = request.POST.get("form", "")
    if request.method == "POST":
        staff = signed_in_staff(request)
        try:
            if form == "evaluation":
                services.record_evaluation(
                    staff, item.pk, request.POST.get("fiscal_year", ""),
                    request.POST.get("rating", ""), request.POST.get("comment", ""),
                    request.POST.get("next_steps", ""),
                )  # fmt: skip
                messages.success(request, gettext("評価を記録しました。"))
            elif form == "comment":
                evaluation_id = request.POST.get("evaluation", "")
                services.add_committee_comment(
                    staff, int(evaluation_id) if evaluation_id.isdigit() else 0,
                    request.POST.get("text", ""),
                )  # fmt: skip
                messages.success(request, gettext("委員会の意見を記録しました。"))
            else:
                raise Http404
            return redirect(f"{reverse('plan:direction', args=[item.pk])}?year={year}")
        except services.PlanError as exc:
            errors = exc.errors
    figures = next(f for f in direction_figures(year, item.period) if f.direction.pk == item.pk)
    ids = dict(item.period.indicators.values_list("code", "pk"))
    rows = [{**_row_view(r), "defn_id": ids.get(r.code)} for r in figures.rows]
    evaluations = []
    for ev in Evaluation.objects.filter(direction=item).prefetch_related("committee_comments"):
        frozen = [
            {
                **v,
                "value_text": fmt(v.get("value")),
                "target_text": fmt(v.get("target")),
                "status_label": STATUS_LABELS.get(str(v.get("status")), v.get("status")),
            }
            for v in ev.values
        ]
        evaluations.append({"evaluation": ev, "frozen": frozen})
    record_request(request, AuditAction.VIEW, obj=item, reason="plan direction",
                   detail={"fiscal_year": year})  # fmt: skip
    return _form_page(request, "plan/direction.html", errors, form, {
        "direction": item,
        "year": year,
        "rows": rows,
        "evaluations": evaluations,
        "ratings": Rating.choices,
        "year_choices": list(range(item.period.first_year, item.period.last_year + 1)),
    })  # fmt: skip


@login_required
@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    """The five programmes' stage per fiscal year, with this year's counts."""
    year = _viewed_year(request)
    period = current_period(year)
    context = reports.programmes_context(year, period)
    record_request(request, AuditAction.VIEW, object_type="plan.planperiod", object_id=period.pk,
                   reason="plan schedule", detail={"fiscal_year": year})  # fmt: skip
    return render(request, "plan/schedule.html", {**context, "year": year})


@login_required
@require_GET
def report(request: HttpRequest, kind: str, fmt_: str) -> HttpResponse:
    """The annual progress report or the programmes' report, as Excel or PDF."""
    year = _viewed_year(request)
    if kind not in {"progress", "programmes"} or fmt_ not in {"xlsx", "pdf"}:
        raise Http404
    try:
        data = reports.build(kind, fmt_, year)
    except reports.PdfUnavailable as exc:
        return HttpResponse(gettext(str(exc)), status=503, content_type="text/plain; charset=utf-8")
    record_request(request, AuditAction.EXPORT, object_type="plan.report", object_id=kind,
                   reason="plan report", detail={"fiscal_year": year, "format": fmt_})  # fmt: skip
    content_type = (
        "application/pdf"
        if fmt_ == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="plan-{kind}-{year}.{fmt_}"'
    return response
