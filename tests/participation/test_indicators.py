"""The participation counts for the yearly report and indicator 5-1, per fiscal year."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tsunagari.lib import clock
from tsunagari.participation import indicators as ind
from tsunagari.participation.services import (
    OpportunityInput,
    ProfileInput,
    create_opportunity,
    move_placement,
    propose_placement,
    record_host_support,
    save_profile,
    suggestions_for,
)
from tsunagari.plan.registry import FiscalYear, indicators, programme_items
from tsunagari.resources.models import Organization

TOKYO = ZoneInfo("Asia/Tokyo")


def at(y: int, m: int, d: int) -> Any:
    return clock.frozen(datetime(y, m, d, 10, tzinfo=TOKYO))


def test_it_counts_each_step_in_its_own_fiscal_year(pward: dict[str, Any]) -> None:
    w, kazuo = pward["worker"], pward["kazuo"]
    with at(2026, 3, 20):  # FY2025
        profile = save_profile(w, kazuo.pk, ProfileInput(interests=["サロン"]))
        found = suggestions_for(w, profile)
        first = propose_placement(w, kazuo.pk, found[0].opportunity.id)
        second = propose_placement(w, kazuo.pk, found[1].opportunity.id)
        move_placement(w, first.pk, "trial")
    with at(2026, 4, 10):  # FY2026
        move_placement(w, first.pk, "participating")
        move_placement(w, second.pk, "stopped", stop_reason="wish")
        host = Organization.objects.exclude(pk=first.host_id).order_by("id").first()
        assert host is not None
        create_opportunity(w, OpportunityInput(title="畑の手伝い", kind="volunteering",
                                               host_id=host.pk, town="北砂", flexible_time=True))  # fmt: skip
        record_host_support(w, first.host_id, "preparation")
    with at(2026, 6, 1):
        move_placement(w, first.pk, "settled")
    fy25, fy26 = FiscalYear(2025), FiscalYear(2026)
    assert (ind.placements_proposed(fy25), ind.placements_proposed(fy26)) == (2, 0)
    assert (ind.trial_visits(fy25), ind.trial_visits(fy26)) == (1, 0)
    assert (ind.settled(fy25), ind.settled(fy26)) == (0, 1)
    assert ind.stopped(fy26) == 1
    assert ind.people_supported(fy25) == 1 and ind.people_supported(fy26) == 1
    assert ind.people_supported(FiscalYear(2027)) == 0  # everything ended in FY2026
    assert ind.cooperating_host_ids(fy25) == {first.host_id}
    assert ind.cooperating_host_ids(fy26) == {first.host_id, host.pk}
    assert ind.opportunities_created(fy26) == 1 and ind.host_support_notes(fy26) == 1
    measure = ind.people_settled(fy26)
    assert measure.value == 1 and measure.records == (("participation.placement", str(first.pk)),)
    assert ind.people_settled(fy25).value == 0


def test_it_registers_the_programme_items_and_the_indicator(db: None) -> None:
    items = {i.item for i in programme_items() if i.programme == "participation"}
    assert {"participation_people_supported", "participation_placements", "participation_settled",
            "participation_cooperating_hosts", "participation_opportunities_created"} <= items  # fmt: skip
    assert any(i.code == "5-1.participation_settled" and i.direction == "5-1" for i in indicators())
