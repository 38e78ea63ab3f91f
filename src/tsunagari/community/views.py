"""Pages of community building: activities, their sessions and attendance,
the gap table and the counts. Each parses, calls one service and responds;
every page is permission-checked and audited (a refusal too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.policy import Action, decide
from tsunagari.audit.services import allow_and_record
from tsunagari.community.aggregates import published
from tsunagari.community.gaps import chart_data, gap_table
from tsunagari.community.models import (
    AGE_BANDS,
    Activity,
    ActivityKind,
    ActivityStatus,
    Session,
    SessionStatus,
)
from tsunagari.community.services import (
    ActivityInput,
    AttendanceInput,
    CommunityError,
    cancel_session,
    create_activity,
    plan_sessions,
    record_attendance,
    update_activity,
)
from tsunagari.lib import clock
from tsunagari.lib.http import attempt, form_id, said, signed_in_staff
from tsunagari.plan.registry import FiscalYear
from tsunagari.resources.models import (
    GATHERING_KINDS,
    Location,
    Organization,
    Service,
)

# Planned dates typed one a line or separated by commas.
MAX_DATES_TYPED = 2000


def _allow(request: HttpRequest, action: Action, reason: str, **detail: Any) -> None:
    """Refuse (audited, with the reason) unless the signed-in staff may ``action``; audit the view."""
    allow_and_record(request, action, reason=reason, **detail)


def _activity(pk: int) -> Activity:
    activity = Activity.objects.filter(pk=pk).first()
    if activity is None:
        raise Http404("No such activity.")
    return activity


def _names(activities: Sequence[Activity]) -> tuple[dict[str, str], dict[str, str]]:
    places = dict(
        Location.objects.filter(id__in={a.location_id for a in activities}).values_list(
            "id", "name"
        )
    )
    groups = dict(
        Organization.objects.filter(id__in={a.organization_id for a in activities}).values_list(
            "id", "name"
        )
    )
    return places, groups


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    _allow(request, Action.WORK_COMMUNITY, "community activities")
    status = request.GET.get("status", ActivityStatus.ACTIVE)
    status = status if status in ActivityStatus.values or status == "all" else ActivityStatus.ACTIVE
    town = request.GET.get("town", "")[:40]
    today = clock.today()
    rows = Activity.objects.annotate(
        next_on=Min("sessions__on", filter=Q(sessions__status=SessionStatus.PLANNED,
                                             sessions__on__gte=today)),
        last_on=Max("sessions__on", filter=Q(sessions__status=SessionStatus.HELD)),
        due=Count("sessions", filter=Q(sessions__status=SessionStatus.PLANNED,
                                       sessions__on__lte=today)),
    )  # fmt: skip
    if status != "all":
        rows = rows.filter(status=status)
    if town:
        rows = rows.filter(town=town)
    activities = list(rows.order_by("town", "title", "pk"))
    places, groups = _names(activities)
    rows_shown = [(a, places.get(a.location_id, ""), groups.get(a.organization_id, ""))
                  for a in activities]  # fmt: skip
    towns = sorted(set(Activity.objects.exclude(town="").values_list("town", flat=True)))
    return render(request, "community/list.html", {
        "activities": rows_shown, "towns": towns,
        "town": town, "status": status, "statuses": ActivityStatus.choices,
    })  # fmt: skip


def _choices() -> dict[str, Any]:
    """The directory's places, gathering services and groups a form offers."""
    locations = list(
        Location.objects.filter(x_confidential=False).order_by("x_town", "name", "id")[:3000]
    )
    services = list(
        Service.objects.filter(x_kind__in=[str(k) for k in GATHERING_KINDS], x_confidential=False)
        .exclude(status="defunct")
        .order_by("name", "id")[:3000]
    )
    return {
        "locations": locations,
        "services": services,
        "organizations": list(Organization.objects.order_by("name", "id")[:3000]),
        "kinds": ActivityKind.choices,
        "statuses": ActivityStatus.choices,
    }


def _typed_activity(request: HttpRequest) -> ActivityInput:
    p = request.POST
    return ActivityInput(
        title=p.get("title", ""), kind=p.get("kind", ""), location=p.get("location", ""),
        service=p.get("service", ""), organization=p.get("organization", ""),
        description=p.get("description", ""), schedule_note=p.get("schedule_note", ""),
        volunteers=p.get("volunteers", ""), is_public=p.get("is_public") == "1",
        started_on=p.get("started_on", ""), status=p.get("status", ActivityStatus.ACTIVE),
    )  # fmt: skip


def _as_typed(activity: Activity) -> ActivityInput:
    return ActivityInput(
        title=activity.title, kind=activity.kind, location=activity.location_id,
        service=activity.service_id, organization=activity.organization_id,
        description=activity.description, schedule_note=activity.schedule_note,
        volunteers=activity.volunteers, is_public=activity.is_public,
        started_on=activity.started_on.isoformat(), status=activity.status,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    _allow(request, Action.WORK_COMMUNITY, "community activity form")
    staff = signed_in_staff(request)
    errors: dict[str, str] = {}
    typed = ActivityInput(kind=ActivityKind.REGULAR, started_on=clock.today().isoformat())
    location = request.GET.get("location", "")[:64]
    if location:
        typed.location = location
    if request.method == "POST":
        typed = _typed_activity(request)
        try:
            activity = create_activity(staff, typed)
        except CommunityError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("活動を登録しました。開催日を追加してください。"))
            return redirect("community:detail", activity.pk)
    return render(request, "community/form.html", {
        "typed": typed, "errors": errors, "activity": None, **_choices(),
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _allow(request, Action.WORK_COMMUNITY, "community activity form", activity=pk)
    staff = signed_in_staff(request)
    activity = _activity(pk)
    errors: dict[str, str] = {}
    typed = _as_typed(activity)
    version = activity.version
    if request.method == "POST":
        typed = _typed_activity(request)
        version = form_id(request.POST.get("version")) or 0
        try:
            update_activity(staff, activity.pk, typed, version=version)
        except CommunityError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("活動を保存しました。"))
            return redirect("community:detail", activity.pk)
    return render(request, "community/form.html", {
        "typed": typed, "errors": errors, "activity": activity, "version": version, **_choices(),
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _allow(request, Action.WORK_COMMUNITY, "community activity", activity=pk)
    activity = _activity(pk)
    places, groups = _names([activity])
    sessions = list(activity.sessions.order_by("-on", "-starts_at", "-pk"))
    today = clock.today()
    linked = Service.objects.filter(id=activity.service_id).first() if activity.service_id else None
    return render(request, "community/detail.html", {
        "activity": activity, "place": places.get(activity.location_id, ""),
        "group": groups.get(activity.organization_id, ""), "service": linked,
        "upcoming": [s for s in sessions if s.on >= today and s.status == SessionStatus.PLANNED][::-1],
        "past": [s for s in sessions if s.on < today or s.status != SessionStatus.PLANNED],
        "today": today, "bands": AGE_BANDS,
    })  # fmt: skip


def _dates(text: str) -> list[object]:
    parts = text[:MAX_DATES_TYPED].replace("、", ",").replace("\n", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


@login_required
@require_POST
def sessions_add(request: HttpRequest, pk: int) -> HttpResponse:
    _allow(request, Action.WORK_COMMUNITY, "community sessions planned", activity=pk)
    staff = signed_in_staff(request)
    activity = _activity(pk)
    days = _dates(request.POST.get("days", ""))
    attempt(
        request,
        lambda: plan_sessions(staff, activity.pk, days, starts_at=request.POST.get("starts_at", ""),
                              ends_at=request.POST.get("ends_at", "")),
        refused=CommunityError,
        done=gettext("開催日を追加しました。"),
        say=said,
    )  # fmt: skip
    return redirect("community:detail", activity.pk)


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _allow(request, Action.WORK_COMMUNITY, "community session cancelled", session=pk)
    staff = signed_in_staff(request)
    session = Session.objects.filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    attempt(request, lambda: cancel_session(staff, session.pk), refused=CommunityError,
            done=gettext("開催回を中止にしました。"),
            say=said)  # fmt: skip
    return redirect("community:detail", session.activity_id)


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    _allow(request, Action.WORK_COMMUNITY, "community attendance", session=pk)
    staff = signed_in_staff(request)
    session = Session.objects.select_related("activity").filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {
        "total": session.total, "first_timers": session.first_timers,
        "with_support": session.with_support, "volunteers": session.volunteers
        or session.activity.volunteers,
        **{name: getattr(session, name) for name, _label in AGE_BANDS},
    }  # fmt: skip
    if request.method == "POST":
        p = request.POST
        typed = {k: p.get(k, "")[:12] for k in typed}
        data = AttendanceInput(
            total=typed["total"], first_timers=typed["first_timers"],
            with_support=typed["with_support"], volunteers=typed["volunteers"],
            bands={name: typed[name] for name, _label in AGE_BANDS},
        )  # fmt: skip
        try:
            record_attendance(staff, session.pk, data)
        except CommunityError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("参加人数を記録しました。"))
            return redirect("community:detail", session.activity_id)
    bands = [(name, gettext(label), typed[name]) for name, label in AGE_BANDS]
    return render(request, "community/attendance.html", {
        "session": session, "activity": session.activity, "typed": typed, "bands": bands,
        "errors": errors, "future": session.on > clock.today(),
    }, status=422 if errors else 200)  # fmt: skip


@login_required
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    _allow(request, Action.VIEW_AGGREGATES, "community gap table")
    table = gap_table(clock.today())
    return render(request, "community/gaps.html", {
        "table": table, "chart": chart_data(table),
        "may_work": decide(request.user, Action.WORK_COMMUNITY).allowed,
    })  # fmt: skip


def _year(request: HttpRequest) -> FiscalYear:
    return FiscalYear.asked(request.GET.get("year", ""), clock.today())


@login_required
@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    fy = _year(request)
    _allow(request, Action.VIEW_AGGREGATES, "community counts", fiscal_year=fy.year)
    current = FiscalYear.of(clock.today())
    end = min(fy.last_day, clock.today()) if fy == current else fy.last_day
    first_year = Session.objects.aggregate(first=Min("on"))["first"]
    years = list(
        range(
            current.year, (FiscalYear.of(first_year).year if first_year else current.year) - 1, -1
        )
    )
    return render(request, "community/counts.html", {
        "fy": fy, "end": end, "data": published(fy.first_day, end), "years": years[:15],
        "may_work": decide(request.user, Action.WORK_COMMUNITY).allowed,
    })  # fmt: skip
