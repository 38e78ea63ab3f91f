"""Who may read and keep the directory.

The project's policy layer (tsunagari.accounts.policy) has no directory
actions yet; until they are added there, the role rules live here and go
through the same sign-in and active-account checks (``actions_for``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from tsunagari.accounts.models import Role
from tsunagari.accounts.policy import actions_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff


class ResourceAction(StrEnum):
    # Read the staff directory (every signed-in member of staff with a role).
    VIEW = "resources.view"
    # See where confidential places (shelters) are.
    VIEW_CONFIDENTIAL = "resources.view_confidential"
    # Edit and verify entries (地域づくり担当, administrators).
    EDIT = "resources.edit"
    # Import and export whole files.
    IMPORT = "resources.import"


_CONFIDENTIAL_ROLES = {
    Role.CONSULTANT,
    Role.COORDINATOR,
    Role.OUTREACH,
    Role.PARTICIPATION,
    Role.SUPERVISOR,
    Role.COMMUNITY,
    Role.ADMINISTRATOR,
}
_EDIT_ROLES = {Role.COMMUNITY, Role.ADMINISTRATOR}
_IMPORT_ROLES = {Role.ADMINISTRATOR}


def resource_actions(staff: Staff | AnonymousUser | None) -> frozenset[ResourceAction]:
    if staff is None or not actions_for(staff):
        return frozenset()
    roles = set(getattr(staff, "roles", None) or [])
    granted = {ResourceAction.VIEW}
    if roles & _CONFIDENTIAL_ROLES:
        granted.add(ResourceAction.VIEW_CONFIDENTIAL)
    if roles & _EDIT_ROLES:
        granted.add(ResourceAction.EDIT)
    if roles & _IMPORT_ROLES:
        granted.add(ResourceAction.IMPORT)
    return frozenset(granted)


def can(staff: Staff | AnonymousUser | None, action: ResourceAction) -> bool:
    return action in resource_actions(staff)


def require_resource(staff: Staff | AnonymousUser | None, action: ResourceAction) -> None:
    if not getattr(staff, "is_authenticated", False):
        raise PermissionDenied("サインインしてください。")
    if not can(staff, action):
        raise PermissionDenied(
            "この操作の権限がありません。必要な場合は管理者に役割の付与を依頼してください。"
        )
