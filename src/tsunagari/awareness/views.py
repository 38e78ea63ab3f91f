"""Pages of awareness activities: the year's activities with a chart of reach
(aggregates: ``VIEW_AGGREGATES``), and the form to record or correct one
(``WORK_AWARENESS``). Each page is permission-checked and audited, a refusal
too."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from tsunagari.accounts.policy import Action, decide
from tsunagari.audit.services import allow_and_record
from tsunagari.awareness import indicators
from tsunagari.awareness.models import AGE_BANDS, Activity, ActivityKind, Theme
from tsunagari.awareness.services import (
    ActivityInput,
    AwarenessError,
    correct_activity,
    record_activity,
)
from tsunagari.awareness.summary import activities, reach_table, survey_link
from tsunagari.lib import clock
from tsunagari.lib.http import form_id, signed_in_staff
from tsunagari.plan.registry import FiscalYear

COUNT_FIELDS = ("participants", "estimated_reach", "understood", "partly", "not_understood")


def _allow(request: HttpRequest, action: Action, reason: str, **detail: Any) -> None:
    """Refuse (audited, with the reason) unless the signed-in staff may ``action``; audit the view."""
    allow_and_record(request, action, reason=reason, **detail)


def _fy(request: HttpRequest) -> FiscalYear:
    return FiscalYear.asked(request.GET.get("year", ""), clock.today())


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    fy = _fy(request)
    _allow(request, Action.VIEW_AGGREGATES, "awareness activities", fiscal_year=fy.year)
    table = reach_table(fy)
    figures = [
        (gettext("講演会・研修・福祉教育の参加者（延べ）"), indicators.participants(fy).value),
        (gettext("啓発活動の実施回数"), indicators.activities_held(fy).value),
        (gettext("ゲートキーパー研修の修了者"), indicators.gatekeepers_trained(fy).value),
    ]
    return render(request, "awareness/index.html", {
        "fy": fy, "table": table, "chart": table.chart(), "figures": figures,
        "activities": list(activities(fy).order_by("-held_on", "-pk")),
        "link": survey_link(fy), "may_work": decide(request.user, Action.WORK_AWARENESS).allowed,
        "years": list(range(FiscalYear.of(clock.today()).year, 2019, -1))[:8],
    })  # fmt: skip


def _typed(request: HttpRequest) -> tuple[ActivityInput, dict[str, str]]:
    p = request.POST
    raw = {k: p.get(k, "")[:12] for k in (*COUNT_FIELDS, *(n for n, _l in AGE_BANDS))}
    data = ActivityInput(
        title=p.get("title", ""), kind=p.get("kind", ""), held_on=p.get("held_on", ""),
        town=p.get("town", ""), place=p.get("place", ""), organiser=p.get("organiser", ""),
        themes=p.getlist("themes")[:20], participants=raw["participants"],
        bands={n: raw[n] for n, _l in AGE_BANDS}, estimated_reach=raw["estimated_reach"],
        understood=raw["understood"], partly=raw["partly"], not_understood=raw["not_understood"],
    )  # fmt: skip
    return data, raw


def _context(data: ActivityInput, raw: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "typed": data, "raw": raw, "errors": errors, "kinds": ActivityKind.choices,
        "themes": Theme.choices,
        "bands": [(n, gettext(label), raw.get(n, "")) for n, label in AGE_BANDS],
        "today": clock.today(),
    }  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    _allow(request, Action.WORK_AWARENESS, "awareness activity form")
    staff = signed_in_staff(request)
    errors: dict[str, str] = {}
    data = ActivityInput(held_on=clock.today().isoformat())
    raw: dict[str, Any] = {}
    if request.method == "POST":
        data, raw = _typed(request)
        try:
            activity = record_activity(staff, data)
        except AwarenessError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("啓発活動を記録しました。"))
            return redirect("awareness:detail", activity.pk)
    return render(request, "awareness/form.html", {**_context(data, raw, errors), "activity": None},
                  status=422 if errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _allow(request, Action.WORK_AWARENESS, "awareness activity", activity=pk)
    staff = signed_in_staff(request)
    activity = Activity.objects.filter(pk=pk).first()
    if activity is None:
        raise Http404("No such activity.")
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {k: getattr(activity, k) for k in COUNT_FIELDS}
    raw.update({n: getattr(activity, n) for n, _l in AGE_BANDS})
    data = ActivityInput(
        title=activity.title, kind=activity.kind, held_on=activity.held_on.isoformat(),
        town=activity.town, place=activity.place, organiser=activity.organiser,
        themes=list(activity.themes),
    )  # fmt: skip
    version = activity.version
    if request.method == "POST":
        data, raw = _typed(request)
        version = form_id(request.POST.get("version")) or 0
        try:
            correct_activity(staff, activity.pk, data, version=version)
        except AwarenessError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("啓発活動を直しました。"))
            return redirect("awareness:detail", activity.pk)
    return render(request, "awareness/form.html", {
        **_context(data, raw, errors), "activity": activity, "version": version,
    }, status=422 if errors else 200)  # fmt: skip
