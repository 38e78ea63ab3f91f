"""When a staff member last looked at what is waiting for them (home, worklist).

Not a domain action: a reading position, like ``last_login``, so no event and
no audit record. One statement reads it, one writes it; the write is an
upsert on the staff member's own row, so no page view waits on another.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tsunagari.accounts.models import HomeVisit

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

__all__ = ["last_visit", "record_visit"]


def last_visit(staff: Staff) -> datetime | None:
    """When ``staff`` last opened their home or worklist; None before the first time."""
    if staff.pk is None:
        return None
    return HomeVisit.objects.filter(staff_id=staff.pk).values_list("seen_at", flat=True).first()


def record_visit(staff: Staff, at: datetime) -> None:
    """Remember that ``staff`` looked at what was waiting at ``at`` (once per page view).

    ``at`` is the moment the page read its lists, taken before the queries, so
    an answer that arrives while the page is built is still new next time.
    """
    if staff.pk is None:
        return
    HomeVisit.objects.bulk_create(
        [HomeVisit(staff_id=staff.pk, seen_at=at)],
        update_conflicts=True,
        unique_fields=["staff"],
        update_fields=["seen_at"],
    )
