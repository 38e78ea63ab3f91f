"""Pages of consumer protection: the centre's alert list, an alert and its forms,
and the watch network's inbox with the report form. Each page parses, calls
one service and responds; no page shows a person (visits are worked in
outreach), and every page is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.policy import Action, actions_for
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.consumer.access import get_alert_for, get_delivery_for, require_audited
from tsunagari.consumer.models import Alert, AlertKind, AlertSource, AlertStatus, Reason
from tsunagari.consumer.services import (
    WARD_TOWNS,
    AlertError,
    AlertInput,
    acknowledge,
    create_alert,
    end_alert,
    inbox,
    issue_alert,
    send_alert,
    update_alert,
    visit_counts,
    withdraw_alert,
)
from tsunagari.lib.http import attempt, form_id, said, signed_in_staff


def _typed(request: HttpRequest) -> AlertInput:
    post = request.POST
    return AlertInput(
        kind=post.get("kind", ""), title=post.get("title", ""),
        description=post.get("description", ""), advice=post.get("advice", ""),
        source=post.get("source", ""), police_station=post.get("police_station", ""),
        areas=post.getlist("areas")[: len(WARD_TOWNS) + 1],
    )  # fmt: skip


def _of(alert: Alert) -> AlertInput:
    return AlertInput(kind=alert.kind, title=alert.title, description=alert.description,
                      advice=alert.advice, source=alert.source,
                      police_station=alert.police_station, areas=list(alert.areas))  # fmt: skip


def _form_context(typed: AlertInput, errors: dict[str, str]) -> dict[str, object]:
    return {"typed": typed, "errors": errors, "kinds": AlertKind.choices,
            "sources": AlertSource.choices, "towns": WARD_TOWNS}  # fmt: skip


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require_audited(staff, Action.ISSUE_CONSUMER_ALERTS, what="consumer.alert")
    status = request.GET.get("status", "")
    status = status if status in AlertStatus.values else ""
    alerts = Alert.objects.all()
    if status:
        alerts = alerts.filter(status=status)
    rows = list(alerts.prefetch_related("deliveries")[:200])
    record_request(request, AuditAction.VIEW, object_type="consumer.alert",
                   detail={"alerts": [a.pk for a in rows]})  # fmt: skip
    return render(request, "consumer/list.html", {
        "rows": [(a, len(a.deliveries.all()), sum(1 for d in a.deliveries.all() if d.acknowledged_at))
                 for a in rows],
        "status": status, "statuses": AlertStatus.choices,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require_audited(staff, Action.ISSUE_CONSUMER_ALERTS, what="consumer.alert")
    typed = AlertInput()
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed = _typed(request)
        try:
            alert = create_alert(staff, typed)
        except AlertError as exc:
            errors = exc.errors
        else:
            messages.success(
                request, gettext("下書きを保存しました。内容を確かめてから発信してください。")
            )
            return redirect("consumer:detail", alert.pk)
    else:
        record_request(request, AuditAction.VIEW, object_type="consumer.alert")
    return render(request, "consumer/form.html", {**_form_context(typed, errors), "alert": None},
                  status=422 if errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def alert_edit(request: HttpRequest, alert_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    alert = get_alert_for(staff, alert_id, to_issue=True)
    if alert.status != AlertStatus.DRAFT:
        messages.error(
            request,
            gettext(
                "発信した注意情報は変更できません。誤りがあれば取り下げて、新しく作成してください。"
            ),
        )
        return redirect("consumer:detail", alert.pk)
    typed = _of(alert)
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed = _typed(request)
        try:
            update_alert(staff, alert.pk, typed, version=form_id(request.POST.get("version")))
        except AlertError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("下書きを保存しました。"))
            return redirect("consumer:detail", alert.pk)
    else:
        record_request(request, AuditAction.VIEW, obj=alert)
    return render(request, "consumer/form.html", {**_form_context(typed, errors), "alert": alert},
                  status=422 if errors else 200)  # fmt: skip


@login_required
@require_GET
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    issuer = Action.ISSUE_CONSUMER_ALERTS in actions_for(staff)
    alert = get_alert_for(staff, alert_id)
    if not issuer and staff.agency_id is not None:
        # A recipient reads the alert in the inbox, with its own report form.
        delivery = alert.deliveries.filter(agency_id=staff.agency_id).first()
        if delivery is not None:
            return redirect("consumer:received", delivery.pk)
    deliveries = list(alert.deliveries.select_related("agency", "acknowledged_by"))
    record_request(request, AuditAction.VIEW, obj=alert)
    return render(request, "consumer/detail.html", {
        "alert": alert, "deliveries": deliveries,
        "acknowledged": sum(1 for d in deliveries if d.acknowledged_at),
        "spoke_to": sum(d.spoke_to or 0 for d in deliveries),
        "visits": visit_counts(alert), "reasons": Reason.choices,
        "outreach": Action.WORK_OUTREACH in actions_for(staff),
    })  # fmt: skip


@login_required
@require_POST
def alert_issue(request: HttpRequest, alert_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    alert = get_alert_for(staff, alert_id, to_issue=True)
    version = form_id(request.POST.get("version"))
    attempt(request, lambda: issue_alert(staff, alert.pk, version=version), refused=AlertError,
            done=gettext("発信しました。地区の見守りネットワークへ送り、訪問をアウトリーチへ依頼しました。"),
            say=said)  # fmt: skip
    return redirect("consumer:detail", alert.pk)


@login_required
@require_POST
def alert_send(request: HttpRequest, alert_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    alert = get_alert_for(staff, alert_id, to_issue=True)
    attempt(request, lambda: send_alert(staff, alert.pk), refused=AlertError,
            done=gettext("送り直しました。新しい送付先と訪問の対象だけを加えました。"),
            say=said)  # fmt: skip
    return redirect("consumer:detail", alert.pk)


@login_required
@require_http_methods(["GET", "POST"])
def alert_close(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Withdraw (with a reason) or end an issued alert."""
    staff = signed_in_staff(request)
    alert = get_alert_for(staff, alert_id, to_issue=True)
    errors: dict[str, str] = {}
    typed = {"to": request.POST.get("to", "ended"), "note": request.POST.get("note", "")}
    if request.method == "POST":
        version = form_id(request.POST.get("version"))
        try:
            if typed["to"] == AlertStatus.WITHDRAWN:
                withdraw_alert(staff, alert.pk, typed["note"], version=version)
            else:
                end_alert(staff, alert.pk, typed["note"], version=version)
        except AlertError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("注意情報の状態を変えました。"))
            return redirect("consumer:detail", alert.pk)
    else:
        record_request(request, AuditAction.VIEW, obj=alert)
    return render(request, "consumer/close.html", {"alert": alert, "errors": errors, "typed": typed},
                  status=422 if errors else 200)  # fmt: skip


@login_required
@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require_audited(staff, Action.VIEW_CONSUMER_ALERTS, what="consumer.delivery")
    rows = inbox(staff)
    record_request(request, AuditAction.VIEW, object_type="consumer.delivery",
                   detail={"deliveries": [d.pk for d in rows]})  # fmt: skip
    return render(request, "consumer/inbox.html", {
        "rows": rows, "agency": staff.agency,
        "issuer": Action.ISSUE_CONSUMER_ALERTS in actions_for(staff),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def received(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """One alert as the agency received it, with the report of residents spoken to."""
    staff = signed_in_staff(request)
    delivery = get_delivery_for(staff, delivery_id)
    errors: dict[str, str] = {}
    typed = {"spoke_to": "" if delivery.spoke_to is None else str(delivery.spoke_to),
             "note": delivery.note}  # fmt: skip
    if request.method == "POST":
        typed = {"spoke_to": request.POST.get("spoke_to", ""), "note": request.POST.get("note", "")}
        try:
            acknowledge(staff, delivery.pk, typed["spoke_to"], typed["note"])
        except AlertError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("報告しました。ありがとうございます。"))
            return redirect("consumer:received", delivery.pk)
    else:
        record_request(request, AuditAction.VIEW, obj=delivery)
    return render(request, "consumer/received.html", {
        "delivery": delivery, "alert": delivery.alert, "errors": errors, "typed": typed,
    }, status=422 if errors else 200)  # fmt: skip
