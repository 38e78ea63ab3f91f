"""What is waiting for a staff member: counts for the header badge, counts and
short lists for the home page.

Counts are a handful of indexed COUNT queries whatever the number of people
(the badge runs on every page), and name nobody, so they need no audit. The
lists name people only through the presenter, which audits whom it shows.
Each count is the viewer's own agency's (or, for needs, the role's) work:
another agency's referrals, drafts or notices never reach it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import AgencyKind
from tsunagari.accounts.policy import Action, actions_for
from tsunagari.accounts.visits import last_visit
from tsunagari.consent.models import Consent, DecisionStatus, SupportMeeting, WithdrawalSeen
from tsunagari.consent.services import (
    NOTICE_DAYS,
    WithdrawalNotice,
    is_ward_supervisor,
    may_review_support_meetings,
    withdrawals_to_notice,
)
from tsunagari.consultations import worklists
from tsunagari.lib import clock
from tsunagari.people import sections
from tsunagari.people.models import AccessOpening, OpeningStatus
from tsunagari.people.presenter import PersonView, Purpose, present_people

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from tsunagari.accounts.models import Staff
    from tsunagari.consultations.models import Consultation, Need, Referral

__all__ = ["HOME_ROWS", "HomeBoard", "Tile", "Waiting", "home_board", "waiting_for"]

# Rows per short list on the home page; the worklist and the other pages
# named in each list's "all" link have the rest.
HOME_ROWS = 5


@dataclass(frozen=True)
class Waiting:
    """How many things wait for one staff member. ``kinds`` are those that
    apply to them at all (by role and agency): the home page shows a tile
    for each, even at zero, and no tile for the others."""

    kinds: frozenset[str] = frozenset()
    incoming: int = 0  # referrals to the agency, not answered
    answered: int = 0  # referrals the agency sent, answered or closed since the last visit
    overdue: int = 0  # unanswered referrals past their limit, either side
    overdue_sent: int = 0  # of ``overdue``, those the agency sent (the rest are ``incoming``)
    needs: int = 0  # needs for multi-agency work or outreach nobody picked up
    drafts: int = 0  # the staff member's own unfinished intakes
    meetings: int = 0  # support-meeting decisions they may confirm
    openings: int = 0  # at-desk openings awaiting a supervisor's review
    withdrawals: int = 0  # consent withdrawals their agency has not taken note of

    @property
    def total(self) -> int:
        """Each waiting thing once: an overdue incoming referral is already in ``incoming``."""
        return (
            self.incoming
            + self.answered
            + self.overdue_sent
            + self.needs
            + self.drafts
            + self.meetings
            + self.openings
            + self.withdrawals
        )


REFERRALS, NEEDS, DRAFTS, MEETINGS, OPENINGS, WITHDRAWALS = (
    "referrals",
    "needs",
    "drafts",
    "meetings",
    "openings",
    "withdrawals",
)


def _kinds(staff: Staff) -> frozenset[str]:
    granted = actions_for(staff)
    if not granted or staff.agency_id is None:
        return frozenset()
    kinds = set()
    if Action.WORK_CONSULTATIONS in granted:
        kinds |= {REFERRALS, DRAFTS}
    if Action.WORK_NEEDS in granted:
        kinds.add(NEEDS)
    if may_review_support_meetings(staff):
        kinds.add(MEETINGS)
    if Action.REVIEW_OPENINGS in granted:
        kinds.add(OPENINGS)
    if Action.VIEW_PERSONAL_DATA in granted:
        kinds.add(WITHDRAWALS)
    return frozenset(kinds)


def meetings_to_confirm_count(staff: Staff) -> int:
    """``consent.services.support_meetings_to_confirm`` in one COUNT query.

    The same rules as ``may_confirm`` over ``pending_support_meetings``: never
    the staff member's own decision nor their agency's; the ward's
    coordinating supervisor confirms any other, deciding staff of a member
    agency those their agency is a member of. A test keeps the two equal.
    """
    if staff.agency_id is None or not may_review_support_meetings(staff):
        return 0
    rows = (
        SupportMeeting.objects.filter(status=DecisionStatus.PENDING, ended_on__isnull=True)
        .exclude(decided_by_id=staff.pk)
        .exclude(recorded_agency_id=staff.agency_id)
    )
    if not is_ward_supervisor(staff):
        rows = rows.filter(agencies=staff.agency_id)
    return rows.order_by().values("pk").distinct().count()


def openings_to_review_count(staff: Staff) -> int:
    """How many rows ``people.openings.openings_to_review`` would list, without
    presenting (and so auditing) the people they are about."""
    agency = staff.agency
    if agency is None or Action.REVIEW_OPENINGS not in actions_for(staff):
        return 0
    rows = AccessOpening.objects.filter(status=OpeningStatus.PROVISIONAL)
    if agency.kind != AgencyKind.WARD_DEPARTMENT:
        rows = rows.filter(agency_id=agency.pk)
    return rows.count()


def _unseen_withdrawals(staff: Staff) -> list[WithdrawalNotice]:
    return [n for n in withdrawals_to_notice(staff.agency) if n.seen_at is None]


# The notices the worklist lists (and the badge counts among): the newest this many.
_NOTICE_ROWS: int = inspect.signature(withdrawals_to_notice).parameters["limit"].default
# Where a request keeps the count it has made: {staff pk: unseen withdrawals}.
_REQUEST_KEY = "_tsunagari_unseen_withdrawals"


def unseen_withdrawal_count(staff: Staff, request: HttpRequest | None = None) -> int:
    """``len(_unseen_withdrawals(staff))`` in one COUNT query, without loading a row.

    The same rows as ``consent.services.withdrawals_to_notice`` (the newest
    ``_NOTICE_ROWS`` withdrawals of NOTICE_DAYS the agency recorded or was named
    in, recorded by another agency), less those the agency has taken note of;
    a test keeps the two equal. With ``request``, counted once per request.
    """
    agency_id = staff.agency_id
    if agency_id is None:
        return 0
    counted: dict[int, int] | None = getattr(request, _REQUEST_KEY, None)
    if counted is not None and staff.pk in counted:
        return counted[staff.pk]
    named = Consent.agencies.through.objects.filter(agency_id=agency_id).values("consent_id")
    newest = (
        Consent.objects.filter(withdrawn_at__gte=clock.now() - timedelta(days=NOTICE_DAYS))
        .filter(Q(recorded_agency_id=agency_id) | Q(pk__in=named))
        .exclude(withdrawn_agency_id=agency_id)
        .order_by("-withdrawn_at", "-pk")
        .values("pk")[:_NOTICE_ROWS]
    )
    seen = WithdrawalSeen.objects.filter(agency_id=agency_id).values("consent_id")
    n = Consent.objects.filter(pk__in=newest).exclude(pk__in=seen).count()
    if request is not None:
        if counted is None:
            counted = {}
            setattr(request, _REQUEST_KEY, counted)
        counted[staff.pk] = n
    return n


def waiting_for(
    staff: Staff,
    since: datetime | None,
    *,
    withdrawals: list[WithdrawalNotice] | None = None,
    request: HttpRequest | None = None,
) -> Waiting:
    """The counts for ``staff``, ``since`` their last visit (None: nothing is new).

    ``withdrawals``: the unseen notices when the caller has loaded them (the
    home page lists them); otherwise they are counted, once per ``request``.
    """
    kinds = _kinds(staff)
    if not kinds:
        return Waiting()
    referrals = (
        worklists.referral_counts(staff, since)
        if REFERRALS in kinds
        else worklists.ReferralCounts(0, 0, 0, 0)
    )
    unseen = 0
    if WITHDRAWALS in kinds:
        unseen = (
            len(withdrawals) if withdrawals is not None else unseen_withdrawal_count(staff, request)
        )
    return Waiting(
        kinds=kinds,
        incoming=referrals.incoming,
        answered=referrals.answered,
        overdue=referrals.overdue,
        overdue_sent=referrals.overdue_sent,
        needs=worklists.waiting_need_count() if NEEDS in kinds else 0,
        drafts=worklists.draft_count(staff) if DRAFTS in kinds else 0,
        meetings=meetings_to_confirm_count(staff) if MEETINGS in kinds else 0,
        openings=openings_to_review_count(staff) if OPENINGS in kinds else 0,
        withdrawals=unseen,
    )


def badge_for(staff: Staff, request: HttpRequest | None = None) -> Waiting:
    """The header badge's counts: since the staff member's last visit."""
    if not _kinds(staff):
        return Waiting()
    return waiting_for(staff, last_visit(staff), request=request)


# --- the home page ---------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """One count at the top of the home page, linking to where the work is."""

    kind: str
    label: StrOrPromise
    count: int
    url: str


@dataclass(frozen=True)
class HomeBoard:
    waiting: Waiting
    since: datetime | None
    tiles: list[Tile]
    incoming: list[Referral] = field(default_factory=list)
    answered: list[Referral] = field(default_factory=list)
    overdue: list[Referral] = field(default_factory=list)
    drafts: list[Consultation] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    withdrawals: list[WithdrawalNotice] = field(default_factory=list)
    # Person views by person id: names shown in the lists above.
    people: dict[int, PersonView] = field(default_factory=dict)
    need_people: dict[int, PersonView] = field(default_factory=dict)


def _tiles(w: Waiting) -> list[Tile]:
    worklist = reverse("consultations:worklist")
    rows: list[tuple[str, StrOrPromise, int, str]] = [
        (REFERRALS, _("受け取り待ちのつなぎ"), w.incoming, "#incoming"),
        (REFERRALS, _("前回から回答・結果が届いたつなぎ"), w.answered, "#answered"),
        (REFERRALS, _("回答期限を過ぎたつなぎ"), w.overdue, "#overdue"),
        (NEEDS, _("未対応の依頼（多機関協働・アウトリーチ）"), w.needs, "#needs"),
        (DRAFTS, _("下書きのままの相談"), w.drafts, "#drafts"),
        (MEETINGS, _("確認待ちの支援会議の決定"), w.meetings, reverse("consent:meetings")),
        (OPENINGS, _("確認待ちの本人来所による閲覧"), w.openings, reverse("people:openings")),
        (WITHDRAWALS, _("未確認の同意の撤回"), w.withdrawals, f"{worklist}#withdrawals"),
    ]
    return [Tile(kind, label, n, url) for kind, label, n, url in rows if kind in w.kinds]


def home_board(staff: Staff, request: HttpRequest, *, since: datetime | None) -> HomeBoard:
    """Counts and short lists for the home page, ``since`` the last visit.

    Names are shown through the presenter: referrals, drafts and withdrawal
    notices as on the worklist (the agency is a side of each: names only);
    needs as on the needs page (what the viewer's links allow).
    """
    kinds = _kinds(staff)
    notices = _unseen_withdrawals(staff) if WITHDRAWALS in kinds else []
    w = waiting_for(staff, since, withdrawals=notices)
    if not kinds:
        return HomeBoard(w, since, [])
    incoming = worklists.waiting_for_my_agency(staff, HOME_ROWS) if w.incoming else []
    answered = worklists.answered_since(staff, since, HOME_ROWS) if w.answered else []
    overdue = worklists.overdue(staff, HOME_ROWS) if w.overdue else []
    drafts = worklists.my_drafts(staff, HOME_ROWS) if w.drafts else []
    needs = worklists.waiting_needs(HOME_ROWS) if w.needs else []
    notices = notices[:HOME_ROWS]
    referrals = [*incoming, *answered, *overdue]
    shown = {r.person.pk: r.person for r in referrals}
    shown.update({c.person.pk: c.person for c in drafts if c.person is not None})
    shown.update({n.consent.person.pk: n.consent.person for n in notices})
    people = present_people(
        staff,
        list(shown.values()),
        Purpose.LIST,
        request=request,
        object_type="accounts.home",
        granted=frozenset({sections.IDENTITY}),
        detail={
            "referrals": sorted({r.pk for r in referrals}),
            "consultations": [c.pk for c in drafts],
            "consents": [n.consent.pk for n in notices],
        },
    )
    need_people = present_people(
        staff,
        list({n.person_id: n.person for n in needs}.values()),
        Purpose.LIST,
        request=request,
        object_type="consultations.need",
        detail={"needs": [n.pk for n in needs], "via": "home"},
    )
    return HomeBoard(
        waiting=w,
        since=since,
        tiles=_tiles(w),
        incoming=incoming,
        answered=answered,
        overdue=overdue,
        drafts=drafts,
        needs=needs,
        withdrawals=notices,
        people={v.id: v for v in people},
        need_people={v.id: v for v in need_people},
    )
