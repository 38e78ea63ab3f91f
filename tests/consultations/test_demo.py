from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.consultations.demo import load_demo_consultations
from tsunagari.consultations.models import Consultation, Need, Referral, ReferralEvent
from tsunagari.demo.loader import load_demo
from tsunagari.people.access import active_links


@pytest.fixture
def ward(db: None) -> str:
    return load_demo(people=400, seed=7, progress=False)


def _state() -> tuple[Any, ...]:
    return (
        Consultation.objects.count(),
        sorted(Counter(Referral.objects.values_list("status", flat=True)).items()),
        sorted(Referral.objects.values_list("from_agency__code", "to_agency__code", "status")),
        Need.objects.count(),
    )


def _wipe() -> None:
    for model in (ReferralEvent, Referral, Need, Consultation, Consent, SupportMeeting):
        model.objects.all().delete()


def test_it_loads_referrals_in_every_state_with_overdue_and_declined_ones(ward: str) -> None:
    assert "consultations" in ward
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


def test_it_is_deterministic_for_a_seed_and_runs_once(ward: str) -> None:
    # a second run leaves an existing front door alone
    before = Consultation.objects.count()
    assert "already present" in load_demo_consultations(7)
    assert Consultation.objects.count() == before
    # the same seed gives the same consultations and referral states
    first = _state()
    _wipe()
    load_demo_consultations(7)
    assert _state() == first
