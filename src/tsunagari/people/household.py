"""A person's household as one viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from tsunagari.people.access import may_see_contact
from tsunagari.people.models import Membership, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    name: str
    relation: str
    age: int | None
    is_self: bool


@dataclass(frozen=True)
class HouseholdView:
    number: str
    address: str
    members: list[MemberRow]


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def household_of(viewer: Staff | AnonymousUser, person: Person) -> HouseholdView | None:
    """Members (name, relation, age) of the person's current household.

    The household address is hidden if any member is sealed and the viewer
    is not designated: it is that member's address too.
    """
    membership = (
        Membership.objects.filter(person=person, until__isnull=True)
        .select_related("household")
        .first()
    )
    if membership is None:
        return None
    today = timezone.localdate()
    rows = (
        Membership.objects.filter(household=membership.household, until__isnull=True)
        .select_related("person")
        .order_by("id")
    )
    members = []
    address_ok = True
    for m in rows:
        member: Person = m.person
        if not may_see_contact(viewer, member):
            address_ok = False
        members.append(
            MemberRow(
                member.pk,
                member.full_name,
                m.relation,
                _age(member.birth_date, today),
                member.pk == person.pk,
            )
        )
    return HouseholdView(
        number=membership.household.number,
        address=membership.household.address if address_ok else "",
        members=members,
    )
