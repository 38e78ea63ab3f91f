"""The demo ward's participation support: made through the actions, every state, idempotent."""

from __future__ import annotations

import pytest

from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.participation.demo import load_demo_participation
from tsunagari.participation.models import (
    FollowUp,
    HostSupportNote,
    Opportunity,
    ParticipationProfile,
    Placement,
    PlacementState,
)
from tsunagari.people.access import is_entitled


@pytest.fixture
def summary(demo_ward: str, db: None) -> str:
    return load_demo_participation(7)


def test_it_gives_the_demo_ward_placements_in_every_state(
    summary: str, personas: dict[str, object]
) -> None:
    assert ParticipationProfile.objects.count() >= 8, summary
    assert {p.state for p in Placement.objects.all()} == set(PlacementState.values)
    assert Placement.objects.filter(state="stopped").exclude(stop_reason="").exists()
    assert HostSupportNote.objects.exists() and Opportunity.objects.count() == 2
    # some follow-ups are due already: the worker's list has something to do
    assert FollowUp.objects.filter(done_on__isnull=True, due_on__lte=clock.today()).exists()
    assert FollowUp.objects.filter(done_on__isnull=False).exists()
    # the worker's agency supports every person it worked with
    worker = personas["participation"]
    assert all(is_entitled(worker, p.person) for p in Placement.objects.select_related("person"))  # type: ignore[arg-type]
    # every placement was proposed through the action, in the past, with its reason
    for placement in Placement.objects.all():
        event = DomainEvent.objects.get(
            kind=EventKind.PLACEMENT_PROPOSED, object_id=str(placement.pk)
        )
        assert event.at < clock.now() and placement.reason
    # a second run adds nothing
    assert "already present" in load_demo_participation(7)
    assert Placement.objects.count() == 10
