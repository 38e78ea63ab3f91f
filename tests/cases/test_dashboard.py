"""The coordinator's dashboard: cases by stage and regime, overdue monitoring,
small cells suppressed in the table and the chart alike; the coordinating role only."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.cases.conftest import meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.cases.dashboard import dashboard
from tsunagari.cases.models import Regime

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16")


@pytest.fixture
def case(ward: dict[str, Any], personas: dict[str, Staff]) -> Any:
    meeting_for(ward, personas, list(TEAM))
    return open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)


def _chart(page: str) -> dict[str, Any]:
    found = re.search(
        r'<script id="stage-regime-data" type="application/json">(.*?)</script>', page
    )
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_one_case_is_a_small_cell_hidden_in_table_and_chart(
    case: Any, personas: dict[str, Staff], client_for: Clients
) -> None:
    d = dashboard(personas["coordinator"])
    intake = d.rows[0]
    assert intake[1] == [None, 0] and intake[2] is None and d.total is None
    page = client_for("coordinator").get("/cases/dashboard/")
    assert page.status_code == 200
    chart = _chart(page.content.decode())
    assert chart["series"][0]["values"][0] is None and chart["series"][1]["values"][0] == 0
    assert AuditEvent.objects.filter(object_type="cases.dashboard").exists()


@override_settings(SMALL_CELL_MIN=1)
def test_with_no_small_cell_limit_the_counts_show(
    case: Any, personas: dict[str, Staff], client_for: Clients
) -> None:
    d = dashboard(personas["coordinator"])
    assert d.rows[0][1] == [1, 0] and d.total == 1
    page = client_for("coordinator").get("/cases/dashboard/").content.decode()
    assert _chart(page)["series"][0]["values"][0] == 1
    # an agency not on the team counts nothing of it
    assert dashboard(personas["consultant.disability"]).total == 0


def test_only_the_coordinating_role_sees_the_dashboard(client_for: Clients) -> None:
    assert client_for("consultant.self").get("/cases/dashboard/").status_code == 403
    assert "/cases/dashboard/" not in client_for("consultant.self").get("/cases/").content.decode()
    assert "/cases/dashboard/" in client_for("coordinator").get("/cases/").content.decode()


@override_settings(SMALL_CELL_MIN=1, CASE_PLAN_WITHIN_WORKING_DAYS=20)
def test_it_counts_open_cases_without_an_agreed_plan_and_the_working_days_taken(
    case: Any, personas: dict[str, Staff], settings: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tsunagari.cases.models import Case, CaseState, PlanRevision, SupportPlan
    from tsunagari.consultations.limits import working_calendar
    from tsunagari.lib import clock

    coordinator = personas["coordinator"]
    opened = clock.now() - timedelta(days=60)  # about 40 working days ago
    Case.objects.filter(pk=case.pk).update(opened_at=opened)
    no_plan = "支援プランの合意がない事例"
    late = dict(dashboard(coordinator).overdue)
    assert [v for k, v in late.items() if no_plan in k] == [1]
    # the limit is the setting's: with a longer one the case is not late yet
    settings.CASE_PLAN_WITHIN_WORKING_DAYS = 100
    assert [v for k, v in dict(dashboard(coordinator).overdue).items() if no_plan in k] == [0]
    settings.CASE_PLAN_WITHIN_WORKING_DAYS = 20
    # a plan agreed ten days after opening: no longer late, and the days are counted
    agreed = opened + timedelta(days=10)
    plan = SupportPlan.objects.create(case_id=case.pk, version=1, agreed_version=1)
    PlanRevision.objects.create(plan=plan, number=1, saved_by=coordinator,
                                saved_agency=coordinator.agency, agreed_at=agreed)  # fmt: skip
    d = dashboard(coordinator)
    assert [v for k, v in dict(d.overdue).items() if no_plan in k] == [0]
    days = working_calendar().working_days_between(
        timezone.localdate(opened), timezone.localdate(agreed)
    )
    assert d.durations[0][1:] == (float(days), 1)
    assert d.durations[1][1:] == (None, None)  # none closed: nothing to show
    # closed thirty days after opening
    ended = opened + timedelta(days=30)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, ended_at=ended)
    days = working_calendar().working_days_between(
        timezone.localdate(opened), timezone.localdate(ended)
    )
    assert dashboard(coordinator).durations[1][1:] == (float(days), 1)


def test_a_median_of_fewer_cases_than_a_cell_may_hold_is_not_shown(
    case: Any, personas: dict[str, Staff]
) -> None:
    from tsunagari.cases.models import Case, CaseState

    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, ended_at=case.opened_at)
    assert all(row[1:] == (None, None) for row in dashboard(personas["coordinator"]).durations)
