"""Who may record a safety check for whom: the person must be on the roster in
a town under disaster mode, and, for a recipient's staff, in the recipient's
towns and not sealed (``selection.check_scope``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.policy import Action, Decision, register_object_rule
from tsunagari.people.models import Person

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

NOT_IN_SCOPE = _(
    "この方は、いま安否確認の対象になっていません（発令中の地域の名簿の方で、"
    "あなたの機関の担当地域の方だけです）。"
)


def _safety_rule(staff: Staff, person: Person) -> Decision:
    from tsunagari.disaster.selection import check_scope

    if person.pk in check_scope(staff).person_ids:
        return Decision(True)
    return Decision(False, str(NOT_IN_SCOPE))


def register() -> None:
    register_object_rule(Action.RECORD_SAFETY_CHECKS, Person, _safety_rule)
