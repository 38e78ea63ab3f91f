from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.policy import Action, actions_for, require
from tsunagari.lib.http import signed_in_staff
from tsunagari.lib.spreadsheet import safe_cell
from tsunagari.people import sections
from tsunagari.people.forms import PersonForm
from tsunagari.people.lookup import LookupLimited, interactive_lookup
from tsunagari.people.models import Person
from tsunagari.people.openings import (
    OpeningError,
    confirm_opening,
    openings_to_review,
    revoke_opening,
)
from tsunagari.people.presenter import Purpose, present_person
from tsunagari.people.services import EditConflict, PersonError, create_person, update_person
from tsunagari.people.story import story_of


def _get_person_for(request: HttpRequest, person_id: int) -> Person:
    """The one way views fetch a person: exists, and the viewer is entitled."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    require(request.user, Action.VIEW_PERSONAL_DATA, person)
    return person


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_PERSONAL_DATA)
    # The page sends the query in the body (POST): names, birth dates and
    # phone numbers stay out of addresses, browser history and logs (ASVS
    # 8.3.1). A GET with ``q`` (an old bookmark) still answers.
    q = (request.POST if request.method == "POST" else request.GET).get("q", "")[:200]
    template = "people/_results.html" if request.htmx else "people/search.html"  # type: ignore[attr-defined]
    try:
        result = interactive_lookup(request.user, q) if q.strip() else None
    except LookupLimited as exc:
        limited = render(request, template, {"q": q, "limited": exc.message}, status=429)
        limited["Retry-After"] = str(exc.retry_after)
        return limited
    return render(request, template, {"q": q, "result": result})


@login_required
@require_GET
def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    require(request.user, Action.VIEW_PERSONAL_DATA)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    view = present_person(request.user, person, Purpose.VIEW, request=request, with_household=True)
    if view.level != "full":
        return render(request, "people/known.html", {"view": view}, status=403)
    changes = person.changes.all()[:20] if view.shows(sections.BASIC) else []
    granted = actions_for(request.user)
    return render(request, "people/detail.html",
                  {"view": view, "changes": changes, "story": story_of(request.user, view),
                   "participation": Action.WORK_PARTICIPATION in granted})  # fmt: skip


@login_required
@require_GET
def export(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person_for(request, person_id)
    view = present_person(
        request.user, person, Purpose.EXPORT, request=request, detail={"format": "csv"}
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["id", *(str(h) for h in _EXPORT_HEADER)])
    writer.writerow(
        [
            str(safe_cell(str(v)))
            for v in (
                view.id,
                view.name,
                view.kana,
                view.birth_date or "",
                view.sex,
                view.address,
                view.phone,
                view.resident_id,
            )
        ]
    )
    return response


_EXPORT_HEADER = (
    _("氏名"),
    _("フリガナ"),
    _("生年月日"),
    _("性別"),
    _("住所"),
    _("電話"),
    _("宛名番号"),
)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_PERSONAL_DATA)
    staff = signed_in_staff(request)
    form = PersonForm(request.POST or None, initial={"name": request.GET.get("name", "")[:120]})
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = create_person(
                staff, form.to_input(), confirm_new=form.cleaned_data["confirm_new"]
            )
        except PersonError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            if result.person is not None:
                return redirect("people:detail", person_id=result.person.pk)
            duplicates = result.duplicates
    return render(request, "people/form.html", {"form": form, "duplicates": duplicates, "creating": True,
                                                "can_seal": Action.VIEW_SEALED_CONTACT in actions_for(staff)})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person_for(request, person_id)
    staff = signed_in_staff(request)
    # The form shows the record: it is a view of it, audited like one.
    view = present_person(staff, person, Purpose.EDIT, request=request)
    if not view.shows(sections.BASIC):
        raise PermissionDenied(
            _("この方の基本情報を変更する根拠（支援中・基本情報を含む本人同意）がありません。")
        )
    initial = {
        "name": view.name, "kana": view.kana,
        "birth_date": view.birth_date.isoformat() if view.birth_date else "",
        "sex": person.sex if view.shows(sections.BASIC) else "", "address": view.address,
        "phone": view.phone, "resident_id": view.resident_id, "sealed": person.sealed,
        "version": person.version,
    }  # fmt: skip
    form = PersonForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            update_person(
                staff,
                person.pk,
                form.to_input(),
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except PersonError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except EditConflict as exc:
            conflict = present_person(staff, exc.current, Purpose.EDIT, request=request,
                                      detail={"conflict": True})  # fmt: skip
            # Keep what this person typed; show the saved version beside it.
            data = request.POST.copy()
            data["version"] = str(exc.current.version)
            form = PersonForm(data)
            form.is_valid()
        else:
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person, "view": view, "conflict": conflict,
                                                "can_seal": Action.VIEW_SEALED_CONTACT in actions_for(staff)})  # fmt: skip


@login_required
@require_GET
def openings(request: HttpRequest) -> HttpResponse:
    """The supervisor's review list of records opened because the person was at the desk."""
    staff = signed_in_staff(request)
    rows = openings_to_review(staff, request=request)
    return render(
        request,
        "people/openings.html",
        {"rows": rows, "flag_per_day": settings.AT_DESK_FLAG_PER_DAY},
    )


@login_required
@require_POST
def review_opening(request: HttpRequest, opening_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    decision = request.POST.get("decision", "")
    note = request.POST.get("note", "")[:2000]
    try:
        if decision == "confirm":
            confirm_opening(staff, opening_id, note=note)
            messages.success(request, _("確認しました。貴機関はこの方を支援中として扱います。"))
        elif decision == "revoke":
            revoke_opening(staff, opening_id, note=note)
            messages.success(request, _("仮の閲覧を取り消しました。"))
        else:
            messages.error(request, _("「確認」か「取り消し」を選んでください。"))
    except OpeningError as exc:
        messages.error(request, str(exc))
    return redirect("people:openings")
