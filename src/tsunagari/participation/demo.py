"""Demo participation support for the synthetic ward, played through the actions at past moments.

Runs after the consultations, cases, linkage and directory demos. The
participation worker (社協) takes the people their agency already supports
(a case, a consent), adults only, the longest-known first:

* records each person's wishes and constraints (interests from the
  directory's taxonomy, free times, home town, needs such as a wheelchair or
  someone to come along), at a moment after their agency's link began;
* proposes one of the engine's suggestions, and carries the placements to
  every state in turn: settled (定着), participating, trial visit, proposed,
  stopped with a reason;
* records follow-ups on the way (some left due, one overdue) and support
  notes for the hosts (受入先支援);
* creates two new places with hosts of the directory (メニュー創出), one of
  which a person then tries.

Deterministic from the seed; a second run adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from django.utils import timezone

from tsunagari.accounts.models import Role, Staff
from tsunagari.lib import clock
from tsunagari.lib.dates import age_on
from tsunagari.participation import adapter, services
from tsunagari.participation.engine import rank
from tsunagari.participation.models import (
    HostSupportKind,
    ParticipationProfile,
    Placement,
    PlacementState,
    StopReason,
)
from tsunagari.people.access import active_links
from tsunagari.people.models import Person
from tsunagari.resources.models import Service
from tsunagari.resources.towns import town_at_start

T = TypeVar("T")
PEOPLE = 10
# The state each person's placement is carried to, in turn (the longest-known first).
SCRIPT: list[tuple[str, str]] = [
    (PlacementState.SETTLED, ""),
    (PlacementState.SETTLED, ""),
    (PlacementState.PARTICIPATING, ""),
    (PlacementState.STOPPED, StopReason.FIT),
    (PlacementState.PARTICIPATING, ""),
    (PlacementState.TRIAL, ""),
    (PlacementState.STOPPED, StopReason.HEALTH),
    (PlacementState.TRIAL, ""),
    (PlacementState.PROPOSED, ""),
    (PlacementState.PROPOSED, ""),
]
PATH = [PlacementState.TRIAL, PlacementState.PARTICIPATING, PlacementState.SETTLED]
GOALS = (
    "週に一度は家の外に出る日をつくりたい",
    "人の役に立つことをしてみたい",
    "料理を覚えて、誰かといっしょに食べたい",
    "働くことに少しずつ慣れたい",
    "同じ悩みを持つ人と話してみたい",
)
FOLLOW_NOTES = (
    "本人から「楽しかった」と連絡あり。次回も参加予定。",
    "受入先より、休まず来ているとの報告。",
    "体調に波があるが、月2回は参加できている。",
)


def _worker() -> Staff | None:
    rows = Staff.objects.filter(agency__code="swc-01", is_active=True).order_by("username")
    return next((s for s in rows if s.has_role(Role.PARTICIPATION)), None)


def _home(person: Person) -> str:
    address = person.address.removeprefix("東京都").removeprefix("江東区")
    town = town_at_start(address)
    return town.name if town else ""


def _people(worker: Staff) -> list[tuple[Person, datetime]]:
    """Adults the worker's agency is linked to, with the moment their link began."""
    first: dict[int, datetime] = {}
    tz = timezone.get_current_timezone()
    for person_id, since in (
        active_links().filter(agency_id=worker.agency_id or 0).order_by("since", "pk")
    ).values_list("person_id", "since"):
        first.setdefault(person_id, datetime(since.year, since.month, since.day, 10, tzinfo=tz))
    today = clock.today()
    persons = Person.objects.in_bulk(list(first))
    rows = [
        (persons[pid], at)
        for pid, at in first.items()
        if (age_on(persons[pid].birth_date, today) or 0) >= 18 and not persons[pid].sealed
    ]
    return sorted(rows, key=lambda r: (r[1], r[0].pk))[:PEOPLE]


def _at(moment: datetime, action: Callable[[], T]) -> T | None:
    with clock.frozen(moment):
        try:
            return action()
        except services.ParticipationError:
            return None  # a step the data does not allow (e.g. nothing fits): the story stops


def _profile_input(rng: random.Random, person: Person, terms: list[str]) -> services.ProfileInput:
    days = rng.sample(adapter.WEEKDAYS[:6], rng.randint(2, 4))
    return services.ProfileInput(
        interests=rng.sample(terms, min(len(terms), rng.randint(1, 2))),
        offers=rng.sample(["話し相手", "料理", "パソコン", "園芸", "手芸"], rng.randint(0, 2)),
        free_times=sorted(f"{d}-{rng.choice(['am', 'pm'])}" for d in days),
        home_town=_home(person),
        max_travel_minutes=rng.choice([None, 30, 40]) if _home(person) else None,
        wheelchair=rng.random() < 0.1,
        needs_companion=rng.random() < 0.2,
        max_cost_yen=rng.choice([None, 300, 500]),
        prefers_small_groups=rng.random() < 0.4,
        sensory_needs=rng.random() < 0.1,
        goals=rng.choice(GOALS),
    )


def _created(worker: Staff, moment: datetime) -> list[int]:
    hosts = list(
        Service.objects.filter(x_kind__in=["volunteering", "group"], awaiting_check=False)
        .exclude(organization_id="")
        .order_by("id")
        .values_list("organization_id", flat=True)[:2]
    )
    plans = [
        ("商店街の花壇の手入れ", "volunteering", "北砂", ["園芸"], ["MO-am", "TH-am"], 6),
        ("地域食堂の配膳の手伝い", "volunteering", "大島", ["料理"], ["WE-pm", "SA-am"], 8),
    ]
    made = []
    for host, (title, kind, town, seeks, times, size) in zip(hosts, plans, strict=False):
        data = services.OpportunityInput(
            title=title,
            kind=kind,
            host_id=host,
            town=town,
            seeks=seeks,
            free_times=times,
            walk_minutes=5,
            cost_yen=0,
            group_size=size,
            capacity=3,
            companion_ok=True,
            interests=["ボランティア"],
            description="受入先と話し合ってつくった参加の場",
        )
        item = _at(moment, partial(services.create_opportunity, worker, data))
        if item is not None:
            made.append(item.pk)
    return made


def load_demo_participation(seed: int) -> str:
    """Profiles, placements in every state, follow-ups, host support and created places."""
    if ParticipationProfile.objects.exists():
        return f"{ParticipationProfile.objects.count()} participation profiles already present"
    worker = _worker()
    if worker is None:
        return "no participation worker: participation demo skipped"
    rng = random.Random(seed)
    now = clock.now()
    terms = [t for t in adapter.interest_terms() if t not in ("その他",)]
    people = _people(worker)
    created = _created(worker, now - timedelta(days=60))
    notes = 0
    for i, (person, since) in enumerate(people):
        goal, why = SCRIPT[i % len(SCRIPT)]
        start = max(since + timedelta(days=2), now - timedelta(days=90))
        span = max(now - timedelta(hours=2) - start, timedelta(hours=6))
        step = min(timedelta(days=9), span / 6)
        moments = iter(start + step * k for k in range(6))
        data = _profile_input(rng, person, terms)
        profile = _at(next(moments), partial(services.save_profile, worker, person.pk, data))
        if profile is None:
            continue
        moment = next(moments)
        with clock.frozen(moment):
            found = services.suggestions_for(worker, profile, limit=5)
        if i == 2 and created:
            # The new place made with a host, if the person's constraints allow it.
            entry = adapter.entry_for(f"opportunity:{created[0]}")
            age = age_on(person.birth_date, moment.date())
            found = rank(adapter.profile_input(profile, age), [entry] if entry else [],
                         travel=adapter.travel_table()) + found  # fmt: skip
        if not found:
            continue
        best = found[0]
        placement = _at(moment, partial(services.propose_placement, worker, person.pk, best.opportunity.id,
                                        reason=best.reason))  # fmt: skip
        if placement is None:
            continue
        steps = [] if goal == PlacementState.PROPOSED else (
            [PlacementState.TRIAL, PlacementState.STOPPED] if goal == PlacementState.STOPPED
            else PATH[: PATH.index(goal) + 1]  # type: ignore[arg-type]
        )  # fmt: skip
        for to in steps:
            moment = next(moments)
            if to in (PlacementState.PARTICIPATING, PlacementState.SETTLED):
                due = placement.follow_ups.filter(done_on__isnull=True).first()
                if due is not None:
                    _at(
                        moment,
                        partial(
                            services.record_follow_up, worker, due.pk, rng.choice(FOLLOW_NOTES)
                        ),
                    )
            stop = to == PlacementState.STOPPED
            moved = _at(moment, partial(services.move_placement, worker, placement.pk, to,
                                        stop_reason=why if stop else "",
                                        note="本人と相談して中止" if stop else ""))  # fmt: skip
            if moved is None:
                break
            placement = moved
            if to == PlacementState.TRIAL and notes < 4 and placement.host_id:
                kind = [HostSupportKind.PREPARATION, HostSupportKind.ADJUSTMENTS,
                        HostSupportKind.DIFFICULTY, HostSupportKind.TRAINING][notes]  # fmt: skip
                if _at(moment, partial(services.record_host_support, worker, placement.host_id, kind,
                                       "受入の流れと本人への配慮を確認した",
                                       placement_id=placement.pk)):  # fmt: skip
                    notes += 1
    states = sorted({p.state for p in Placement.objects.all()})
    return (
        f"{ParticipationProfile.objects.count()} participation profiles, "
        f"{Placement.objects.count()} placements ({', '.join(states)}), "
        f"{notes} host support notes, {len(created)} created places"
    )
