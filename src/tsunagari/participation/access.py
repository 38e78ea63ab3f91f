"""Who may work on a person's participation support: one rule, registered with the policy layer.

A participation worker (``Action.WORK_PARTICIPATION``) works on a person's
profile and placements only while their agency is entitled to the person
(a case, a consent, a support meeting or a service link, as the presenter
reads it). Every refusal is audited with its reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext

from tsunagari.accounts.policy import Action, Decision, register_object_rule, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.participation.models import FollowUp, ParticipationProfile, Placement
from tsunagari.people.access import NOT_ENTITLED, is_entitled
from tsunagari.people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff


def _person_of(obj: Any) -> Person:
    if isinstance(obj, Person):
        return obj
    if isinstance(obj, FollowUp):
        return obj.placement.person
    return obj.person  # type: ignore[no-any-return]


def _rule(staff: Staff, obj: Any) -> Decision:
    if is_entitled(staff, _person_of(obj)):
        return Decision(True)
    return Decision(False, str(NOT_ENTITLED))


def register() -> None:
    for model in (Person, ParticipationProfile, Placement, FollowUp):
        register_object_rule(Action.WORK_PARTICIPATION, model, _rule)


def check(actor: Staff | AnonymousUser | None, obj: Any) -> None:
    """``require_actor`` for one object, with the refusal audited."""
    if actor is None:
        return
    try:
        require(actor, Action.WORK_PARTICIPATION, obj)
    except PermissionDenied as exc:
        person = _person_of(obj)
        record(actor, AuditAction.DENIED, obj=obj if not isinstance(obj, Person) else person,
               person_id=person.pk, reason=str(exc)[:200])  # fmt: skip
        raise


def get_person_for(actor: Staff | AnonymousUser, person_id: int) -> Person:
    require(actor, Action.WORK_PARTICIPATION)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404(gettext("その番号の方は見つかりません。"))
    check(actor, person)
    return person


def get_placement_for(actor: Staff | AnonymousUser, placement_id: int) -> Placement:
    require(actor, Action.WORK_PARTICIPATION)
    placement = (
        Placement.objects.select_related("person", "opportunity", "case", "worker")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        raise Http404(gettext("その番号の参加先はありません。"))
    check(actor, placement)
    return placement
