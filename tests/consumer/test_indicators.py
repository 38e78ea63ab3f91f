"""Direction 6-2's three counts on a small hand-made set, by fiscal year, and
through the plan's command."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tests.consumer.conftest import alert_input
from tsunagari.accounts.models import Agency, Staff
from tsunagari.consultations.models import Consultation, ConsultationStatus, Referral
from tsunagari.consumer import indicators
from tsunagari.consumer.models import VisitTask
from tsunagari.consumer.services import acknowledge, create_alert, issue_alert, withdraw_alert
from tsunagari.lib import clock
from tsunagari.outreach.models import Contact
from tsunagari.people.models import Person
from tsunagari.plan import registry
from tsunagari.plan.loading import load_plans
from tsunagari.plan.registry import FiscalYear

JST = ZoneInfo("Asia/Tokyo")
FY = FiscalYear(2026)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=JST)


def _issue(staff: Staff, when: datetime, **kwargs: Any) -> int:
    with clock.frozen(when):
        alert = create_alert(staff, alert_input(**kwargs))
        return issue_alert(staff, alert.pk).pk


def _met(task: VisitTask, day: date, staff: Staff, result: str = "met") -> None:
    Contact.objects.create(target=task.target, on=day, method="visit", result=result,
                           recorded_by=staff)  # fmt: skip


def _referral(staff: Staff, person: Person, to: str, sent: datetime, problems: list[str]) -> None:
    base = Consultation.objects.create(
        agency=Agency.objects.get(code="lsc-16"), received_by=staff, received_on=sent.date(),
        status=ConsultationStatus.RECORDED, person=person, problems=problems,
        main_problem=problems[0],
    )  # fmt: skip
    Referral.objects.create(
        consultation=base, person=person, from_agency=base.agency,
        to_agency=Agency.objects.get(code=to), sent_by=staff, sent_at=sent,
        due_at=sent + timedelta(days=5), summary="つなぎ",
    )  # fmt: skip


@pytest.fixture
def year(personas: dict[str, Staff], ward: dict[str, Any]) -> dict[str, Any]:
    """FY2026: two alerts issued (one on 2026-04-01), one withdrawn; one in FY2025 and
    one on 2027-04-01 (FY2027). Reports: 12 + 5 in FY2026, 7 in FY2025, 30 on the
    withdrawn one. Visits met: the man alone (2026-05-10), the case member by someone
    else (2027-03-31); the outreach man met in FY2027. Referrals to the consumer
    centre with 消費者被害: 2 in FY2026, 1 in FY2025; and one to the centre without
    the area, one with the area to another agency."""
    staff = personas["consumer"]
    before = _issue(staff, at(2026, 3, 20), title="前年度")
    first = _issue(staff, at(2026, 4, 1))
    second = _issue(staff, at(2026, 10, 1), title="点検商法", kind="inspection", areas=["豊洲"])
    wrong = _issue(staff, at(2026, 11, 1), title="誤り")
    _issue(staff, at(2027, 4, 1), title="翌年度")
    with clock.frozen(at(2026, 11, 2)):
        withdraw_alert(staff, wrong, "誤って発信した")
    commissioner, toyosu = personas["commissioner"], personas["consultant.toyosu"]
    with clock.frozen(at(2026, 3, 25)):
        acknowledge(commissioner, commissioner_delivery(before, commissioner), 7)
    with clock.frozen(at(2026, 4, 3)):
        acknowledge(commissioner, commissioner_delivery(first, commissioner), 12)
    with clock.frozen(at(2026, 10, 5)):
        acknowledge(toyosu, commissioner_delivery(second, toyosu), 5)
    with clock.frozen(at(2026, 11, 5)):
        acknowledge(commissioner, commissioner_delivery(wrong, commissioner), 30)
    tasks = {v.person_id: v for v in VisitTask.objects.filter(alert_id=first)}
    outreach = personas["outreach"]
    _met(tasks[ward["alone"].pk], date(2026, 4, 20), outreach, "no_answer")
    _met(tasks[ward["alone"].pk], date(2026, 5, 10), outreach)
    _met(tasks[ward["on_case"].pk], date(2027, 3, 31), outreach, "met_other")
    _met(tasks[ward["on_outreach"].pk], date(2027, 4, 2), outreach)
    elderly = personas["consultant.elderly"]
    _referral(elderly, ward["alone"], "dept-16", at(2026, 6, 1), ["consumer_damage"])
    _referral(elderly, ward["husband"], "dept-16", at(2027, 3, 31), ["care", "consumer_damage"])
    _referral(elderly, ward["wife"], "dept-16", at(2026, 3, 31), ["consumer_damage"])
    _referral(elderly, ward["young"], "dept-16", at(2026, 7, 1), ["debt"])
    _referral(elderly, ward["outside"], "srs-01", at(2026, 7, 1), ["consumer_damage", "debt"])
    return {"first": first, "second": second}


def commissioner_delivery(alert_id: int, staff: Staff) -> int:
    from tsunagari.consumer.models import Delivery

    return Delivery.objects.get(alert_id=alert_id, agency_id=staff.agency_id).pk


def test_alerts_issued_count_the_year_of_the_issue_date_without_withdrawn_ones(
    year: dict[str, Any],
) -> None:
    measure = indicators.alerts_issued(FY)
    assert measure.value == 2
    assert {pk for _t, pk in measure.records} == {str(year["first"]), str(year["second"])}
    assert indicators.alerts_issued(FiscalYear(2025)).value == 1
    assert indicators.alerts_issued(FiscalYear(2027)).value == 1


def test_people_reached_add_the_networks_counts_and_the_visits_met(year: dict[str, Any]) -> None:
    # 12 + 5 reported in FY2026 (not the 30 on the withdrawn alert), 2 visits met
    assert indicators.spoken_to(FY) == 17
    assert len(indicators.visits_met(FY)) == 2
    assert indicators.people_reached(FY).value == 19
    assert indicators.people_reached(FiscalYear(2025)).value == 7
    assert indicators.people_reached(FiscalYear(2027)).value == 1


def test_referrals_count_only_consumer_damage_sent_to_the_centre(year: dict[str, Any]) -> None:
    assert indicators.centre_referrals(FY).value == 2
    assert indicators.centre_referrals(FiscalYear(2025)).value == 1


def test_the_plans_command_computes_the_three_counts(
    year: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.SMALL_CELL_MIN = 1
    load_plans()
    codes = {i.code for i in registry.indicators() if i.direction == "6-2"}
    assert {"6-2.consumer_alerts_issued", "6-2.consumer_people_reached",
            "6-2.consumer_centre_referrals"} <= codes  # fmt: skip
    with clock.frozen(at(2027, 6, 1)):
        call_command("indicators", "--fiscal-year", "2026", "--out", str(tmp_path),
                     stdout=io.StringIO())  # fmt: skip
    raw = (tmp_path / "directions.csv").read_bytes().decode("utf-8-sig")
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(raw))}
    assert rows["消費者被害の注意情報の発信件数"]["value"] == "2"
    assert rows["注意情報を直接伝えた住民の数"]["value"] == "19"
    assert rows["相談窓口から消費者センターへつないだ件数"]["value"] == "2"
