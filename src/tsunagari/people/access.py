"""Who may see what of a person.

* An agency with an active link (case, consent, support meeting, service)
  sees the person's record.
* Any other agency learns only that the ward knows the person and whom to
  contact.
* A sealed person's (閲覧制限) address and phone are shown only to
  designated staff (``sealed_access``), wherever the person appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, AgencyKind
from tsunagari.accounts.policy import Action, Decision, actions_for, register_object_rule
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
    today = today or timezone.localdate()
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

    For a sealed person only the ward's welfare division is named: which
    agencies support them could itself reveal too much.
    """
    if not person.sealed:
        agencies = (
            Agency.objects.filter(
                pk__in=active_links().filter(person=person).values("agency_id"), is_active=True
            )
            .exclude(kind=AgencyKind.COMMISSIONER)
            .order_by("kind", "name")[:4]
        )
        found = [Contact(a.name, a.phone) for a in agencies]
        if found:
            return found
    ward = (
        Agency.objects.filter(kind=AgencyKind.WARD_DEPARTMENT, is_active=True)
        .order_by("code")
        .first()
    )
    return [Contact(ward.name, ward.phone)] if ward else []


@dataclass(frozen=True)
class PersonView:
    """A person as one viewer may see them. ``level`` is "full" or "known"."""

    id: int
    level: str
    name: str = ""
    kana: str = ""
    birth_date: date | None = None
    sex: str = ""
    address: str = ""
    phone: str = ""
    resident_id: str = ""
    sealed: bool = False
    contact_hidden: bool = False
    contacts: list[Contact] = field(default_factory=list)
    version: int = 0


def present(
    staff: Staff | AnonymousUser, person: Person, *, entitled: bool | None = None
) -> PersonView:
    """What ``staff`` may see of ``person``; never more."""
    if entitled is None:
        entitled = Action.VIEW_PERSONAL_DATA in actions_for(staff) and is_entitled(staff, person)
    if not entitled:
        return PersonView(id=person.pk, level="known", contacts=contacts_for(person))
    show_contact = may_see_contact(staff, person)
    return PersonView(
        id=person.pk,
        level="full",
        name=person.full_name,
        kana=person.full_kana,
        birth_date=person.birth_date,
        sex=person.get_sex_display() if person.sex else "",
        address=person.address if show_contact else "",
        phone=person.phone if show_contact else "",
        resident_id=person.resident_id,
        sealed=person.sealed,
        contact_hidden=not show_contact,
        version=person.version,
    )
