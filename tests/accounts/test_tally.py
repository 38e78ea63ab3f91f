"""The badge's one statement counts what the lists staff work from list.

``accounts.tally`` writes each count as SQL of its own, for speed; each
count must stay the length of the list it stands for. Checked for every
member of staff of the demo ward, at three points of time, after rows that
sit on each rule's edge are added: an answered referral just before and
after the last visit, a decline closed by its sender, a referral an agency
sent itself, a decision with no recording agency, one recorded by the
viewer's own agency, an ended one, provisional openings at several agencies,
and withdrawals seen, unseen, old and made by the viewer's agency.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari.accounts import tally
from tsunagari.accounts.models import Agency, Role, Staff
from tsunagari.accounts.waiting import _unseen_withdrawals, waiting_for
from tsunagari.consent.models import Consent, DecisionStatus, SupportMeeting, WithdrawalSeen
from tsunagari.consent.services import NOTICE_DAYS, support_meetings_to_confirm
from tsunagari.consultations import worklists
from tsunagari.consultations.models import Referral, ReferralStatus
from tsunagari.lib import clock
from tsunagari.people.models import AccessOpening, OpeningStatus, Person
from tsunagari.people.openings import openings_to_review

pytestmark = pytest.mark.django_db

ALL = 10**6  # the lists' own limits are for pages, not for counting


def _lists(staff: Staff, since: datetime | None, kinds: frozenset[str]) -> dict[str, int]:
    """What each count stands for, read from the lists themselves."""
    a = staff.agency_id
    late = worklists.overdue(staff, ALL)
    out = dict.fromkeys(tally.COUNTS, 0)
    if "referrals" in kinds:
        out["incoming"] = len(worklists.waiting_for_my_agency(staff, ALL))
        out["answered"] = len(worklists.answered_since(staff, since, ALL))
        out["overdue_incoming"] = sum(1 for r in late if r.to_agency_id == a)
        out["overdue_sent"] = sum(1 for r in late if r.to_agency_id != a)
    if "drafts" in kinds:
        out["drafts"] = len(worklists.my_drafts(staff, ALL))
    if "needs" in kinds:
        out["needs"] = len(worklists.waiting_needs(ALL))
    if "meetings" in kinds:
        out["meetings"] = support_meetings_to_confirm(staff)
    if "openings" in kinds:
        out["openings"] = len(openings_to_review(staff))
    if "withdrawals" in kinds:
        out["withdrawals"] = len(_unseen_withdrawals(staff))
    return out


def _counted(staff: Staff, since: datetime | None) -> tuple[dict[str, int], frozenset[str]]:
    w = waiting_for(staff, since)
    return {
        "incoming": w.incoming,
        "answered": w.answered,
        "overdue_incoming": w.overdue - w.overdue_sent,
        "overdue_sent": w.overdue_sent,
        "needs": w.needs,
        "drafts": w.drafts,
        "meetings": w.meetings,
        "openings": w.openings,
        "withdrawals": w.withdrawals,
    }, w.kinds


def _edges(since: datetime) -> None:
    """Rows on the edge of each rule, beside the demo ward's own."""
    now = clock.now()
    people = list(Person.objects.order_by("pk")[:12])
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["lsc-16", "srs-01", "mac-01"])}
    kitasuna, centre, mac = agencies["lsc-16"], agencies["srs-01"], agencies["mac-01"]
    sender = Staff.objects.filter(agency=kitasuna).order_by("pk").first()
    assert sender is not None
    base = Referral.objects.filter(from_agency=kitasuna).order_by("pk").first()
    assert base is not None, "the demo ward has referrals from Kitasuna"

    def refer(**kw: Any) -> None:
        row = {
            "consultation_id": base.consultation_id, "person": people[0], "from_agency": kitasuna,
            "to_agency": centre, "sent_by": sender, "summary": "試験", "sent_at": now,
            "due_at": now + timedelta(days=3), "status": ReferralStatus.SENT,
        } | kw  # fmt: skip
        Referral.objects.create(**row)

    # answered a second before and after the visit; a decline its sender closed
    refer(status=ReferralStatus.ACCEPTED, responded_at=since - timedelta(seconds=1))
    refer(status=ReferralStatus.DECLINED, responded_at=since + timedelta(seconds=1))
    refer(
        status=ReferralStatus.CLOSED, closed_at=since + timedelta(minutes=1), decline_reason="定員"
    )
    refer(status=ReferralStatus.CLOSED, closed_at=since + timedelta(minutes=1))
    # overdue, both ways, and one the agency sent to itself
    refer(due_at=now - timedelta(hours=1))
    refer(from_agency=centre, to_agency=kitasuna, status=ReferralStatus.RECEIVED,
          due_at=now - timedelta(days=2))  # fmt: skip
    refer(to_agency=kitasuna, due_at=now - timedelta(days=1))
    # decisions: none recording, Kitasuna's own, ended, and a confirmed one
    decider = Staff.objects.filter(agency=mac).order_by("pk").first()
    assert decider is not None
    for recorded, ended, status in (
        (None, None, DecisionStatus.PENDING),
        (kitasuna, None, DecisionStatus.PENDING),
        (mac, clock.today(), DecisionStatus.PENDING),
        (mac, None, DecisionStatus.CONFIRMED),
    ):
        meeting = SupportMeeting.objects.create(
            person=people[1], decided_on=clock.today(), decided_by=decider,
            recorded_agency=recorded, reason="8050", status=status, ended_on=ended,
        )  # fmt: skip
        meeting.agencies.set([kitasuna, mac, centre])
    # provisional openings at two agencies, and one already reviewed
    for agency, status in ((kitasuna, OpeningStatus.PROVISIONAL), (centre, OpeningStatus.PROVISIONAL),
                           (kitasuna, OpeningStatus.CONFIRMED)):  # fmt: skip
        opener = Staff.objects.filter(agency=agency).order_by("pk").first()
        AccessOpening.objects.create(
            person=people[2], agency=agency, opened_by=opener, identity_check="document",
            source="test", until=clock.today() + timedelta(days=3), status=status,
        )  # fmt: skip
    # withdrawals: unseen, seen, too old, withdrawn at Kitasuna itself, named only
    for n, (recorded, withdrawn, named, days, seen) in enumerate((
        (kitasuna, centre, [], 1, False),
        (kitasuna, centre, [], 2, True),
        (kitasuna, centre, [], NOTICE_DAYS + 1, False),
        (centre, kitasuna, [kitasuna], 1, False),
        (centre, centre, [kitasuna, mac], 3, False),
    )):  # fmt: skip
        at = now - timedelta(days=days)
        consent = Consent.objects.create(
            person=people[3 + n], form="with", given_on=(at - timedelta(days=10)).date(),
            recorded_agency=recorded, withdrawn_on=at.date(), withdrawn_at=at,
            withdrawn_agency=withdrawn,
        )  # fmt: skip
        consent.agencies.set(named)
        if seen:
            WithdrawalSeen.objects.create(consent=consent, agency=kitasuna, seen_by=sender)


def test_every_count_is_the_length_of_its_list(demo_ward: str) -> None:
    since = clock.now() - timedelta(days=3)
    _edges(since)
    # deciding staff and the ward's coordinating supervisor, beside the demo's staff
    for username, code, role in (("tally.deciding", "lsc-16", Role.COORDINATOR),
                                 ("tally.ward", "dept-01", Role.SUPERVISOR)):  # fmt: skip
        Staff.objects.create(username=username, agency=Agency.objects.get(code=code), roles=[role])
    staff = list(Staff.objects.filter(is_active=True).select_related("agency").order_by("pk"))
    assert len(staff) > 20
    seen: Counter[str] = Counter()
    for member in staff:
        for when in (None, since, clock.now()):
            counted, kinds = _counted(member, when)
            assert counted == _lists(member, when, kinds), (member.username, when)
            seen.update(name for name, n in counted.items() if n)
    # each rule met rows it counts, so none is compared only at zero
    assert set(seen) == set(tally.COUNTS), seen


def test_it_is_one_statement_with_only_the_counts_the_viewer_has(
    demo_ward: str, personas: dict[str, Staff]
) -> None:
    outreach = personas["outreach"]
    outreach.agency  # noqa: B018  (read before counting queries)
    with CaptureQueriesContext(connection) as ctx:
        waiting_for(outreach, clock.now())
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"]
    # the needs count is there; the supervisor's openings are not
    assert "consultations_need" in sql and "people_accessopening" not in sql


def test_an_unknown_count_is_refused_with_the_names_it_takes() -> None:
    with pytest.raises(ValueError, match="one of incoming, answered"):
        tally.count(tally.Asked(frozenset({"incomming"}), staff_id=1, agency_id=1))
