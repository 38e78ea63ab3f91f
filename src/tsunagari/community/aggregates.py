"""Counts of community building over a period, raw (``totals``) and as
published (``published``: small cells hidden with ``lib.disclosure``).

The plan's indicators read the raw counts (the plan app suppresses); the
counts page reads the published ones. A participant is one attendance: a
person who came to three sessions counts three times (nobody is named, so
people cannot be counted once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext

from tsunagari.community.models import (
    AGE_BANDS,
    Activity,
    ActivityKind,
    Session,
    SessionStatus,
)
from tsunagari.lib.disclosure import is_small, protect_line


@dataclass(frozen=True)
class Totals:
    """What happened between ``start`` and ``end`` (both included)."""

    start: date
    end: date
    places: int  # places (directory locations) with a held session
    regular_places: int  # of which with a regular activity
    activities: int  # activities with a held session
    regular_activities: int
    sessions: int
    participants: int
    first_timers: int
    with_support: int
    bands: dict[str, int]
    organisations: int  # running groups (directory organisations) with a held session
    volunteers: int  # volunteers of those activities (their recorded head count)
    by_town: dict[str, tuple[int, int]]  # town -> (sessions, participants)


def totals(start: date, end: date) -> Totals:
    sessions = Session.objects.filter(status=SessionStatus.HELD, on__gte=start, on__lte=end)
    sums = sessions.aggregate(
        n=Count("pk"), total=Sum("total"), first=Sum("first_timers"), support=Sum("with_support"),
        **{name: Sum(name) for name, _label in AGE_BANDS},
    )  # fmt: skip
    activity_ids = set(sessions.values_list("activity_id", flat=True))
    activities = Activity.objects.filter(pk__in=activity_ids)
    regular = activities.filter(kind=ActivityKind.REGULAR)
    by_town: dict[str, tuple[int, int]] = {}
    for row in (
        sessions.values("activity__town")
        .annotate(n=Count("pk"), people=Sum("total"))
        .order_by("activity__town")
    ):
        by_town[row["activity__town"] or ""] = (row["n"], row["people"] or 0)
    return Totals(
        start=start,
        end=end,
        places=activities.values("location_id").distinct().count(),
        regular_places=regular.values("location_id").distinct().count(),
        activities=len(activity_ids),
        regular_activities=regular.count(),
        sessions=sums["n"] or 0,
        participants=sums["total"] or 0,
        first_timers=sums["first"] or 0,
        with_support=sums["support"] or 0,
        bands={name: sums[name] or 0 for name, _label in AGE_BANDS},
        organisations=activities.exclude(organization_id="")
        .values("organization_id")
        .distinct()
        .count(),
        volunteers=activities.aggregate(v=Sum("volunteers"))["v"] or 0,
        by_town=by_town,
    )


def active_groups(start: date, end: date) -> int:
    """Running groups (directory organisations) with an activity held or active in the period."""
    held_ids = Session.objects.filter(status=SessionStatus.HELD, on__gte=start, on__lte=end)
    return (
        Activity.objects.filter(Q(pk__in=held_ids.values("activity_id")))
        .exclude(organization_id="")
        .values("organization_id")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class Line:
    """One published list: labels, shown counts (``None`` = hidden) and the total."""

    caption: str
    labels: list[str]
    values: list[int | None]
    total: int | None


@dataclass
class Published:
    totals: Totals
    limit: int
    participants: int | None
    first_timers: int | None
    lines: list[Line] = field(default_factory=list)
    towns: list[tuple[str, int, int | None]] = field(default_factory=list)  # town, sessions, people


def _line(caption: str, labels: list[str], counts: list[int], limit: int) -> Line:
    protection = protect_line(counts, limit)
    return Line(caption, labels, protection.apply(counts),
                None if protection.total is not None else sum(counts))  # fmt: skip


def published(start: date, end: date) -> Published:
    """The period's counts as the counts page shows them, small cells hidden."""
    t = totals(start, end)
    limit = int(settings.SMALL_CELL_MIN)
    out = Published(
        totals=t,
        limit=limit,
        participants=None if is_small(t.participants, limit) else t.participants,
        first_timers=None,
    )
    first = protect_line([t.first_timers, t.participants - t.first_timers], limit)
    out.first_timers = first.apply([t.first_timers, t.participants - t.first_timers])[0]
    out.lines.append(_line(gettext("年齢区分別の参加者（延べ人数）"),
                           [gettext(label) for _name, label in AGE_BANDS],
                           [t.bands[name] for name, _label in AGE_BANDS], limit))  # fmt: skip
    out.lines.append(_line(gettext("支援の必要の有無別の参加者（延べ人数）"),
                           [gettext("支援が必要な方"), gettext("それ以外の方")],
                           [t.with_support, t.participants - t.with_support], limit))  # fmt: skip
    towns = sorted(t.by_town.items())
    people = protect_line([p for _town, (_n, p) in towns], limit).apply(
        [p for _town, (_n, p) in towns]
    )
    out.towns = [(town or gettext("町名なし"), n, shown)
                 for (town, (n, _p)), shown in zip(towns, people, strict=True)]  # fmt: skip
    return out
