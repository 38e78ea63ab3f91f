"""What is waiting for a staff member: counts for the header badge, counts and
short lists for the home page.

Counts are one statement of indexed COUNTs whatever the number of people
(the badge runs on every page; see :mod:`tsunagari.accounts.tally`), and
name nobody, so they need no audit. The
lists name people only through the presenter, which audits whom it shows.
Each count is the viewer's own agency's (or, for needs, the role's) work:
another agency's referrals, drafts or notices never reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts import tally
from tsunagari.accounts.models import AgencyKind
from tsunagari.accounts.policy import Action, actions_for
from tsunagari.accounts.visits import last_visit
from tsunagari.consent.services import (
    WithdrawalNotice,
    is_ward_supervisor,
    may_review_support_meetings,
    withdrawals_to_notice,
)
from tsunagari.consultations import worklists
from tsunagari.people import sections
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


def _unseen_withdrawals(staff: Staff) -> list[WithdrawalNotice]:
    return [n for n in withdrawals_to_notice(staff.agency) if n.seen_at is None]


# Where a request keeps the counts it has made: {(staff pk, since): Waiting}.
_REQUEST_KEY = "_tsunagari_waiting"


def waiting_for(
    staff: Staff,
    since: datetime | None,
    *,
    withdrawals: list[WithdrawalNotice] | None = None,
    request: HttpRequest | None = None,
) -> Waiting:
    """The counts for ``staff``, ``since`` their last visit (None: nothing is new).

    All in one statement (:mod:`tsunagari.accounts.tally`), made once per
    ``request``. ``withdrawals``: the unseen notices when the caller has
    loaded them (the home page lists them), so they are not counted again.
    """
    kinds = _kinds(staff)
    if not kinds or staff.agency_id is None:
        return Waiting()
    key = (staff.pk, since)
    made: dict[tuple[int, datetime | None], Waiting] | None = getattr(request, _REQUEST_KEY, None)
    if made is not None and withdrawals is None and key in made:
        return made[key]
    counts: set[str] = set()
    if REFERRALS in kinds:
        counts |= {"incoming", "answered", "overdue_incoming", "overdue_sent"}
    if DRAFTS in kinds:
        counts.add("drafts")
    if NEEDS in kinds:
        counts.add("needs")
    if MEETINGS in kinds:
        counts.add("meetings")
    if OPENINGS in kinds:
        counts.add("openings")
    if WITHDRAWALS in kinds and withdrawals is None:
        counts.add("withdrawals")
    # Whose decisions and openings: asked only of those who see them (the
    # agency's kind is another read for everyone else).
    all_meetings = MEETINGS in kinds and is_ward_supervisor(staff)
    agency = staff.agency if OPENINGS in kinds else None
    n = tally.count(
        tally.Asked(
            frozenset(counts),
            staff_id=staff.pk,
            agency_id=staff.agency_id,
            since=since,
            all_meetings=all_meetings,
            all_openings=agency is not None and agency.kind == AgencyKind.WARD_DEPARTMENT,
        )
    )
    if withdrawals is not None:
        n["withdrawals"] = len(withdrawals)
    waiting = Waiting(
        kinds=kinds,
        incoming=n["incoming"],
        answered=n["answered"],
        overdue=n["overdue_incoming"] + n["overdue_sent"],
        overdue_sent=n["overdue_sent"],
        needs=n["needs"],
        drafts=n["drafts"],
        meetings=n["meetings"],
        openings=n["openings"],
        withdrawals=n["withdrawals"],
    )
    if request is not None:
        if made is None:
            made = {}
            setattr(request, _REQUEST_KEY, made)
        made[key] = waiting
    return waiting


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
