"""Pages of the workforce register: agencies, a register, a worker, training
(an agency's own and the ward's cross-agency course), supervision.

Each page checks ``Action.MANAGE_WORKFORCE`` (on the agency or worker it
shows: a supervisor sees only their own agency's register) and is audited,
a refusal too: workers' names are personal data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.policy import Action, decide
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import allow_and_record, record_request
from tsunagari.lib import clock
from tsunagari.lib.http import attempt, said, signed_in_staff
from tsunagari.plan.registry import FiscalYear
from tsunagari.workforce import indicators
from tsunagari.workforce.access import sees_every_agency
from tsunagari.workforce.models import (
    QualificationKind,
    Supervision,
    SupervisionFormat,
    Training,
    Worker,
)
from tsunagari.workforce.services import (
    SupervisionInput,
    TrainingInput,
    WorkerInput,
    WorkforceError,
    add_attendance,
    add_worker,
    record_qualification,
    record_supervision,
    record_training,
    set_worker_active,
)


def _allow(request: HttpRequest, obj: object | None, reason: str, **detail: Any) -> None:
    """Refuse (audited, with the reason) unless the viewer keeps ``obj``'s register; audit the view."""
    allow_and_record(request, Action.MANAGE_WORKFORCE, obj, reason=reason, **detail)


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code[:64]).first()
    if agency is None:
        raise Http404("No such agency.")
    return agency


def _fy(request: HttpRequest) -> FiscalYear:
    return FiscalYear.asked(request.GET.get("year", ""), clock.today())


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The ward's view: every agency with a register, and the year's figures."""
    staff = signed_in_staff(request)
    decision = decide(staff, Action.MANAGE_WORKFORCE)
    if decision and not sees_every_agency(staff):
        if staff.agency_id is None:
            _allow(request, Agency(pk=0), "workforce index")
        assert staff.agency is not None
        return redirect("workforce:register", staff.agency.code)
    fy = _fy(request)
    _allow(request, None, "workforce index", fiscal_year=fy.year)
    qualified = indicators.qualified_by_agency(fy)
    in_year = Q(attendances__training__held_on__gte=fy.first_day,
                attendances__training__held_on__lte=fy.last_day)  # fmt: skip
    trained = dict(
        Worker.objects.filter(in_year).values("agency_id").annotate(n=Count("pk", distinct=True))
        .values_list("agency_id", "n")
    )  # fmt: skip
    workers = dict(
        Worker.objects.filter(is_active=True).values("agency_id").annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )  # fmt: skip
    sessions = dict(
        Supervision.objects.filter(held_on__gte=fy.first_day, held_on__lte=fy.last_day)
        .values("agency_id").annotate(n=Count("pk")).values_list("agency_id", "n")
    )  # fmt: skip
    agencies = Agency.objects.filter(pk__in=set(workers) | set(qualified)).order_by("kind", "code")
    rows = [{"agency": a, "workers": workers.get(a.pk, 0), "qualified": qualified.get(a.pk, 0),
             "trained": trained.get(a.pk, 0), "supervisions": sessions.get(a.pk, 0)}
            for a in agencies]  # fmt: skip
    others = Agency.objects.filter(is_active=True).exclude(pk__in=[a.pk for a in agencies])
    figures = [
        (gettext("研修を受講した人（実人数）"), indicators.people_trained(fy).value),
        (gettext("合同研修の受講者（実人数）"), indicators.cross_agency_participants(fy).value),
        (gettext("合同研修に参加した機関"), indicators.cross_agency_agencies(fy).value),
        (gettext("専門資格をもつ人"), indicators.qualified_workers(fy).value),
    ]
    return render(request, "workforce/index.html", {
        "fy": fy, "rows": rows, "figures": figures, "others": others,
        "years": list(range(FiscalYear.of(clock.today()).year, 2019, -1))[:8],
    })  # fmt: skip


def _staff_choices(agency: Agency) -> list[Staff]:
    taken = Worker.objects.filter(staff__isnull=False).values("staff_id")
    return list(
        Staff.objects.filter(agency=agency, is_active=True).exclude(pk__in=taken).order_by("pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    fy = _fy(request)
    _allow(request, agency, "workforce register", agency=agency.code, fiscal_year=fy.year)
    staff = signed_in_staff(request)
    errors: dict[str, str] = {}
    typed = WorkerInput()
    if request.method == "POST":
        p = request.POST
        typed = WorkerInput(name=p.get("name", ""), job=p.get("job", ""), staff=p.get("staff", ""))
        try:
            add_worker(staff, agency, typed)
        except WorkforceError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("名簿に追加しました。"))
            return redirect("workforce:register", agency.code)
    in_year = Q(attendances__training__held_on__gte=fy.first_day,
                attendances__training__held_on__lte=fy.last_day)  # fmt: skip
    workers = list(
        Worker.objects.filter(agency=agency)
        .annotate(trainings=Count("attendances", filter=in_year),
                  training_hours=Sum("attendances__training__hours", filter=in_year))
        .prefetch_related("qualifications")
        .order_by("-is_active", "name", "pk")
    )  # fmt: skip
    supervision_counts: dict[int, int] = {}
    for worker_id in Supervision.workers.through.objects.filter(
        supervision__agency=agency, supervision__held_on__gte=fy.first_day,
        supervision__held_on__lte=fy.last_day,
    ).values_list("worker_id", flat=True):  # fmt: skip
        supervision_counts[worker_id] = supervision_counts.get(worker_id, 0) + 1
    rows = [(w, supervision_counts.get(w.pk, 0), w.training_hours or Decimal(0)) for w in workers]
    sessions = list(
        Supervision.objects.filter(agency=agency, held_on__gte=fy.first_day,
                                   held_on__lte=fy.last_day)
        .annotate(n=Count("workers")).order_by("-held_on", "-pk")
    )  # fmt: skip
    trainings = list(
        Training.objects.filter(attendances__worker__agency=agency, held_on__gte=fy.first_day,
                                held_on__lte=fy.last_day)
        .annotate(n=Count("attendances", filter=Q(attendances__worker__agency=agency)))
        .order_by("-held_on", "-pk")
    )  # fmt: skip
    return render(request, "workforce/register.html", {
        "agency": agency, "fy": fy, "rows": rows, "sessions": sessions, "trainings": trainings,
        "typed": typed, "errors": errors, "staff_choices": _staff_choices(agency),
        "ward_view": sees_every_agency(staff),
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def worker(request: HttpRequest, pk: int) -> HttpResponse:
    person = Worker.objects.select_related("agency", "staff").filter(pk=pk).first()
    if person is None:
        raise Http404("No such worker.")
    _allow(request, person, "workforce worker", agency=person.agency.code, worker=person.pk)
    staff = signed_in_staff(request)
    errors: dict[str, str] = {}
    typed = {"kind": "", "other_name": "", "obtained_on": ""}
    if request.method == "POST":
        typed = {k: request.POST.get(k, "")[:60] for k in typed}
        try:
            record_qualification(staff, person.pk, typed["kind"], typed["obtained_on"],
                                 typed["other_name"])  # fmt: skip
        except WorkforceError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("資格を記録しました。"))
            return redirect("workforce:worker", person.pk)
    attendances = list(person.attendances.select_related("training").order_by(
        "-training__held_on", "-pk"))  # fmt: skip
    supervisions = list(person.supervisions.order_by("-held_on", "-pk"))
    return render(request, "workforce/worker.html", {
        "worker": person, "qualifications": list(person.qualifications.all()),
        "attendances": attendances, "supervisions": supervisions, "errors": errors,
        "typed": typed, "kinds": QualificationKind.choices,
        "today": clock.today(),
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_POST
def worker_status(request: HttpRequest, pk: int) -> HttpResponse:
    person = Worker.objects.select_related("agency").filter(pk=pk).first()
    if person is None:
        raise Http404("No such worker.")
    _allow(request, person, "workforce worker status", worker=person.pk)
    staff = signed_in_staff(request)
    active = request.POST.get("active") == "1"
    attempt(request, lambda: set_worker_active(staff, person.pk, active=active),
            refused=WorkforceError, done=gettext("在籍の状態を変更しました。"),
            say=said)  # fmt: skip
    return redirect("workforce:worker", person.pk)


def _typed_training(request: HttpRequest) -> TrainingInput:
    p = request.POST
    return TrainingInput(
        title=p.get("title", ""), held_on=p.get("held_on", ""), hours=p.get("hours", "")[:10],
        organiser=p.get("organiser", ""), cross_agency=p.get("cross_agency") == "1",
    )  # fmt: skip


def _grouped(workers: list[Worker]) -> list[tuple[Agency, list[Worker]]]:
    groups: dict[int, tuple[Agency, list[Worker]]] = {}
    for w in workers:
        groups.setdefault(w.agency_id, (w.agency, []))[1].append(w)
    return list(groups.values())


@login_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's own course and its attendees from the agency's register."""
    agency = _agency(code)
    _allow(request, agency, "workforce training form", agency=agency.code)
    staff = signed_in_staff(request)
    errors: dict[str, str] = {}
    typed = TrainingInput(held_on=clock.today().isoformat(), organiser=agency.name)
    chosen: list[str] = []
    if request.method == "POST":
        typed = _typed_training(request)
        typed.cross_agency = False
        chosen = request.POST.getlist("workers")[:600]
        try:
            training = record_training(staff, typed, list(chosen), agency=agency)
        except WorkforceError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("研修と受講者を記録しました。"))
            return redirect("workforce:training", training.pk)
    workers = list(Worker.objects.filter(agency=agency, is_active=True).select_related("agency"))
    return render(request, "workforce/training_form.html", {
        "agency": agency, "typed": typed, "errors": errors, "groups": _grouped(workers),
        "chosen": chosen, "cross": False,
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def cross_new(request: HttpRequest) -> HttpResponse:
    """The ward's cross-agency course: participants of many agencies entered once."""
    _allow(request, None, "workforce cross-agency training form")
    staff = signed_in_staff(request)
    if not sees_every_agency(staff):
        reason = gettext(
            "合同研修は区（管理者・計画担当）が記録します。自分の機関の受講者は研修のページで追加してください。"
        )
        record_request(request, AuditAction.DENIED, reason=reason)
        raise PermissionDenied(reason)
    errors: dict[str, str] = {}
    typed = TrainingInput(held_on=clock.today().isoformat(), cross_agency=True,
                          organiser=gettext("江東区 福祉部 福祉課"))  # fmt: skip
    chosen: list[str] = []
    if request.method == "POST":
        typed = _typed_training(request)
        typed.cross_agency = True
        chosen = request.POST.getlist("workers")[:600]
        try:
            training = record_training(staff, typed, list(chosen))
        except WorkforceError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("合同研修と受講者を記録しました。"))
            return redirect("workforce:training", training.pk)
    workers = list(Worker.objects.filter(is_active=True).select_related("agency")
                   .order_by("agency__kind", "agency__code", "name", "pk"))  # fmt: skip
    return render(request, "workforce/training_form.html", {
        "agency": None, "typed": typed, "errors": errors, "groups": _grouped(workers),
        "chosen": chosen, "cross": True,
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_GET
def cross_list(request: HttpRequest) -> HttpResponse:
    """The ward's cross-agency courses of a year, counted per agency (counts only)."""
    fy = _fy(request)
    _allow(request, None, "workforce cross-agency trainings", fiscal_year=fy.year)
    staff = signed_in_staff(request)
    trainings = list(Training.objects.filter(cross_agency=True, held_on__gte=fy.first_day,
                                             held_on__lte=fy.last_day).order_by("held_on", "pk"))  # fmt: skip
    counts: dict[int, dict[int, int]] = {}
    for training_id, agency_id, n in (
        Training.objects.filter(pk__in=[t.pk for t in trainings])
        .values_list("pk", "attendances__worker__agency_id")
        .annotate(n=Count("attendances"))
    ):
        if agency_id is not None:
            counts.setdefault(training_id, {})[agency_id] = n
    agency_ids = sorted({a for c in counts.values() for a in c})
    agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("kind", "code"))
    table = [{"agency": a, "cells": [counts.get(t.pk, {}).get(a.pk, 0) for t in trainings],
              "total": sum(counts.get(t.pk, {}).get(a.pk, 0) for t in trainings)}
             for a in agencies]  # fmt: skip
    totals = [sum(counts.get(t.pk, {}).values()) for t in trainings]
    return render(request, "workforce/cross.html", {
        "fy": fy, "trainings": trainings, "table": table, "totals": totals,
        "participants": indicators.cross_agency_participants(fy).value,
        "agency_count": indicators.cross_agency_agencies(fy).value,
        "ward_view": sees_every_agency(staff),
        "years": list(range(FiscalYear.of(clock.today()).year, 2019, -1))[:8],
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def training(request: HttpRequest, pk: int) -> HttpResponse:
    course = Training.objects.select_related("agency").filter(pk=pk).first()
    if course is None:
        raise Http404("No such training.")
    _allow(request, course.agency, "workforce training", training=course.pk)
    staff = signed_in_staff(request)
    ward_view = sees_every_agency(staff)
    if request.method == "POST":
        chosen = request.POST.getlist("workers")[:600]
        attempt(request, lambda: add_attendance(staff, course.pk, list(chosen)),
                refused=WorkforceError, done=gettext("受講者を追加しました。"),
                say=said)  # fmt: skip
        return redirect("workforce:training", course.pk)
    attendances = list(course.attendances.select_related("worker", "worker__agency")
                       .order_by("worker__agency__kind", "worker__agency__code", "worker__name"))  # fmt: skip
    per_agency: dict[int, tuple[Agency, int]] = {}
    for a in attendances:
        agency, n = per_agency.get(a.worker.agency_id, (a.worker.agency, 0))
        per_agency[a.worker.agency_id] = (agency, n + 1)
    # Names: the ward sees every attendee; a supervisor only their own agency's.
    shown = [a for a in attendances if ward_view or a.worker.agency_id == staff.agency_id]
    attending = {a.worker_id for a in attendances}
    candidates = Worker.objects.filter(is_active=True).exclude(pk__in=attending)
    if not ward_view:
        candidates = candidates.filter(agency_id=staff.agency_id or 0)
    if course.agency_id is not None:
        candidates = candidates.filter(agency_id=course.agency_id)
    candidate_list = list(candidates.select_related("agency").order_by(
        "agency__kind", "agency__code", "name", "pk")[:1000])  # fmt: skip
    return render(request, "workforce/training.html", {
        "training": course, "shown": shown, "per_agency": list(per_agency.values()),
        "total": len(attendances), "groups": _grouped(candidate_list), "ward_view": ward_view,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def supervision_new(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    _allow(request, agency, "workforce supervision form", agency=agency.code)
    staff = signed_in_staff(request)
    errors: dict[str, str] = {}
    typed = SupervisionInput(held_on=clock.today().isoformat(), format=SupervisionFormat.INDIVIDUAL)
    chosen: list[str] = []
    if request.method == "POST":
        p = request.POST
        chosen = p.getlist("workers")[:200]
        typed = SupervisionInput(held_on=p.get("held_on", ""), supervisor=p.get("supervisor", ""),
                                 format=p.get("format", ""), hours=p.get("hours", "")[:10],
                                 workers=list(chosen))  # fmt: skip
        try:
            record_supervision(staff, agency, typed)
        except WorkforceError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("スーパービジョンを記録しました。"))
            return redirect("workforce:register", agency.code)
    workers = list(Worker.objects.filter(agency=agency, is_active=True).select_related("agency"))
    return render(request, "workforce/supervision_form.html", {
        "agency": agency, "typed": typed, "errors": errors, "workers": workers,
        "chosen": chosen, "formats": SupervisionFormat.choices,
    }, status=422 if errors else 200)  # fmt: skip
