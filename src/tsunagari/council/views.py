"""The council's workspace pages: thin views over council.services. Aggregates only, never rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Agency
from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.council import services
from tsunagari.council.models import (
    ActionItem,
    ActionStatus,
    Document,
    Meeting,
    Minutes,
    Organisation,
    Sector,
)
from tsunagari.lib.http import attempt, download, safe_next, signed_in_staff
from tsunagari.surveys.models import Survey


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("団体名"), max_length=200)
    sector = forms.ChoiceField(label=_("区分"), choices=Sector.choices)
    agency = forms.ModelChoiceField(
        label=_("関係機関（つながりを使う団体のみ）"),
        queryset=Agency.objects.filter(is_active=True, council_organisation__isnull=True),
        required=False,
    )
    description = forms.CharField(label=_("活動の概要"), required=False, widget=forms.Textarea)
    joined_on = forms.DateField(label=_("参加日"), required=False)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("開催日"))
    title = forms.CharField(label=_("会議名"), max_length=200)
    place = forms.CharField(label=_("場所"), max_length=200, required=False)
    agenda = forms.CharField(label=_("議題（1行に1つ）"), required=False, widget=forms.Textarea)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("内容"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("担当団体"), queryset=Organisation.objects.filter(is_active=True)
    )
    due_on = forms.DateField(label=_("期限"))


def _workspace(request: HttpRequest) -> None:
    require(request.user, Action.USE_COUNCIL_WORKSPACE)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _workspace(request)
    today = timezone.localdate()
    return render(
        request,
        "council/home.html",
        {
            "upcoming": Meeting.objects.filter(held_on__gte=today).order_by("held_on")[:5],
            "recent": Meeting.objects.filter(held_on__lt=today).order_by("-held_on")[:5],
            "actions": [
                (a, "")
                for a in ActionItem.objects.filter(status=ActionStatus.OPEN)
                .select_related("owner", "owner_staff", "meeting")
                .order_by("due_on")[:20]
            ],
            "overdue": services.overdue_actions().count(),
            "mine": _done_urls(
                request, services.organisation_actions(signed_in_staff(request))[:20]
            ),
            "documents": Document.objects.select_related("organisation")[:10],
            "members": Organisation.objects.filter(is_active=True).count(),
            "surveys": Survey.objects.filter(analysis__isnull=False).order_by("-fiscal_year")[:3],
            "can_manage": allowed(request.user, Action.MANAGE_COUNCIL),
            "can_see_results": allowed(request.user, Action.VIEW_AGGREGATES),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest) -> HttpResponse:
    _workspace(request)
    can_manage = allowed(request.user, Action.MANAGE_COUNCIL)
    form = OrganisationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(request.user, Action.MANAGE_COUNCIL)
        assert form is not None
        if form.is_valid():
            try:
                org = services.add_organisation(signed_in_staff(request), **form.cleaned_data)
            except services.CouncilError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("「%(name)s」を構成団体に加えました。") % {"name": org.name}
                )
                return redirect("council:members")
    orgs = services.member_organisations()
    return render(
        request,
        "council/members.html",
        {"organisations": orgs, "form": form, "can_manage": can_manage, "sectors": Sector},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_COUNCIL)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(signed_in_staff(request), **form.cleaned_data)
        except services.CouncilError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("council:meeting", pk=meeting.pk)
    return render(
        request, "council/meeting_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def meetings(request: HttpRequest) -> HttpResponse:
    _workspace(request)
    return render(
        request,
        "council/meetings.html",
        {
            "meetings": services.meeting_list(),
            "can_manage": allowed(request.user, Action.MANAGE_COUNCIL),
        },
    )


def _done_urls(request: HttpRequest, rows: Any) -> list[tuple[ActionItem, str]]:
    """Each action with the URL that marks it done, empty when the viewer may not."""
    staff = signed_in_staff(request)
    return [
        (a, reverse("council:action_done", args=[a.pk]) if services.can_complete(staff, a) else "")
        for a in rows
    ]


def _meeting_context(request: HttpRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    actions = meeting.actions.select_related("owner", "owner_staff", "meeting")
    staff = signed_in_staff(request)
    return {
        "meeting": meeting,
        "minutes": minutes,
        "actions": _done_urls(request, actions),
        "documents": meeting.documents.select_related("organisation"),
        "can_manage": allowed(staff, Action.MANAGE_COUNCIL),
        "action_form": extra.pop("action_form", None) or ActionForm(),
        **extra,
    }


@login_required
@require_GET
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    _workspace(request)
    item = get_object_or_404(Meeting, pk=pk)
    return render(request, "council/meeting.html", _meeting_context(request, item))


@login_required
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_COUNCIL)
    item = get_object_or_404(Meeting, pk=pk)
    version_text = request.POST.get("version", "")
    version = int(version_text) if version_text.isdigit() else None
    text = request.POST.get("text", "")[:100_000]
    try:
        services.record_minutes(signed_in_staff(request), item, text, version=version)
    except services.CouncilMinutesConflict as exc:
        # Refused: both texts side by side, the writer's kept in the form.
        context = _meeting_context(request, item, conflict=exc)
        return render(request, "council/meeting.html", context, status=409)
    except services.CouncilError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("議事録を保存しました。"))
    return redirect("council:meeting", pk=item.pk)


@login_required
@require_POST
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_COUNCIL)
    item = get_object_or_404(Meeting, pk=pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.add_action(signed_in_staff(request), meeting=item, **form.cleaned_data)
        except services.CouncilError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("取り組み事項を追加しました。"))
            return redirect("council:meeting", pk=item.pk)
    return render(
        request,
        "council/meeting.html",
        _meeting_context(request, item, action_form=form),
        status=400,
    )


@login_required
@require_GET
def actions(request: HttpRequest) -> HttpResponse:
    _workspace(request)
    show = request.GET.get("show", "open")
    rows = services.action_list(show)
    return render(
        request, "council/actions.html", {"rows": _done_urls(request, rows), "show": show}
    )


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    _workspace(request)
    item = get_object_or_404(ActionItem, pk=pk)
    if not attempt(
        request,
        lambda: services.complete_action(signed_in_staff(request), item),
        refused=services.CouncilError,
        done=_("「%(title)s」を完了にしました。") % {"title": item.title},
    ):
        return redirect("council:actions")
    return redirect(
        safe_next(request, reverse("council:actions"), field="back", within="/council/")
    )


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    _workspace(request)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        meeting_id = request.POST.get("meeting", "")
        linked = (
            Meeting.objects.filter(pk=int(meeting_id)).first() if meeting_id.isdigit() else None
        )
        if upload is None:
            error = str(_("ファイルを選んでください。"))
        else:
            try:
                services.upload_document(
                    signed_in_staff(request),
                    upload,
                    title=request.POST.get("title", ""),
                    meeting=linked,
                )
            except services.CouncilError as exc:
                error = str(exc)
            else:
                messages.success(request, _("資料を共有しました。"))
                if linked is not None:
                    return redirect("council:meeting", pk=linked.pk)
                return redirect("council:documents")
    return render(
        request,
        "council/documents.html",
        {
            "documents": [
                (d, services.can_delete_document(signed_in_staff(request), d))
                for d in services.document_list()
            ],
            "meetings": Meeting.objects.all()[:50],
            "error": error,
            "max_mb": services.MAX_DOCUMENT_BYTES // 1024 // 1024,
            "types": services.file_type_names(),
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a shared paper to a workspace user, always as a download with our own type."""
    _workspace(request)
    doc = get_object_or_404(Document, pk=pk)
    if not doc.file:
        raise Http404
    record_request(request, AuditAction.VIEW, obj=doc)
    return download(doc.file.open("rb"), filename=doc.original_name, content_type=doc.content_type)


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _workspace(request)
    doc = get_object_or_404(Document, pk=pk)
    attempt(
        request,
        lambda: services.delete_document(signed_in_staff(request), doc),
        refused=services.CouncilError,
        done=_("資料を削除しました。"),
    )
    return redirect("council:documents")
