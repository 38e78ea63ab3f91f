from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tsunagari.accounts.policy import Action, actions_for, require
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.audit.services import events_about, newest_first, record_request, verify
from tsunagari.lib.http import signed_in_staff


@login_required
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_AUDIT_LOG)
    me = signed_in_staff(request)
    granted = actions_for(me)
    person = request.GET.get("person", "").strip()[:64]
    events = newest_first(events_about(person) if person else AuditEvent.objects.all())
    if Action.VERIFY_AUDIT not in granted:
        # A supervisor reads the trail of their own agency only.
        events = events.filter(agency_code=me.agency.code if me.agency else "-")
    report = None
    if request.method == "POST":
        require(request.user, Action.VERIFY_AUDIT)
        report = verify()
    # Record the viewing first, so that it is never missing for a page that was shown.
    record_request(
        request,
        AuditAction.VIEW,
        object_type="audit.auditevent",
        detail={"list": True, "person": person},
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "person": person,
            "report": report,
            "can_verify": Action.VERIFY_AUDIT in granted,
        },
    )
