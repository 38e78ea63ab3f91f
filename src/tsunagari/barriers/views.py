"""Staff pages for barrier reports: the list and one report with its steps.
Thin: parse, call one service function, respond."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tsunagari.accounts.policy import Action, require
from tsunagari.audit.services import record_request
from tsunagari.barriers.models import (
    CLOSED,
    NEXT,
    BarrierReport,
    BarrierStatus,
    Department,
)
from tsunagari.barriers.services import (
    BarrierError,
    assign_barrier,
    change_barrier_status,
    keeper_of,
)
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib.http import attempt, said


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.WORK_BARRIER_REPORTS)
    status = request.GET.get("status", "open")
    qs = BarrierReport.objects.all()
    if status == "open":
        qs = qs.exclude(status__in=CLOSED)
    elif status in BarrierStatus.values:
        qs = qs.filter(status=status)
    else:
        status = "all"
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    record_request(
        request,
        "view",
        object_type="barriers.report",
        detail={"list": status, "shown": [r.reference for r in page.object_list]},
    )
    counts = {s: BarrierReport.objects.filter(status=s).count() for s in BarrierStatus.values}
    return render(
        request,
        "barriers/list.html",
        {
            "page": page,
            "status": status,
            "statuses": [(s, label, counts[s]) for s, label in BarrierStatus.choices],
        },
    )


def _report(report_id: int) -> BarrierReport:
    report = BarrierReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404(_("その報告は見つかりません。"))
    return report


@login_required
@require_GET
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    require(request.user, Action.WORK_BARRIER_REPORTS)
    report = _report(report_id)
    record_request(request, "view", obj=report, object_type="barriers.report")
    steps = DomainEvent.objects.filter(
        kind__in=[EventKind.BARRIER_REPORTED, EventKind.BARRIER_STATUS_CHANGED],
        object_type="barriers.barrierreport",
        object_id=str(report.pk),
    ).select_related("actor")
    return render(
        request,
        "barriers/detail.html",
        {
            "report": report,
            "steps": steps,
            "departments": Department.choices,
            "next_statuses": [
                (s, BarrierStatus(s).label)
                for s in BarrierStatus.values
                if s in NEXT[report.status]
            ],
            "closed": report.status in CLOSED,
            "keeper": keeper_of(report),
            "status_labels": dict(BarrierStatus.choices),
            "department_labels": dict(Department.choices),
        },
    )


@login_required
@require_POST
def assign(request: HttpRequest, report_id: int) -> HttpResponse:
    require(request.user, Action.WORK_BARRIER_REPORTS)
    report = _report(report_id)
    post = request.POST
    attempt(request, lambda: assign_barrier(
        report.pk, post.get("department", "")[:16], actor=request.user,
        expected_status=post.get("expected_status", "")[:16], note=post.get("note", "")),
        refused=BarrierError, done=_("担当を記録しました。"), say=said)  # fmt: skip
    return redirect("barriers:detail", report_id=report.pk)


@login_required
@require_POST
def move(request: HttpRequest, report_id: int) -> HttpResponse:
    require(request.user, Action.WORK_BARRIER_REPORTS)
    report = _report(report_id)
    post = request.POST
    attempt(request, lambda: change_barrier_status(
        report.pk, post.get("status", "")[:16], actor=request.user,
        expected_status=post.get("expected_status", "")[:16],
        public_answer=post.get("public_answer", ""), note=post.get("note", "")),
        refused=BarrierError, done=_("対応状況を記録しました。"), say=said)  # fmt: skip
    return redirect("barriers:detail", report_id=report.pk)
