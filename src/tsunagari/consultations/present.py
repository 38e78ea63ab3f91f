"""What each side of a referral sees: the summary the sender chose and the
person's basic facts (contact masked for sealed persons), never the
consultation itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext

from tsunagari.consultations.events import TimelineEntry, timeline
from tsunagari.consultations.models import Referral, ReferralOutcome, ReferralStatus
from tsunagari.people import sections
from tsunagari.people.presenter import PersonView, Purpose, present_people

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from tsunagari.accounts.models import Staff


@dataclass(frozen=True)
class ReferralView:
    id: int
    consultation_id: int
    side: str  # "sender" or "receiver"
    status: str
    status_label: str
    from_agency: str
    to_agency: str
    sent_by: str
    sent_at: datetime
    due_at: datetime
    overdue: bool
    summary: str
    urgency: str
    urgency_label: str
    contact_preference: str
    explained: str
    basis: str
    decline_reason: str
    outcome: str
    outcome_label: str
    person: PersonView
    timeline: list[TimelineEntry] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @property
    def loop_closed(self) -> bool:
        return self.status == ReferralStatus.CLOSED


def actions_for(referral: Referral, side: str) -> list[str]:
    """The transitions the viewer's side may make now (buttons and API hints)."""
    waiting = referral.status in {ReferralStatus.SENT, ReferralStatus.RECEIVED}
    if side == "receiver":
        if waiting:
            return ["accept", "decline"]
        if referral.status == ReferralStatus.ACCEPTED:
            return ["outcome"]
        return []
    if waiting:
        return ["revoke"]
    if referral.status == ReferralStatus.DECLINED:
        return ["outcome"]
    return []


def present_referrals(
    viewer: Staff | AnonymousUser,
    referrals: Sequence[Referral],
    *,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> list[ReferralView]:
    """Referrals as the viewer's side sees them, with one audit event naming their persons.

    A referral shows both its sides whom it is about and the person's basic
    facts (the sender chose to share them); seals still hide the contact.
    """
    people = {r.person_id: r.person for r in referrals}
    views = present_people(viewer, list(people.values()), Purpose.REFERRAL, request=request,
                           object_type="consultations.referral",
                           granted=frozenset({sections.IDENTITY, sections.BASIC}),
                           detail={"referrals": [r.pk for r in referrals], **(detail or {})})  # fmt: skip
    by_id = {v.id: v for v in views}
    return [_view(viewer, r, by_id[r.person_id]) for r in referrals]


def present_referral(
    viewer: Staff | AnonymousUser, referral: Referral, *, request: HttpRequest | None = None
) -> ReferralView:
    return present_referrals(viewer, [referral], request=request)[0]


def _view(viewer: Staff | AnonymousUser, referral: Referral, person: PersonView) -> ReferralView:
    side = "receiver" if getattr(viewer, "agency_id", None) == referral.to_agency_id else "sender"
    return ReferralView(
        id=referral.pk,
        consultation_id=referral.consultation_id,
        side=side,
        status=referral.status,
        status_label=referral.get_status_display(),
        from_agency=referral.from_agency.name,
        to_agency=referral.to_agency.name,
        sent_by=str(referral.sent_by),
        sent_at=referral.sent_at,
        due_at=referral.due_at,
        overdue=referral.is_overdue(timezone.now()),
        summary=referral.summary,
        urgency=referral.urgency,
        urgency_label=referral.get_urgency_display(),
        contact_preference=referral.contact_preference,
        explained=referral.explained,
        basis=gettext("本人同意") if referral.consent_id else gettext("支援会議"),
        decline_reason=referral.decline_reason,
        outcome=referral.outcome,
        outcome_label=str(dict(ReferralOutcome.choices).get(referral.outcome, ""))
        if referral.outcome
        else "",
        person=person,
        timeline=timeline(referral),
        actions=actions_for(referral, side),
    )
