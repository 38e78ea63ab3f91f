"""What the worker's and the team's pages list: targets with their last and
next contacts, overdue on the ward's working-day calendar, each person
shown through the presenter (the target shares name and address with the
outreach team; a sealed person's address and town stay hidden from
undesignated staff)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import DateField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from tsunagari.accounts.policy import Action, actions_for
from tsunagari.consultations.limits import working_calendar
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.outreach.models import (
    OPEN_STATES,
    STATE_ORDER,
    Contact,
    OutreachTarget,
    Source,
    State,
)
from tsunagari.people import sections
from tsunagari.people.presenter import PersonView, Purpose, present_people, sealed_contacts

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from tsunagari.accounts.models import Staff
    from tsunagari.lib.calendar import WorkingCalendar

# What a target shares with the outreach team about its person: who, and where to visit.
TEAM_SECTIONS = frozenset({sections.IDENTITY, sections.BASIC})
LIST_LIMIT = 500
# Rows a section of the worker's list shows a page (a caseload may hold
# hundreds): a phone's few screens, overdue first.
LIST_PAGE = 25


def overdue_days(next_on: date | None, today: date, calendar: WorkingCalendar) -> int:
    """Working days the planned contact is late: 0 until a working day has passed after it.

    A contact planned for a Friday before a Monday holiday is not late on the
    Monday, and one working day late on the Tuesday.

    Example:
        >>> overdue_days(date(2026, 11, 20), date(2026, 11, 24), WorkingCalendar())
        1
    """
    if next_on is None or next_on >= today:
        return 0
    return max(0, calendar.working_days_between(next_on, today))


@dataclass(frozen=True)
class TargetRow:
    target: OutreachTarget
    person: PersonView | None
    # Where to visit: the person's address (through the presenter) or the typed one.
    address: str
    town: str
    address_hidden: bool
    last_on: date | None
    days_since: int | None
    next_on: date | None
    overdue: int

    @property
    def label(self) -> str:
        if self.person is not None and self.person.level == "full":
            return self.person.name
        return gettext("対象 %(n)s") % {"n": self.target.pk}


class Latest(NamedTuple):
    """What a list needs of a target's latest contact."""

    on: date
    next_on: date | None


def latest_contacts(target_ids: list[int]) -> dict[int, Latest]:
    """Each target's latest contact (its date and the next one planned), by target id."""
    latest: dict[int, Latest] = {}
    rows = (
        Contact.objects.filter(target_id__in=target_ids)
        .order_by("target_id", "-on", "-pk")
        .values_list("target_id", "on", "next_on")
    )
    for target_id, on, next_on in rows:
        if target_id not in latest:
            latest[target_id] = Latest(on, next_on)
    return latest


def rows_for(
    viewer: Staff, targets: list[OutreachTarget], *, request: HttpRequest | None = None,
    purpose: Purpose = Purpose.LIST, latest: dict[int, Latest] | None = None,
) -> list[TargetRow]:  # fmt: skip
    """One row per target, persons shown through the presenter in one audited list."""
    persons = {t.person_id: t.person for t in targets if t.person is not None}
    shown: list[PersonView] = []
    if persons:
        shown = present_people(viewer, list(persons.values()), purpose, request=request,
                               object_type="outreach.outreachtarget", granted=TEAM_SECTIONS,
                               detail={"targets": [t.pk for t in targets]})  # fmt: skip
    views = {v.id: v for v in shown}
    # A full view already says whether its contact is hidden (the presenter
    # checked the seal); only the others need the seal looked up here.
    sealed = sealed_contacts(
        [p.pk for p in persons.values() if p.pk not in views or views[p.pk].level != "full"]
    )
    designated = Action.VIEW_SEALED_CONTACT in actions_for(viewer)
    if latest is None:
        latest = latest_contacts([t.pk for t in targets])
    today = clock.today()
    calendar = working_calendar()
    rows = []
    for t in targets:
        view = views.get(t.person_id) if t.person_id else None
        hidden = t.person_id in sealed and not designated
        if view is not None:
            address = view.address if view.level == "full" else ""
            hidden = hidden or view.contact_hidden
        else:
            address = t.address
        last = latest.get(t.pk)
        next_on = last.next_on if last is not None else None
        row = TargetRow(
            target=t, person=view, address="" if hidden else address,
            town="" if hidden else t.town, address_hidden=hidden,
            last_on=last.on if last else None,
            days_since=(today - last.on).days if last else None, next_on=next_on,
            overdue=overdue_days(next_on, today, calendar) if t.is_open else 0,
        )  # fmt: skip
        rows.append(row)
    return rows


def by_urgency(worker: Staff) -> tuple[QuerySet[OutreachTarget, int], int]:
    """The worker's open targets' ids as their list orders them: overdue
    next contacts first (most working days late first), then by the next
    contact's date, targets with none planned as due today; and how many are
    overdue.

    The order is the database's, on the next contact each target's latest
    contact planned (kept on the target: ``OutreachTarget.next_contact_on``):
    working days late only grow as the planned date moves back, so ordering
    by the date itself (none planned: today) is ordering by lateness, and the
    overdue are those planned on or before the last late date. A page of a
    caseload of thousands reads that page's ids and two counts.
    """
    today, calendar = clock.today(), working_calendar()
    open_ = _open(worker)
    ids = open_.order_by(
        Coalesce("next_contact_on", Value(today, output_field=DateField())), "pk"
    ).values_list("pk", flat=True)
    last = last_late_date(today, calendar)
    overdue = open_.filter(next_contact_on__lte=last).count() if last is not None else 0
    return ids, overdue


def last_late_date(today: date, calendar: WorkingCalendar, *, within: int = 366) -> date | None:
    """The latest date a planned contact is overdue by today (a working day
    has passed since), or None if none within ``within`` days is."""
    for back in range(1, within + 1):
        day = today - timedelta(days=back)
        if overdue_days(day, today, calendar) > 0:
            return day
    return None


def _open(worker: Staff | None = None) -> QuerySet[OutreachTarget]:
    qs = OutreachTarget.objects.filter(state__in=OPEN_STATES)
    if worker is not None:
        qs = qs.filter(worker=worker)
    return qs.order_by("created_at", "pk")


def _unassigned() -> QuerySet[OutreachTarget]:
    return OutreachTarget.objects.filter(state__in=OPEN_STATES, worker__isnull=True).order_by(
        "created_at", "pk"
    )


def _to_review(today: date | None = None) -> QuerySet[OutreachTarget]:
    return OutreachTarget.objects.filter(
        state=State.PAUSED, pause_until__lte=today or clock.today()
    ).order_by("pause_until", "pk")


def waiting_ids() -> tuple[list[int], list[int]]:
    """The ids of the unassigned open targets and of the paused ones due for
    review, each in its list's order (LIST_LIMIT each)."""
    return (
        list(_unassigned().values_list("pk", flat=True)[:LIST_LIMIT]),
        list(_to_review().values_list("pk", flat=True)[:LIST_LIMIT]),
    )


def targets_by_id(ids: list[int]) -> list[OutreachTarget]:
    """The targets of ``ids`` in that order, with their person and worker (one query)."""
    found = OutreachTarget.objects.filter(pk__in=ids).select_related("person", "worker")
    loaded = {t.pk: t for t in found}
    return [loaded[pk] for pk in ids if pk in loaded]


def open_targets(worker: Staff | None = None) -> list[OutreachTarget]:
    return list(_open(worker).select_related("person", "worker")[:LIST_LIMIT])


def visit_list(worker: Staff, day: date | None = None) -> list[OutreachTarget]:
    """The worker's targets to visit on ``day``: next contact planned for it or overdue,
    and their open targets nobody has tried yet."""
    day = day or clock.today()
    mine = open_targets(worker)
    latest = latest_contacts([t.pk for t in mine])
    due = []
    for t in mine:
        last = latest.get(t.pk)
        if last is None or (last.next_on is not None and last.next_on <= day):
            due.append(t)
    return due


# ── team view ───────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TeamCounts:
    by_town: list[tuple[str, int]]
    by_source: list[tuple[str, str, int]]
    by_state: list[tuple[str, str, int]]
    months: list[str]
    # state -> counts per month (targets in that state at the month's end)
    flow: dict[str, list[int]]


def _months(today: date, count: int) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def _month_end(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def team_counts(viewer: Staff, months: int = 6) -> TeamCounts:
    """Targets by town (sealed persons' towns under 「非表示」 for undesignated
    staff), by source, by state, and how many were in each state at each
    month's end, read from the named events."""
    targets = list(OutreachTarget.objects.only("pk", "town", "source", "state", "person_id",
                                               "created_at"))  # fmt: skip
    sealed = sealed_contacts([t.person_id for t in targets if t.person_id])
    designated = Action.VIEW_SEALED_CONTACT in actions_for(viewer)
    towns: Counter[str] = Counter()
    for t in targets:
        if t.state not in OPEN_STATES:
            continue
        hidden = t.person_id in sealed and not designated
        towns[gettext("（非表示）") if hidden else (t.town or gettext("（町名不明）"))] += 1
    sources = Counter(t.source for t in targets)
    states = Counter(t.state for t in targets)
    firsts = _months(clock.today(), months)
    ends = [_month_end(m) for m in firsts]
    changes: dict[int, list[tuple[object, str]]] = {}
    for e in DomainEvent.objects.filter(
        object_type="outreach.outreachtarget", kind=EventKind.OUTREACH_STATE_CHANGED
    ).order_by("at", "pk"):
        if e.object_id.isdigit():
            changes.setdefault(int(e.object_id), []).append((e.at, str(e.data.get("state_to", ""))))
    flow = {s: [0] * len(ends) for s in STATE_ORDER}
    from django.utils import timezone

    for t in targets:
        moves = changes.get(t.pk, [])
        for i, end in enumerate(ends):
            if timezone.localdate(t.created_at) >= end:
                continue
            state = State.NEW.value
            for at, to in moves:
                if timezone.localdate(at) < end and to in flow:  # type: ignore[arg-type]
                    state = to
            flow[state][i] += 1
    return TeamCounts(
        by_town=sorted(towns.items(), key=lambda kv: (-kv[1], kv[0])),
        by_source=[(v, str(label), sources.get(v, 0)) for v, label in Source.choices],
        by_state=[(v, str(label), states.get(v, 0)) for v, label in State.choices],
        months=[f"{m:%Y-%m}" for m in firsts],
        flow=flow,
    )
