"""Pages of the front door. Each view parses the request, calls one service and responds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Agency, AgencyKind, Staff
from tsunagari.accounts.policy import Action, actions_for, require
from tsunagari.accounts.visits import record_visit
from tsunagari.accounts.waiting import waiting_for
from tsunagari.consent.models import Consent
from tsunagari.consent.services import (
    active_support_meeting,
    consent_covering,
    consent_members,
    may_see_household,
)
from tsunagari.consultations import worklists
from tsunagari.consultations.access import need_basis
from tsunagari.consultations.intake import PERSON_FIELDS
from tsunagari.consultations.limits import due_at
from tsunagari.consultations.models import (
    Channel,
    Consultation,
    ConsultationStatus,
    FirstOutcome,
    HealthInsurance,
    Housing,
    NeedKind,
    Pension,
    ProblemArea,
    ReferralOutcome,
    Service,
    Urgency,
    Visitor,
    Work,
)
from tsunagari.consultations.present import present_referral, present_referrals
from tsunagari.consultations.services import (
    ConsultationInput,
    DuplicatePerson,
    EditConflict,
    IntakeError,
    NeedError,
    ReferralError,
    accept_referral,
    decline_referral,
    open_consultation,
    open_referral,
    pick_up_need,
    record_referral_outcome,
    revoke_referral,
    save_consultation,
    send_referral,
)
from tsunagari.lib import clock, paging
from tsunagari.lib.http import form_id, signed_in_staff
from tsunagari.people import sections
from tsunagari.people.lookup import LookupLimited, interactive_lookup
from tsunagari.people.models import IdentityCheck, Person, Sex
from tsunagari.people.presenter import Purpose, present_people, present_person

# The worklist's own consultations, a page at a time (newest first): the rest
# are on the next pages, and every one can be found by the person's look-up.
WORKLIST_PAGE = 25

_FIELDS = ("received_on", "channel", "service", "visitor", "visitor_relation", "main_problem",
           "work", "housing", "health_insurance", "pension", "notes", "outcome", "identity_check",
           "identity_note")  # fmt: skip


def intake_from_post(post: QueryDict) -> ConsultationInput:
    """What was typed, as typed: the service decides what is acceptable."""
    return ConsultationInput(
        **{name: post.get(name, "") for name in _FIELDS},
        person_id=post.get("person_id") or None,
        new_person={name: post.get(f"new_{name}", "") for name in PERSON_FIELDS},
        confirm_new=post.get("confirm_new") == "on",
        problems=post.getlist("problems"),
    )


def _values_of(consultation: Consultation) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(consultation, name) for name in _FIELDS}
    values["received_on"] = consultation.received_on.isoformat() if consultation.received_on else ""
    values["problems"] = list(consultation.problems or [])
    values["person_id"] = str(consultation.person_id or "")
    for name in PERSON_FIELDS:
        values[f"new_{name}"] = (consultation.pending_person or {}).get(name, "")
    return values


def _values_from_post(post: QueryDict) -> dict[str, Any]:
    values: dict[str, Any] = {name: post.get(name, "") for name in _FIELDS}
    values["problems"] = post.getlist("problems")
    values["person_id"] = post.get("person_id", "")
    values["confirm_new"] = post.get("confirm_new") == "on"
    for name in PERSON_FIELDS:
        values[f"new_{name}"] = post.get(f"new_{name}", "")
    return values


def _choices() -> dict[str, Any]:
    return {
        "channels": Channel.choices, "services": Service.choices, "visitors": Visitor.choices,
        "identity_checks": IdentityCheck.choices,
        "problem_areas": ProblemArea.choices, "works": Work.choices, "housings": Housing.choices,
        "insurances": HealthInsurance.choices, "pensions": Pension.choices,
        "outcomes": [c for c in FirstOutcome.choices if c[0]], "sexes": Sex.choices,
    }  # fmt: skip


def _intake_page(
    request: HttpRequest,
    values: dict[str, Any],
    *,
    consultation: Consultation | None,
    version: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    staff = signed_in_staff(request)
    selected = None
    person_id = form_id(values.get("person_id"))
    if person_id:
        person = Person.objects.filter(pk=person_id).first()
        if person is not None:
            selected = present_people(staff, [person], Purpose.LIST, request=request,
                                      object_type="consultations.intake")[0]  # fmt: skip
    context = {
        "values": values,
        "consultation": consultation,
        "version": version,
        "errors": errors or {},
        "selected": selected,
        # No autosave beside a conflict: saving over a colleague's text must be a choice.
        "autosave": (consultation is None or consultation.status == ConsultationStatus.DRAFT)
        and "conflict" not in extra,
        **_choices(),
        **extra,
    }
    return render(request, "consultations/intake.html", context, status=status)


@login_required
@require_GET
def new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.WORK_CONSULTATIONS)
    values = {"received_on": timezone.localdate().isoformat(), "problems": [], "visitor": "self"}
    return _intake_page(request, values, consultation=None, version=0)


@login_required
@require_GET
def edit(request: HttpRequest, consultation_id: int) -> HttpResponse:
    require(request.user, Action.WORK_CONSULTATIONS)
    consultation = open_consultation(signed_in_staff(request), consultation_id, via="edit")
    require(request.user, Action.WORK_CONSULTATIONS, consultation)  # the receiving agency only
    return _intake_page(
        request, _values_of(consultation), consultation=consultation, version=consultation.version
    )


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CONSULTATIONS)
    consultation_id = form_id(request.POST.get("consultation_id"))
    version = form_id(request.POST.get("version")) or 0
    final = "draft" not in request.POST
    values = _values_from_post(request.POST)
    current = None
    if consultation_id:
        current = open_consultation(staff, consultation_id, via="save")
        require(staff, Action.WORK_CONSULTATIONS, current)  # the receiving agency only
    try:
        saved = save_consultation(
            staff,
            intake_from_post(request.POST),
            consultation_id=consultation_id,
            expected_version=version,
            final=final,
        )
    except IntakeError as exc:
        return _intake_page(request, values, consultation=current, version=version,
                            errors=exc.errors, status=400)  # fmt: skip
    except DuplicatePerson as exc:
        return _intake_page(request, values, consultation=current, version=version,
                            duplicates=exc.matches, status=409)  # fmt: skip
    except EditConflict as exc:
        # Keep what this consultant typed; show the saved version beside it.
        return _intake_page(request, values, consultation=exc.current, version=exc.current.version,
                            conflict=exc.current, status=409)  # fmt: skip
    if not final:
        messages.success(request, gettext("下書きを保存しました。"))
        return redirect("consultations:edit", consultation_id=saved.pk)
    messages.success(request, gettext("相談を受け付けました。"))
    return redirect("consultations:detail", consultation_id=saved.pk)


@login_required
@require_POST
def autosave(request: HttpRequest) -> HttpResponse:
    """htmx: save the draft while typing; answer with a status line and the new version."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CONSULTATIONS)
    consultation_id = form_id(request.POST.get("consultation_id"))
    version = form_id(request.POST.get("version")) or 0
    context: dict[str, Any] = {"consultation_id": consultation_id or "", "version": version}
    try:
        saved = save_consultation(staff, intake_from_post(request.POST),
                                  consultation_id=consultation_id, expected_version=version)  # fmt: skip
    except IntakeError as exc:
        context["problem"] = gettext("下書きを保存できませんでした: %(errors)s") % {
            "errors": " ".join(exc.errors.values())
        }
    except EditConflict:
        context["problem"] = gettext(
            "別の職員がこの相談を保存したため、自動保存を止めました。"
            "「保存」を押すと、保存済みの内容とあなたの入力を並べて表示します。"
        )
    else:
        context.update(consultation_id=saved.pk, version=saved.version, saved_at=saved.updated)
    return render(request, "consultations/_autosave.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: candidates for the intake's person, as radio buttons (the
    intake posts the query, so that it stays out of addresses and logs)."""
    require(request.user, Action.WORK_CONSULTATIONS)
    q = (request.POST if request.method == "POST" else request.GET).get("q", "")[:200]
    purpose = "consultation intake"
    try:
        result = interactive_lookup(request.user, q, purpose=purpose) if q.strip() else None
    except LookupLimited as exc:
        limited = render(request, "consultations/_candidates.html", {"q": q, "limited": exc.message},
                         status=429)  # fmt: skip
        limited["Retry-After"] = str(exc.retry_after)
        return limited
    return render(request, "consultations/_candidates.html", {"result": result, "q": q})


@login_required
@require_GET
def detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    consultation = open_consultation(staff, consultation_id)
    person_view = (
        present_person(staff, consultation.person, Purpose.VIEW, request=request,
                       granted=frozenset({sections.IDENTITY}), detail={"consultation": consultation.pk})
        if consultation.person else None
    )  # fmt: skip
    consents: list[Consent] = []
    meeting = None
    # Whom the person allowed to share with, and what, is part of their
    # support record: an agency that only received a report about them
    # (no basis to see the person) does not see it.
    basis_hidden = person_view is not None and not person_view.shows(sections.SUPPORT)
    if consultation.person_id and not basis_hidden:
        consents = list(
            Consent.objects.filter(person_id=consultation.person_id).prefetch_related("agencies")
        )
        meeting = active_support_meeting(consultation.person_id)
    # Household members the consents name, by name only, where the viewer
    # may see the household (their withdrawals are recorded one by one).
    members = _consent_members(request, staff, consultation.person_id, consents)
    # Picked up a need raised here: the coordinator starts from this
    # consultation (consent or a support-meeting decision for the household).
    need = need_basis(staff, consultation_id=consultation.pk)
    context = {
        "c": consultation,
        "person": person_view,
        "consents": consents,
        "meeting": meeting,
        "basis_hidden": basis_hidden,
        "referrals": present_referrals(staff, list(consultation.referrals.select_related(
            "from_agency", "to_agency", "person", "sent_by")), request=request),
        "needs": consultation.needs.all(),
        "can_work": Action.WORK_CONSULTATIONS in actions_for(staff),
        "can_decide_meeting": Action.DECIDE_SUPPORT_MEETING in actions_for(staff),
        "own": staff.agency_id is not None and staff.agency_id == consultation.agency_id,
        "need_basis": need,
        "consent_rows": [(k, members.get(k.pk, [])) for k in consents],
    }  # fmt: skip
    return render(request, "consultations/detail.html", context)


def _consent_members(
    request: HttpRequest, staff: Staff, person_id: int | None, consents: list[Consent]
) -> dict[int, list[dict[str, Any]]]:
    if not person_id or not consents or not may_see_household(staff, person_id):
        return {}
    rows = consent_members([c.pk for c in consents])
    persons = {m.person_id: m.person for ms in rows.values() for m in ms}
    views = {v.id: v for v in present_people(
        staff, list(persons.values()), Purpose.LIST, request=request,
        object_type="consent.consentmember", granted=frozenset({sections.IDENTITY}),
        detail={"consents": sorted(rows)})}  # fmt: skip
    return {
        pk: [{"row": m, "person": views.get(m.person_id)} for m in ms] for pk, ms in rows.items()
    }


def _referral_targets(staff: Staff, person_id: int) -> list[dict[str, Any]]:
    """Every agency the person could be referred to, with the basis that allows
    it (the consent it relies on, or the support meeting) and the due date an
    answer would have if sent now."""
    meeting = active_support_meeting(person_id)
    now = clock.now()
    rows = []
    for agency in (
        Agency.objects.filter(is_active=True)
        .exclude(kind=AgencyKind.COMMISSIONER)
        .exclude(pk=staff.agency_id or 0)
        .order_by("kind", "code")
    ):
        consent = consent_covering(person_id, agency.pk)
        if consent is not None:
            basis = gettext("本人同意 %(given)s〜%(until)s") % {
                "given": f"{consent.given_on:%Y-%m-%d}",
                "until": f"{consent.expires_on:%Y-%m-%d}" if consent.expires_on else "",
            }
        else:
            basis = gettext("支援会議あり") if meeting else ""
        rows.append({"agency": agency, "covered": consent is not None or meeting is not None,
                     "basis": basis, "due": due_at(now, agency.kind)})  # fmt: skip
    rows.sort(key=lambda r: not r["covered"])
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, consultation_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CONSULTATIONS)
    consultation = open_consultation(staff, consultation_id, via="refer")
    require(staff, Action.WORK_CONSULTATIONS, consultation)  # the receiving agency only
    errors: dict[str, str] = {}
    typed = {
        name: request.POST.get(name, default)
        for name, default in (("to_agency", ""), ("summary", ""), ("urgency", Urgency.NORMAL),
                              ("contact_preference", ""), ("explained", ""))
    }  # fmt: skip
    if request.method == "POST":
        try:
            referral = send_referral(staff, consultation.pk, to_agency=typed["to_agency"],
                                     summary=typed["summary"], urgency=typed["urgency"],
                                     contact_preference=typed["contact_preference"],
                                     explained=typed["explained"])  # fmt: skip
        except ReferralError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                gettext("%(agency)sへつなぎを送りました。") % {"agency": referral.to_agency.name},
            )
            return redirect("consultations:referral", referral_id=referral.pk)
    if consultation.person_id is None or consultation.status != ConsultationStatus.RECORDED:
        errors.setdefault(
            "referral",
            gettext("下書きの相談からはつなげません。まず相談を受付済みにしてください。"),
        )
        targets: list[dict[str, Any]] = []
    else:
        targets = _referral_targets(staff, consultation.person_id)
    return render(
        request,
        "consultations/refer.html",
        {"c": consultation, "targets": targets, "typed": typed, "errors": errors,
         "any_covered": any(t["covered"] for t in targets), "urgencies": Urgency.choices},
        status=400 if errors and request.method == "POST" else 200,
    )  # fmt: skip


def _referral_page(request: HttpRequest, referral_id: int, *, errors: dict[str, str] | None = None,
                   typed: dict[str, str] | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    staff = signed_in_staff(request)
    referral = open_referral(staff, referral_id)
    view = present_referral(staff, referral, request=request)
    can_act = Action.WORK_CONSULTATIONS in actions_for(staff)
    return render(
        request,
        "consultations/referral.html",
        {"r": view, "errors": errors or {}, "typed": typed or {}, "can_act": can_act,
         "outcomes": [c for c in ReferralOutcome.choices if c[0]]},
        status=status,
    )  # fmt: skip


@login_required
@require_GET
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _referral_page(request, referral_id)


_ACTIONS = {
    "accept": lambda s, pk, p: accept_referral(s, pk, note=p.get("note", "")),
    "decline": lambda s, pk, p: decline_referral(s, pk, reason=p.get("reason", "")),
    "revoke": lambda s, pk, p: revoke_referral(s, pk, reason=p.get("reason", "")),
    "outcome": lambda s, pk, p: record_referral_outcome(
        s, pk, outcome=p.get("outcome", ""), note=p.get("note", "")
    ),
}
_DONE = {
    "accept": _("受け入れました。"),
    "decline": _("辞退しました。送った機関に理由が伝わります。"),
    "revoke": _("取り下げました。"),
    "outcome": _("結果を記録しました。つなぎの輪が閉じました。"),
}


@login_required
@require_POST
def referral_action(request: HttpRequest, referral_id: int, action: str) -> HttpResponse:
    act = _ACTIONS.get(action)
    if act is None:
        return HttpResponse(
            gettext("不明な操作です。"), status=404, content_type="text/plain; charset=utf-8"
        )
    try:
        act(signed_in_staff(request), referral_id, request.POST)
    except ReferralError as exc:
        typed = {k: request.POST.get(k, "")[:2000] for k in ("reason", "note", "outcome")}
        return _referral_page(request, referral_id, errors=exc.errors, typed=typed, status=400)
    messages.success(request, str(_DONE[action]))
    return redirect("consultations:referral", referral_id=referral_id)


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.VIEW_PERSONAL_DATA)
    seen_at = clock.now()  # before the lists: an answer arriving meanwhile stays new
    pages = {"mine": (Paginator(worklists.mine(staff, related=("person",)), WORKLIST_PAGE)
                      .get_page(request.GET.get("page")), "page")}  # fmt: skip
    mine = list(pages["mine"][0].object_list)
    waiting = worklists.waiting_for_my_agency(staff)
    overdue = worklists.overdue(staff)
    sent = worklists.sent_and_open(staff)
    closed = worklists.recently_closed(staff)
    referrals = [*waiting, *overdue, *sent, *closed]
    # The worklist shows whom each consultation and referral is about: the
    # agency received the one and is a side of the other (names only).
    shown = {
        p.pk: p for p in [*(c.person for c in mine if c.person), *(r.person for r in referrals)]
    }
    views = present_people(staff, list(shown.values()), Purpose.LIST, request=request,
                           object_type="consultations.worklist", granted=frozenset({sections.IDENTITY}),
                           detail={"consultations": [c.pk for c in mine],
                                   "referrals": sorted({r.pk for r in referrals})})  # fmt: skip
    now = timezone.now()
    # Answers shown here are no longer "new" on the home page and in the badge.
    record_visit(staff, seen_at)
    return render(
        request,
        "consultations/worklist.html",
        {"mine": mine, "mine_pager": paging.section(pages, "mine"), "waiting": waiting, "overdue": overdue, "sent": sent, "now": now,
         "closed": closed, "closed_days": worklists.RECENTLY_CLOSED_DAYS,
         "people": {v.id: v for v in views},
         "can_work": Action.WORK_CONSULTATIONS in actions_for(staff),
         # The header badge counts since this visit, just recorded: no need
         # to read it back (accounts.context.navigation would). Its unseen
         # withdrawals are one COUNT, made once for this request.
         "waiting_badge": SimpleLazyObject(lambda: waiting_for(staff, seen_at, request=request))},
    )  # fmt: skip


@login_required
@require_GET
def needs(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_NEEDS)
    rows = worklists.open_needs()
    shown = {n.person_id: n.person for n in rows}
    views = present_people(staff, list(shown.values()), Purpose.LIST, request=request,
                           object_type="consultations.need", detail={"needs": [n.pk for n in rows]})  # fmt: skip
    people = {v.id: v for v in views}
    return render(
        request,
        "consultations/needs.html",
        {"rows": [(n, people[n.person_id]) for n in rows], "kinds": NeedKind},
    )


@login_required
@require_POST
def need_pick_up(request: HttpRequest, need_id: int) -> HttpResponse:
    try:
        need = pick_up_need(signed_in_staff(request), need_id)
    except NeedError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext(
            "対応を開始しました。依頼のもとになった相談から、本人と世帯の同意や支援会議の決定を"
            "記録できます。"))  # fmt: skip
        # Start from the consultation that raised it: nothing to re-type.
        return redirect("consultations:detail", need.consultation_id)
    return redirect("consultations:needs")


@login_required
@require_GET
def loop(request: HttpRequest) -> HttpResponse:
    """Closed-loop rate by agency: aggregates only, small cells suppressed."""
    require(request.user, Action.VIEW_AGGREGATES)
    rows = worklists.closed_loop_by_agency()
    shown = [r for r in rows if r.rate is not None]
    chart = {
        "agencies": [r.agency for r in shown],
        "rates": [round(r.rate * 100, 1) for r in shown if r.rate is not None],
        "title": gettext("つなぎの結果記録率（送った機関別）"),
        "axis": gettext("結果記録率（%）"),
    }
    return render(
        request,
        "consultations/loop.html",
        {"rows": rows, "chart": chart},
    )
