"""Pages for recording consent, its withdrawal, and 支援会議 decisions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from tsunagari.accounts.models import Staff
from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.consent.models import ConsentForm, InfoCategory
from tsunagari.consent.services import (
    ConsentError,
    ConsentInput,
    SupportMeetingInput,
    consenting_agencies,
    end_support_meeting,
    place_under_support_meeting,
    record_consent,
    withdraw_consent,
)
from tsunagari.people.access import present
from tsunagari.people.models import Person


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


def _back(request: HttpRequest, consultation_id: int | None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    if consultation_id:
        return reverse("consultations:detail", args=[consultation_id]) + "#consent"
    return reverse("consultations:worklist")


def _person(request: HttpRequest) -> Person:
    person_id = _int(request.GET.get("person") or request.POST.get("person"))
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise Http404(gettext("本人が指定されていません。"))
    return person


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    require(staff, Action.WORK_CONSULTATIONS)
    person = _person(request)
    require(staff, Action.VIEW_PERSONAL_DATA, person)
    consultation_id = _int(request.GET.get("consultation") or request.POST.get("consultation"))
    today = timezone.localdate()
    typed: dict[str, Any] = {
        "form": ConsentForm.WITH_CONSENT, "given_on": today.isoformat(),
        "expires_on": (today + timedelta(days=365)).isoformat(), "agencies": [],
        "categories": [InfoCategory.BASIC, InfoCategory.CONSULTATION], "note": "",
    }  # fmt: skip
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed = {
            "form": request.POST.get("form", ""),
            "given_on": request.POST.get("given_on", ""),
            "expires_on": request.POST.get("expires_on", ""),
            "agencies": request.POST.getlist("agencies"),
            "categories": request.POST.getlist("categories"),
            "note": request.POST.get("note", ""),
        }
        try:
            record_consent(staff, person.pk, ConsentInput(**typed))
        except ConsentError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("同意を記録しました。"))
            return redirect(_back(request, consultation_id))
    else:
        record_request(request, AuditAction.VIEW, obj=person, person_id=person.pk,
                       reason="consent form")  # fmt: skip
    return render(
        request,
        "consent/new.html",
        {"person": present(staff, person), "person_id": person.pk, "consultation_id": consultation_id,
         "typed": typed, "errors": errors, "agencies": consenting_agencies(),
         "categories": InfoCategory.choices, "forms": ConsentForm.choices},
        status=400 if errors else 200,
    )  # fmt: skip


def _end(request: HttpRequest, end: Callable[[], object], done: str) -> HttpResponse:
    """Run one ending (withdrawal, end of a meeting) and go back with its outcome."""
    try:
        end()
    except ConsentError as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        messages.success(request, done)
    return redirect(_back(request, None))


@login_required
@require_POST
def withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    return _end(
        request,
        lambda: withdraw_consent(staff, consent_id, note=request.POST.get("note", "")),
        gettext("同意の撤回を記録しました。この同意で共有していた機関は、今から閲覧できません。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    require(staff, Action.DECIDE_SUPPORT_MEETING)
    person = _person(request)
    consultation_id = _int(request.GET.get("consultation") or request.POST.get("consultation"))
    typed: dict[str, Any] = {
        "decided_on": timezone.localdate().isoformat(),
        "agencies": [],
        "reason": "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed = {
            "decided_on": request.POST.get("decided_on", ""),
            "agencies": request.POST.getlist("agencies"),
            "reason": request.POST.get("reason", ""),
        }
        try:
            place_under_support_meeting(staff, person.pk, SupportMeetingInput(**typed))
        except ConsentError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("支援会議で扱うことを記録しました。"))
            return redirect(_back(request, consultation_id))
    return render(
        request,
        "consent/meeting_new.html",
        {"person_id": person.pk, "consultation_id": consultation_id, "typed": typed,
         "errors": errors, "agencies": consenting_agencies()},
        status=400 if errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def meeting_end(request: HttpRequest, meeting_id: int) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    return _end(
        request,
        lambda: end_support_meeting(staff, meeting_id, reason=request.POST.get("reason", "")),
        gettext("支援会議での取り扱いを終了しました。"),
    )
