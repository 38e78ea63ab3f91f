"""The demo ward's reports and advocacy: every state, one overdue, petitions in progress."""

from __future__ import annotations

import pytest

from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.safeguarding.clocks import running_clock
from tsunagari.safeguarding.demo import load_demo_safeguarding
from tsunagari.safeguarding.models import Escalation, Petition, PetitionStep, Report, State


@pytest.fixture
def summary(demo_ward: str, db: None) -> str:
    return load_demo_safeguarding(7)


def test_it_gives_the_demo_ward_reports_in_every_state_and_one_overdue(summary: str) -> None:
    states = set(Report.objects.values_list("state", flat=True))
    assert states == set(State.values), summary
    now = clock.now()
    overdue = [r for r in Report.objects.all() if (c := running_clock(r)) and c.overdue(now)]
    assert len(overdue) == 1 and Escalation.objects.filter(report=overdue[0]).count() == 1
    assert Report.objects.filter(person__sealed=True, seals__isnull=False).count() == 1


def test_it_gives_the_demo_ward_petitions_in_progress(summary: str) -> None:
    steps = set(Petition.objects.values_list("step", flat=True))
    assert {PetitionStep.CERTIFICATE, PetitionStep.PETITIONED, PetitionStep.APPOINTED} <= steps
    assert DomainEvent.objects.filter(kind=EventKind.ADVOCACY_STEP).count() >= 12


def test_it_plays_every_step_before_now_and_adds_nothing_the_second_time(summary: str) -> None:
    events = DomainEvent.objects.filter(kind__startswith="safeguarding.")
    assert events.exists() and all(e.at <= clock.now() for e in events)
    before = (Report.objects.count(), DomainEvent.objects.count())
    load_demo_safeguarding(7)
    assert (Report.objects.count(), DomainEvent.objects.count()) == before
