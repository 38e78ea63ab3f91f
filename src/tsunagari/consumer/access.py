"""Who may see consumer alerts: one rule per object type, registered with the policy layer.

* The consumer affairs centre's designated staff (``ISSUE_CONSUMER_ALERTS``)
  see and work every alert, drafts included.
* Staff of a watch-network agency (``VIEW_CONSUMER_ALERTS``) see an alert
  once it is sent and only if their agency received it, and report back on
  their own agency's delivery only.
* Everyone else is refused with a reason, and the refusal is audited.

No rule here opens a person: consumer pages show alerts and counts, never
the people visited (the visits are worked, and seen, in outreach).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.policy import Action, Decision, actions_for, register_object_rule, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.consumer.models import Alert, AlertStatus, Delivery

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

NOT_RECIPIENT = _(
    "この注意情報は、あなたの機関の地区に送られたものではありません。"
    "地区の注意情報は「地区に届いた注意情報」の一覧から開いてください。"
)
NOT_YOUR_DELIVERY = _("報告できるのは、あなたの機関に届いた注意情報だけです。")


def _issuer(staff: Staff) -> bool:
    return Action.ISSUE_CONSUMER_ALERTS in actions_for(staff)


def _alert_rule(staff: Staff, alert: Alert) -> Decision:
    if _issuer(staff):
        return Decision(True)
    if (
        alert.status != AlertStatus.DRAFT
        and staff.agency_id is not None
        and Delivery.objects.filter(alert=alert, agency_id=staff.agency_id).exists()
    ):
        return Decision(True)
    return Decision(False, str(NOT_RECIPIENT))


def _delivery_rule(staff: Staff, delivery: Delivery) -> Decision:
    if staff.agency_id is not None and staff.agency_id == delivery.agency_id:
        return Decision(True)
    return Decision(False, str(NOT_YOUR_DELIVERY))


def register() -> None:
    register_object_rule(Action.VIEW_CONSUMER_ALERTS, Alert, _alert_rule)
    register_object_rule(Action.VIEW_CONSUMER_ALERTS, Delivery, _delivery_rule)


def _refuse(actor: Staff | AnonymousUser | None, exc: PermissionDenied, *, object_type: str,
            object_id: str | int) -> None:  # fmt: skip
    record(actor, AuditAction.DENIED, object_type=object_type, object_id=object_id,
           reason=str(exc)[:200])  # fmt: skip


def require_audited(actor: Staff | AnonymousUser, action: Action, *, what: str) -> None:
    """``require`` for a page without an object; a refusal is audited with its reason."""
    try:
        require(actor, action)
    except PermissionDenied as exc:
        _refuse(actor, exc, object_type=what, object_id="")
        raise


def get_alert_for(actor: Staff | AnonymousUser, alert_id: int, *, to_issue: bool = False) -> Alert:
    """The one way to fetch an alert: it exists and ``actor`` may see (or issue) it."""
    action = Action.ISSUE_CONSUMER_ALERTS if to_issue else Action.VIEW_CONSUMER_ALERTS
    try:
        require(actor, action)
    except PermissionDenied as exc:
        _refuse(actor, exc, object_type="consumer.alert", object_id=alert_id)
        raise
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise Http404(gettext("その番号の注意情報はありません。"))
    if not to_issue:
        try:
            require(actor, action, alert)
        except PermissionDenied as exc:
            _refuse(actor, exc, object_type="consumer.alert", object_id=alert_id)
            raise
    return alert


def get_delivery_for(actor: Staff | AnonymousUser, delivery_id: int) -> Delivery:
    """A delivery to the actor's own agency (the watch network's inbox)."""
    try:
        require(actor, Action.VIEW_CONSUMER_ALERTS)
    except PermissionDenied as exc:
        _refuse(actor, exc, object_type="consumer.delivery", object_id=delivery_id)
        raise
    delivery = Delivery.objects.select_related("alert", "agency").filter(pk=delivery_id).first()
    if delivery is None or delivery.alert.status == AlertStatus.DRAFT:
        raise Http404(gettext("その番号の注意情報はありません。"))
    try:
        require(actor, Action.VIEW_CONSUMER_ALERTS, delivery)
    except PermissionDenied as exc:
        _refuse(actor, exc, object_type="consumer.delivery", object_id=delivery_id)
        raise
    return delivery
