"""The one way a person is shown: viewer, person(s) and purpose in, view objects out.

Every page, API answer, export, list and search shows a person through
:func:`present_person` or :func:`present_people`. They decide what of the
person the viewer is entitled to see, read seals live (a sealed person's
address and phone, and those of everyone in a sealed person's household,
since a household shares its address, are shown to designated staff only),
and write the audit event themselves, naming every person shown.
Templates, API schemas and exports get a :class:`PersonView`, never the model.

What a viewer sees depends on the basis of their agency's links
(``people.AgencyLink``): a case, a support meeting, a service or the person
at the desk open every section; a consent opens the sections of the
categories it covers (``people.sections``); with no link the viewer learns
only that the ward knows the person and whom to ask.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from tsunagari.accounts.policy import Action, actions_for
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record, record_request
from tsunagari.lib.dates import age_on
from tsunagari.people import sections as sec
from tsunagari.people.models import LinkBasis, Membership, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from tsunagari.accounts.models import Staff
    from tsunagari.people.access import Contact

    Viewer = Staff | AnonymousUser


class Purpose(StrEnum):
    # A page or API answer about the person.
    VIEW = "view"
    # The edit form, which shows the current values.
    EDIT = "edit"
    # A file with the person's data leaves the system.
    EXPORT = "export"
    # A row in a list, worklist or search result.
    LIST = "list"
    # The person as a referral's two sides see them.
    REFERRAL = "referral"


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    name: str
    relation: str
    age: int | None
    is_self: bool
    # The viewer may open this member's own page.
    openable: bool = False


@dataclass(frozen=True)
class HouseholdView:
    number: str
    address: str
    members: list[MemberRow]


@dataclass(frozen=True)
class PersonView:
    """A person as one viewer may see them. ``level`` is "full" or "known".

    ``sections`` are the parts of the record the viewer may see
    (``people.sections``); fields of closed sections are empty.
    """

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
    sections: frozenset[str] = frozenset()
    bases: tuple[str, ...] = ()
    provisional: bool = False
    household: HouseholdView | None = None

    def shows(self, section: str) -> bool:
        return section in self.sections


@dataclass(frozen=True)
class Entitlement:
    bases: frozenset[str]
    sections: frozenset[str]

    @property
    def provisional(self) -> bool:
        """Only the at-desk (break-the-glass) basis holds, which ends by itself."""
        return self.bases == {LinkBasis.AT_DESK}


def entitlements(viewer: Viewer, person_ids: Iterable[int]) -> dict[int, Entitlement]:
    """Each person the viewer's agency is entitled to see, with what it may see."""
    from tsunagari.people.access import active_links

    ids = sorted(set(person_ids))
    agency_id = getattr(viewer, "agency_id", None)
    if not ids or agency_id is None or Action.VIEW_PERSONAL_DATA not in actions_for(viewer):
        return {}
    links = list(
        active_links()
        .filter(agency_id=agency_id, person_id__in=ids)
        .values_list("person_id", "basis", "note")
    )
    consent_ids = [
        int(note.split(":", 1)[1])
        for _p, basis, note in links
        if basis == LinkBasis.CONSENT and note.startswith("consent:") and note[8:].isdigit()
    ]
    categories: dict[int, list[str]] = {}
    if consent_ids:
        from tsunagari.consent.models import Consent

        categories = dict(
            Consent.objects.filter(pk__in=consent_ids).values_list("pk", "categories")
        )
    bases: dict[int, set[str]] = {}
    opened: dict[int, set[str]] = {}
    for person_id, basis, note in links:
        bases.setdefault(person_id, set()).add(basis)
        if basis == LinkBasis.CONSENT:
            key = int(note[8:]) if note.startswith("consent:") and note[8:].isdigit() else 0
            granted = sec.sections_for_categories(categories.get(key))
        else:
            granted = sec.ALL_SECTIONS
        opened.setdefault(person_id, set()).update(granted)
    return {
        p: Entitlement(frozenset(bases[p]), frozenset(opened[p])) for p in bases if opened.get(p)
    }


def sealed_contacts(person_ids: Iterable[int]) -> set[int]:
    """Persons whose address and phone are sealed: their own seal or a
    current household member's (the household shares the address)."""
    ids = sorted(set(person_ids))
    if not ids:
        return set()
    # One query (it runs on every page that shows people): a current
    # membership of theirs in a household with a sealed current member.
    in_sealed_home = Membership.objects.filter(
        person_id__in=ids,
        until__isnull=True,
        household__memberships__until__isnull=True,
        household__memberships__person__sealed=True,
    ).values("person_id")
    return set(
        Person.objects.filter(pk__in=ids)
        .filter(Q(sealed=True) | Q(pk__in=in_sealed_home))
        .values_list("pk", flat=True)
    )


def _household(viewer: Viewer, person: Person, contact_ok: bool) -> HouseholdView | None:
    membership = (
        Membership.objects.filter(person=person, until__isnull=True)
        .select_related("household")
        .first()
    )
    if membership is None:
        return None
    today = timezone.localdate()
    rows = list(
        Membership.objects.filter(household=membership.household, until__isnull=True)
        .select_related("person")
        .order_by("id")
    )
    rights = entitlements(viewer, [m.person_id for m in rows])
    members = [
        MemberRow(m.person_id, m.person.full_name, m.relation, age_on(m.person.birth_date, today),
                  m.person_id == person.pk, m.person_id in rights)
        for m in rows
    ]  # fmt: skip
    return HouseholdView(
        number=membership.household.number,
        address=membership.household.address if contact_ok else "",
        members=members,
    )


def _build(
    viewer: Viewer,
    persons: Sequence[Person],
    *,
    granted: frozenset[str] = frozenset(),
    with_household: bool = False,
) -> list[PersonView]:
    from tsunagari.people.access import contacts_for

    rights = entitlements(viewer, [p.pk for p in persons])
    if granted and Action.VIEW_PERSONAL_DATA in actions_for(viewer):
        # The calling object itself shares these sections (e.g. a referral
        # shows its two sides whom it is about).
        for p in persons:
            have = rights.get(p.pk)
            rights[p.pk] = Entitlement(
                have.bases if have else frozenset(),
                (have.sections if have else frozenset()) | granted | {sec.IDENTITY},
            )
    sealed = sealed_contacts([p.pk for p in persons if p.pk in rights])
    designated = Action.VIEW_SEALED_CONTACT in actions_for(viewer)
    views = []
    # Whom to contact is the same for everyone (see contacts_for): looked up
    # once per list, not once per person the viewer may not see.
    contacts: list[Contact] | None = None
    for person in persons:
        right = rights.get(person.pk)
        if right is None:
            if contacts is None:
                contacts = contacts_for(person)
            views.append(PersonView(id=person.pk, level="known", contacts=list(contacts)))
            continue
        basic = sec.BASIC in right.sections
        contact_ok = designated or person.pk not in sealed
        views.append(
            PersonView(
                id=person.pk,
                level="full",
                name=person.full_name,
                kana=person.full_kana,
                birth_date=person.birth_date if basic else None,
                sex=(person.get_sex_display() if person.sex else "") if basic else "",
                address=person.address if basic and contact_ok else "",
                phone=person.phone if basic and contact_ok else "",
                resident_id=person.resident_id if basic else "",
                sealed=person.sealed,
                contact_hidden=not contact_ok,
                version=person.version,
                sections=right.sections,
                bases=tuple(sorted(right.bases)),
                provisional=right.provisional,
                household=_household(viewer, person, contact_ok)
                if with_household and sec.HOUSEHOLD in right.sections
                else None,
            )
        )
    return views


def _audit(
    viewer: Viewer,
    request: HttpRequest | None,
    action: str,
    *,
    person_id: int | str = "",
    persons: list[int] | None = None,
    **kwargs: Any,
) -> None:
    detail = dict(kwargs.pop("detail", None) or {})
    if persons is not None:
        detail["persons"] = persons
    if request is not None:
        record_request(request, action, person_id=person_id, detail=detail, **kwargs)
    else:
        record(viewer, action, person_id=person_id, detail=detail, **kwargs)


def present_person(
    viewer: Viewer,
    person: Person,
    purpose: Purpose,
    *,
    request: HttpRequest | None = None,
    granted: frozenset[str] = frozenset(),
    with_household: bool = False,
    detail: dict[str, Any] | None = None,
) -> PersonView:
    """What ``viewer`` may see of ``person`` for ``purpose``; never more. Audited.

    A full view is logged as a view (an export for ``Purpose.EXPORT``); a
    viewer who is not entitled gets the "known to the ward" view, logged as
    a refusal.
    """
    view = _build(viewer, [person], granted=granted, with_household=with_household)[0]
    extra = {"purpose": str(purpose), **(detail or {})}
    if view.level == "full":
        action = AuditAction.EXPORT if purpose == Purpose.EXPORT else AuditAction.VIEW
        members = [m.person_id for m in view.household.members] if view.household else None
        _audit(viewer, request, action, obj=person, person_id=person.pk, persons=members,
               detail={**extra, "sections": sorted(view.sections)})  # fmt: skip
    else:
        _audit(viewer, request, AuditAction.DENIED, obj=person, person_id=person.pk,
               reason="not entitled", detail=extra)  # fmt: skip
    return view


def present_people(
    viewer: Viewer,
    persons: Sequence[Person],
    purpose: Purpose = Purpose.LIST,
    *,
    request: HttpRequest | None = None,
    object_type: str = "people.person",
    granted: frozenset[str] = frozenset(),
    detail: dict[str, Any] | None = None,
    audit: bool = True,
) -> list[PersonView]:
    """Views of many people (a list, a search), with one audit event naming them all.

    ``audit=False`` is for a caller that writes its own event naming the same
    persons (e.g. the look-up, which also records its query).
    """
    views = _build(viewer, persons, granted=granted)
    if audit and views:
        _audit(viewer, request, AuditAction.EXPORT if purpose == Purpose.EXPORT else AuditAction.VIEW,
               object_type=object_type, persons=[v.id for v in views],
               detail={"purpose": str(purpose), **(detail or {})})  # fmt: skip
    return views
