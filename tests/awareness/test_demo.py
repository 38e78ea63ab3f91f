"""The demo ward's awareness activities: made through the actions, at their own moments."""

from __future__ import annotations

import pytest

from tsunagari.accounts.personas import ensure_agencies, ensure_personas
from tsunagari.awareness.demo import load_demo_awareness
from tsunagari.awareness.models import Activity, ActivityKind
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock


@pytest.fixture
def summary(db: None) -> str:
    # The loader reads only the ward's agencies and the personas (it runs after the
    # other demos in ``demo.loader``, but needs none of their records).
    ensure_agencies(None)
    ensure_personas()
    return load_demo_awareness(7)


def test_it_gives_the_ward_a_year_of_activities_across_towns_and_schools(summary: str) -> None:
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert kinds == set(ActivityKind.values), summary
    assert Activity.objects.filter(kind=ActivityKind.SCHOOL).values("town").distinct().count() >= 5
    assert Activity.objects.exclude(town="").values("town").distinct().count() >= 8
    assert not Activity.objects.filter(held_on__gt=clock.today()).exists()
    recorded = DomainEvent.objects.filter(kind=EventKind.AWARENESS_RECORDED)
    assert recorded.count() == Activity.objects.count()
    assert not recorded.filter(at__gt=clock.now()).exists()


def test_a_second_run_adds_nothing(summary: str) -> None:
    before = (Activity.objects.count(), DomainEvent.objects.count())
    assert "already present" in load_demo_awareness(7)
    assert (Activity.objects.count(), DomainEvent.objects.count()) == before
