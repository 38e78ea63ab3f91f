"""Whose register a staff member keeps: one rule, registered with the policy layer.

``Action.MANAGE_WORKFORCE`` is granted to supervisors, administrators and
planners. Administrators and planners keep the ward's view (every agency's
register, and the ward's cross-agency training); a supervisor keeps only
their own agency's register: its workers, their qualifications, training
and supervision. The rule is decided on the agency (``Agency``) and on each
worker (``Worker``, through the worker's agency).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Role
from tsunagari.accounts.policy import Action, Decision, register_object_rule
from tsunagari.workforce.models import Worker

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

# Roles that keep every agency's register.
WARD_ROLES = frozenset({Role.ADMINISTRATOR, Role.PLANNER})

OTHER_AGENCY = _(
    "この名簿はあなたの機関のものではありません。スーパーバイザーが扱えるのは自分の機関の名簿だけです。"
)
NO_AGENCY = _(
    "所属機関が登録されていないため、名簿を扱えません。管理者に所属の登録を依頼してください。"
)


def sees_every_agency(staff: Staff) -> bool:
    """Administrators and planners keep every agency's register."""
    return any(staff.has_role(role) for role in WARD_ROLES)


def agency_rule(staff: Staff, agency: Agency) -> Decision:
    if sees_every_agency(staff):
        return Decision(True)
    if staff.agency_id is None:
        return Decision(False, str(NO_AGENCY))
    if staff.agency_id != agency.pk:
        return Decision(False, str(OTHER_AGENCY))
    return Decision(True)


def worker_rule(staff: Staff, worker: Worker) -> Decision:
    if sees_every_agency(staff):
        return Decision(True)
    if staff.agency_id is None:
        return Decision(False, str(NO_AGENCY))
    if staff.agency_id != worker.agency_id:
        return Decision(False, str(OTHER_AGENCY))
    return Decision(True)


def register() -> None:
    register_object_rule(Action.MANAGE_WORKFORCE, Agency, agency_rule)
    register_object_rule(Action.MANAGE_WORKFORCE, Worker, worker_rule)
