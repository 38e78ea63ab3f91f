"""Demo community activities for the synthetic ward, made through the actions.

Run after the directory's demo: regular activities are held at the demo
directory's gathering places (salons, 通いの場, 子ども食堂 …) and run by the
organisations listed for them; a few events too. Each step happens at its own
moment (``lib.clock.frozen``): the community worker registers an activity
about 13 months ago, plans its dates two weeks ahead of them, records each
session's attendance on its evening (a few cancelled, the last few days still
waiting to be recorded), and the dates of the coming weeks are planned, so
the residents' pages list upcoming activities.

Deterministic for a seed; a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.community.models import AGE_BANDS, Activity, ActivityKind, Session, SessionStatus
from tsunagari.community.services import (
    MAX_PLANNED_AT_ONCE,
    ActivityInput,
    AttendanceInput,
    cancel_session,
    create_activity,
    plan_sessions,
    record_attendance,
)
from tsunagari.lib import clock
from tsunagari.resources.models import (
    GATHERING_KINDS,
    Location,
    ResourceKind,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)

REGULAR = 18
EVENTS = (
    # title, days from today, start hour, expected turnout
    ("地域の夏まつり", -130, 16, 120),
    ("はじめての地域デビュー講座", -45, 10, 25),
    ("冬のふれあい餅つき", 12, 11, 80),
    ("多世代交流 ボードゲームの日", 24, 13, 30),
)
HISTORY_DAYS = 400
# Dates planned at once span at most this many days (the action allows a year ahead).
PLAN_SPAN = 300
AHEAD_DAYS = 45
# Sessions of the last few days are left for the worker to record.
UNRECORDED_DAYS = 4

# Age-band weights by kind of place: under 18, 18-64, 65-74, 75+, unknown.
_PROFILE: dict[str, tuple[int, ...]] = {
    ResourceKind.KODOMO_SHOKUDO: (55, 35, 5, 3, 2),
    ResourceKind.KAYOI: (0, 5, 40, 53, 2),
    ResourceKind.SALON: (2, 10, 38, 48, 2),
    ResourceKind.CAFE: (3, 30, 32, 33, 2),
}
_DEFAULT = (10, 35, 25, 25, 5)


def _worker() -> Staff:
    staff = Staff.objects.filter(username="community").first()
    if staff is None:
        from tsunagari.accounts.personas import ensure_personas

        staff = ensure_personas()["community"]
    return staff


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _places(rng: random.Random) -> list[tuple[Service, Location]]:
    services = list(
        Service.objects.filter(
            x_kind__in=[str(k) for k in GATHERING_KINDS if k != ResourceKind.VOLUNTEERING],
            status=ServiceStatus.ACTIVE, is_public=True, x_confidential=False, awaiting_check=False,
        ).order_by("id")
    )  # fmt: skip
    where = dict(
        ServiceAtLocation.objects.filter(service_id__in=[s.id for s in services])
        .order_by("id")
        .values_list("service_id", "location_id")
    )
    locations = {
        loc.id: loc
        for loc in Location.objects.filter(id__in=set(where.values()), x_confidential=False)
        .exclude(x_town="")
    }  # fmt: skip
    pairs = [(s, locations[where[s.id]]) for s in services if where.get(s.id) in locations]
    rng.shuffle(pairs)
    return pairs


def _counts(rng: random.Random, size: int, kind: str) -> AttendanceInput:
    total = max(0, round(rng.gauss(size, size * 0.25)))
    weights = _PROFILE.get(kind, _DEFAULT)
    bands = dict.fromkeys((name for name, _label in AGE_BANDS), 0)
    names = [name for name, _label in AGE_BANDS]
    for _ in range(total):
        bands[rng.choices(names, weights=weights)[0]] += 1
    first = min(total, rng.choice((0, 0, 1, 1, 2, 3)))
    support = min(total, rng.choice((0, 1, 1, 2, 3)))
    return AttendanceInput(total=total, first_timers=first, bands=dict(bands),
                           with_support=support, volunteers=rng.randint(2, 8))  # fmt: skip


def _dates(start: date, end: date, step: int) -> list[date]:
    out, day = [], start
    while day <= end:
        out.append(day)
        day += timedelta(days=step)
    return out


def _chunks(days: list[date]) -> list[list[date]]:
    """Dates in groups each planned at once: within ``PLAN_SPAN`` days, at most the action's limit."""
    chunks: list[list[date]] = []
    for day in days:
        if (
            chunks
            and len(chunks[-1]) < MAX_PLANNED_AT_ONCE
            and (day - chunks[-1][0]).days <= PLAN_SPAN
        ):
            chunks[-1].append(day)
        else:
            chunks.append([day])
    return chunks


def _run(staff: Staff, rng: random.Random, activity: Activity, days: list[date], hour: int,
         size: int, kind: str, today: date) -> int:  # fmt: skip
    """Plan ``days`` two weeks ahead, cancel a few, record the rest once held."""
    created = _at(activity.started_on, 9)
    now = clock.now() - timedelta(minutes=5)
    for chunk in _chunks(days):
        moment = min(max(created, _at(chunk[0] - timedelta(days=14), 9)), now)
        with clock.frozen(moment):
            plan_sessions(staff, activity.pk, list(chunk), starts_at=time(hour),
                          ends_at=time(hour + 2))  # fmt: skip
    recorded = 0
    for session in Session.objects.filter(activity=activity).order_by("on"):
        if session.on > today - timedelta(days=UNRECORDED_DAYS):
            continue
        if rng.random() < 0.04 and session.on - timedelta(days=2) > activity.started_on:
            with clock.frozen(_at(session.on - timedelta(days=2), 10)):
                cancel_session(staff, session.pk)
            continue
        with clock.frozen(_at(session.on, hour + 3)):
            record_attendance(staff, session.pk, _counts(rng, size, kind))
        recorded += 1
    return recorded


def load_demo_community(seed: int) -> str:
    """Activities at the demo directory's places with a year of attendance and the coming weeks."""
    existing = Activity.objects.count()
    if existing:
        return f"{existing} community activities already present"
    rng = random.Random(seed * 31 + 16)
    staff = _worker()
    today = clock.today()
    pairs = _places(rng)
    if not pairs:
        return "no community activities (the directory has no gathering places)"
    recorded = 0
    for n, (service, location) in enumerate(pairs[:REGULAR]):
        start = today - timedelta(days=HISTORY_DAYS - rng.randint(0, 60))
        step = rng.choice((7, 7, 14, 14, 28))
        hour = rng.choice((10, 13, 14))
        size = {7: 12, 14: 15, 28: 20}[step] + rng.randint(-3, 6)
        weekday_start = start + timedelta(days=rng.randint(0, 6))
        with clock.frozen(_at(start, 9)):
            activity = create_activity(staff, ActivityInput(
                title=service.name[:120], kind=ActivityKind.REGULAR, location=location.id,
                service=service.id, organization=service.organization_id,
                description=(service.description or "")[:500],
                schedule_note={7: "毎週", 14: "隔週", 28: "月1回"}[step] + f" {hour}時〜{hour + 2}時",
                volunteers=rng.randint(2, 14), is_public=n % 9 != 8, started_on=start,
            ))  # fmt: skip
        days = _dates(weekday_start, today + timedelta(days=AHEAD_DAYS), step)
        recorded += _run(staff, rng, activity, days, hour, size, service.x_kind, today)
    places = pairs[REGULAR:] or pairs
    for i, (title, offset, hour, size) in enumerate(EVENTS):
        service, location = places[i % len(places)]
        on = today + timedelta(days=offset)
        start = on - timedelta(days=40)
        with clock.frozen(min(_at(start, 9), clock.now() - timedelta(minutes=10))):
            activity = create_activity(staff, ActivityInput(
                title=title, kind=ActivityKind.EVENT, location=location.id,
                organization=service.organization_id, volunteers=rng.randint(5, 20),
                schedule_note="", description="どなたでも参加できます。", started_on=start,
            ))  # fmt: skip
        recorded += _run(staff, rng, activity, [on], hour, size, "", today)
    activities = Activity.objects.count()
    upcoming = Session.objects.filter(status=SessionStatus.PLANNED, on__gte=today).count()
    return (
        f"{activities} community activities with {recorded} sessions' attendance "
        f"and {upcoming} upcoming sessions"
    )
