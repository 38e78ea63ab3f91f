"""Pages of outreach: the worker's list, the day's visit list (written on even
without a connection), a target's page and its forms, new targets, tips and
the team view. Each page parses, calls one service and responds; every
person is shown through the presenter, which writes the audit event."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Agency
from tsunagari.accounts.policy import Action, actions_for, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.consultations.models import (
    Need,
    NeedKind,
    NeedStatus,
    Referral,
    ReferralOutcome,
)
from tsunagari.events.services import events_of
from tsunagari.lib import clock, paging
from tsunagari.lib.http import attempt, form_id, signed_in_staff
from tsunagari.linkage.models import Candidate, CandidateStatus
from tsunagari.outreach.access import get_target_for
from tsunagari.outreach.models import (
    IMMEDIATE_RISKS,
    STATE_ORDER,
    CloseReason,
    Method,
    OutreachTarget,
    Result,
    Risk,
    Source,
    State,
    TargetKind,
    Tipster,
)
from tsunagari.outreach.services import (
    ConnectInput,
    ContactInput,
    OutreachError,
    StaleVersion,
    TipInput,
    allowed_moves,
    cases_for,
    close_target,
    connect_target,
    create_target_from_candidate,
    create_target_from_consultation,
    create_target_from_need,
    identify_target,
    log_contact,
    move_state,
    pause_target,
    send_tip,
    take_target,
)
from tsunagari.outreach.worklists import (
    LIST_PAGE,
    TEAM_SECTIONS,
    by_urgency,
    latest_contacts,
    rows_for,
    targets_by_id,
    team_counts,
    visit_list,
    waiting_ids,
)
from tsunagari.people import sections
from tsunagari.people.presenter import Purpose, present_people, present_person

CONTACT_FIELDS = ("on", "method", "result", "living", "risk_note", "next_on", "told", "client_ref")


def _say(exc: Exception) -> str:
    return " ".join(exc.errors.values()) if isinstance(exc, OutreachError) else str(exc)


def _choices() -> dict[str, Any]:
    return {
        "methods": Method.choices, "results": Result.choices, "risks": Risk.choices,
        "immediate": sorted(IMMEDIATE_RISKS), "today": clock.today(),
    }  # fmt: skip


@login_required
@require_GET
def worker_list(request: HttpRequest) -> HttpResponse:
    """The worker's caseload: overdue next contacts first, then the rest.

    Each section shows LIST_PAGE rows a page: the whole caseload is ordered
    (on the latest contacts alone), and only the rows shown are presented
    and audited.
    """
    staff = signed_in_staff(request)
    require(staff, Action.WORK_OUTREACH)
    mine, overdue = by_urgency(staff)
    waiting, review = waiting_ids()
    pages = {
        "caseload": (Paginator(mine, LIST_PAGE).get_page(request.GET.get("page")), "page"),
        "waiting": (
            Paginator(waiting, LIST_PAGE).get_page(request.GET.get("waiting_page")),
            "waiting_page",
        ),
        "review": (
            Paginator(review, LIST_PAGE).get_page(request.GET.get("review_page")),
            "review_page",
        ),
    }
    shown_ids = [pk for page, _param in pages.values() for pk in page.object_list]
    latest = latest_contacts(shown_ids)
    shown = targets_by_id(shown_ids)
    by_target = {r.target.pk: r for r in rows_for(staff, shown, request=request, latest=latest)}

    def listed(name: str) -> dict[str, Any]:
        pager = paging.section(pages, name)
        rows = [by_target[pk] for pk in pager["page"].object_list if pk in by_target]
        return {**pager, "rows": rows}

    return render(request, "outreach/list.html", {
        "caseload": listed("caseload"), "overdue": overdue,
        "waiting": listed("waiting"), "review": listed("review"),
    })  # fmt: skip


@login_required
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    """The day's visit list, each with a contact note that can be written offline."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_OUTREACH)
    rows = rows_for(staff, visit_list(staff), request=request)
    return render(request, "outreach/visits.html", {"rows": rows, **_choices()})


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_OUTREACH)
    counts = team_counts(staff)
    labels = dict(State.choices)
    chart = {
        "id": "state-flow", "title": gettext("月末時点の段階別の対象数"),
        "axis": gettext("対象数"), "categories": counts.months,
        "series": [{"name": str(labels[s]), "values": counts.flow[s]} for s in STATE_ORDER],
    }  # fmt: skip
    record_request(request, AuditAction.VIEW, object_type="outreach.team",
                   detail={"page": "team"})  # fmt: skip
    flow_rows = [(str(labels[s]), counts.flow[s]) for s in STATE_ORDER]
    return render(request, "outreach/team.html", {
        "counts": counts, "chart": chart, "flow_rows": flow_rows,
    })  # fmt: skip


def _sources(staff: Any, request: HttpRequest) -> dict[str, Any]:
    """What the worker may turn into a target: their picked-up outreach needs,
    candidates passed to outreach, consultations whose person was not reached."""
    needs = list(
        Need.objects.filter(kind=NeedKind.OUTREACH, status=NeedStatus.PICKED_UP,
                            picked_up_by=staff, outreach_target__isnull=True)
        .select_related("person").order_by("picked_up_at")[:100]
    )  # fmt: skip
    used = OutreachTarget.objects.filter(candidate__isnull=False).values("candidate_id")
    candidates = list(
        Candidate.objects.filter(status=CandidateStatus.REFERRED)
        .exclude(pk__in=used)
        .order_by("-decided_at")[:100]
    )
    targeted = OutreachTarget.objects.filter(consultation__isnull=False).values("consultation_id")
    unreached = list(
        Referral.objects.filter(outcome=ReferralOutcome.NO_CONTACT)
        .exclude(consultation_id__in=targeted)
        .select_related("person", "to_agency")
        .order_by("-closed_at")[:100]
    )
    persons = {n.person_id: n.person for n in needs} | {r.person_id: r.person for r in unreached}
    views = {v.id: v for v in present_people(
        staff, list(persons.values()), Purpose.LIST, request=request,
        object_type="outreach.sources", granted=frozenset({sections.IDENTITY}),
    )} if persons else {}  # fmt: skip
    return {
        "needs": [(n, views.get(n.person_id)) for n in needs],
        "candidates": [(c, c.members.count()) for c in candidates],
        "unreached": [(r, views.get(r.person_id)) for r in unreached],
    }


@login_required
@require_http_methods(["GET", "POST"])
def new_target(request: HttpRequest) -> HttpResponse:
    """A target from a need, a candidate, an unreached consultation, or typed (a tip)."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_OUTREACH)
    errors: dict[str, str] = {}
    typed = TipInput()
    if request.method == "POST":
        source = request.POST.get("source", "")
        number = form_id(request.POST.get("id"))
        try:
            if source == Source.NEED and number:
                target = create_target_from_need(staff, number)
            elif source == Source.CANDIDATE and number:
                require(staff, Action.VIEW_FLAGS)
                target = create_target_from_candidate(staff, number)
            elif source == Source.CONSULTATION and number:
                target = create_target_from_consultation(staff, number)
            else:
                typed = _tip_input(request)
                tip = send_tip(staff, typed)
                target = OutreachTarget.objects.get(tip=tip)
                take_target(staff, target.pk)
        except OutreachError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("アウトリーチの対象を登録しました。"))
            return redirect("outreach:detail", target.pk)
    return render(request, "outreach/new.html", {
        "errors": errors, "typed": typed, "tipsters": Tipster.choices,
        "flags": Action.VIEW_FLAGS in actions_for(staff), **_sources(staff, request),
    }, status=422 if errors else 200)  # fmt: skip


def _tip_input(request: HttpRequest) -> TipInput:
    return TipInput(**{k: request.POST.get(k, "") for k in
                       ("tipster", "town", "address", "description")})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def tip(request: HttpRequest) -> HttpResponse:
    """The short tip form for 民生委員 and partners; answered with a reference only."""
    staff = signed_in_staff(request)
    require(staff, Action.SEND_OUTREACH_TIP)
    errors: dict[str, str] = {}
    typed = TipInput()
    reference = ""
    if request.method == "POST":
        typed = _tip_input(request)
        try:
            reference = send_tip(staff, typed).reference
        except OutreachError as exc:
            errors = exc.errors
        else:
            typed = TipInput()
    return render(request, "outreach/tip.html", {
        "errors": errors, "typed": typed, "tipsters": Tipster.choices, "reference": reference,
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_GET
def detail(request: HttpRequest, target_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    target = get_target_for(staff, target_id)
    team = Action.WORK_OUTREACH in actions_for(staff)
    person = None
    if target.person is not None:
        household = team and target.kind == TargetKind.HOUSEHOLD
        granted = TEAM_SECTIONS if team else frozenset({sections.IDENTITY})
        if household:
            # A household target shares who lives there with the team (names,
            # relations, ages; the presenter hides a sealed household's address).
            granted = granted | {sections.HOUSEHOLD}
        person = present_person(staff, target.person, Purpose.VIEW, request=request,
                                granted=granted, with_household=household,
                                detail={"target": target.pk})  # fmt: skip
    else:
        record_request(request, AuditAction.VIEW, obj=target, detail={"partial": True})
    row = rows_for(staff, [target], request=None)[0] if team else None
    labels = dict(State.choices)
    return render(request, "outreach/detail.html", {
        "target": target, "person": person, "row": row, "can_work": team,
        "contacts": list(target.contacts.select_related("recorded_by").order_by("-on", "-pk")),
        "events": events_of(target),
        "states": [(s, labels[s]) for s in STATE_ORDER],
        "moves": [(s, labels[s]) for s in allowed_moves(target)] if team else [],
        "close_reasons": CloseReason.choices,
        "agencies": Agency.objects.filter(is_active=True).order_by("code") if team else [],
        "cases": cases_for(target) if team else [],
        "connectable": target.state in {State.IN_CONTACT, State.BUILDING_TRUST},
        "flags": Action.VIEW_FLAGS in actions_for(staff),
        **_choices(),
    })  # fmt: skip


def _contact_input(request: HttpRequest, data: dict[str, Any]) -> ContactInput:
    risks = data.get("risks")
    if not isinstance(risks, list):
        risks = request.POST.getlist("risks")[:20]
    values = {k: data.get(k, "") for k in CONTACT_FIELDS}
    return ContactInput(risks=[str(r) for r in risks][:20],
                        **{k: v if isinstance(v, str) else "" for k, v in values.items()})  # fmt: skip


@login_required
@require_POST
def contact(request: HttpRequest, target_id: int) -> HttpResponse:
    """Log a contact: from a form (redirects back) or from the offline note's
    script (JSON in, JSON out: 201 sent, 409 changed meanwhile, 422 to fix)."""
    staff = signed_in_staff(request)
    is_json = request.content_type == "application/json"
    if is_json:
        try:
            data = json.loads(request.body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            return JsonResponse({"errors": {"body": gettext("送られた内容を読めません。")}},
                                status=400)  # fmt: skip
        if not isinstance(data, dict):
            data = {}
    else:
        data = {k: request.POST.get(k, "") for k in CONTACT_FIELDS}
        data["version"] = request.POST.get("version", "")
    version = form_id(data.get("version"))
    if is_json:
        try:
            done = log_contact(staff, target_id, _contact_input(request, data), version=version)
        except PermissionDenied as exc:
            return JsonResponse({"errors": {"permission": str(exc)}}, status=403)
        except StaleVersion as exc:
            current = OutreachTarget.objects.get(pk=target_id)
            return JsonResponse({"errors": exc.errors, "version": current.version,
                                 "state": str(State(current.state).label)}, status=409)  # fmt: skip
        except OutreachError as exc:
            return JsonResponse({"errors": exc.errors}, status=422)
        target = OutreachTarget.objects.get(pk=target_id)
        return JsonResponse({"contact": done.pk, "version": target.version,
                             "state": str(State(target.state).label)}, status=201)  # fmt: skip
    back = request.POST.get("back") == "visits"
    attempt(request, lambda: log_contact(staff, target_id, _contact_input(request, data),
                                         version=version),
            refused=OutreachError, done=gettext("記録しました。"), say=_say)  # fmt: skip
    return redirect("outreach:visits") if back else redirect("outreach:detail", target_id)


def _act(request: HttpRequest, target_id: int, action: Any, done: str) -> HttpResponse:
    attempt(request, action, refused=OutreachError, done=done, say=_say)
    return redirect("outreach:detail", target_id)


def _version(request: HttpRequest) -> int | None:
    return form_id(request.POST.get("version"))


@login_required
@require_POST
def state(request: HttpRequest, target_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    to = request.POST.get("state", "")[:40]
    return _act(request, target_id, lambda: move_state(staff, target_id, to, _version(request)),
                gettext("段階を変えました。"))  # fmt: skip


@login_required
@require_POST
def take(request: HttpRequest, target_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    return _act(request, target_id, lambda: take_target(staff, target_id),
                gettext("担当になりました。"))  # fmt: skip


@login_required
@require_POST
def connect(request: HttpRequest, target_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    data = ConnectInput(**{k: request.POST.get(k, "") for k in
                           ("to", "agency", "referral", "case", "handover_note")})  # fmt: skip
    return _act(request, target_id,
                lambda: connect_target(staff, target_id, data, _version(request)),
                gettext("支援につなぎました。"))  # fmt: skip


@login_required
@require_POST
def close(request: HttpRequest, target_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    reason, note = request.POST.get("reason", "")[:40], request.POST.get("note", "")
    return _act(request, target_id,
                lambda: close_target(staff, target_id, reason, note, _version(request)),
                gettext("終了を記録しました。"))  # fmt: skip


@login_required
@require_POST
def pause(request: HttpRequest, target_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    until, note = request.POST.get("until", "")[:20], request.POST.get("note", "")
    return _act(request, target_id,
                lambda: pause_target(staff, target_id, until, note, _version(request)),
                gettext("一時休止を記録しました。"))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def identify(request: HttpRequest, target_id: int) -> HttpResponse:
    """Search for the person a partly identified target is, and tie them."""
    from tsunagari.people.lookup import LookupLimited, interactive_lookup

    staff = signed_in_staff(request)
    target = get_target_for(staff, target_id, to_work=True)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()[:200]
    if request.method == "POST" and "person" in request.POST:
        person_id = form_id(request.POST.get("person")) or 0
        if attempt(request, lambda: identify_target(staff, target_id, query, person_id),
                   refused=OutreachError, done=gettext("本人と結びつけました。"), say=_say):  # fmt: skip
            return redirect("outreach:detail", target_id)
    matches: list[Any] = []
    if query:
        try:
            matches = interactive_lookup(staff, query, purpose="outreach").matches
        except LookupLimited as exc:
            messages.error(request, str(exc))
    return render(request, "outreach/identify.html", {
        "target": target, "query": query, "matches": matches,
        "may_tie": allowed(staff, Action.WORK_OUTREACH, target),
    })  # fmt: skip
