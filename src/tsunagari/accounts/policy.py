"""The one policy layer: who may see or do what.

Pages, the JSON API and management commands all ask here, so a rule changes
in one place. Role rules say which kinds of work a role does; object rules,
registered by the domain apps, decide for one object (e.g. a person is
visible to the agencies on their case or with a recorded consent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from tsunagari.accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff


class Action(StrEnum):
    VIEW_HOME = "home.view"
    # Any page or endpoint that shows individual persons' data.
    VIEW_PERSONAL_DATA = "personal.view"
    # Aggregates with small cells suppressed: what council members see.
    VIEW_AGGREGATES = "aggregates.view"
    VIEW_AGENCIES = "agencies.view"
    VIEW_STAFF = "staff.view"
    MANAGE_STAFF = "staff.manage"
    VIEW_AUDIT_LOG = "audit.view"
    VERIFY_AUDIT = "audit.verify"
    RUN_IMPORTS = "imports.run"
    # Decide whether two department records a linkage run was unsure of are
    # one person (the records' names, dates and addresses are shown).
    REVIEW_LINKS = "links.review"
    # Complex-need flags from linkage: designated staff only.
    VIEW_FLAGS = "flags.view"
    # Sealed persons' (閲覧制限) address and contact: designated staff only.
    VIEW_SEALED_CONTACT = "sealed.view"
    # Review records opened because the person was at the desk (break-the-glass).
    REVIEW_OPENINGS = "openings.review"
    # Take consultations, record consent, send and answer referrals (つなぎ).
    WORK_CONSULTATIONS = "consultations.work"
    # Put a person under the support-meeting regime (支援会議, art. 106-6).
    DECIDE_SUPPORT_MEETING = "support_meeting.decide"
    # See and pick up needs for multi-agency work or outreach raised at intake.
    WORK_NEEDS = "needs.work"
    # Open multi-agency cases from picked-up needs and move, close or reopen them.
    WORK_CASES = "cases.work"
    # Define surveys, import and weight responses (aggregates stay suppressed).
    MANAGE_SURVEYS = "surveys.manage"
    # The liaison council's workspace: meetings, minutes, actions, documents.
    USE_COUNCIL_WORKSPACE = "council.use"
    # Convene meetings, record minutes, manage member organisations.
    MANAGE_COUNCIL = "council.manage"
    # Read the staff view of the local resource directory.
    VIEW_DIRECTORY = "resources.view"
    # See where confidential places (shelters) are.
    VIEW_CONFIDENTIAL_PLACES = "resources.view_confidential"
    # Edit and verify directory entries.
    EDIT_DIRECTORY = "resources.edit"


_FRONT_LINE = {
    Action.VIEW_HOME,
    Action.VIEW_PERSONAL_DATA,
    Action.VIEW_AGGREGATES,
    Action.VIEW_AGENCIES,
}

_CONSULTING = _FRONT_LINE | {Action.WORK_CONSULTATIONS}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CONSULTANT: frozenset(_CONSULTING),
    Role.COORDINATOR: frozenset(
        _CONSULTING | {Action.DECIDE_SUPPORT_MEETING, Action.WORK_NEEDS, Action.WORK_CASES}
    ),
    Role.OUTREACH: frozenset(_CONSULTING | {Action.WORK_NEEDS}),
    Role.PARTICIPATION: frozenset(_CONSULTING),
    Role.COMMUNITY: frozenset({Action.VIEW_HOME, Action.VIEW_AGGREGATES, Action.VIEW_AGENCIES}),
    Role.PLANNER: frozenset({Action.VIEW_HOME, Action.VIEW_AGGREGATES, Action.VIEW_AGENCIES}),
    Role.DISASTER: frozenset(_FRONT_LINE),
    Role.COUNCIL_MEMBER: frozenset({Action.VIEW_HOME, Action.VIEW_AGGREGATES}),
    Role.SUPERVISOR: frozenset(
        _FRONT_LINE | {Action.VIEW_STAFF, Action.VIEW_AUDIT_LOG, Action.REVIEW_OPENINGS}
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Action.VIEW_HOME,
            Action.VIEW_AGGREGATES,
            Action.VIEW_AGENCIES,
            Action.VIEW_STAFF,
            Action.MANAGE_STAFF,
            Action.VIEW_AUDIT_LOG,
            Action.VERIFY_AUDIT,
            Action.RUN_IMPORTS,
            Action.REVIEW_LINKS,
        }
    ),
}

# Loneliness and isolation measures: planners run the survey and the council;
# council members and community staff work in the council's workspace.
_SURVEY_AND_COUNCIL: dict[str, set[Action]] = {
    Role.PLANNER: {Action.MANAGE_SURVEYS, Action.USE_COUNCIL_WORKSPACE, Action.MANAGE_COUNCIL},
    Role.ADMINISTRATOR: {
        Action.MANAGE_SURVEYS,
        Action.USE_COUNCIL_WORKSPACE,
        Action.MANAGE_COUNCIL,
    },
    Role.COUNCIL_MEMBER: {Action.USE_COUNCIL_WORKSPACE},
    Role.COMMUNITY: {Action.USE_COUNCIL_WORKSPACE},
}
for _role, _extra in _SURVEY_AND_COUNCIL.items():
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | _extra

# The local resource directory: everyone with a role reads it; those who
# refer people may see confidential places; community staff keep it.
_CONFIDENTIAL_PLACE_ROLES = {
    Role.CONSULTANT, Role.COORDINATOR, Role.OUTREACH, Role.PARTICIPATION,
    Role.SUPERVISOR, Role.COMMUNITY, Role.ADMINISTRATOR,
}  # fmt: skip
for _role in ROLE_ACTIONS:
    _grant = {Action.VIEW_DIRECTORY}
    if _role in _CONFIDENTIAL_PLACE_ROLES:
        _grant.add(Action.VIEW_CONFIDENTIAL_PLACES)
    if _role in {Role.COMMUNITY, Role.ADMINISTRATOR}:
        _grant.add(Action.EDIT_DIRECTORY)
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | _grant

# Actions that also need a designation on the staff record, not only a role.
_DESIGNATIONS: dict[Action, str] = {
    Action.VIEW_FLAGS: "flag_access",
    Action.VIEW_SEALED_CONTACT: "sealed_access",
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ObjectRule = Callable[["Staff", Any], Decision]
_object_rules: dict[tuple[Action, type], ObjectRule] = {}


def register_object_rule(action: Action, model: type, rule: ObjectRule) -> None:
    """Let a domain app decide ``action`` for objects of ``model``."""
    _object_rules[(action, model)] = rule


def actions_for(staff: Staff | AnonymousUser) -> frozenset[Action]:
    if not getattr(staff, "is_authenticated", False) or not staff.is_active:
        return frozenset()
    granted: set[Action] = set()
    for role in getattr(staff, "roles", None) or []:
        granted |= ROLE_ACTIONS.get(role, frozenset())
    if not granted:
        return frozenset()
    granted.add(Action.VIEW_HOME)
    for action, flag in _DESIGNATIONS.items():
        if getattr(staff, flag, False):
            granted.add(action)
    return frozenset(granted)


def decide(staff: Staff | AnonymousUser, action: Action, obj: object | None = None) -> Decision:
    """Decide whether ``staff`` may do ``action`` (on ``obj`` when given)."""
    if not getattr(staff, "is_authenticated", False):
        return Decision(False, "サインインしてください。")
    if action not in actions_for(staff):
        return Decision(
            False, "この操作の権限がありません。必要な場合は管理者に役割の付与を依頼してください。"
        )
    if obj is not None:
        for klass in type(obj).__mro__:
            rule = _object_rules.get((action, klass))
            if rule is not None:
                return rule(staff, obj)  # type: ignore[arg-type]
    return Decision(True)


def allowed(staff: Staff | AnonymousUser, action: Action, obj: object | None = None) -> bool:
    return decide(staff, action, obj).allowed


def require(staff: Staff | AnonymousUser, action: Action, obj: object | None = None) -> None:
    """Raise PermissionDenied with the reason unless ``staff`` may do ``action``."""
    decision = decide(staff, action, obj)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)


def require_actor(
    actor: Staff | AnonymousUser | None, action: Action, obj: object | None = None
) -> None:
    """``require`` for a write function that commands and the demo call too.

    ``None`` is the operator at the server (a management command, the demo
    loader): not a signed-in user, trusted as whoever may run the command.
    Pages and the API always pass the signed-in user (never None), so every
    request is decided here like any other.
    """
    if actor is None:
        return
    require(actor, action, obj)
