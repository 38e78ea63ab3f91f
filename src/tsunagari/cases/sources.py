"""Where cases are opened from, as the pages need it: the way back to a case's
source, the offer to open a case shown on a source's page, and the sources
waiting for the coordinating agency (referrals it received, outreach targets
handed over to it). No person's data here: the pages name records by number.

The offer is a hint, never the rule: the opening page checks the source with
``services.check_source`` (and audits a refusal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from tsunagari.accounts.policy import Action, allowed
from tsunagari.cases.models import Case, SourceKind

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff
    from tsunagari.consultations.models import Need

# How many waiting sources the list shows at most.
WAITING_LIMIT = 50


def source_url(kind: str, number: int | None, need: Need | None = None) -> str:
    """The page of a case's source record (whoever opens it is checked there)."""
    if number is None:
        return ""
    if kind == SourceKind.NEED:
        return reverse("consultations:detail", args=[need.consultation_id]) if need else ""
    names = {
        SourceKind.CONSULTATION: "consultations:detail",
        SourceKind.REFERRAL: "consultations:referral",
        SourceKind.OUTREACH: "outreach:detail",
        SourceKind.CANDIDATE: "linkage:candidate",
    }
    name = names.get(SourceKind(kind)) if kind in SourceKind.values else None
    return reverse(name, args=[number]) if name else ""


def new_url(kind: str, number: int) -> str:
    return f"{reverse('cases:new')}?{kind}={number}"


@dataclass(frozen=True)
class Offer:
    """A link a source's page shows: to the case opened from it, or to open one."""

    url: str
    case: Case | None = None


def offer(user: Staff | AnonymousUser, kind: str, number: int | None) -> Offer | None:
    """The link to show on the page of source ``kind`` #``number`` to ``user``:
    the case already opened from it (to its team's workers, who may see it),
    or the opening page (to the coordinating role); None otherwise."""
    if number is None or kind not in SourceKind.values or not allowed(user, Action.WORK_CASES):
        return None
    case = Case.objects.filter(source_kind=kind, source_id=number).first()
    if case is not None:
        return Offer(reverse("cases:detail", args=[case.pk]), case)
    return Offer(new_url(kind, number))


@dataclass(frozen=True)
class Waiting:
    """A source record waiting at the staff member's agency for a case."""

    kind: str
    number: int
    at: datetime
    text: str  # what it is, without any person's data (agency names, states)
    url: str  # the opening page
    source_url: str


def waiting_sources(staff: Staff) -> list[Waiting]:
    """Referrals the staff member's agency received (opened or accepted) and outreach
    targets connected to it, from which no case has been opened yet, newest first.
    Only for the coordinating role."""
    from tsunagari.consultations.models import Referral, ReferralStatus
    from tsunagari.outreach.models import OutreachTarget, State

    if staff.agency_id is None or not allowed(staff, Action.WORK_CASES):
        return []
    opened = Case.objects.filter(source_kind=SourceKind.REFERRAL).values("source_id")
    rows: list[Waiting] = []
    for r in (
        Referral.objects.filter(to_agency_id=staff.agency_id,
                                status__in=[ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED])
        .exclude(pk__in=opened).select_related("from_agency").order_by("-sent_at")[:WAITING_LIMIT]
    ):  # fmt: skip
        rows.append(Waiting(SourceKind.REFERRAL, r.pk, r.sent_at,
                            f"{r.from_agency.name} → {r.get_status_display()}",
                            new_url(SourceKind.REFERRAL, r.pk),
                            source_url(SourceKind.REFERRAL, r.pk)))  # fmt: skip
    taken = Case.objects.filter(source_kind=SourceKind.OUTREACH).values("source_id")
    for t in (
        OutreachTarget.objects.filter(handover_agency_id=staff.agency_id, state=State.CONNECTED,
                                      case__isnull=True, person__isnull=False)
        .exclude(pk__in=taken).order_by("-connected_at")[:WAITING_LIMIT]
    ):  # fmt: skip
        rows.append(Waiting(SourceKind.OUTREACH, t.pk, t.connected_at or t.created_at,
                            t.get_kind_display(), new_url(SourceKind.OUTREACH, t.pk),
                            source_url(SourceKind.OUTREACH, t.pk)))  # fmt: skip
    return sorted(rows, key=lambda w: w.at, reverse=True)
