"""The demo ward's workforce registers: made through the actions, at their own moments."""

from __future__ import annotations

import pytest

from tsunagari.accounts.personas import ensure_agencies, ensure_personas
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.plan.registry import FiscalYear
from tsunagari.workforce.demo import load_demo_workforce
from tsunagari.workforce.indicators import cross_agency_agencies, people_trained
from tsunagari.workforce.models import Qualification, Supervision, Training, Worker


@pytest.fixture
def summary(db: None) -> str:
    # The loader reads only the ward's agencies and the personas (it runs after the
    # other demos in ``demo.loader``, but needs none of their records).
    ensure_agencies(None)
    ensure_personas()
    return load_demo_workforce(7)


def test_it_gives_the_persona_agencies_a_year_of_registers(summary: str) -> None:
    assert Worker.objects.filter(
        agency__code="lsc-16", staff__username="supervisor.elderly"
    ).exists()
    assert Worker.objects.values("agency").distinct().count() >= 15, summary
    assert Qualification.objects.exists() and Supervision.objects.exists()
    cross = Training.objects.filter(cross_agency=True)
    assert 2 <= cross.count() <= 3
    assert all(t.attendances.values("worker__agency").distinct().count() >= 5 for t in cross)
    assert not DomainEvent.objects.filter(at__gt=clock.now()).exists()
    # the supervisor persona kept their own register
    assert DomainEvent.objects.filter(kind=EventKind.SUPERVISION_RECORDED,
                                      actor__username="supervisor.elderly").exists()  # fmt: skip
    fy = FiscalYear.of(clock.today())
    assert (people_trained(fy).value or 0) + (
        people_trained(FiscalYear(fy.year - 1)).value or 0
    ) > 0
    assert (cross_agency_agencies(fy).value or 0) + (
        cross_agency_agencies(FiscalYear(fy.year - 1)).value or 0
    ) >= 5


def test_a_second_run_adds_nothing(summary: str) -> None:
    before = (Worker.objects.count(), Training.objects.count(), DomainEvent.objects.count())
    assert "already present" in load_demo_workforce(7)
    assert (Worker.objects.count(), Training.objects.count(), DomainEvent.objects.count()) == before
