"""Who may see what of a person.

* An agency with an active link (case, consent, support meeting, service)
  sees the person's record.
* Any other agency learns only that the ward knows the person and whom to
  contact.
* A sealed person's (閲覧制限) address and phone are shown only to
  designated staff (``sealed_access``), wherever the person appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, AgencyKind
from tsunagari.accounts.policy import Action, Decision, actions_for, register_object_rule
from tsunagari.lib import clock
from tsunagari.people.models import AgencyLink, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from tsunagari.accounts.models import Staff

NOT_ENTITLED = _(
    "この方の情報を見る根拠（支援中・本人同意・支援会議）があなたの機関にありません。"
    "表示されている連絡先の機関にお問い合わせください。"
)


def active_links(today: date | None = None) -> QuerySet[AgencyLink]:
    today = today or clock.today()
    return AgencyLink.objects.filter(Q(until__isnull=True) | Q(until__gte=today), since__lte=today)


def is_entitled(staff: Staff | AnonymousUser, person: Person) -> bool:
    agency_id = getattr(staff, "agency_id", None)
    if agency_id is None:
        return False
    return active_links().filter(person=person, agency_id=agency_id).exists()


def entitled_person_ids(staff: Staff | AnonymousUser, person_ids: list[int]) -> set[int]:
    agency_id = getattr(staff, "agency_id", None)
    if agency_id is None or not person_ids:
        return set()
    return set(
        active_links()
        .filter(agency_id=agency_id, person_id__in=person_ids)
        .values_list("person_id", flat=True)
    )


def _person_rule(staff: Staff, person: Person) -> Decision:
    if is_entitled(staff, person):
        return Decision(True)
    return Decision(False, str(NOT_ENTITLED))


def register() -> None:
    register_object_rule(Action.VIEW_PERSONAL_DATA, Person, _person_rule)


def may_see_contact(staff: Staff | AnonymousUser, person: Person) -> bool:
    """Address and phone: hidden for sealed persons unless designated."""
    return not person.sealed or Action.VIEW_SEALED_CONTACT in actions_for(staff)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


def contacts_for(person: Person) -> list[Contact]:
    """Whom another agency should contact about this person.

    Always the ward's welfare front desk (the active ward department with
    the lowest code), for every person alike: naming the agencies that
    support the person would tell what support they get (a 相談支援事業所
    means a disability, a 生活サポートセンター poverty), and a sealed
    person would stand out as the one with a different answer. The desk
    forwards the enquiry to the agencies on the case. ``person`` stays a
    parameter so callers need not change if the contact is ever routed.
    """
    ward = (
        Agency.objects.filter(kind=AgencyKind.WARD_DEPARTMENT, is_active=True)
        .order_by("code")
        .first()
    )
    return [Contact(ward.name, ward.phone)] if ward else []
