"""Staff pages that keep the directory current. Thin: parse, call one
service function, respond."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.audit.services import record_request
from tsunagari.resources.accessibility import (
    AccessibilityError,
    profile_of,
    profiles_for,
    record_accessibility,
)
from tsunagari.resources.forms import (
    NewServiceForm,
    SearchForm,
    ServiceForm,
    VerifyForm,
    schedule_initial,
)
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES
from tsunagari.resources.models import Availability, Location, Service, ServiceAtLocation
from tsunagari.resources.services import (
    DirectoryError,
    SearchQuery,
    awaiting_services,
    contact_values,
    create_service,
    describe,
    history,
    search_services,
    stale_services,
    update_service,
    verify_service,
)


def _service(request: HttpRequest, service_id: str) -> Service:
    """The one way staff pages get a service: confidential ones only for
    those who may see them (the policy's object rule); to anyone else a
    confidential entry does not exist."""
    service = Service.objects.filter(id=service_id[:64]).first()
    if service is None or not allowed(request.user, Action.VIEW_DIRECTORY, service):
        raise Http404(_("見つかりません。"))
    return service


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_DIRECTORY)
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = search_services(
        SearchQuery(
            text=data.get("q", ""),
            kinds=(data["kind"],) if data.get("kind") else (),
            town=data.get("town", ""),
            public_only=False,
        )
    )
    if not allowed(request.user, Action.VIEW_CONFIDENTIAL_PLACES):
        qs = qs.exclude(x_confidential=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "can_edit": allowed(request.user, Action.EDIT_DIRECTORY),
    }
    template = (
        "resources/_results.html" if getattr(request, "htmx", False) else "resources/directory.html"
    )
    return render(request, template, context)


@login_required
def detail(request: HttpRequest, service_id: str) -> HttpResponse:
    require(request.user, Action.VIEW_DIRECTORY)
    service = _service(request, service_id)
    entry = describe(service, show_confidential=True)
    return render(
        request,
        "resources/detail.html",
        {
            "entry": entry,
            "profiles": profiles_for([p.location.id for p in entry.places]),
            "events": history(service)[:50],
            "can_edit": allowed(request.user, Action.EDIT_DIRECTORY),
            "own_edit": service.awaiting_check
            and service.last_editor_id is not None
            and service.last_editor_id == request.user.pk,
            "verify_form": VerifyForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, service_id: str) -> HttpResponse:
    require(request.user, Action.EDIT_DIRECTORY)
    service = _service(request, service_id)
    conflicts: list[Any] = []
    errors: list[str] = []
    if request.method == "POST":
        form = ServiceForm(request.POST)
        if form.is_valid():
            result = update_service(
                service.id,
                form.changes(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
            if result.saved:
                messages.success(request, _("保存しました。"))
                return redirect("resources:detail", service_id=service.id)
            errors = result.errors
            labels = {name: str(f.label) for name, f in form.fields.items()}
            labels.update(freq=str(form.fields["week"].label), byday=str(form.fields["days"].label))
            conflicts = [
                {"label": labels.get(c.name, c.name), "yours": c.yours, "saved": c.saved}
                for c in result.conflicts
            ]
            if conflicts:
                # Keep the editor's text in the form; offer the saved one beside it.
                data = request.POST.copy()
                data["version"] = str(result.service.version)
                form = ServiceForm(data)
                form.is_valid()
    else:
        initial = {
            name: getattr(service, name)
            for name in ServiceForm.base_fields
            if hasattr(service, name)
        }
        initial["x_audience"] = [a for a in service.x_audience.split(",") if a]
        contact = contact_values(service)
        initial.update(
            phone=contact["phone"], opens_at=contact["opens_at"], closes_at=contact["closes_at"]
        )
        initial.update(schedule_initial(contact["freq"], contact["byday"]))
        form = ServiceForm(initial=initial)
    status = 409 if conflicts else 200
    return render(
        request,
        "resources/edit.html",
        {"form": form, "service": service, "conflicts": conflicts, "errors": errors},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EDIT_DIRECTORY)
    form = NewServiceForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        values = form.changes() | {
            k: form.cleaned_data[k]
            for k in (
                "organization_name",
                "place_name",
                "town",
                "address_1",
                "wheelchair",
                "x_confidential",
            )
        }
        result = create_service(values, actor=request.user)
        if result.service is not None:
            messages.success(request, _("登録しました。"))
            return redirect("resources:detail", service_id=result.service.id)
        errors = result.errors
    return render(request, "resources/new.html", {"form": form, "errors": errors})


@login_required
@require_POST
def verify(request: HttpRequest, service_id: str) -> HttpResponse:
    require(request.user, Action.EDIT_DIRECTORY)
    service = _service(request, service_id)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("確認した日を 2026-12-01 のように入れてください。"))
        return redirect("resources:detail", service_id=service.id)
    try:
        checked = verify_service(service.id, actor=request.user, on=form.cleaned_data["on"])
    except DirectoryError as exc:
        messages.error(request, str(exc))
        return redirect("resources:detail", service_id=service.id)
    if service.awaiting_check and not checked.awaiting_check:
        messages.success(request, _("確認を記録しました。区民向けページに公開されます。"))
    else:
        messages.success(request, _("確認日を記録しました。"))
    if request.POST.get("next") == "stale":
        return redirect("resources:stale")
    return redirect("resources:detail", service_id=service.id)


@login_required
def stale(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_DIRECTORY)
    qs = stale_services()
    awaiting = awaiting_services()
    if not allowed(request.user, Action.VIEW_CONFIDENTIAL_PLACES):
        qs = qs.exclude(x_confidential=True)
        awaiting = awaiting.exclude(x_confidential=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "resources/stale.html",
        {
            "page": page,
            "awaiting": awaiting.select_related("last_editor")[:100],
            "can_edit": allowed(request.user, Action.EDIT_DIRECTORY),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest, location_id: str) -> HttpResponse:
    """A place's accessibility profile: each feature あり/なし/未確認 and a note."""
    require(request.user, Action.EDIT_DIRECTORY)
    location = Location.objects.filter(id=location_id[:64]).first()
    if location is None or not allowed(request.user, Action.EDIT_DIRECTORY, location):
        raise Http404(_("見つかりません。"))
    back = (
        ServiceAtLocation.objects.filter(location_id=location.id)
        .order_by("service_id")
        .values_list("service_id", flat=True)
        .first()
    )
    profile = profile_of(location.id)
    errors: dict[str, str] = {}
    values = dict(profile.features)
    note = profile.note
    seen = profile.fingerprint
    if request.method == "POST":
        values = {f: request.POST.get(f, "")[:16] for f in ACCESSIBILITY_FEATURES}
        note = request.POST.get("note", "")
        seen = request.POST.get("seen", "")[:64]
        try:
            record_accessibility(location.id, values, note, seen=seen, actor=request.user)
        except AccessibilityError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("バリアフリー情報を保存しました。"))
            if back:
                return redirect("resources:detail", service_id=back)
            return redirect("resources:accessibility", location_id=location.id)
    else:
        record_request(request, "view", object_type="resources.location", object_id=location.id)
    rows = [(f, label, values.get(f, "unknown")) for f, label, _v in profile.rows()]
    return render(
        request,
        "resources/accessibility.html",
        {
            "location": location,
            "rows": rows,
            "choices": Availability.choices,
            "note": note,
            "seen": seen,
            "errors": errors,
            "back": back,
        },
        status=409 if "seen" in errors else (400 if errors else 200),
    )
