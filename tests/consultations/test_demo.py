from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.db.models import ProtectedError

from tsunagari.cases.models import Case
from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.consultations.demo import load_demo_consultations
from tsunagari.consultations.models import Consultation, Need, Referral, ReferralEvent
from tsunagari.demo.models import is_demo_ward
from tsunagari.events.models import DomainEvent
from tsunagari.people.access import active_links
from tsunagari.people.models import AccessOpening, AgencyLink, LinkBasis


@pytest.fixture
def ward(demo_ward: str, db: None) -> str:
    return demo_ward


def _state() -> tuple[Any, ...]:
    return (
        Consultation.objects.count(),
        sorted(Counter(Referral.objects.values_list("status", flat=True)).items()),
        sorted(Referral.objects.values_list("from_agency__code", "to_agency__code", "status")),
        Need.objects.count(),
    )


def _wipe() -> None:
    # Everything the demo's actions wrote, including the links they granted;
    # first the later programmes' records, which point at cases and needs.
    for label in ("consumer", "safeguarding", "outreach", "participation", "cases"):
        for _round in range(3):  # their own models protect each other
            for model in reversed(list(apps.get_app_config(label).get_models())):
                try:
                    model.objects.all().delete()
                except ProtectedError:
                    continue
    for model in (DomainEvent, Case, ReferralEvent, Referral, Need, Consultation, Consent,
                  SupportMeeting, AccessOpening):  # fmt: skip
        model.objects.all().delete()
    AgencyLink.objects.exclude(basis=LinkBasis.SERVICE).delete()


def test_it_loads_referrals_in_every_state_with_overdue_and_declined_ones(ward: str) -> None:
    assert "consultations" in ward
    assert is_demo_ward()  # every page now says the data are sample data
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"sent", "received", "accepted", "declined", "closed", "revoked"} <= statuses
    assert any(r.is_overdue() for r in Referral.objects.all())
    assert all(r.decline_reason for r in Referral.objects.filter(status="declined"))
    assert Need.objects.filter(kind="multi_agency").exists()
    assert Consultation.objects.filter(status="draft").exists()
    # every referral's timeline starts with the sent event
    first = ReferralEvent.objects.order_by("referral_id", "at", "pk")
    assert {e.kind for e in first if e.at == e.referral.sent_at} == {"sent"}
    # withdrawn consents give no access
    withdrawn = Consent.objects.filter(withdrawn_on__isnull=False)
    assert withdrawn.exists()
    for consent in withdrawn:
        assert not active_links().filter(note=f"consent:{consent.pk}").exists()


def test_it_writes_every_demo_record_through_its_action(ward: str) -> None:
    # every consultation, consent and referral has the named events its action writes
    recorded = set(DomainEvent.objects.filter(kind__in=["consultation.recorded",
                   "consultation.drafted"]).values_list("object_id", flat=True))  # fmt: skip
    assert {str(pk) for pk in Consultation.objects.values_list("pk", flat=True)} == recorded
    given = set(DomainEvent.objects.filter(kind__in=["consent.given", "consent.refused"])
                .values_list("object_id", flat=True))  # fmt: skip
    assert {str(pk) for pk in Consent.objects.values_list("pk", flat=True)} == given
    withdrawn = set(
        DomainEvent.objects.filter(kind="consent.withdrawn").values_list("object_id", flat=True)
    )
    assert {str(pk) for pk in Consent.objects.filter(withdrawn_on__isnull=False)
            .values_list("pk", flat=True)} == withdrawn  # fmt: skip
    for referral in Referral.objects.all():
        kinds = [e.kind for e in referral.events.order_by("at", "pk")]
        assert kinds[0] == "sent"
        assert referral.status == "sent" or len(kinds) > 1
    needs = set(DomainEvent.objects.filter(kind="need.raised").values_list("object_id", flat=True))
    assert {str(pk) for pk in Need.objects.values_list("pk", flat=True)} == needs
    # every event of an action was written with the action's own (back-dated) clock
    for consultation in Consultation.objects.filter(status="recorded")[:50]:
        event = DomainEvent.objects.get(
            kind="consultation.recorded", object_id=str(consultation.pk)
        )
        assert event.at == consultation.created
    # people came to the desk: records opened, mostly confirmed, the latest awaiting review
    assert AccessOpening.objects.filter(status="confirmed").exists()
    # reports by someone else opened nothing: no case link without a source
    assert not AgencyLink.objects.filter(
        basis=LinkBasis.CASE, note__startswith="consultation:"
    ).exists()


def test_it_is_deterministic_for_a_seed_and_runs_once(ward: str) -> None:
    # a second run leaves an existing front door alone
    before = Consultation.objects.count()
    assert "already present" in load_demo_consultations(7)
    assert Consultation.objects.count() == before
    # the same seed gives the same consultations and referral states (later
    # programmes' demos add consultations of their own, so both runs are alone)
    _wipe()
    load_demo_consultations(7)
    first = _state()
    _wipe()
    load_demo_consultations(7)
    assert _state() == first
