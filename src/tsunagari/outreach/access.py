"""Who may see and work on an outreach target: one rule, registered with the policy layer.

* The outreach team (``Action.WORK_OUTREACH``) sees and works every target.
* Once a target is connected, the agency it was handed over to (directly,
  or as a team agency of the multi-agency case it was connected to) sees it,
  read only, to carry on.
* Everyone else is refused with a reason, and the refusal is audited. A
  tip's sender keeps only the tip's reference.
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
from tsunagari.cases.models import TeamAgency
from tsunagari.outreach.models import OutreachTarget

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

NOT_OUTREACH = _(
    "アウトリーチの対象は、アウトリーチの担当者と、引き継ぎを受けた機関の職員だけが見られます。"
)


def handed_to(staff: Staff, target: OutreachTarget) -> bool:
    """The staff member's agency took the target over (directly or on its case's team)."""
    agency_id = staff.agency_id
    if agency_id is None or target.connected_at is None:
        return False
    if target.handover_agency_id == agency_id:
        return True
    return (
        target.case_id is not None
        and TeamAgency.objects.filter(case_id=target.case_id, agency_id=agency_id).exists()
    )


def _view_rule(staff: Staff, target: OutreachTarget) -> Decision:
    if Action.WORK_OUTREACH in actions_for(staff) or handed_to(staff, target):
        return Decision(True)
    return Decision(False, str(NOT_OUTREACH))


def _work_rule(staff: Staff, target: OutreachTarget) -> Decision:
    # The role gate (WORK_OUTREACH) is checked before object rules run.
    return Decision(True)


def register() -> None:
    register_object_rule(Action.VIEW_PERSONAL_DATA, OutreachTarget, _view_rule)
    register_object_rule(Action.WORK_OUTREACH, OutreachTarget, _work_rule)


def get_target_for(
    actor: Staff | AnonymousUser, target_id: int, *, to_work: bool = False
) -> OutreachTarget:
    """The one way to fetch a target: it exists and ``actor`` may see (or work on) it.

    A refusal is audited with its reason and raised as PermissionDenied.
    """
    action = Action.WORK_OUTREACH if to_work else Action.VIEW_PERSONAL_DATA
    try:
        require(actor, action)
    except PermissionDenied as exc:
        record(actor, AuditAction.DENIED, object_type="outreach.outreachtarget",
               object_id=target_id, reason=str(exc)[:200])  # fmt: skip
        raise
    target = (
        OutreachTarget.objects.select_related("person", "worker", "handover_agency", "case", "tip")
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise Http404(gettext("その番号のアウトリーチ対象はありません。"))
    try:
        require(actor, action, target)
    except PermissionDenied as exc:
        record(actor, AuditAction.DENIED, obj=target, person_id=target.person_id or "",
               reason=str(exc)[:200])  # fmt: skip
        raise
    return target
