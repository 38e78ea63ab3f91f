"""7-1's figures on a small hand-made set: reports received and resolved per
fiscal year, and the share of places with a complete accessibility profile."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.barriers.indicators import (
    complete_profiles,
    reports_received,
    reports_resolved,
)
from tsunagari.barriers.services import assign_barrier, change_barrier_status, report_barrier
from tsunagari.lib import clock
from tsunagari.plan.registry import FiscalYear, indicators
from tsunagari.resources.accessibility import record_accessibility
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES
from tsunagari.resources.models import Accessibility, Location


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=timezone.get_current_timezone())


def _report(on: datetime) -> int:
    with clock.frozen(on):
        return report_barrier(where="street", town="東陽", description="歩道に段差があります。").pk


def test_it_counts_reports_received_and_resolved_by_fiscal_year(
    personas: dict[str, Staff], db: None
) -> None:
    staff = personas["community"]
    march = _report(_at(2025, 3, 31))  # FY2024
    april = _report(_at(2025, 4, 1))  # FY2025
    _report(_at(2026, 3, 31))  # FY2025, left open
    with clock.frozen(_at(2025, 4, 2)):
        assign_barrier(march, "roads", actor=staff, expected_status="received")
        change_barrier_status(
            march, "resolved", actor=staff, expected_status="assigned", public_answer="直しました"
        )
        change_barrier_status(
            april, "not_actionable", actor=staff, expected_status="received",
            public_answer="私有地です",
        )  # fmt: skip
    assert reports_received(FiscalYear(2024)).value == 1
    assert reports_received(FiscalYear(2025)).value == 2
    # resolved in FY2025 although received in FY2024; not actionable is not resolved
    assert reports_resolved(FiscalYear(2025)).value == 1
    assert reports_resolved(FiscalYear(2024)).value == 0


def test_it_gives_the_share_of_places_with_every_feature_checked(
    personas: dict[str, Staff], directory: int
) -> None:
    fy = FiscalYear.of(clock.today())
    before = complete_profiles(fy)
    assert before.denominator and before.denominator > 0
    # one more place fully checked raises the count by one; an unknown left keeps it
    place = next(
        loc
        for loc in Location.objects.order_by("id")
        if not Accessibility.objects.filter(location_id=loc.id).first()
        or not Accessibility.objects.filter(location_id=loc.id).order_by("id").first().complete  # type: ignore[union-attr]
    )
    partial = dict.fromkeys(ACCESSIBILITY_FEATURES, "yes") | {"parking": "unknown"}
    record_accessibility(place.id, partial, "", seen=None, actor=None)
    assert complete_profiles(fy).numerator == before.numerator
    record_accessibility(
        place.id, dict.fromkeys(ACCESSIBILITY_FEATURES, "no"), "", seen=None, actor=None
    )
    after = complete_profiles(fy)
    assert after.numerator == (before.numerator or 0) + 1
    assert after.value == 100 * after.numerator / after.denominator  # type: ignore[operator]
    # an earlier year has no data: the directory keeps only today's state
    assert complete_profiles(FiscalYear(fy.year - 1)).value is None


def test_it_registers_three_figures_for_direction_7_1(db: None) -> None:
    codes = {i.code for i in indicators() if i.direction == "7-1"}
    assert {
        "7-1.barrier_reports_received",
        "7-1.barrier_reports_resolved",
        "7-1.accessibility_profiles_complete",
    } <= codes
