"""The demo ward's community activities: made through the actions, at their own moments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tsunagari.community.demo import load_demo_community
from tsunagari.community.models import Activity, ActivityKind, Session, SessionStatus
from tsunagari.community.upcoming import upcoming
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.resources.models import Location


@pytest.fixture
def summary(demo_ward: str, db: None) -> str:
    return load_demo_community(7)


def test_it_gives_the_demo_ward_a_year_of_activities_and_the_coming_weeks(summary: str) -> None:
    today = clock.today()
    activities = list(Activity.objects.all())
    assert {a.kind for a in activities} == {ActivityKind.REGULAR, ActivityKind.EVENT}, summary
    # at public places of the demo directory, in their towns
    places = {
        loc.id: loc for loc in Location.objects.filter(id__in=[a.location_id for a in activities])
    }
    assert all(not places[a.location_id].x_confidential and a.town == places[a.location_id].x_town
               for a in activities)  # fmt: skip
    held = Session.objects.filter(status=SessionStatus.HELD)
    assert held.filter(on__lt=today - timedelta(days=300)).exists()
    assert all(s.first_timers <= s.total for s in held)
    # the last few days wait for the worker; the coming month is on the residents' pages
    assert Session.objects.filter(status=SessionStatus.PLANNED, on__lt=today).exists()
    assert sum(len(d.items) for d in upcoming(today)) >= 10
    # each recording is an event at the session's own evening, never in the future
    recorded = DomainEvent.objects.filter(kind=EventKind.COMMUNITY_ATTENDANCE_RECORDED)
    assert recorded.count() == held.count()
    sample = recorded.order_by("pk").first()
    assert sample is not None and sample.at.date().isoformat() == sample.data["on"]
    assert not DomainEvent.objects.filter(at__gt=clock.now()).exists()


def test_a_second_run_adds_nothing(summary: str) -> None:
    before = (Activity.objects.count(), Session.objects.count(), DomainEvent.objects.count())
    assert "already present" in load_demo_community(7)
    assert (
        Activity.objects.count(),
        Session.objects.count(),
        DomainEvent.objects.count(),
    ) == before
