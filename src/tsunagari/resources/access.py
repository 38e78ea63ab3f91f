"""The directory's object rules in the one policy layer (``tsunagari.accounts.policy``).

A confidential place (a shelter, ``x_confidential``) is read, edited and
verified only by those who may see confidential places: those who refer
people there. Everyone else with a role reads the rest of the directory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, Decision, actions_for, register_object_rule
from tsunagari.resources.models import Location, Service

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff


def _service_rule(staff: Staff, service: Service | Location) -> Decision:
    if service.x_confidential and Action.VIEW_CONFIDENTIAL_PLACES not in actions_for(staff):
        return Decision(
            False, _("この資源の所在地は非公開です。参照できる職員にお問い合わせください。")
        )
    return Decision(True)


def register() -> None:
    for action in (Action.VIEW_DIRECTORY, Action.EDIT_DIRECTORY):
        register_object_rule(action, Service, _service_rule)
        # A place (its accessibility profile) follows the same rule.
        register_object_rule(action, Location, _service_rule)
