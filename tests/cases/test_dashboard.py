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
