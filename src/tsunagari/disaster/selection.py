"""Read-only questions the actions and pages ask: the facts the rules read,
the declarations in force, what a recipient may receive now, whom an actor
checks on, and whose consent letter is due. Nothing here writes, except that
asking for the declarations in force first ends those whose time ran out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from tsunagari.accounts.policy import Action, allowed
from tsunagari.disaster import rules as engine
from tsunagari.disaster.models import (
    RELEASABLE,
    AreaPriority,
    ConsentStatus,
    Declaration,
    DepartmentFact,
    EvacuationPlan,
    FactLoad,
    InclusionRule,
    PlanStatus,
    Recipient,
    ReleaseMode,
    RosterEntry,
    SafetyCheck,
)
from tsunagari.lib import clock
from tsunagari.lib.dates import age_on
from tsunagari.people.models import Membership, Person
from tsunagari.people.presenter import sealed_contacts

if TYPE_CHECKING:
    from datetime import datetime

    from tsunagari.accounts.models import Staff


def active_rules() -> list[engine.RuleSpec]:
    return [
        engine.RuleSpec(
            r.code, r.label, r.source, dict(r.attributes or {}), r.min_age, r.living_alone
        )
        for r in InclusionRule.objects.filter(active=True)
    ]


def gather_facts() -> engine.Facts:
    """The registry and the loaded department records, as the rules read them."""
    today = clock.today()
    homes: dict[int, int] = dict(
        Membership.objects.filter(until__isnull=True).values_list("person_id", "household_id")
    )
    sizes: dict[int, int] = {}
    for household in homes.values():
        sizes[household] = sizes.get(household, 0) + 1
    people = {
        pk: engine.PersonFacts(
            age=age_on(born, today),
            alone=(sizes[homes[pk]] == 1) if pk in homes else None,
            town=town,
        )
        for pk, born, town in Person.objects.values_list("pk", "birth_date", "town")
    }
    facts = engine.Facts(people=people, households_known=bool(homes))
    for load in FactLoad.objects.filter(current=True):
        # Only the kept columns: a column the file had but no rule read then is not here.
        facts.columns[load.source] = set(load.kept)
    for pid, source, attributes in DepartmentFact.objects.values_list(
        "person_id", "source", "attributes"
    ):
        facts.records.setdefault(source, {}).setdefault(pid, []).append(attributes)
    return facts


def letters_due() -> list[RosterEntry]:
    """Entries on the roster whose consent has not been asked yet."""
    return list(
        RosterEntry.objects.filter(on_roster=True, consent=ConsentStatus.NOT_ASKED)
        .select_related("person")
        .order_by("person__town", "person__surname_kana", "pk")
    )


def active_declarations() -> list[Declaration]:
    from tsunagari.disaster.services import expire_declarations

    expire_declarations()
    now = clock.now()
    return [d for d in Declaration.objects.filter(ended_at__isnull=True) if d.is_active(now)]


def declared_towns() -> dict[str, Declaration]:
    """Each town under disaster mode now, with its (latest) declaration."""
    towns: dict[str, Declaration] = {}
    for declaration in sorted(active_declarations(), key=lambda d: d.declared_at):
        for town in declaration.towns:
            towns[town] = declaration
    return towns


@dataclass
class Selection:
    """Who a release to one recipient would contain now, and on what basis."""

    recipient: Recipient
    mode: str
    declaration: Declaration | None
    persons: list[Person]
    without_consent: list[int]
    plans: list[EvacuationPlan]
    # The ward's count of sealed persons on the roster (never named to recipients).
    sealed_in_ward: int
    towns: list[str]


def sealed_on_roster() -> set[int]:
    ids = list(RosterEntry.objects.filter(on_roster=True).values_list("person_id", flat=True))
    return sealed_contacts(ids)


def select_release(recipient: Recipient) -> Selection:
    """What ``recipient`` may receive now: its towns only; consent before a disaster,
    everyone in declared towns in disaster mode (designated recipients); never the sealed."""
    declared = declared_towns() if recipient.designated else {}
    towns = set(recipient.towns)
    entries = list(
        RosterEntry.objects.filter(on_roster=True, person__town__in=towns)
        .select_related("person")
        .order_by("person__town", "person__surname_kana", "person__pk")
    )
    sealed = sealed_on_roster()
    chosen: list[Person] = []
    without: list[int] = []
    for entry in entries:
        if entry.person_id in sealed:
            continue
        in_disaster = entry.person.town in declared
        if entry.consent in RELEASABLE:
            chosen.append(entry.person)
        elif in_disaster:
            chosen.append(entry.person)
            without.append(entry.person_id)
    covering = [declared[t] for t in sorted(towns) if t in declared]
    mode = ReleaseMode.DISASTER if covering else ReleaseMode.ORDINARY
    plans = list(
        EvacuationPlan.objects.filter(
            person_id__in=[p.pk for p in chosen], status=PlanStatus.DONE
        ).order_by("person_id")
    )
    return Selection(recipient, mode, covering[0] if covering else None, chosen, without, plans,
                     len(sealed), sorted(towns))  # fmt: skip


def known_towns() -> list[str]:
    towns = set(Person.objects.exclude(town="").values_list("town", flat=True).distinct())
    towns |= set(AreaPriority.objects.values_list("town", flat=True))
    return sorted(towns)


def recipient_of(actor: Staff | None) -> Recipient | None:
    """The designated recipient the actor's agency acts for, if any."""
    agency_id = getattr(actor, "agency_id", None)
    if agency_id is None:
        return None
    return Recipient.objects.filter(agency_id=agency_id, active=True, designated=True).first()


@dataclass
class CheckScope:
    """Whom an actor checks on now: the roster in declared towns (their recipient's
    towns only for a recipient; never a sealed person for a recipient)."""

    declaration_of: dict[str, Declaration]
    recipient: Recipient | None
    person_ids: list[int]


def check_scope(actor: Staff | None) -> CheckScope:
    declared = declared_towns()
    ward = actor is None or allowed(actor, Action.WORK_EVACUATION)
    recipient = None if ward else recipient_of(actor)
    towns = set(declared)
    if recipient is not None:
        towns &= set(recipient.towns)
    elif not ward:
        towns = set()
    ids = list(
        RosterEntry.objects.filter(on_roster=True, person__town__in=towns)
        .order_by("person__town", "person__surname_kana", "person_id")
        .values_list("person_id", flat=True)
    )
    if recipient is not None:
        sealed = sealed_contacts(ids)
        ids = [i for i in ids if i not in sealed]
    return CheckScope(declared, recipient, ids)


def latest_checks(declaration_ids: list[int]) -> dict[int, SafetyCheck]:
    """Each person's latest check under these declarations."""
    latest: dict[int, SafetyCheck] = {}
    for check in SafetyCheck.objects.filter(declaration_id__in=declaration_ids).order_by(
        "at", "pk"
    ):
        latest[check.person_id] = check
    return latest


def now_text(at: datetime | None = None) -> str:
    return timezone.localtime(at or clock.now()).strftime("%Y-%m-%d %H:%M")
