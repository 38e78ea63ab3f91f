"""Engine inputs from the database: the directory's places and the created opportunities.

The directory is read live (never copied), only entries a resident could be
sent to: active, public, checked, of a gathering kind (居場所, サロン,
ボランティア, 就労支援 …; not consultation windows nor shelters). What
the directory says becomes the engine's facts:

* times: each schedule's ``byday`` (``MO,WE`` weekly, ``2SA`` monthly) and
  ``opens_at``;
* town: the place's ``x_town``; walk: 「徒歩N分」 in its transport note;
* cost: the lowest cost option (``amount``), or 0 when the fees say 無料;
* group size: the entry's capacity (定員), the most who come at once;
* step-free: the directory's wheelchair column; quiet: the accessibility
  profile's quiet room (「静か」「落ち着」 in the notes where no profile says);
* interests: the taxonomy terms linked to the service.

Travel between towns is a coarse estimate by the ward's five districts
(see ``DISTRICTS``), stated on the suggestions page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from tsunagari.participation.engine import Opportunity as Entry
from tsunagari.participation.engine import Profile, Slot
from tsunagari.participation.models import Opportunity, ParticipationProfile, Placement
from tsunagari.resources.models import (
    GATHERING_KINDS,
    Accessibility,
    Attribute,
    Availability,
    CostOption,
    Location,
    Organization,
    ResourceKind,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from tsunagari.resources.store import profiles_of

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PERIOD_START = {"am": 10 * 60, "pm": 14 * 60, "eve": 18 * 60}
_WALK = re.compile(r"徒歩\s*(\d+)\s*分")
_QUIET_WORDS = ("静か", "落ち着", "刺激の少な")
_BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")

# Koto City's towns by district (the ward's own grouping of 城東 and 深川 and
# the waterfront). Rides: 10 minutes within a district, 20 to a neighbouring
# one, 30 otherwise; the walk from the station is added on top.
DISTRICTS: dict[str, tuple[str, ...]] = {
    "城東北部": ("亀戸", "大島"),
    "砂町": ("北砂", "南砂", "東砂", "新砂"),
    "深川北部": (
        "森下", "新大橋", "常盤", "高橋", "白河", "三好", "平野", "清澄", "猿江", "住吉",
        "毛利", "千石", "石島", "扇橋", "海辺", "千田",
    ),
    "深川南部": (
        "東陽", "木場", "門前仲町", "深川", "富岡", "牡丹", "古石場", "越中島", "永代",
        "佐賀", "福住", "冬木", "塩浜", "枝川",
    ),
    "臨海部": ("豊洲", "東雲", "有明", "青海", "辰巳", "潮見", "新木場", "夢の島", "若洲", "海の森"),
}  # fmt: skip
_NEIGHBOURS = {
    frozenset({"城東北部", "砂町"}),
    frozenset({"城東北部", "深川北部"}),
    frozenset({"砂町", "深川南部"}),
    frozenset({"砂町", "臨海部"}),
    frozenset({"深川北部", "深川南部"}),
    frozenset({"深川南部", "臨海部"}),
}


def travel_table() -> dict[tuple[str, str], int]:
    """Ride minutes between every two towns of the ward, by district."""
    district = {t: d for d, towns in DISTRICTS.items() for t in towns}
    table: dict[tuple[str, str], int] = {}
    for a, da in district.items():
        for b, db in district.items():
            if da == db:
                table[(a, b)] = 10
            elif frozenset({da, db}) in _NEIGHBOURS:
                table[(a, b)] = 20
            else:
                table[(a, b)] = 30
    return table


def _minutes(text: str) -> int | None:
    match = re.match(r"^(\d{1,2}):(\d{2})", text or "")
    return int(match[1]) * 60 + int(match[2]) if match else None


def slots_of(schedules: Iterable[Schedule]) -> tuple[Slot, ...]:
    """Weekly and monthly meeting times of HSDS schedules."""
    out: set[Slot] = set()
    for s in schedules:
        start = _minutes(s.opens_at)
        if start is None:
            continue
        end = _minutes(s.closes_at) or 0
        for code in (s.byday or "").split(","):
            match = _BYDAY.match(code.strip().upper())
            if match:
                monthly = bool(match[1]) or (s.freq or "").upper() == "MONTHLY"
                out.add(Slot(WEEKDAYS.index(match[2]), start, end, monthly))
    return tuple(sorted(out))


def quiet_places(location_ids: Iterable[str]) -> set[str]:
    """The places known to have a quiet room, by their accessibility profile.

    A place whose profile records the quiet room (yes or no) is read from it
    alone. Where no profile says (none recorded, or the feature unchecked),
    the accessibility notes are read for 「静か」「落ち着」「刺激の少な」, as
    directories imported before the profile existed describe it in words.
    A recorded "no" is not taken as a place hard on the senses, only as not
    known to be calm.
    """
    ids = set(location_ids)
    profiles = profiles_of(ids)
    quiet = {lid for lid, acc in profiles.items() if acc.x_quiet_room == Availability.YES}
    unsaid = {lid for lid in ids if lid not in profiles
              or profiles[lid].x_quiet_room == Availability.UNKNOWN}  # fmt: skip
    for acc in Accessibility.objects.filter(location_id__in=unsaid):
        if any(w in f"{acc.description}{acc.details}" for w in _QUIET_WORDS):
            quiet.add(acc.location_id)
    return quiet


def directory_entries(*, ids: Iterable[str] | None = None) -> list[Entry]:
    """The directory's places a person could go to, as engine opportunities."""
    services = Service.objects.filter(
        status=ServiceStatus.ACTIVE,
        x_confidential=False,
        awaiting_check=False,
        x_kind__in=[str(k) for k in GATHERING_KINDS],
    )
    if ids is not None:
        services = services.filter(id__in=list(ids))
    rows = list(services.order_by("id"))
    sids = [s.id for s in rows]
    sals = list(ServiceAtLocation.objects.filter(service_id__in=sids))
    locations = Location.objects.in_bulk({s.location_id for s in sals})
    place: dict[str, Location] = {}
    for sal in sorted(sals, key=lambda x: x.id):
        loc = locations.get(sal.location_id)
        if loc is not None and not loc.x_confidential:
            place.setdefault(sal.service_id, loc)
    schedules: dict[str, list[Schedule]] = defaultdict(list)
    sal_service = {sal.id: sal.service_id for sal in sals}
    for row in Schedule.objects.filter(
        Q(service_id__in=sids) | Q(service_at_location_id__in=list(sal_service))
    ):
        schedules[row.service_id or sal_service.get(row.service_at_location_id, "")].append(row)
    costs: dict[str, list[float]] = defaultdict(list)
    for c in CostOption.objects.filter(service_id__in=sids, amount__isnull=False):
        costs[c.service_id].append(float(c.amount or 0))
    quiet = quiet_places({p.id for p in place.values()})
    attrs = list(Attribute.objects.filter(link_id__in=sids).exclude(taxonomy_term_id=""))
    names = dict(
        TaxonomyTerm.objects.filter(id__in={a.taxonomy_term_id for a in attrs}).values_list(
            "id", "name"
        )
    )
    terms: dict[str, set[str]] = defaultdict(set)
    for a in attrs:
        if a.taxonomy_term_id in names:
            terms[a.link_id].add(names[a.taxonomy_term_id])
    kinds = {str(k): str(v) for k, v in ResourceKind.choices}
    out = []
    for s in rows:
        loc = place.get(s.id)
        walk = _WALK.search(loc.transportation) if loc else None
        cost = min(costs[s.id]) if costs[s.id] else (0.0 if "無料" in s.fees_description else None)
        out.append(
            Entry(
                id=f"service:{s.id}",
                title=s.name,
                kind=s.x_kind,
                host=s.organization_id or s.id,
                town=loc.x_town if loc else "",
                interests=frozenset(terms[s.id]),
                slots=slots_of(schedules[s.id]),
                walk_minutes=int(walk[1]) if walk else None,
                cost_yen=None if cost is None else int(cost),
                group_size=s.x_capacity,
                wheelchair=s.wheelchair,
                sensory_friendly=True if loc and loc.id in quiet else None,
                languages=frozenset(c for c in s.language_codes.split("|") if c)
                or frozenset({"ja"}),
                capacity=s.x_capacity,
                vacancies=s.x_vacancies,
                min_age=int(s.minimum_age) if s.minimum_age is not None else None,
                max_age=int(s.maximum_age) if s.maximum_age is not None else None,
                keywords=tuple(sorted(terms[s.id] | {kinds.get(s.x_kind, "")} - {""})),
            )
        )
    return out


def _taken(opportunity_ids: list[int]) -> dict[int, int]:
    """People placed (not stopped or proposed) at each created opportunity."""
    counts: dict[int, int] = defaultdict(int)
    for oid in Placement.objects.filter(
        opportunity_id__in=opportunity_ids, state__in=["trial", "participating", "settled"]
    ).values_list("opportunity_id", flat=True):
        counts[oid] += 1
    return counts


def created_entries(*, ids: Iterable[int] | None = None) -> list[Entry]:
    """Opportunities created with hosts, open for people, as engine opportunities."""
    rows = Opportunity.objects.filter(is_open=True).order_by("pk")
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    items = list(rows)
    taken = _taken([o.pk for o in items])
    out = []
    for o in items:
        slots = []
        for code in o.free_times:
            day, _, period = str(code).partition("-")
            if day in WEEKDAYS and period in PERIOD_START:
                slots.append(Slot(WEEKDAYS.index(day), PERIOD_START[period]))
        out.append(
            Entry(
                id=f"opportunity:{o.pk}",
                title=o.title,
                kind=o.kind,
                host=o.host_id,
                town=o.town,
                interests=frozenset(o.interests),
                seeks=frozenset(o.seeks),
                slots=tuple(sorted(slots)),
                flexible_time=o.flexible_time,
                walk_minutes=o.walk_minutes,
                cost_yen=o.cost_yen,
                group_size=o.group_size,
                wheelchair=o.wheelchair,
                companion_ok=o.companion_ok,
                sensory_friendly=o.sensory_friendly or None,
                capacity=o.capacity,
                vacancies=None if o.capacity is None else max(o.capacity - taken[o.pk], 0),
                keywords=tuple(sorted(set(o.interests) | set(o.seeks))),
            )
        )
    return out


def all_entries() -> list[Entry]:
    return directory_entries() + created_entries()


def entry_for(source: str) -> Entry | None:
    """One opportunity by its engine id (``service:<hsds id>`` or ``opportunity:<pk>``)."""
    kind, _, key = source.partition(":")
    if kind == "service" and key:
        found = directory_entries(ids=[key])
    elif kind == "opportunity" and key.isdigit():
        found = created_entries(ids=[int(key)])
    else:
        return None
    return found[0] if found else None


def host_names(host_ids: Iterable[str]) -> dict[str, str]:
    return dict(Organization.objects.filter(id__in=set(host_ids)).values_list("id", "name"))


def profile_input(profile: ParticipationProfile, age: int | None = None) -> Profile:
    """The engine's profile of a stored one."""
    free = set()
    for code in profile.free_times:
        day, _, period = str(code).partition("-")
        if day in WEEKDAYS and period in PERIOD_START:
            free.add((WEEKDAYS.index(day), period))
    return Profile(
        interests=frozenset(profile.interests),
        offers=frozenset(profile.offers),
        free_times=frozenset(free),
        home_town=profile.home_town,
        towns=frozenset(profile.towns),
        max_travel_minutes=profile.max_travel_minutes,
        wheelchair=profile.wheelchair,
        needs_companion=profile.needs_companion,
        max_cost_yen=profile.max_cost_yen,
        languages=frozenset(profile.languages) or frozenset({"ja"}),
        max_group_size=profile.max_group_size,
        prefers_small_groups=profile.prefers_small_groups,
        sensory_needs=profile.sensory_needs,
        age=age,
        goals=profile.goals,
    )


def interest_terms() -> list[str]:
    """Names of the directory's taxonomy terms for gathering kinds (the interests to pick from)."""
    gathering = {str(k) for k in GATHERING_KINDS}
    rows = TaxonomyTerm.objects.order_by("name").values_list("code", "name")
    names = [name for code, name in rows if not code or code in gathering]
    return list(dict.fromkeys(names))
