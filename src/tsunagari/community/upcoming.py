"""Upcoming activities for the residents' pages: planned sessions of the next
30 days, of active activities marked public, at places whose address may be
published. Nothing here needs a sign-in; nothing here is about a person.

The words are in the three variants of the residents' pages (日本語,
やさしい日本語, English), kept in ``public.texts`` with all the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from tsunagari.community.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Session,
    SessionStatus,
)
from tsunagari.public.texts import texts as public_texts
from tsunagari.resources.models import Address, Location, Service

DAYS_AHEAD = 30
LIMIT = 300

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(day: date, variant: str) -> str:
    """「12月5日（金）」, 「12がつ 5にち（きん）」 or "Fri 5 Dec"."""
    weekday = public_texts(variant)[f"weekday_{day.weekday()}"]
    if variant == "en":
        return f"{weekday} {day.day} {_MONTHS_EN[day.month - 1]}"
    if variant == "easy":
        return f"{day.month}がつ {day.day}にち（{weekday}）"
    return f"{day.month}月{day.day}日（{weekday}）"


def time_label(start: time | None, end: time | None) -> str:
    if start is None:
        return ""
    text = f"{start:%H:%M}"
    return f"{text}〜{end:%H:%M}" if end else f"{text}〜"


@dataclass(frozen=True)
class Item:
    title: str
    kind: str
    town: str
    place: str
    address: str
    time: str
    schedule_note: str
    description: str
    service_id: str  # the public directory entry to link, if any


@dataclass(frozen=True)
class Day:
    on: date
    label: str
    items: list[Item]


def upcoming(today: date, variant: str = "ja", *, town: str = "") -> list[Day]:
    """Planned public sessions from ``today`` for ``DAYS_AHEAD`` days, by day."""
    sessions = (
        Session.objects.filter(
            status=SessionStatus.PLANNED,
            on__gte=today,
            on__lt=today + timedelta(days=DAYS_AHEAD),
            activity__status=ActivityStatus.ACTIVE,
            activity__is_public=True,
        )
        .select_related("activity")
        .order_by("on", "starts_at", "activity__title", "pk")
    )
    if town:
        sessions = sessions.filter(activity__town=town)
    rows = list(sessions[:LIMIT])
    activities: dict[int, Activity] = {s.activity_id: s.activity for s in rows}
    open_places = {
        loc.id: loc
        for loc in Location.objects.filter(
            id__in={a.location_id for a in activities.values()}, x_confidential=False
        )
    }
    addresses: dict[str, str] = {}
    for row in Address.objects.filter(location_id__in=list(open_places)).order_by("id"):
        addresses.setdefault(row.location_id, f"{row.address_1} {row.address_2}".strip())
    public_services = set(
        Service.objects.filter(
            id__in={a.service_id for a in activities.values() if a.service_id},
            is_public=True, x_confidential=False, awaiting_check=False,
        ).values_list("id", flat=True)
    )  # fmt: skip
    days: dict[date, list[Item]] = {}
    for s in rows:
        a = s.activity
        location = open_places.get(a.location_id)
        if location is None:  # a place made confidential since: never shown
            continue
        days.setdefault(s.on, []).append(
            Item(
                title=a.title,
                kind=a.kind if a.kind in ActivityKind.values else "",
                town=a.town,
                place=location.name,
                address=addresses.get(location.id, ""),
                time=time_label(s.starts_at, s.ends_at),
                schedule_note=a.schedule_note,
                description=a.description[:200],
                service_id=a.service_id if a.service_id in public_services else "",
            )
        )
    return [Day(on, day_label(on, variant), items) for on, items in days.items()]
