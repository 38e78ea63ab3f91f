"""Pages of the work on a case: assessment, the support plan (with its
revisions, agreement and monitoring) and case conferences. Each page checks
the case (``get_case_for``), sends a worker who has not confirmed the
支援会議's duty to the confirmation step, shows persons only through the
presenter, parses the form and calls one service."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Staff
from tsunagari.accounts.policy import Action, allowed
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.cases import documents
from tsunagari.cases.access import (
    AREA_SECTIONS,
    WORK_SECTION,
    basis_holds,
    get_case_for,
    needs_confirmation,
    require_reads_work,
)
from tsunagari.cases.documents import PdfUnavailable
from tsunagari.cases.models import (
    Assessment,
    Case,
    Conference,
    ConferenceAction,
    LifeArea,
    Progress,
    Regime,
    SupportPlan,
)
from tsunagari.cases.services import (
    AgreementInput,
    AreaInput,
    AssessmentInput,
    CaseError,
    ConferenceActionInput,
    ConferenceInput,
    ConferenceMinutesConflict,
    MonitoringInput,
    PlanActionInput,
    PlanConflict,
    PlanInput,
    TeamInput,
    add_conference_action,
    agree_plan,
    complete_conference_action,
    concerned,
    hold_conference,
    latest_assessments,
    may_complete_conference_action,
    plan_content,
    record_assessment,
    record_conference_minutes,
    record_monitoring,
    save_plan,
)
from tsunagari.cases.templates_data import plan_templates
from tsunagari.consultations.limits import working_calendar
from tsunagari.lib import clock
from tsunagari.lib.http import attempt, said, signed_in_staff
from tsunagari.people.models import Person
from tsunagari.people.presenter import PersonView, Purpose, present_people

# Empty rows the plan form offers after the current goals and actions.
EMPTY_GOALS = 2
EMPTY_ACTIONS = 3


def _open(
    request: HttpRequest, case_id: int
) -> tuple[Staff, Case, dict[int, PersonView]] | HttpResponse:
    """The case, or the way to its confirmation step; the persons it concerns, presented."""
    staff = signed_in_staff(request)
    case = get_case_for(staff, case_id)
    if needs_confirmation(staff, case):
        return redirect("cases:detail", case.pk)
    ids = concerned(case)
    persons = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    views = present_people(staff, [persons[i] for i in ids if i in persons], Purpose.VIEW,
                           request=request, object_type="cases.case",
                           detail={"case": case.pk, "page": request.resolver_match.url_name
                                   if request.resolver_match else ""})  # fmt: skip
    return staff, case, {v.id: v for v in views}


def _name(views: dict[int, PersonView], pk: int) -> str:
    view = views.get(pk)
    return view.name if view is not None and view.level == "full" else gettext("（表示できない方）")


# ── assessment ──


def _shown(assessment: Assessment, view: PersonView | None) -> dict[str, Any]:
    """The areas of an assessment the viewer's entitlement opens (each area belongs
    to a section of the person's record); the rest are counted, not shown."""
    areas = [r for r in assessment.areas.all()
             if view is not None and view.shows(AREA_SECTIONS.get(r.area, WORK_SECTION))]  # fmt: skip
    return {"a": assessment, "areas": areas, "hidden": assessment.areas.count() - len(areas),
            "summary": view is not None and view.shows(WORK_SECTION)}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    opened = _open(request, case_id)
    if isinstance(opened, HttpResponse):
        return opened
    staff, case, views = opened
    latest = latest_assessments(case)
    chosen = request.POST.get("person") or request.GET.get("person") or str(case.person_id)
    errors: dict[str, str] = {}
    typed: dict[str, dict[str, str]] = {}
    summary = ""
    if request.method == "POST":
        typed = {a: {f: request.POST.get(f"{a}-{f}", "")[:4000]
                     for f in ("situation", "own_words", "strengths")} for a in LifeArea.values}  # fmt: skip
        summary = request.POST.get("summary", "")[:4000]
        data = AssessmentInput(person=chosen[:20], summary=summary,
                               areas=[AreaInput(a, **t) for a, t in typed.items()])  # fmt: skip
        try:
            record_assessment(staff, case.pk, data)
        except CaseError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("アセスメントを記録しました。"))
            return redirect("cases:assessment", case.pk)
    else:
        # A new version starts from the newest one of the chosen person.
        base = next((a for a in latest if str(a.person_id) == chosen), None)
        if base is not None:
            shown = _shown(base, views.get(base.person_id))
            summary = base.summary if shown["summary"] else ""
            typed = {r.area: {"situation": r.situation, "own_words": r.own_words,
                              "strengths": r.strengths} for r in shown["areas"]}  # fmt: skip
    history = {pk: [_shown(a, views.get(pk)) for a in case.assessments.filter(person_id=pk)
                    .prefetch_related("areas").select_related("recorded_by", "recorded_agency")
                    .order_by("-version")]
               for pk in concerned(case)}  # fmt: skip
    return render(request, "cases/assessment.html", {
        "case": case, "views": views, "can_work": allowed(staff, Action.WORK_CASES, case),
        "people": [(pk, _name(views, pk), history[pk]) for pk in concerned(case)],
        "chosen": chosen, "summary": summary, "errors": errors,
        "areas": [(v, label, typed.get(v, {})) for v, label in LifeArea.choices],
    }, status=422 if errors else 200)  # fmt: skip


# ── support plan ──


def _lines(content: dict[str, Any]) -> list[str]:
    lines = [gettext("目標: %(g)s") % {"g": g} for g in content.get("goals", [])]
    lines += [gettext("支援: %(t)s（%(a)s、期限 %(d)s）") % {"t": a["text"], "a": a["agency_name"],
                                                       "d": a["due_on"]}
              for a in content.get("actions", [])]  # fmt: skip
    lines.append(gettext("見直しの日: %(d)s") % {"d": content.get("review_on", "")})
    return lines


def _revisions(plan: SupportPlan | None) -> list[dict[str, Any]]:
    """Every revision, newest first, with what changed from the one before."""
    if plan is None:
        return []
    rows = list(plan.revisions.select_related("saved_by", "saved_agency", "agreed_by",
                                              "conference").order_by("number"))  # fmt: skip
    out: list[dict[str, Any]] = []
    before: list[str] = []
    for rev in rows:
        now = _lines(rev.content)
        diff = [(line[0], line[2:]) for line in difflib.ndiff(before, now) if line[:1] in "+-"]
        out.append({"rev": rev, "lines": now, "diff": diff})
        before = now
    return list(reversed(out))


def _plan_form(request: HttpRequest) -> PlanInput:
    version = request.POST.get("version", "")
    goals = [g[:1000] for g in request.POST.getlist("goal")[:30]]
    ids, texts = request.POST.getlist("action_id")[:40], request.POST.getlist("action_text")[:40]
    agencies, dues = (
        request.POST.getlist("action_agency")[:40],
        request.POST.getlist("action_due")[:40],
    )
    actions = [PlanActionInput(t[:1000], a[:64], d[:20], i[:20])
               for i, t, a, d in zip(ids, texts, agencies, dues, strict=False)
               if t.strip() or (i.strip() and (a.strip() or d.strip()))]  # fmt: skip
    return PlanInput(version=int(version) if version.isdigit() and len(version) < 9 else -1,
                     goals=goals, actions=actions, review_on=request.POST.get("review_on", "")[:20])  # fmt: skip


def _from_template(case: Case, code: str) -> PlanInput:
    """A new plan's form filled from a template: each action goes to the first team
    agency of the kind it names (none: left to choose), due in its working days."""
    template = next((t for t in plan_templates() if t.code == code), None)
    if template is None:
        return PlanInput()
    calendar, today = working_calendar(), clock.today()
    by_kind: dict[str, str] = {}
    for t in case.team.select_related("agency"):
        by_kind.setdefault(t.agency.kind, t.agency.code)
    return PlanInput(
        goals=list(template.goals),
        actions=[PlanActionInput(a.text, by_kind.get(a.kind, ""),
                                 calendar.add_working_days(today, a.days).isoformat())
                 for a in template.actions],
        review_on=calendar.add_working_days(today, template.review_days).isoformat(),
    )  # fmt: skip


def _form_rows(data: PlanInput) -> tuple[list[str], list[PlanActionInput]]:
    goals = list(data.goals) + [""] * EMPTY_GOALS
    actions = list(data.actions) + [PlanActionInput()] * EMPTY_ACTIONS
    return goals, actions


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, case_id: int) -> HttpResponse:
    opened = _open(request, case_id)
    if isinstance(opened, HttpResponse):
        return opened
    staff, case, views = opened
    require_reads_work(staff, case)
    current = SupportPlan.objects.filter(case=case).first()
    errors: dict[str, str] = {}
    conflict: dict[str, Any] | None = None
    if request.method == "POST":
        data = _plan_form(request)
        try:
            save_plan(staff, case.pk, data)
        except PlanConflict as exc:
            errors, conflict = exc.errors, exc.current
        except CaseError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("支援プランを保存しました。"))
            return redirect("cases:plan", case.pk)
        current = SupportPlan.objects.filter(case=case).first()
    elif current is not None:
        content = plan_content(current)
        data = PlanInput(version=current.version, goals=content["goals"], review_on=content["review_on"],
                         actions=[PlanActionInput(a["text"], a["agency"], a["due_on"], str(a["id"]))
                                  for a in content["actions"]])  # fmt: skip
    else:
        data = _from_template(case, request.GET.get("template", "")[:40])
    goals, action_rows = _form_rows(data)
    today = clock.today()
    actions: list[dict[str, Any]] = []
    if current is not None:
        for a in current.actions.filter(active=True).select_related("agency"):
            notes = list(a.notes.select_related("written_by", "agency")[:5])
            actions.append({"a": a, "notes": notes, "overdue": a.done_on is None and a.due_on < today,
                            "may_note": case.is_open and (allowed(staff, Action.WORK_CASES, case)
                                                          or a.agency_id == staff.agency_id)})  # fmt: skip
    can_work = allowed(staff, Action.WORK_CASES, case)
    return render(request, "cases/plan.html", {
        "case": case, "person_name": _name(views, case.person_id), "plan": current,
        "actions": actions, "revisions": _revisions(current), "can_work": can_work and case.is_open,
        "errors": errors, "conflict": _lines(conflict) if conflict else None,
        "form_version": current.version if conflict and current else data.version,
        "goals": goals, "action_rows": action_rows,
        "review_on": data.review_on, "team": list(case.team.select_related("agency")),
        "conferences": list(case.conferences.order_by("-held_on", "-pk")),
        "progress": Progress.choices, "templates": plan_templates(),
        "template": request.GET.get("template", "")[:40],
    }, status=409 if conflict else 422 if errors else 200)  # fmt: skip


@login_required
@require_POST
def plan_agree(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    version = request.POST.get("version", "")
    data = AgreementInput(version=int(version) if version.isdigit() and len(version) < 9 else -1,
                          conference=request.POST.get("conference", "")[:20],
                          person_agreed=request.POST.get("person_agreed") == "yes")  # fmt: skip
    attempt(request, lambda: agree_plan(staff, case_id, data), refused=CaseError,
            done=gettext("支援プランの合意を記録しました。"), say=said)  # fmt: skip
    return redirect("cases:plan", case_id)


@login_required
@require_POST
def monitor(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    data = MonitoringInput(action=request.POST.get("action", "")[:20],
                           progress=request.POST.get("progress", "")[:20],
                           note=request.POST.get("note", "")[:4000])  # fmt: skip
    attempt(request, lambda: record_monitoring(staff, case_id, data), refused=CaseError,
            done=gettext("経過を記録しました。"), say=said)  # fmt: skip
    return redirect("cases:plan", case_id)


# ── conferences ──


def _attendable(case: Case) -> list[Staff]:
    """Staff of the team's agencies, who may be named as attendees."""
    return list(Staff.objects.filter(is_active=True, agency_id__in=case.team.values("agency_id"))
                .select_related("agency").order_by("agency__code", "username"))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def conference_new(request: HttpRequest, case_id: int) -> HttpResponse:
    opened = _open(request, case_id)
    if isinstance(opened, HttpResponse):
        return opened
    staff, case, views = opened
    if not allowed(staff, Action.WORK_CASES, case):
        record_request(request, AuditAction.DENIED, obj=case, reason="case conference form")
        return render(request, "cases/refused.html", {"reason": gettext(
            "会議を記録するのは、事例の調整役（多機関協働の担当）です。")}, status=403)  # fmt: skip
    team = list(case.team.select_related("agency"))
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {"held_on": clock.today().isoformat(), "agencies": [], "staff": [],
                             "roles": {}, "agenda": "", "minutes": "", "decisions": ""}  # fmt: skip
    if request.method == "POST":
        codes = request.POST.getlist("agency")[:40]
        roles = {t.agency.code: request.POST.get(f"role-{t.agency.code}", "")[:400] for t in team}
        typed = {"held_on": request.POST.get("held_on", "")[:20], "agencies": codes,
                 "staff": request.POST.getlist("staff")[:60], "roles": roles,
                 **{k: request.POST.get(k, "")[:20000] for k in ("agenda", "minutes", "decisions")}}  # fmt: skip
        data = ConferenceInput(held_on=typed["held_on"], staff=typed["staff"],
                               agencies=[TeamInput(c, roles.get(c, "")) for c in codes],
                               agenda=typed["agenda"], minutes=typed["minutes"],
                               decisions=typed["decisions"])  # fmt: skip
        try:
            held = hold_conference(staff, case.pk, data)
        except CaseError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("会議を記録しました。"))
            return redirect("cases:conference", case.pk, held.pk)
    return render(request, "cases/conference_new.html", {
        "case": case, "person_name": _name(views, case.person_id), "team": team,
        "staff": _attendable(case), "typed": typed, "errors": errors,
    }, status=422 if errors else 200)  # fmt: skip


def _conference_page(request: HttpRequest, case_id: int, conference_id: int,
                     status: int = 200, **extra: Any) -> HttpResponse:  # fmt: skip
    """The conference's record, its minutes (shared partial, with both texts after a
    refused save) and its actions (shared partial, overdue on the working-day calendar)."""
    opened = _open(request, case_id)
    if isinstance(opened, HttpResponse):
        return opened
    staff, case, views = opened
    require_reads_work(staff, case)
    held = (Conference.objects.filter(case=case, pk=conference_id)
            .select_related("recorded_by", "recorded_agency", "minutes_record").first())  # fmt: skip
    if held is None:
        raise Http404(gettext("その番号の会議はありません。"))
    record_request(request, AuditAction.VIEW, obj=held, person_id=case.person_id,
                   reason="case conference minutes", detail={"case": case.pk})  # fmt: skip
    works = case.is_open and allowed(staff, Action.WORK_CASES, case)
    actions = [(a, reverse("cases:conference_action_done", args=[case.pk, a.pk])
                if case.is_open and may_complete_conference_action(staff, case, a) else "")
               for a in held.actions.select_related("agency")]  # fmt: skip
    return render(request, "cases/conference.html", {
        "case": case, "person_name": _name(views, case.person_id), "c": held,
        "agencies": list(held.agencies.select_related("agency")),
        "attendees": list(held.attendees.select_related("staff", "staff__agency")),
        "support_meeting": held.regime == Regime.SUPPORT_MEETING,
        "agreed": list(held.case.plan.revisions.filter(conference=held).values_list("number", flat=True))
        if SupportPlan.objects.filter(case=case).exists() else [],
        "minutes": getattr(held, "minutes_record", None), "can_edit": works,
        "actions": actions,
        "assignable": [t.agency for t in case.team.select_related("agency")
                       if basis_holds(t.agency_id, case)] if works else [],
        "typed": {"title": "", "agency": "", "due_on": ""}, "errors": {}, **extra,
    }, status=status)  # fmt: skip


@login_required
@require_GET
def conference(request: HttpRequest, case_id: int, conference_id: int) -> HttpResponse:
    return _conference_page(request, case_id, conference_id)


@login_required
@require_POST
def conference_minutes(request: HttpRequest, case_id: int, conference_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    text = request.POST.get("version", "")
    version = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
    minutes = request.POST.get("text", "")[:20000]
    try:
        record_conference_minutes(staff, case_id, conference_id, minutes, version=version)
    except ConferenceMinutesConflict as exc:
        return _conference_page(request, case_id, conference_id, conflict=exc, status=409)
    except CaseError as exc:
        messages.error(request, said(exc))
    else:
        messages.success(request, gettext("議事録を保存しました。"))
    return redirect("cases:conference", case_id, conference_id)


@login_required
@require_POST
def conference_action_new(request: HttpRequest, case_id: int, conference_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    typed = {k: request.POST.get(k, "")[:400] for k in ("title", "agency", "due_on")}
    try:
        add_conference_action(staff, case_id, conference_id, ConferenceActionInput(**typed))
    except CaseError as exc:
        return _conference_page(request, case_id, conference_id, typed=typed,
                                errors=exc.errors, status=422)  # fmt: skip
    messages.success(request, gettext("行動を追加しました。"))
    return redirect("cases:conference", case_id, conference_id)


@login_required
@require_POST
def conference_action_done(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    attempt(request, lambda: complete_conference_action(staff, case_id, action_id),
            refused=CaseError, done=gettext("行動を完了にしました。"), say=said)  # fmt: skip
    held = (ConferenceAction.objects.filter(pk=action_id, conference__case_id=case_id)
            .values_list("conference_id", flat=True).first())  # fmt: skip
    if held is None:
        return redirect("cases:list")
    return redirect("cases:conference", case_id, held)


# ── printable papers ──


def _pdf(request: HttpRequest, case: Case, make: Any, name: str, what: str,
         **detail: Any) -> HttpResponse:  # fmt: skip
    """Send a paper of the case, audited as an export (the persons' views are
    audited by the presenter as they are made)."""
    try:
        pdf = make()
    except PdfUnavailable as exc:
        return HttpResponse(gettext(str(exc)), status=503, content_type="text/plain; charset=utf-8")
    record_request(request, AuditAction.EXPORT, obj=case, person_id=case.person_id,
                   reason=what, detail={"case": case.pk, "regime": case.regime, "persons":
                                        concerned(case), "format": "pdf", **detail})  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def plan_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    opened = _open(request, case_id)
    if isinstance(opened, HttpResponse):
        return opened
    staff, case, _views = opened
    require_reads_work(staff, case)
    version = SupportPlan.objects.filter(case=case).values_list("version", flat=True).first()
    return _pdf(request, case, lambda: documents.plan_pdf(staff, case, request),
                f"case-{case.pk}-plan.pdf", "case plan pdf", version=version)  # fmt: skip


@login_required
@require_GET
def conference_pdf(request: HttpRequest, case_id: int, conference_id: int) -> HttpResponse:
    opened = _open(request, case_id)
    if isinstance(opened, HttpResponse):
        return opened
    staff, case, _views = opened
    require_reads_work(staff, case)
    held = (Conference.objects.filter(case=case, pk=conference_id)
            .select_related("recorded_by", "recorded_agency", "support_meeting").first())  # fmt: skip
    if held is None:
        raise Http404(gettext("その番号の会議はありません。"))
    return _pdf(request, case, lambda: documents.conference_pdf(staff, case, held, request),
                f"case-{case.pk}-conference-{held.pk}.pdf", "case conference pdf",
                conference=held.pk, conference_regime=held.regime)  # fmt: skip
