"""Pages of participation support: the worker's list, a person's profile and
suggestions, a placement, the hosts. Each page parses, calls one service and responds;
persons are shown only through the presenter."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.events.services import events_of
from tsunagari.lib import clock
from tsunagari.lib.http import attempt, form_id, said, signed_in_staff
from tsunagari.participation import adapter
from tsunagari.participation.access import get_person_for, get_placement_for
from tsunagari.participation.engine import DAY_NAMES, PERIOD_NAMES
from tsunagari.participation.models import (
    OPEN_STATES,
    FollowUp,
    HostSupportKind,
    HostSupportNote,
    Offer,
    Opportunity,
    ParticipationProfile,
    Placement,
    PlacementState,
    StopReason,
)
from tsunagari.participation.services import (
    LANGUAGES,
    OpportunityInput,
    ParticipationError,
    ProfileInput,
    create_opportunity,
    move_placement,
    propose_placement,
    record_follow_up,
    record_host_support,
    save_profile,
    suggestions_for,
)
from tsunagari.people.access import entitled_person_ids
from tsunagari.people.presenter import Purpose, present_people, present_person
from tsunagari.resources.models import GATHERING_KINDS, Organization, ResourceKind
from tsunagari.resources.towns import TOWNS

LANGUAGE_NAMES = {
    "ja": "日本語", "en": "英語", "zh": "中国語", "ko": "韓国語", "vi": "ベトナム語",
    "ne": "ネパール語", "tl": "タガログ語", "pt": "ポルトガル語",
}  # fmt: skip


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return -1  # the service names what to fix


def _times_grid(chosen: list[str]) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    rows = []
    for i, day in enumerate(adapter.WEEKDAYS):
        rows.append((DAY_NAMES[i], [(f"{day}-{p}", label, f"{day}-{p}" in chosen)
                                    for p, label in PERIOD_NAMES.items()]))  # fmt: skip
    return rows


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The worker's list: follow-ups due, open placements, people with a profile."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_PARTICIPATION)
    opened = form_id(request.GET.get("person"))
    if opened is not None:
        return redirect("participation:profile", person_id=opened)
    placements = list(
        Placement.objects.filter(state__in=OPEN_STATES).select_related("person").order_by("pk")
    )
    due = list(
        FollowUp.objects.filter(done_on__isnull=True)
        .select_related("placement", "placement__person")
        .order_by("due_on", "pk")
    )
    profiles = list(ParticipationProfile.objects.select_related("person").order_by("-updated_at"))
    ids = [p.person_id for p in placements] + [p.person_id for p in profiles]
    ids += [f.placement.person_id for f in due]
    mine = entitled_person_ids(staff, ids)
    placements = [p for p in placements if p.person_id in mine]
    due = [f for f in due if f.placement.person_id in mine]
    profiles = [p for p in profiles if p.person_id in mine][:50]
    persons = {p.person_id: p.person for p in placements}
    persons.update({p.person_id: p.person for p in profiles})
    persons.update({f.placement.person_id: f.placement.person for f in due})
    views = {
        v.id: v
        for v in present_people(staff, list(persons.values()), Purpose.LIST, request=request,
                                object_type="participation.placement",
                                detail={"placements": sorted({p.pk for p in placements}
                                                             | {f.placement_id for f in due})})
    }  # fmt: skip
    today = clock.today()
    return render(request, "participation/home.html", {
        "due": [(f, views[f.placement.person_id]) for f in due],
        "placements": [(p, views[p.person_id]) for p in placements],
        "profiles": [(p, views[p.person_id]) for p in profiles],
        "today": today,
    })  # fmt: skip


def _profile_input(request: HttpRequest) -> ProfileInput:
    post = request.POST
    return ProfileInput(
        interests=post.getlist("interests")[:50],
        offers=post.getlist("offers")[:50],
        free_times=post.getlist("free_times")[:50],
        home_town=post.get("home_town", ""),
        towns=post.getlist("towns")[:60],
        max_travel_minutes=_int(post.get("max_travel_minutes")),
        wheelchair=post.get("wheelchair") == "on",
        needs_companion=post.get("needs_companion") == "on",
        max_cost_yen=_int(post.get("max_cost_yen")),
        languages=post.getlist("languages")[:10],
        max_group_size=_int(post.get("max_group_size")),
        prefers_small_groups=post.get("prefers_small_groups") == "on",
        sensory_needs=post.get("sensory_needs") == "on",
        goals=post.get("goals", ""),
        version=_int(post.get("version")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, person_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    person = get_person_for(staff, person_id)
    errors: dict[str, str] = {}
    current = ParticipationProfile.objects.filter(person=person).first()
    if request.method == "POST":
        data = _profile_input(request)
        try:
            save_profile(staff, person.pk, data)
        except ParticipationError as exc:
            errors = exc.errors
        else:
            return redirect("participation:suggestions", person_id=person.pk)
    view = present_person(staff, person, Purpose.VIEW, request=request,
                          detail={"page": "participation.profile"})  # fmt: skip
    values: dict[str, Any] = (
        {f: getattr(current, f) for f in ProfileInput.__dataclass_fields__ if f != "version"}
        if current
        else {"languages": ["ja"]}
    )
    if request.method == "POST":
        values = {**_profile_input(request).__dict__}
    placements = list(Placement.objects.filter(person=person).order_by("-proposed_on", "-pk"))
    return render(request, "participation/profile.html", {
        "person": view, "profile": current, "values": values, "errors": errors,
        "interests": adapter.interest_terms(), "offers": Offer.choices, "towns": TOWNS,
        "grid": _times_grid(values.get("free_times") or []),
        "language_choices": [(c, LANGUAGE_NAMES[c]) for c in LANGUAGES], "placements": placements,
    }, status=400 if errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, person_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    person = get_person_for(staff, person_id)
    current = ParticipationProfile.objects.filter(person=person).first()
    if current is None:
        return redirect("participation:profile", person_id=person.pk)
    if request.method == "POST":
        made: list[Placement] = []
        ok = attempt(
            request,
            lambda: made.append(
                propose_placement(
                    staff,
                    person.pk,
                    request.POST.get("source", ""),
                    case_id=form_id(request.POST.get("case")),
                    reason=request.POST.get("reason", "")[:200],
                )
            ),
            refused=ParticipationError,
            done=gettext("参加先を提案として記録しました。"),
            say=said,
        )
        if ok:
            return redirect("participation:placement", placement_id=made[0].pk)
    view = present_person(staff, person, Purpose.VIEW, request=request,
                          detail={"page": "participation.suggestions"})  # fmt: skip
    found = suggestions_for(staff, current, limit=10)
    hosts = adapter.host_names(s.opportunity.host for s in found)
    kinds = dict(ResourceKind.choices)
    from tsunagari.cases.models import Case, CaseState

    cases = [c for c in Case.objects.filter(person=person, state=CaseState.OPEN).order_by("-pk")
             if _may_see(staff, c)]  # fmt: skip
    return render(request, "participation/suggestions.html", {
        "person": view, "profile": current, "cases": cases,
        "rows": [(s, hosts.get(s.opportunity.host, ""), kinds.get(s.opportunity.kind, s.opportunity.kind))
                 for s in found],
    })  # fmt: skip


def _may_see(staff: Any, case: Any) -> bool:
    from tsunagari.accounts.policy import allowed

    return allowed(staff, Action.VIEW_PERSONAL_DATA, case)


@login_required
@require_GET
def placement(request: HttpRequest, placement_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    item = get_placement_for(staff, placement_id)
    view = present_person(staff, item.person, Purpose.VIEW, request=request,
                          detail={"placement": item.pk})  # fmt: skip
    labels = dict(PlacementState.choices)
    events = [
        (e, labels.get(e.data.get("before", ""), ""), labels.get(e.data.get("after", ""), ""))
        for e in events_of(item)
    ]
    return render(request, "participation/placement.html", {
        "placement": item, "person": view,
        "moves": [(s, labels[s]) for s in item.next_states],
        "follow_ups": list(item.follow_ups.order_by("due_on", "pk")),
        "host_notes": list(item.host_notes.order_by("-on", "-pk")),
        "events": events, "stop_reasons": StopReason.choices,
        "support_kinds": HostSupportKind.choices, "today": clock.today(),
        "states": [(v, n) for v, n in PlacementState.choices if v != PlacementState.STOPPED],
    })  # fmt: skip


@login_required
@require_POST
def placement_move(request: HttpRequest, placement_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    item = get_placement_for(staff, placement_id)
    to = request.POST.get("to", "")
    attempt(
        request,
        lambda: move_placement(
            staff,
            item.pk,
            to,
            on=request.POST.get("on", ""),
            stop_reason=request.POST.get("stop_reason", ""),
            note=request.POST.get("note", ""),
            version=_int(request.POST.get("version")),
        ),
        refused=ParticipationError,
        done=gettext("段階を記録しました。"),
        say=said,
    )
    return redirect("participation:placement", placement_id=item.pk)


@login_required
@require_POST
def follow_up(request: HttpRequest, placement_id: int, follow_up_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    item = get_placement_for(staff, placement_id)
    if not item.follow_ups.filter(pk=follow_up_id).exists():
        raise PermissionDenied(gettext("この参加先の予定ではありません。"))
    attempt(
        request,
        lambda: record_follow_up(
            staff,
            follow_up_id,
            request.POST.get("note", ""),
            next_in=_int(request.POST.get("next_in")),
        ),
        refused=ParticipationError,
        done=gettext("フォローアップを記録しました。"),
        say=said,
    )
    return redirect("participation:placement", placement_id=item.pk)


@login_required
@require_POST
def host_support(request: HttpRequest, placement_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    item = get_placement_for(staff, placement_id)
    attempt(
        request,
        lambda: record_host_support(
            staff,
            item.host_id,
            request.POST.get("kind", ""),
            request.POST.get("note", ""),
            placement_id=item.pk,
        ),
        refused=ParticipationError,
        done=gettext("受入先への支援を記録しました。"),
        say=said,
    )
    return redirect("participation:placement", placement_id=item.pk)


def _opportunity_input(request: HttpRequest) -> OpportunityInput:
    post = request.POST
    return OpportunityInput(
        title=post.get("title", ""), kind=post.get("kind", ""), host_id=post.get("host_id", ""),
        town=post.get("town", ""), description=post.get("description", ""),
        interests=post.getlist("interests")[:50], seeks=post.getlist("seeks")[:50],
        free_times=post.getlist("free_times")[:50],
        flexible_time=post.get("flexible_time") == "on",
        walk_minutes=_int(post.get("walk_minutes")), cost_yen=_int(post.get("cost_yen")) or 0,
        group_size=_int(post.get("group_size")), wheelchair=post.get("wheelchair") == "on",
        companion_ok=post.get("companion_ok") == "on",
        sensory_friendly=post.get("sensory_friendly") == "on",
        capacity=_int(post.get("capacity")),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def hosts(request: HttpRequest) -> HttpResponse:
    """Host organisations that take part, with placements, support notes and created places."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_PARTICIPATION)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            create_opportunity(staff, _opportunity_input(request))
        except ParticipationError as exc:
            errors = exc.errors
        else:
            return redirect("participation:hosts")
    record_request(request, AuditAction.VIEW, object_type="participation.hosts")
    by_host: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for host_id, host_name, state in Placement.objects.values_list("host_id", "host_name", "state"):
        by_host[host_id][state] += 1
        names[host_id] = host_name
    notes = Counter(HostSupportNote.objects.values_list("host_id", flat=True))
    created = Counter(Opportunity.objects.values_list("host_id", flat=True))
    for model in (HostSupportNote, Opportunity):
        for host_id, host_name in model.objects.values_list("host_id", "host_name"):
            names.setdefault(host_id, host_name)
    rows: list[dict[str, Any]] = sorted(
        ({"id": h, "name": names[h], "proposed": by_host[h][PlacementState.PROPOSED],
          "trial": by_host[h][PlacementState.TRIAL],
          "participating": by_host[h][PlacementState.PARTICIPATING],
          "settled": by_host[h][PlacementState.SETTLED], "stopped": by_host[h][PlacementState.STOPPED],
          "notes": notes[h], "created": created[h]} for h in names),
        key=lambda r: (-int(r["trial"] + r["participating"] + r["settled"]), str(r["name"])),
    )  # fmt: skip
    kinds = [(str(k), str(k.label)) for k in ResourceKind if k in GATHERING_KINDS]
    return render(request, "participation/hosts.html", {
        "rows": rows, "opportunities": list(Opportunity.objects.order_by("-created_on", "-pk")[:50]),
        "organisations": list(Organization.objects.order_by("name").values_list("id", "name")[:2000]),
        "kinds": kinds, "towns": TOWNS, "interests": adapter.interest_terms(),
        "offers": Offer.choices, "grid": _times_grid(request.POST.getlist("free_times")),
        "errors": errors, "values": request.POST if errors else {},
        "recent_notes": list(HostSupportNote.objects.order_by("-on", "-pk")[:20]),
    }, status=400 if errors else 200)  # fmt: skip
