"""Naming the workers on a case: the lead (主担当) and each team agency's worker,
each written as the named event CASE_WORKER_ASSIGNED."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.cases.conftest import meeting_for, open_for
from tsunagari.accounts.models import Agency, Role, Staff
from tsunagari.cases.models import Case, Regime
from tsunagari.cases.services import AssignInput, CaseError, EndInput, assign_worker, end_case
from tsunagari.events.models import DomainEvent, EventKind

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16", "cfc-03")


@pytest.fixture
def case(ward: dict[str, Any], personas: dict[str, Staff]) -> Case:
    meeting_for(ward, personas, list(TEAM))
    return open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)


def _assigned(case: Case) -> list[dict[str, Any]]:
    return [e.data for e in DomainEvent.objects.filter(
        kind=EventKind.CASE_WORKER_ASSIGNED, object_id=str(case.pk), person_id=case.person_id
    ).order_by("pk")]  # fmt: skip


def test_opening_names_the_lead_as_their_agencys_worker(case: Case) -> None:
    lead_row = case.team.get(agency__code="lsc-16")
    assert lead_row.worker == case.lead and case.team.get(agency__code="srs-01").worker is None
    assert _assigned(case) == [{"role": "lead", "agency": "lsc-16", "worker": "consultant.elderly"}]  # fmt: skip
    # and for every person the case concerns
    assert DomainEvent.objects.filter(kind=EventKind.CASE_WORKER_ASSIGNED).count() == 2


def test_the_coordinator_names_an_agencys_worker_and_changes_the_lead(
    case: Case, personas: dict[str, Staff]
) -> None:
    coordinator = personas["coordinator"]
    row = assign_worker(
        coordinator, case.pk, AssignInput(agency="srs-01", worker="consultant.self")
    )
    assert row.worker == personas["consultant.self"]
    case.refresh_from_db()
    assert case.lead == personas["consultant.elderly"]
    assert _assigned(case)[-1] == {"role": "agency", "agency": "srs-01",
                                   "worker": "consultant.self"}  # fmt: skip
    # making them the lead moves the lead (the former lead stays their agency's worker)
    assign_worker(coordinator, case.pk, AssignInput(agency="srs-01", worker="consultant.self",
                                                    lead=True))  # fmt: skip
    case.refresh_from_db()
    assert case.lead == personas["consultant.self"]
    assert case.team.get(agency__code="lsc-16").worker == personas["consultant.elderly"]
    assert _assigned(case)[-1]["role"] == "lead"
    assert _assigned(case)[-1]["before"] == "consultant.elderly"


def test_a_worker_must_be_of_that_agency_and_handle_personal_records(
    case: Case, personas: dict[str, Staff]
) -> None:
    coordinator = personas["coordinator"]
    with pytest.raises(CaseError) as refused:
        assign_worker(coordinator, case.pk, AssignInput(agency="srs-01", worker="consultant.child"))
    assert "生活サポートセンター" in refused.value.errors["worker"]
    with pytest.raises(CaseError) as refused:
        assign_worker(
            coordinator, case.pk, AssignInput(agency="dis-02", worker="consultant.disability")
        )
    assert "agency" in refused.value.errors
    Staff.objects.create(username="planner.srs", display_name="計画 生活",
                         agency=Agency.objects.get(code="srs-01"), roles=[Role.PLANNER])  # fmt: skip
    with pytest.raises(CaseError) as refused:
        assign_worker(coordinator, case.pk, AssignInput(agency="srs-01", worker="planner.srs"))
    assert "役割" in refused.value.errors["worker"]
    # only the coordinating role assigns, and not on an ended case
    with pytest.raises(PermissionDenied):
        assign_worker(personas["consultant.self"], case.pk,
                      AssignInput(agency="srs-01", worker="consultant.self"))  # fmt: skip
    end_case(coordinator, case.pk, EndInput(state="suspended", reason="no_contact"))
    with pytest.raises(CaseError):
        assign_worker(coordinator, case.pk, AssignInput(agency="srs-01", worker="consultant.self"))
    assert len(_assigned(case)) == 1


def test_the_case_page_assigns_a_worker_and_the_timeline_names_it(
    case: Case, client_for: Clients
) -> None:
    client = client_for("coordinator")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/workers/" in page
    response = client.post(f"/cases/{case.pk}/workers/", {"agency": "cfc-03",
                                                           "worker": "consultant.child"})  # fmt: skip
    assert response.status_code == 302
    assert case.team.get(agency__code="cfc-03").worker.username == "consultant.child"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "事例の担当者の指定（機関の担当者）" in page and "事例の担当者の指定（主担当）" in page


def test_the_api_assigns_under_the_same_rules(case: Case, client_for: Clients) -> None:
    body = json.dumps({"agency": "srs-01", "worker": "consultant.self"})
    refused = client_for("consultant.self").post(f"/api/cases/{case.pk}/workers", data=body,
                                                 content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    done = client_for("coordinator").post(f"/api/cases/{case.pk}/workers", data=body,
                                          content_type="application/json")  # fmt: skip
    assert done.status_code == 200
    assert {"agency": "srs-01", "worker": "consultant.self"}.items() <= next(
        t for t in done.json()["team"] if t["agency"] == "srs-01").items()  # fmt: skip
    wrong = json.dumps({"agency": "srs-01", "worker": "consultant.child"})
    assert client_for("coordinator").post(f"/api/cases/{case.pk}/workers", data=wrong,
                                          content_type="application/json").status_code == 422  # fmt: skip
