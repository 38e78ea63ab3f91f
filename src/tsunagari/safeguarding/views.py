"""Pages of the designated team: the reports with their clocks, a report's
steps, the report form (anyone who works with people), rights advocacy and
the yearly survey counts. Each page parses, calls one service and responds;
everyone outside the team gets 403 with the reason (audited)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Agency, AgencyKind
from tsunagari.accounts.policy import Action, actions_for, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.events.models import EventKind
from tsunagari.events.services import events_of
from tsunagari.lib import clock
from tsunagari.lib.http import attempt, said, signed_in_staff
from tsunagari.people import sections
from tsunagari.people.presenter import Purpose, present_people, present_person
from tsunagari.plan.registry import FiscalYear
from tsunagari.safeguarding import services as sv
from tsunagari.safeguarding.access import (
    get_advocacy_for,
    get_petition_for,
    get_report_for,
    team_only,
)
from tsunagari.safeguarding.clocks import ClockState, clocks_of, running_clock
from tsunagari.safeguarding.models import (
    AbuseKind,
    Advocacy,
    AdvocacyState,
    CloseReason,
    GuardianType,
    Law,
    Petition,
    PetitionStep,
    Report,
    ReporterType,
    Separation,
    State,
    SupportKind,
    Urgency,
)
from tsunagari.safeguarding.survey import survey_counts, survey_rows

# What the team's page shows of the person it works for (a statutory basis).
TEAM_SECTIONS = frozenset({sections.IDENTITY, sections.BASIC, sections.HOUSEHOLD})

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff


def _clock_text(c: ClockState | None, now: datetime) -> tuple[str, bool]:
    """What the list says of the running clock, in words (never colour alone)."""
    if c is None:
        return "", False
    hours = c.hours_left(now)
    if hours < 0:
        return gettext("%(clock)s: 期限超過（%(h)d時間）") % {
            "clock": c.label,
            "h": int(-hours),
        }, True
    return gettext("%(clock)s: 残り%(h)d時間") % {"clock": c.label, "h": int(hours)}, False


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    team_only(staff, obj_type="safeguarding.report")
    # Opening the list runs the clocks too, so an overrun is never missed.
    sv.escalate_overdue(staff)
    now = clock.now()
    state = request.GET.get("state", "")
    state = state if state in State.values else ""
    reports = list(Report.objects.select_related("person", "handed_to")
                   .prefetch_related("escalations").order_by("-received_at")[:500])  # fmt: skip
    open_rows: list[dict[str, Any]] = []
    done_rows: list[dict[str, Any]] = []
    for r in reports:
        if state and r.state != state:
            continue
        c = running_clock(r)
        text, overdue = _clock_text(c, now)
        row: dict[str, Any] = {"report": r, "clock": c, "clock_text": text, "overdue": overdue,
               "escalated": bool(r.escalations.all())}  # fmt: skip
        (open_rows if r.is_open else done_rows).append(row)
    open_rows.sort(key=lambda x: (not x["overdue"], x["clock"].due_at if x["clock"] else now))
    persons = {r.person_id: r.person for r in reports if r.person is not None}
    views = present_people(staff, list(persons.values()), Purpose.LIST, request=request,
                           object_type="safeguarding.report", granted=frozenset({sections.IDENTITY}),
                           detail={"reports": [r.pk for r in reports]})  # fmt: skip
    people = {v.id: v for v in views}
    for row in open_rows + done_rows:
        row["person"] = people.get(row["report"].person_id)
    return render(request, "safeguarding/list.html", {
        "open_rows": open_rows, "done_rows": done_rows[:50], "states": State.choices,
        "state": state, "overdue": sum(1 for r in open_rows if r["overdue"]),
    })  # fmt: skip


def _agencies(kind: str) -> list[Agency]:
    return list(Agency.objects.filter(kind=kind, is_active=True).order_by("code"))


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.FILE_SAFEGUARDING_REPORT)
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {"law": "", "kinds": [], "reporter_type": ""}
    if request.method == "POST":
        names = ("law", "person", "subject_note", "summary", "reporter_type", "reporter_name",
                 "reporter_relation", "reporter_contact", "hand_to")  # fmt: skip
        typed = {n: request.POST.get(n, "") for n in names}
        typed["kinds"] = request.POST.getlist("kinds")[:10]
        try:
            report = sv.file_report(staff, sv.ReportInput(**typed))
        except sv.SafeguardingError as exc:
            errors = exc.errors
        else:
            if Action.WORK_SAFEGUARDING in actions_for(staff):
                messages.success(request, gettext("通報を受け付けました。"))
                return redirect("safeguarding:report", report.pk)
            return render(request, "safeguarding/filed.html", {"report": report})
    return render(request, "safeguarding/new.html", {
        "typed": typed, "errors": errors, "laws": Law.choices, "kinds": AbuseKind.choices,
        "reporter_types": ReporterType.choices,
        "child_centres": _agencies(AgencyKind.CHILD_FAMILY_CENTRE),
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    report = get_report_for(staff, report_id)
    person = None
    if report.person is not None:
        person = present_person(staff, report.person, Purpose.VIEW, request=request,
                                granted=TEAM_SECTIONS, with_household=True,
                                detail={"report": report.pk})  # fmt: skip
    else:
        record_request(request, AuditAction.VIEW, obj=report, detail={"report": report.pk})
    now = clock.now()
    labels = dict(EventKind.choices)
    plan = getattr(report, "safety_plan", None)
    return render(request, "safeguarding/detail.html", {
        "report": report, "person": person, "reporter": getattr(report, "reporter", None),
        "clocks": [(c, c.overdue(now), c.late()) for c in clocks_of(report)],
        "kinds": [str(AbuseKind(k).label) for k in report.kinds or [] if k in AbuseKind.values],
        "kind_choices": AbuseKind.choices, "urgencies": Urgency.choices,
        "separations": Separation.choices, "close_reasons": CloseReason.choices,
        "timeline": [(e, labels.get(e.kind, e.kind)) for e in reversed(events_of(report))],
        "escalations": list(report.escalations.all()),
        "monitorings": list(report.monitorings.select_related("by")),
        "seals": list(report.seals.select_related("by")),
        "plan": plan, "case": plan.case if plan else sv.open_case_of(report.person_id),
        "can_seal": Action.VIEW_SEALED_CONTACT in actions_for(staff),
        "states": [(v, lbl) for v, lbl in State.choices if v not in {State.HANDED_OVER}],
    })  # fmt: skip


def _step(request: HttpRequest, report_id: int, action: Any, done: str) -> HttpResponse:
    staff = signed_in_staff(request)
    get_report_for(staff, report_id)
    attempt(request, lambda: action(staff), refused=sv.SafeguardingError, done=done, say=said)
    return redirect(reverse("safeguarding:report", args=[report_id]))


def _one_field_step(
    verb: Callable[[Staff, int, str], object], field: str, done: str
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page's button for a step of a report that takes one field: ``verb(staff, report, value)``.

    ``done`` (a msgid) is said, translated, once the step ran.
    """

    @login_required
    @require_POST
    def step(request: HttpRequest, report_id: int) -> HttpResponse:
        value = request.POST.get(field, "")
        return _step(request, report_id, lambda s: verb(s, report_id, value), gettext(done))

    return step


report_safety = _one_field_step(sv.confirm_safety, "note", gettext_noop("安全確認を記録しました。"))

report_facts = _one_field_step(sv.record_facts, "note", gettext_noop("事実確認を記録しました。"))


@login_required
@require_POST
def report_decide(request: HttpRequest, report_id: int) -> HttpResponse:
    data = sv.DecisionInput(
        recognised=request.POST.get("recognised", ""), urgency=request.POST.get("urgency", ""),
        separation=request.POST.get("separation", ""), kinds=request.POST.getlist("kinds")[:10],
        note=request.POST.get("note", ""),
    )  # fmt: skip
    return _step(request, report_id, lambda s: sv.decide(s, report_id, data),
                 gettext("コアメンバー会議の判断を記録しました。"))  # fmt: skip


report_monitor = _one_field_step(sv.monitor, "note", gettext_noop("モニタリングを記録しました。"))


@login_required
@require_POST
def report_close(request: HttpRequest, report_id: int) -> HttpResponse:
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    return _step(request, report_id, lambda s: sv.close_report(s, report_id, reason, note),
                 gettext("終結しました。"))  # fmt: skip


report_identify = _one_field_step(
    sv.identify_person, "person", gettext_noop("対象者を特定しました。")
)

report_seal = _one_field_step(
    sv.seal_address,
    "registry_note",
    gettext_noop("住所等の閲覧制限を設定しました。すべての画面で住所と電話が隠されます。"),
)


@login_required
@require_POST
def report_plan(request: HttpRequest, report_id: int) -> HttpResponse:
    version = request.POST.get("version", "0")
    data = sv.SafetyPlanInput(
        measures=request.POST.get("measures", ""), risks=request.POST.get("risks", ""),
        contacts=request.POST.get("contacts", ""), review_on=request.POST.get("review_on", ""),
        expected_version=int(version) if version.isdigit() else -1,
    )  # fmt: skip
    return _step(request, report_id, lambda s: sv.record_safety_plan(s, report_id, data),
                 gettext("安全計画を保存しました。"))  # fmt: skip


# ── rights advocacy ────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def advocacy_list(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    team_only(staff, obj_type="safeguarding.advocacy")
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {"needs_guardian": True}
    if request.method == "POST":
        typed = {"person": request.POST.get("person", ""), "reason": request.POST.get("reason", ""),
                 "report": request.POST.get("report", ""),
                 "needs_guardian": request.POST.get("needs_guardian") == "1"}  # fmt: skip
        try:
            advocacy = sv.open_advocacy(staff, sv.AdvocacyInput(**typed))
        except sv.SafeguardingError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("権利擁護支援を始めました。"))
            return redirect("safeguarding:advocacy", advocacy.pk)
    rows = list(Advocacy.objects.select_related("person").prefetch_related("petitions")
                .order_by("state", "-opened_at")[:500])  # fmt: skip
    views = present_people(staff, [a.person for a in rows], Purpose.LIST, request=request,
                           object_type="safeguarding.advocacy", granted=frozenset({sections.IDENTITY}),
                           detail={"advocacies": [a.pk for a in rows]})  # fmt: skip
    people = {v.id: v for v in views}
    petitions = Petition.objects.exclude(step__in=[PetitionStep.APPOINTED, PetitionStep.WITHDRAWN])
    return render(request, "safeguarding/advocacy_list.html", {
        "rows": [(a, people.get(a.person_id), next(iter(a.petitions.all()), None)) for a in rows],
        "errors": errors, "typed": typed, "in_progress": petitions.count(),
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_GET
def advocacy_detail(request: HttpRequest, advocacy_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    advocacy = get_advocacy_for(staff, advocacy_id)
    person = present_person(staff, advocacy.person, Purpose.VIEW, request=request,
                            granted=TEAM_SECTIONS, detail={"advocacy": advocacy.pk})  # fmt: skip
    petitions = list(advocacy.petitions.all())
    steps = {p.pk: [(s, PetitionStep(s).label) for s in sv.next_steps(p)] for p in petitions}
    return render(request, "safeguarding/advocacy_detail.html", {
        "advocacy": advocacy, "person": person,
        "petitions": [(p, steps[p.pk], _petition_path(p)) for p in petitions],
        "supports": list(advocacy.supports.select_related("agency", "by")),
        "guardian_types": GuardianType.choices, "support_kinds": SupportKind.choices,
        "councils": _agencies(AgencyKind.SOCIAL_WELFARE_COUNCIL),
        "can_petition": advocacy.state == AdvocacyState.OPEN and not any(steps.values()),
        "timeline": [(e, dict(PetitionStep.choices).get(e.data.get("step", ""),
                                                         dict(SupportKind.choices).get(e.data.get("step", ""), e.data.get("step", ""))))
                     for e in reversed(events_of(advocacy))],
    })  # fmt: skip


def _petition_path(p: Petition) -> list[tuple[str, datetime | None, bool]]:
    """Each step of the procedure with its date and whether it is the current one."""
    dates = {PetitionStep.STARTED: p.started_at, PetitionStep.RELATIVES: p.relatives_at,
             PetitionStep.CERTIFICATE: p.certificate_at, PetitionStep.PETITIONED: p.petitioned_at,
             PetitionStep.APPOINTED: p.appointed_at}  # fmt: skip
    return [(str(s.label), dates[s], p.step == s) for s in dates]


def _advocacy_step(request: HttpRequest, advocacy_id: int, action: Any, done: str) -> HttpResponse:
    staff = signed_in_staff(request)
    get_advocacy_for(staff, advocacy_id)
    attempt(request, lambda: action(staff), refused=sv.SafeguardingError, done=done, say=said)
    return redirect(reverse("safeguarding:advocacy", args=[advocacy_id]))


@login_required
@require_POST
def advocacy_petition(request: HttpRequest, advocacy_id: int) -> HttpResponse:
    kind, note = request.POST.get("guardian_type", ""), request.POST.get("note", "")
    return _advocacy_step(request, advocacy_id,
                          lambda s: sv.start_petition(s, advocacy_id, kind, note),
                          gettext("区長申立ての手続きを始めました。"))  # fmt: skip


@login_required
@require_POST
def petition_step(request: HttpRequest, petition_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    petition = get_petition_for(staff, petition_id)
    step = request.POST.get("step", "")
    guardian, note = request.POST.get("guardian", ""), request.POST.get("note", "")
    attempt(request, lambda: sv.advance_petition(staff, petition_id, step, guardian, note),
            refused=sv.SafeguardingError, done=gettext("申立ての段階を記録しました。"), say=said)  # fmt: skip
    return redirect(reverse("safeguarding:advocacy", args=[petition.advocacy_id]))


@login_required
@require_POST
def advocacy_support(request: HttpRequest, advocacy_id: int) -> HttpResponse:
    data = sv.SupportInput(kind=request.POST.get("kind", ""), amount=request.POST.get("amount", ""),
                           agency=request.POST.get("agency", ""), note=request.POST.get("note", ""))  # fmt: skip
    return _advocacy_step(request, advocacy_id, lambda s: sv.add_support(s, advocacy_id, data),
                          gettext("支援を記録しました。"))  # fmt: skip


@login_required
@require_POST
def advocacy_close(request: HttpRequest, advocacy_id: int) -> HttpResponse:
    return _advocacy_step(request, advocacy_id, lambda s: sv.close_advocacy(s, advocacy_id),
                          gettext("権利擁護支援を終了しました。"))  # fmt: skip


# ── yearly survey counts ───────────────────────────────────────────────────


def _year(request: HttpRequest) -> FiscalYear:
    # Counts of the coming year may be asked for while it is prepared.
    return FiscalYear.asked(request.GET.get("year", ""), clock.today(), ahead=1)


@login_required
@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    team_only(staff, obj_type="safeguarding.counts")
    year = _year(request)
    data = survey_counts(year)
    record_request(request, AuditAction.VIEW, object_type="safeguarding.counts",
                   object_id=str(year.year))  # fmt: skip
    this = FiscalYear.of(clock.today()).year
    t = data.reporters
    lines = [
        {"title": line.title, "pairs": list(zip(line.labels, line.values, strict=True)),
         "total": line.total, "has_total": line is not data.kinds}
        for line in (data.recognised, data.kinds, data.measures)
    ]  # fmt: skip
    return render(request, "safeguarding/counts.html", {
        "data": data, "year": year, "years": list(range(this, this - 5, -1)), "lines": lines,
        "reporter_rows": list(zip(t.rows, t.cells, t.row_totals, strict=True)),
    })  # fmt: skip


@login_required
@require_GET
def counts_csv(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    team_only(staff, obj_type="safeguarding.counts")
    year = _year(request)
    out = io.StringIO()
    csv.writer(out).writerows(survey_rows(survey_counts(year)))
    record_request(request, AuditAction.EXPORT, object_type="safeguarding.counts",
                   object_id=str(year.year))  # fmt: skip
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="safeguarding-survey-{year.year}.csv"'
    return response
