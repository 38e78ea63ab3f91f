"""A person's story: what happened in their support, as one viewer may see it.

Read from the named events the actions write (``events.DomainEvent``) and
from the referrals' own steps (``consultations.ReferralEvent``). An entry is
shown when the viewer's entitlement opens its section of the record
(``people.sections``), or when the viewer's own agency took the step. An
entry names what happened, when, and which agency; never a note or summary
typed by a worker, which belongs to the record it was typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext

from tsunagari.accounts.policy import Action, allowed
from tsunagari.consultations.models import Consultation, ReferralEvent, ReferralEventKind
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.people import sections

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff
    from tsunagari.people.presenter import PersonView

__all__ = ["StoryEntry", "story_of"]

LIMIT = 200
_TEAM_ONLY = ("safeguarding.", "advocacy.")

# Which section of the record each kind of event belongs to.
_SECTION = {
    EventKind.CONSULTATION_DRAFTED: sections.CONSULTATIONS,
    EventKind.CONSULTATION_RECORDED: sections.CONSULTATIONS,
    EventKind.CONSULTATION_CHANGED: sections.CONSULTATIONS,
    EventKind.NEED_RAISED: sections.SUPPORT,
    EventKind.NEED_PICKED_UP: sections.SUPPORT,
    EventKind.CONSENT_GIVEN: sections.SUPPORT,
    EventKind.CONSENT_REFUSED: sections.SUPPORT,
    EventKind.CONSENT_WITHDRAWN: sections.SUPPORT,
    EventKind.MEETING_PROPOSED: sections.SUPPORT,
    EventKind.MEETING_CONFIRMED: sections.SUPPORT,
    EventKind.MEETING_REJECTED: sections.SUPPORT,
    EventKind.MEETING_ENDED: sections.SUPPORT,
    EventKind.OPENED_AT_DESK: sections.SUPPORT,
    EventKind.OPENING_CONFIRMED: sections.SUPPORT,
    EventKind.OPENING_REVOKED: sections.SUPPORT,
    EventKind.PERSON_REGISTERED: sections.BASIC,
    EventKind.PERSON_CHANGED: sections.BASIC,
}


@dataclass(frozen=True)
class StoryEntry:
    at: datetime
    kind: str
    label: str
    agency: str
    url: str = ""


def _consultation_url(viewer_agency: int | None, agency_of: dict[int, int], pk: str) -> str:
    if pk.isdigit() and agency_of.get(int(pk)) == viewer_agency and viewer_agency is not None:
        return reverse("consultations:detail", args=[int(pk)])
    return ""


def story_of(viewer: Staff | AnonymousUser, view: PersonView) -> list[StoryEntry]:
    """The person's story for ``viewer``, newest first (at most ``LIMIT`` entries).

    ``view`` is the presenter's view of the person for this viewer (its
    sections decide what shows); nothing is shown for a "known" view.
    """
    if view.level != "full":
        return []
    agency_id = getattr(viewer, "agency_id", None)
    entries: list[StoryEntry] = []
    events = list(
        DomainEvent.objects.filter(person_id=view.id)
        .select_related("agency")
        .order_by("-at", "-pk")[:LIMIT]
    )
    consultation_ids = [
        int(e.object_id)
        for e in events
        if e.object_type == "consultations.consultation" and e.object_id.isdigit()
    ]
    agency_of = dict(
        Consultation.objects.filter(pk__in=consultation_ids).values_list("pk", "agency_id")
    )
    labels = dict(EventKind.choices)
    # Abuse and violence reports are the designated team's alone: not even the
    # filer's own agency reads in the person's story that a report exists.
    team = allowed(viewer, Action.WORK_SAFEGUARDING)
    for e in events:
        if e.kind.startswith(_TEAM_ONLY) and not team:
            continue
        own = agency_id is not None and e.agency_id == agency_id
        if not own and _SECTION.get(EventKind(e.kind)) not in view.sections:
            continue
        url = (
            _consultation_url(agency_id, agency_of, e.object_id)
            if e.object_type == "consultations.consultation"
            else ""
        )
        entries.append(StoryEntry(e.at, e.kind, str(labels.get(e.kind, e.kind)),
                                  e.agency.name if e.agency else "", url))  # fmt: skip
    steps = (
        ReferralEvent.objects.filter(referral__person_id=view.id)
        .select_related("referral__from_agency", "referral__to_agency", "agency")
        .order_by("-at", "-pk")[:LIMIT]
    )
    step_labels = dict(ReferralEventKind.choices)
    for step in steps:
        referral = step.referral
        side = agency_id in {referral.from_agency_id, referral.to_agency_id}
        if not side and sections.SUPPORT not in view.sections:
            continue
        label = gettext("つなぎ（%(from)s → %(to)s）: %(step)s") % {
            "from": referral.from_agency.name,
            "to": referral.to_agency.name,
            "step": step_labels.get(step.kind, step.kind),
        }
        url = reverse("consultations:referral", args=[referral.pk]) if side else ""
        entries.append(StoryEntry(step.at, f"referral.{step.kind}", label,
                                  step.agency.name if step.agency else "", url))  # fmt: skip
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:LIMIT]
