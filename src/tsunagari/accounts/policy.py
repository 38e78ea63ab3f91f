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
    # Outreach (アウトリーチ等を通じた継続的支援事業): targets, contacts, handover.
    WORK_OUTREACH = "outreach.work"
    # Pass a tip about someone who may need a visit to the outreach team.
    SEND_OUTREACH_TIP = "outreach.tip"
    # Participation support (参加支援事業): profiles, matching, placements.
    WORK_PARTICIPATION = "participation.work"
    # Community building (地域づくり事業): activities, attendance counts, gaps.
    WORK_COMMUNITY = "community.work"
    # The welfare plan's policy system, indicators and reports (read).
    VIEW_PLAN = "plan.view"
    # Targets, hand-entered values with evidence, yearly evaluations.
    MANAGE_PLAN = "plan.manage"
    # The evacuation-support roster (避難行動要支援者名簿), consent, plans, releases.
    WORK_EVACUATION = "evacuation.work"
    # Switch disaster mode on or off for named areas (designated officers only).
    DECLARE_DISASTER = "evacuation.declare"
    # Record safety checks (安否確認) during a disaster.
    RECORD_SAFETY_CHECKS = "evacuation.safety_check"
    # File a report of abuse or violence (通報・届出) with the designated team.
    FILE_SAFEGUARDING_REPORT = "safeguarding.report"
    # The designated team: reports, reporters' identities, clocks, rights advocacy.
    WORK_SAFEGUARDING = "safeguarding.work"
    # Issue scam and consumer-damage alerts (消費者センター; designated staff).
    ISSUE_CONSUMER_ALERTS = "consumer.issue"
    # Read the alerts sent to one's area and act on them (the watch network).
    VIEW_CONSUMER_ALERTS = "consumer.view"
    # Handle barrier reports from residents (まちのバリアフリー).
    WORK_BARRIER_REPORTS = "barriers.work"
    # Keep an agency's register of qualifications, training and supervision.
    MANAGE_WORKFORCE = "workforce.manage"
    # Record awareness activities (福祉教育, ゲートキーパー研修, 講演会) and their reach.
    WORK_AWARENESS = "awareness.work"


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
    Role.OUTREACH: frozenset(_CONSULTING | {Action.WORK_NEEDS, Action.WORK_OUTREACH}),
    Role.PARTICIPATION: frozenset(_CONSULTING | {Action.WORK_PARTICIPATION}),
    Role.COMMUNITY: frozenset(
        {Action.VIEW_HOME, Action.VIEW_AGGREGATES, Action.VIEW_AGENCIES, Action.WORK_COMMUNITY}
    ),
    Role.PLANNER: frozenset(
        {Action.VIEW_HOME, Action.VIEW_AGGREGATES, Action.VIEW_AGENCIES, Action.MANAGE_PLAN}
    ),
    Role.DISASTER: frozenset(_FRONT_LINE | {Action.WORK_EVACUATION, Action.RECORD_SAFETY_CHECKS}),
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

# Everyone who reads aggregates reads the plan's indicators; those who work
# with people pass tips to outreach, file abuse reports and, on the ground,
# record safety checks during a disaster.
for _role, _actions in list(ROLE_ACTIONS.items()):
    _grant = set()
    if Action.VIEW_AGGREGATES in _actions:
        _grant.add(Action.VIEW_PLAN)
    if Action.WORK_CONSULTATIONS in _actions:
        _grant |= {
            Action.SEND_OUTREACH_TIP,
            Action.FILE_SAFEGUARDING_REPORT,
            Action.RECORD_SAFETY_CHECKS,
        }
    ROLE_ACTIONS[_role] = _actions | _grant

# The rest of the plan (directions 6-2, 7-1, 9-1, 10-1): those who work with
# people receive consumer alerts for their area; community staff handle barrier
# reports and awareness activities; supervisors keep their agency's workforce
# register, administrators and planners the ward's.
for _role, _actions in list(ROLE_ACTIONS.items()):
    _grant = set()
    if Action.WORK_CONSULTATIONS in _actions:
        _grant.add(Action.VIEW_CONSUMER_ALERTS)
    if _role in {Role.COMMUNITY, Role.ADMINISTRATOR}:
        _grant.add(Action.WORK_BARRIER_REPORTS)
    if _role in {Role.COMMUNITY, Role.PLANNER}:
        _grant.add(Action.WORK_AWARENESS)
    if _role in {Role.SUPERVISOR, Role.ADMINISTRATOR, Role.PLANNER}:
        _grant.add(Action.MANAGE_WORKFORCE)
    ROLE_ACTIONS[_role] = _actions | _grant

# Actions that also need a designation on the staff record, not only a role.
_DESIGNATIONS: dict[Action, str] = {
    Action.ISSUE_CONSUMER_ALERTS: "consumer_affairs",
    Action.VIEW_FLAGS: "flag_access",
    Action.VIEW_SEALED_CONTACT: "sealed_access",
    Action.WORK_SAFEGUARDING: "safeguarding_access",
    Action.DECLARE_DISASTER: "disaster_authority",
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
