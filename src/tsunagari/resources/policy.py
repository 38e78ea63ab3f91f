"""Who may read and keep the directory: the directory's names for the
actions of the project's one policy layer (tsunagari.accounts.policy)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tsunagari.accounts.policy import Action, actions_for, require

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff


class ResourceAction(StrEnum):
    # Read the staff directory (every signed-in member of staff with a role).
    VIEW = Action.VIEW_DIRECTORY.value
    # See where confidential places (shelters) are.
    VIEW_CONFIDENTIAL = Action.VIEW_CONFIDENTIAL_PLACES.value
    # Edit and verify entries (地域づくり担当, administrators).
    EDIT = Action.EDIT_DIRECTORY.value
    # Import and export whole files.
    IMPORT = Action.RUN_IMPORTS.value


def resource_actions(staff: Staff | AnonymousUser | None) -> frozenset[ResourceAction]:
    if staff is None:
        return frozenset()
    granted = actions_for(staff)
    return frozenset(a for a in ResourceAction if Action(a.value) in granted)


def can(staff: Staff | AnonymousUser | None, action: ResourceAction) -> bool:
    return action in resource_actions(staff)


def require_resource(staff: Staff | AnonymousUser | None, action: ResourceAction) -> None:
    require(staff, Action(action.value))  # type: ignore[arg-type]
