"""Granting and ending agency links on behalf of other apps.

Consents, support meetings and consultations decide *why* an agency may see
a person; this module is the one place that writes the resulting
``AgencyLink`` rows. Each link carries a ``note`` naming its source (e.g.
``consent:12``), so ending a source ends exactly the links it created and
no others.

``until`` is the last day a link is in force (``people.access.active_links``
keeps links with ``until >= today``). Ending a link *now* therefore sets
``until`` to yesterday: the agency loses access at once, not at midnight.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Q

from tsunagari.lib import clock
from tsunagari.people.models import AgencyLink, Person

__all__ = ["end_links", "grant_links", "source_note"]


def source_note(kind: str, pk: int) -> str:
    """The note that ties a link to the record that created it."""
    return f"{kind}:{pk}"


def grant_links(
    person: Person,
    agency_ids: Iterable[int],
    basis: str,
    *,
    note: str,
    since: date | None = None,
    until: date | None = None,
) -> list[AgencyLink]:
    """Create one link per agency (skipping agencies that already hold the same one)."""
    since = since or clock.today()
    wanted = sorted(set(agency_ids))
    existing = set(
        AgencyLink.objects.filter(
            person=person, basis=basis, note=note, agency_id__in=wanted
        ).values_list("agency_id", flat=True)
    )
    rows = [
        AgencyLink(
            person=person, agency_id=a, basis=basis, since=since, until=until, note=note[:200]
        )
        for a in wanted
        if a not in existing
    ]
    return AgencyLink.objects.bulk_create(rows)


def end_links(
    *, basis: str, note: str, person: Person | None = None, agency_ids: Iterable[int] | None = None
) -> int:
    """End, from now on, the links with this basis and source note; returns how many."""
    yesterday = clock.today() - timedelta(days=1)
    rows = AgencyLink.objects.filter(basis=basis, note=note).filter(
        Q(until__isnull=True) | Q(until__gt=yesterday)
    )
    if person is not None:
        rows = rows.filter(person=person)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    return rows.update(until=yesterday)
