"""Pages of the multi-agency cases: the list, opening from a need, the case page
and its forms. Each page parses, calls one service and responds."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Staff
from tsunagari.accounts.policy import Action, actions_for, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.cases.access import get_case_for, needs_confirmation, unconfirmed
from tsunagari.cases.dashboard import dashboard
from tsunagari.cases.ecomap import household_map
from tsunagari.cases.models import (
    MOVABLE_STAGES,
    Case,
    CaseState,
    EndReason,
    Regime,
    SourceKind,
    Stage,
    SupportPlan,
    TeamAgency,
)
from tsunagari.cases.services import (
    MAX_TEAM,
    PLAN_EXPECTED_DAYS,
    AssignInput,
    CaseError,
    CaseInput,
    CaseSource,
    EndInput,
    TeamInput,
    add_agency,
    agency_actions,
    allowed_moves,
    assign_worker,
    case_from,
    cases_without_plan,
    change_regime,
    check_source,
    confirm_confidentiality,
    end_case,
    latest_assessments,
    move_stage,
    open_case,
    overdue_actions,
    reopen_case,
    reviews_due,
    source_label,
    visible_cases,
    worklist_cases,
)
from tsunagari.cases.sources import source_url, waiting_sources
from tsunagari.cases.timeline import case_timeline
from tsunagari.consent.models import Consent
from tsunagari.consent.services import consenting_agencies, has_need_basis, may_see_household
from tsunagari.lib.http import attempt, form_id, said, signed_in_staff
from tsunagari.people import sections
from tsunagari.people.presenter import PersonView, Purpose, present_people, present_person

# Empty team rows the opening form offers.
FORM_ROWS = 6


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.VIEW_PERSONAL_DATA)
    stage = request.GET.get("stage", "")
    regime = request.GET.get("regime", "")
    stage = stage if stage in Stage.values or stage in CaseState.values else ""
    regime = regime if regime in Regime.values else ""
    cases = visible_cases(staff)
    by_stage = Counter(c.stage for c in cases if c.state != CaseState.SUSPENDED)
    suspended = sum(1 for c in cases if c.state == CaseState.SUSPENDED)
    shown = [c for c in cases if not regime or c.regime == regime]
    if stage == CaseState.SUSPENDED:
        shown = [c for c in shown if c.state == CaseState.SUSPENDED]
    elif stage:
        shown = [c for c in shown if c.stage == stage and c.state != CaseState.SUSPENDED]
    # A 支援会議 case shows no one's name before the viewer confirmed the duty.
    closed = unconfirmed(staff, shown)
    persons = {c.person_id: c.person for c in shown if c.pk not in closed}
    views = present_people(staff, list(persons.values()), Purpose.LIST, request=request,
                           object_type="cases.case",
                           detail={"cases": [c.pk for c in shown if c.pk not in closed]})  # fmt: skip
    people = {v.id: v for v in views}
    work = worklist_cases(staff, cases)  # read once for the four sections below
    return render(request, "cases/list.html", {
        "rows": [(c, None if c.pk in closed else people[c.person_id]) for c in shown],
        "counts": [(v, label, by_stage.get(v, 0)) for v, label in Stage.choices],
        "suspended": suspended, "total": len(cases),
        "stages": Stage.choices, "regimes": Regime.choices,
        "stage": stage, "regime": regime, "overdue": overdue_actions(staff, work=work),
        "no_plan": cases_without_plan(staff, work=work), "plan_days": PLAN_EXPECTED_DAYS,
        "reviews": reviews_due(staff, work=work), "assigned": agency_actions(staff, work=work),
        "waiting": waiting_sources(staff), "can_dashboard": allowed(staff, Action.WORK_CASES),
    })  # fmt: skip


def _typed_team(request: HttpRequest) -> list[TeamInput]:
    codes = request.POST.getlist("agency")[: MAX_TEAM + 1]
    roles = request.POST.getlist("role")[: MAX_TEAM + 1]
    roles += [""] * (len(codes) - len(roles))
    return [TeamInput(c, r) for c, r in zip(codes, roles, strict=False) if c.strip() or r.strip()]


def _leads() -> list[Staff]:
    """Staff who may be a case's lead worker: active, at an agency, handling personal records."""
    rows = Staff.objects.filter(is_active=True, agency__isnull=False, agency__is_active=True)
    return [s for s in rows.select_related("agency").order_by("agency__code", "username")
            if allowed(s, Action.VIEW_PERSONAL_DATA)]  # fmt: skip


def _workers(case: Case) -> dict[int, list[Staff]]:
    """Per team agency, the staff who may be its worker on the case."""
    agencies = set(case.team.values_list("agency_id", flat=True))
    found: dict[int, list[Staff]] = {}
    for s in _leads():
        if s.agency_id in agencies:
            found.setdefault(s.agency_id, []).append(s)
    return found


def _team_rows(case: Case, can_work: bool) -> list[tuple[TeamAgency, list[Staff]]]:
    """The team, each agency with the staff who may be named its worker (when the viewer works it)."""
    workers = _workers(case) if can_work else {}
    return [(t, workers.get(t.agency_id, [])) for t in case.team.select_related("agency", "worker")]


def _source_from(request: HttpRequest) -> CaseSource | None:
    """The source named by the form or the link (?need=, ?consultation=, ?referral=,
    ?outreach=, ?candidate=), or None when none is named or its number is not one."""
    for kind in SourceKind.values:
        raw = request.POST.get(kind) or request.GET.get(kind)
        if raw is not None:
            number = form_id(raw)
            return CaseSource(kind, number) if number is not None else None
    return None


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CASES)
    source = _source_from(request)
    if source is None:
        return render(request, "cases/refused.html", {"reason": gettext(
            "事例の始まり（依頼・相談・つなぎ・アウトリーチの対象・早期把握の候補）の番号が正しくありません。"
            "元の記録の画面から開いてください。")}, status=400)  # fmt: skip
    try:
        facts = check_source(staff, source)
    except CaseError as exc:
        return render(request, "cases/refused.html",
                      {"reason": " ".join(str(m) for m in exc.errors.values()) or str(exc)},
                      status=400)  # fmt: skip
    existing = case_from(source)
    if existing is not None:
        return redirect("cases:detail", existing.pk)
    errors: dict[str, str] = {}
    team = [TeamInput(staff.agency.code if staff.agency else "", gettext("調整（多機関協働）"))]
    typed: dict[str, Any] = {"regime": "", "lead": staff.username, "members": [], "person": ""}
    if request.method == "POST":
        team = _typed_team(request)
        typed = {"regime": request.POST.get("regime", ""), "lead": request.POST.get("lead", ""),
                 "members": request.POST.getlist("members")[:21],
                 "person": request.POST.get("person", "")[:13]}  # fmt: skip
    # 「確かめる」 (a candidate's person chosen): show that person's household, open nothing.
    if request.method == "POST" and not request.POST.get("check"):
        try:
            case = open_case(staff, source, CaseInput(team=team, **typed))
        except CaseError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("事例を始めました。"))
            return redirect("cases:detail", case.pk)
    person = facts.person
    detail = {"form": "case", "source": source.kind, "source_id": source.id}
    choices: list[PersonView] = []
    if person is None:
        # An early-detection candidate: its members by name (designated staff), to choose from.
        choices = present_people(staff, facts.choices, Purpose.LIST, request=request,
                                 object_type="cases.case", granted=frozenset({sections.IDENTITY}),
                                 detail=detail)  # fmt: skip
        chosen = next((p for p in facts.choices if str(p.pk) == typed["person"]), None)
        person = chosen
    view: PersonView | None = None
    members: list[Any] = []
    if person is not None:
        household = may_see_household(staff, person.pk)
        granted = frozenset({sections.IDENTITY, sections.HOUSEHOLD}
                            if has_need_basis(staff, person.pk) else {sections.IDENTITY})  # fmt: skip
        view = present_person(staff, person, Purpose.VIEW, request=request, granted=granted,
                              with_household=household, detail=detail)  # fmt: skip
        members = [m for m in view.household.members if not m.is_self] if view.household else []
    rows = team + [TeamInput("", "")] * max(0, FORM_ROWS - len(team))
    return render(request, "cases/new.html", {
        "source": source, "source_label": source_label(source.kind, source.id),
        "source_url": source_url(source.kind, source.id, facts.need),
        "need": facts.need, "person": view, "choices": choices,
        "members": members, "typed": typed, "errors": errors,
        "team_rows": rows[:MAX_TEAM], "agencies": consenting_agencies(), "leads": _leads(),
        "regimes": Regime.choices,
    }, status=422 if errors else 200)  # fmt: skip


def _basis(case: Case) -> dict[str, Any]:
    if case.regime == Regime.SUPPORT_MEETING and case.support_meeting is not None:
        meeting = case.support_meeting
        return {"meeting": meeting, "meeting_agencies": list(meeting.agencies.order_by("code"))}
    consent = (
        Consent.objects.filter(pk=case.consent_id).prefetch_related("agencies").first()
        if case.consent_id else None
    )  # fmt: skip
    return {"consent": consent}


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    case = get_case_for(staff, case_id)
    if needs_confirmation(staff, case):
        return _confirmation_step(request, staff, case)
    person = present_person(staff, case.person, Purpose.VIEW, request=request,
                            detail={"case": case.pk})  # fmt: skip
    member_rows = list(case.members.select_related("person"))
    member_views: list[PersonView] = present_people(
        staff, [m.person for m in member_rows], Purpose.LIST, request=request,
        object_type="cases.case", detail={"case": case.pk},
    )  # fmt: skip
    can_work = allowed(staff, Action.WORK_CASES, case)
    return render(request, "cases/detail.html", {
        "case": case, "person": person,
        "members": list(zip(member_rows, member_views, strict=True)),
        "team": _team_rows(case, can_work and case.is_open),
        "moves": [(s, Stage(s).label) for s in allowed_moves(case)] if can_work else [],
        "stages": [(s, Stage(s).label) for s in MOVABLE_STAGES] + [(Stage.CLOSED, Stage.CLOSED.label)],
        "can_work": can_work, "timeline": case_timeline(staff, case, [person, *member_views]),
        "end_reasons": EndReason.choices, "agencies": consenting_agencies() if can_work else [],
        "other_regime": [(v, label) for v, label in Regime.choices if v != case.regime],
        "viewer_actions": actions_for(staff), **_basis(case),
        "assessed": latest_assessments(case), "plan": SupportPlan.objects.filter(case=case).first(),
        "conferences": list(case.conferences.order_by("-held_on", "-pk")[:20]),
        "confirmed": case.confirmations.filter(staff=staff).first(),
        "map": household_map(case, {v.id: v for v in [person, *member_views]}),
        "source_label": source_label(case.source_kind, case.source_id),
        "source_url": source_url(case.source_kind, case.source_id, case.need),
    })  # fmt: skip


def _confirmation_step(request: HttpRequest, staff: Staff, case: Case) -> HttpResponse:
    """Under 支援会議, a worker's first opening of the case: the duty, and nothing of the persons."""
    record_request(request, AuditAction.VIEW, obj=case, reason="case confidentiality step",
                   detail={"case": case.pk})  # fmt: skip
    return render(request, "cases/confirm.html", {"case": case})


@login_required
@require_POST
def case_confirm(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    return _act(request, case_id, lambda: confirm_confidentiality(staff, case_id),
                gettext("守秘義務の確認を記録しました。"))  # fmt: skip


def _act(request: HttpRequest, case_id: int, action: Any, done: str) -> HttpResponse:
    attempt(request, action, refused=CaseError, done=done,
            say=said)  # fmt: skip
    return redirect("cases:detail", case_id)


@login_required
@require_POST
def case_stage(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    to = request.POST.get("stage", "")[:40]
    return _act(request, case_id, lambda: move_stage(staff, case_id, to),
                gettext("段階を変えました。"))  # fmt: skip


@login_required
@require_POST
def case_end(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    data = EndInput(**{k: request.POST.get(k, "") for k in
                       ("state", "reason", "note", "handover_agency", "handover_note")})  # fmt: skip
    return _act(request, case_id, lambda: end_case(staff, case_id, data),
                gettext("記録しました。"))  # fmt: skip


@login_required
@require_POST
def case_reopen(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    return _act(request, case_id, lambda: reopen_case(staff, case_id),
                gettext("事例を再開しました。"))  # fmt: skip


@login_required
@require_POST
def case_add_agency(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    code, role = request.POST.get("agency", ""), request.POST.get("role", "")
    return _act(request, case_id, lambda: add_agency(staff, case_id, code, role),
                gettext("チームに機関を加えました。"))  # fmt: skip


@login_required
@require_POST
def case_regime(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    regime = request.POST.get("regime", "")[:40]
    return _act(request, case_id, lambda: change_regime(staff, case_id, regime),
                gettext("情報共有の根拠を変えました。"))  # fmt: skip


@login_required
@require_POST
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    data = AssignInput(agency=request.POST.get("agency", ""), worker=request.POST.get("worker", ""),
                       lead=request.POST.get("lead") == "1")  # fmt: skip
    return _act(request, case_id, lambda: assign_worker(staff, case_id, data),
                gettext("担当者を記録しました。"))  # fmt: skip


@login_required
@require_GET
def case_dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's counts of their agency's cases (small cells suppressed)."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CASES)
    record_request(request, AuditAction.VIEW, object_type="cases.dashboard",
                   detail={"page": "dashboard"})  # fmt: skip
    return render(request, "cases/dashboard.html", {"d": dashboard(staff),
                                                    "threshold": settings.SMALL_CELL_MIN})  # fmt: skip
