"""The demo ward's roster: made through the actions, deterministic, loaded once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tsunagari.disaster.demo import check_times, load_demo_disaster
from tsunagari.disaster.models import (
    ConsentStatus,
    Declaration,
    EvacuationPlan,
    PlanStatus,
    Recipient,
    Release,
    RosterEntry,
    RosterRebuild,
    SafetyCheck,
)
from tsunagari.events.models import DomainEvent, EventKind


@pytest.fixture
def summary(demo_ward: str, db: None) -> str:
    return load_demo_disaster(7)


def test_the_demo_ward_gets_a_roster_with_every_consent_state_and_plans_in_progress(
    summary: str,
) -> None:
    rebuild = RosterRebuild.objects.get()
    entries = RosterEntry.objects.filter(on_roster=True)
    assert entries.count() == rebuild.total > 10, summary
    # the department extracts were loaded and every rule could run
    assert all(r["evaluated"] for r in rebuild.rules), rebuild.rules
    assert {e.consent for e in entries} == set(ConsentStatus.values), summary
    statuses = set(EvacuationPlan.objects.values_list("status", flat=True))
    assert statuses == {PlanStatus.DONE, PlanStatus.DRAFT}, summary
    # a recipient covers every town on the roster
    covered = {t for r in Recipient.objects.all() for t in r.towns}
    assert {e.person.town for e in entries.select_related("person")} <= covered
    # a past declaration, ended, with its releases and checks
    declaration = Declaration.objects.get()
    assert declaration.ended_at is not None and SafetyCheck.objects.exists()
    assert Release.objects.filter(declaration=declaration).exists()
    assert DomainEvent.objects.filter(kind=EventKind.ROSTER_CONSENT_RECORDED).count() > 5
    # no sealed person was released to anyone
    from tsunagari.people.presenter import sealed_contacts

    released = {p for r in Release.objects.all() for p in r.persons}
    assert not released & sealed_contacts(list(entries.values_list("person_id", flat=True)))
    # a second run adds nothing
    assert "already present" in load_demo_disaster(7)
    assert RosterRebuild.objects.count() == 1


@pytest.mark.parametrize("n", [0, 1, 100, 480, 481, 20000])
def test_the_safety_checks_fall_within_the_declaration_however_many(n: int) -> None:
    # Koto's size puts thousands in scope: at three minutes apart the checks
    # ran past the declaration's end and the demo stopped with a refusal.
    storm = timezone.make_aware(datetime(2026, 11, 13, 6))
    times = check_times(storm, n)
    assert len(times) == n
    assert times == sorted(times)
    if n:
        assert times[0] == storm.replace(hour=8)
        assert times[-1] < storm.replace(hour=12) + timedelta(days=1)
    if 1 < n <= 480:
        assert times[1] - times[0] == timedelta(minutes=3)  # the small demo ward as before
