"""The demo ward's barrier reports: a year of them in every state, repeatable."""

from __future__ import annotations

from tsunagari.barriers.demo import load_demo_barriers
from tsunagari.barriers.models import BarrierReport
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock


def test_it_plays_a_year_of_reports_in_every_state_and_adds_nothing_twice(
    demo_ward: str, db: None
) -> None:
    BarrierReport.objects.all().delete()
    summary = load_demo_barriers(7)
    assert summary.endswith("barrier reports")
    reports = list(BarrierReport.objects.all())
    assert len(reports) >= 30
    assert {r.status for r in reports} == {
        "received", "assigned", "in_progress", "resolved", "not_actionable",
    }  # fmt: skip
    assert any(r.where == "place" for r in reports) and any(r.where == "street" for r in reports)
    now = clock.now()
    assert all(r.received_at <= r.updated_at <= now for r in reports)
    assert DomainEvent.objects.filter(kind=EventKind.BARRIER_STATUS_CHANGED).exists()
    refs = sorted(r.reference for r in reports)
    assert load_demo_barriers(7) == "0 barrier reports"
    assert sorted(BarrierReport.objects.values_list("reference", flat=True)) == refs
