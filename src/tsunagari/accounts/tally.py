"""The counts of :mod:`tsunagari.accounts.waiting` in one SQL statement.

The header badge is on every staff page. Counted through the ORM it was
six to seven queries whose SQL takes well under a millisecond but whose
building took about 2 ms of Python per page, a sixth of the server's time
under load. Here each count is a scalar sub-select of one statement, its
text made once per process (from the models' table and column names) for
each set of counts a member of staff needs, and only the values change.

Each count is the rule of a list that staff work from, and the tests keep
every count equal to the length of its list (``tests/accounts/test_tally.py``):

* ``incoming``: ``consultations.worklists.waiting_for_my_agency``;
* ``overdue_incoming`` and ``overdue_sent``: ``consultations.worklists.overdue``
  (received, and sent to another agency);
* ``answered``: ``consultations.worklists.answered_since``;
* ``needs``: ``consultations.worklists.waiting_needs``;
* ``drafts``: ``consultations.worklists.my_drafts``;
* ``meetings``: ``consent.services.support_meetings_to_confirm``;
* ``openings``: ``people.openings.openings_to_review``;
* ``withdrawals``: the unseen ones of ``consent.services.withdrawals_to_notice``.
"""

# Only the models' own table and column names, quoted, are put into the text;
# every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Model

from tsunagari.consent.models import Consent, DecisionStatus, SupportMeeting, WithdrawalSeen
from tsunagari.consent.services import NOTICE_DAYS, withdrawals_to_notice
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    Need,
    NeedStatus,
    Referral,
    ReferralStatus,
)
from tsunagari.lib import clock
from tsunagari.people.models import AccessOpening, OpeningStatus

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["COUNTS", "Asked", "count"]

# The notices the worklist lists (and the badge counts among): the newest this many.
NOTICE_ROWS: int = inspect.signature(withdrawals_to_notice).parameters["limit"].default

WAITING = (ReferralStatus.SENT.value, ReferralStatus.RECEIVED.value)
ANSWERED = (ReferralStatus.ACCEPTED.value, ReferralStatus.DECLINED.value)

COUNTS = (
    "incoming",
    "answered",
    "overdue_incoming",
    "overdue_sent",
    "needs",
    "drafts",
    "meetings",
    "openings",
    "withdrawals",
)


@dataclass(frozen=True)
class Asked:
    """What to count, and for whom: a count left out of ``counts`` is 0."""

    counts: frozenset[str]
    staff_id: int
    agency_id: int
    since: datetime | None = None  # the last visit: None, nothing is new (answered is 0)
    # meetings: the ward's coordinating supervisor confirms any agency's
    # decision, deciding staff only those their agency is a member of.
    all_meetings: bool = False
    # openings: a ward department reviews every agency's, others their own.
    all_openings: bool = False


def _t(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _c(model: type[Model], field: str) -> str:
    column = getattr(model._meta.get_field(field), "column", None)
    if not column:
        raise ValueError(f"{model.__name__}.{field} has no column of its own")
    return connection.ops.quote_name(str(column))


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _sub_selects() -> dict[str, str]:
    """Each count's sub-select; ``%s`` are filled by :func:`_params` in this order."""
    r, n, c = _t(Referral), _t(Need), _t(Consultation)
    m, o, k, seen = _t(SupportMeeting), _t(AccessOpening), _t(Consent), _t(WithdrawalSeen)
    members = SupportMeeting.agencies.through
    named = Consent.agencies.through
    cid, mid = _c(Consent, "id"), _c(SupportMeeting, "id")
    to, frm, status = _c(Referral, "to_agency"), _c(Referral, "from_agency"), _c(Referral, "status")
    due = _c(Referral, "due_at")
    waiting = f"{status} IN {_in(WAITING)}"
    return {
        "incoming": f"SELECT COUNT(*) FROM {r} WHERE {to} = %s AND {waiting}",
        "answered": (
            f"SELECT COUNT(*) FROM {r} WHERE {frm} = %s AND ("
            f"({status} IN {_in(ANSWERED)} AND {_c(Referral, 'responded_at')} > %s) OR "
            f"({status} = %s AND {_c(Referral, 'closed_at')} > %s "
            f"AND {_c(Referral, 'decline_reason')} = ''))"
        ),
        "overdue_incoming": f"SELECT COUNT(*) FROM {r} WHERE {to} = %s AND {waiting} AND {due} < %s",
        "overdue_sent": (
            f"SELECT COUNT(*) FROM {r} WHERE {frm} = %s AND {to} <> %s AND {waiting} AND {due} < %s"
        ),
        "needs": f"SELECT COUNT(*) FROM {n} WHERE {_c(Need, 'status')} = %s",
        "drafts": (
            f"SELECT COUNT(*) FROM {c} WHERE {_c(Consultation, 'received_by')} = %s "
            f"AND {_c(Consultation, 'agency')} = %s AND {_c(Consultation, 'status')} = %s"
        ),
        # Never the viewer's own decision nor their agency's (a decision with no
        # recording agency is another's); deciding staff: their agency a member.
        "meetings": (
            f"SELECT COUNT(*) FROM {m} WHERE {_c(SupportMeeting, 'status')} = %s "
            f"AND {_c(SupportMeeting, 'ended_on')} IS NULL "
            f"AND {_c(SupportMeeting, 'decided_by')} <> %s "
            f"AND ({_c(SupportMeeting, 'recorded_agency')} IS NULL "
            f"OR {_c(SupportMeeting, 'recorded_agency')} <> %s) "
            f"AND (%s OR EXISTS (SELECT 1 FROM {_t(members)} AS a "
            f"WHERE a.{_c(members, 'supportmeeting')} = {m}.{mid} "
            f"AND a.{_c(members, 'agency')} = %s))"
        ),
        "openings": (
            f"SELECT COUNT(*) FROM {o} WHERE {_c(AccessOpening, 'status')} = %s "
            f"AND (%s OR {_c(AccessOpening, 'agency')} = %s)"
        ),
        # The newest notices the list shows, recorded by the agency or naming
        # it, withdrawn at another agency; less those the agency has noted.
        "withdrawals": (
            f"SELECT COUNT(*) FROM (SELECT {cid} AS id FROM {k} "
            f"WHERE {_c(Consent, 'withdrawn_at')} >= %s "
            f"AND ({_c(Consent, 'recorded_agency')} = %s OR {cid} IN "
            f"(SELECT {_c(named, 'consent')} FROM {_t(named)} WHERE {_c(named, 'agency')} = %s)) "
            f"AND ({_c(Consent, 'withdrawn_agency')} IS NULL "
            f"OR {_c(Consent, 'withdrawn_agency')} <> %s) "
            f"ORDER BY {_c(Consent, 'withdrawn_at')} DESC, {cid} DESC LIMIT %s) AS newest "
            f"WHERE newest.id NOT IN (SELECT {_c(WithdrawalSeen, 'consent')} FROM {seen} "
            f"WHERE {_c(WithdrawalSeen, 'agency')} = %s)"
        ),
    }


@functools.cache
def _statement(vendor: str, counts: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """The statement for ``counts`` (in COUNTS order) on ``vendor``'s SQL."""
    del vendor  # part of the cache key: quoting differs between databases
    parts = _sub_selects()
    names = tuple(name for name in COUNTS if name in counts)
    if not names:
        return "", ()
    return "SELECT " + ", ".join(f"({parts[name]})" for name in names), names


def _when(value: datetime) -> object:
    """A moment as the database compares it (SQLite keeps text in UTC)."""
    return connection.ops.adapt_datetimefield_value(value)


def _params(name: str, asked: Asked, now: datetime) -> list[Any]:
    a = asked.agency_id
    if name == "incoming":
        return [a, *WAITING]
    if name == "answered":
        since = _when(asked.since) if asked.since is not None else None
        return [a, *ANSWERED, since, ReferralStatus.CLOSED.value, since]
    if name == "overdue_incoming":
        return [a, *WAITING, _when(now)]
    if name == "overdue_sent":
        return [a, a, *WAITING, _when(now)]
    if name == "needs":
        return [NeedStatus.OPEN.value]
    if name == "drafts":
        return [asked.staff_id, a, ConsultationStatus.DRAFT.value]
    if name == "meetings":
        return [DecisionStatus.PENDING.value, asked.staff_id, a, asked.all_meetings, a]
    if name == "openings":
        return [OpeningStatus.PROVISIONAL.value, asked.all_openings, a]
    if name == "withdrawals":
        since = _when(now - timedelta(days=NOTICE_DAYS))
        return [since, a, a, a, NOTICE_ROWS, a]
    raise ValueError(f"unknown count {name!r}: one of {', '.join(COUNTS)}")


def count(asked: Asked) -> dict[str, int]:
    """Every count of ``COUNTS``: those asked for counted in one statement, the rest 0.

    ``answered`` is 0 without ``since`` (a first visit: nothing is new)."""
    counts = asked.counts
    if asked.since is None:
        counts = counts - {"answered"}
    unknown = counts - set(COUNTS)
    if unknown:
        raise ValueError(f"unknown count {sorted(unknown)}: one of {', '.join(COUNTS)}")
    result = dict.fromkeys(COUNTS, 0)
    sql, names = _statement(connection.vendor, frozenset(counts))
    if not names:
        return result
    now = clock.now()
    params = [p for name in names for p in _params(name, asked, now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    result.update({name: int(value or 0) for name, value in zip(names, row, strict=True)})
    return result
