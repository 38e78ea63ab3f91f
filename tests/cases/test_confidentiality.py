"""Under 支援会議, each worker confirms the duty of confidentiality before the
case opens to them (社会福祉法第106条の6第6項): once, per worker."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.cases.conftest import consent_for, meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.cases.access import CONFIRM_FIRST, needs_confirmation
from tsunagari.cases.models import Case, ConfidentialityConfirmation, Regime
from tsunagari.cases.services import CaseError, confirm_confidentiality, move_stage
from tsunagari.events.models import DomainEvent, EventKind

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16", "cfc-03")


@pytest.fixture
def sm_case(ward: dict[str, Any], personas: dict[str, Staff]) -> Case:
    meeting_for(ward, personas, list(TEAM))
    return open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)


def test_a_member_sees_only_the_confirmation_step_until_they_confirm(
    ward: dict[str, Any], sm_case: Case, client_for: Clients, personas: dict[str, Staff]
) -> None:
    client = client_for("consultant.elderly")
    # before confirming: the duty, and nothing of the persons, on the page, the list and the API
    page = client.get(f"/cases/{sm_case.pk}/").content.decode()
    assert "守秘義務を確認して事例を開く" in page and "第106条の6" in page
    assert "高橋　ふみ" not in page and "高橋　健二" not in page and 'id="timeline"' not in page
    listing = client.get("/cases/").content.decode()
    assert f"/cases/{sm_case.pk}/" in listing and "守秘義務の確認が必要" in listing
    assert "高橋　ふみ" not in listing
    api = client.get(f"/api/cases/{sm_case.pk}")
    assert api.status_code == 403 and api.json()["detail"] == str(CONFIRM_FIRST)
    summary = next(c for c in client.get("/api/cases").json() if c["id"] == sm_case.pk)
    assert summary["person"] is None and summary["confidentiality_confirmed"] is False
    # the step itself is audited as a view of the case
    assert AuditEvent.objects.filter(actor_id=personas["consultant.elderly"].pk, action="view",
                                     object_type="cases.case", reason="case confidentiality step").exists()  # fmt: skip
    # when they confirm
    response = client.post(f"/cases/{sm_case.pk}/confidentiality/")
    assert response.status_code == 302
    page = client.get(f"/cases/{sm_case.pk}/").content.decode()
    assert "高橋　ふみ" in page and 'id="timeline"' in page
    assert "守秘義務の確認" in page  # the event is on the case's timeline
    api = json.dumps(client.get(f"/api/cases/{sm_case.pk}").json(), ensure_ascii=False)
    assert "高橋　ふみ" in api


def test_it_is_recorded_once_per_worker_evented_and_audited(
    ward: dict[str, Any], sm_case: Case, personas: dict[str, Staff]
) -> None:
    worker = personas["consultant.elderly"]
    first = confirm_confidentiality(worker, sm_case.pk)
    again = confirm_confidentiality(worker, sm_case.pk)
    assert first.pk == again.pk and first.agency_id == worker.agency_id
    assert first.support_meeting_id == sm_case.support_meeting_id
    events = DomainEvent.objects.filter(kind=EventKind.CASE_CONFIDENTIALITY_CONFIRMED,
                                        object_id=str(sm_case.pk), actor=worker)  # fmt: skip
    # one event for each person the case concerns, written once
    assert set(events.values_list("person_id", flat=True)) == {ward["mother"].pk, ward["son"].pk}
    assert events.count() == 2
    assert AuditEvent.objects.filter(actor_id=worker.pk, action="create",
                                     reason="case confidentiality confirmed").count() == 1  # fmt: skip


def test_a_colleague_of_a_worker_who_confirmed_must_confirm_too(
    ward: dict[str, Any], sm_case: Case, personas: dict[str, Staff]
) -> None:
    # the duty binds each person (art. 106-6(6)), so the agency's confirmation is not enough
    colleague = Staff.objects.create(username="elderly.two", display_name="包括 二",
                                     agency=personas["consultant.elderly"].agency,
                                     roles=personas["consultant.elderly"].roles)  # fmt: skip
    confirm_confidentiality(personas["consultant.elderly"], sm_case.pk)
    assert not needs_confirmation(personas["consultant.elderly"], sm_case)
    assert needs_confirmation(colleague, sm_case)


def test_the_opener_confirms_by_opening_and_others_cannot_work_before(
    ward: dict[str, Any], sm_case: Case, personas: dict[str, Staff]
) -> None:
    # the coordinator who opened the case under 支援会議 confirmed on the opening form
    assert not needs_confirmation(personas["coordinator"], sm_case)
    move_stage(personas["coordinator"], sm_case.pk, "assessment")
    # another coordinator of a member agency may not work on it before confirming
    srs = ward["srs_coordinator"]
    with pytest.raises(PermissionDenied) as exc:
        move_stage(srs, sm_case.pk, "plan")
    assert str(exc.value) == str(CONFIRM_FIRST)
    confirm_confidentiality(srs, sm_case.pk)
    move_stage(srs, sm_case.pk, "plan")


def test_it_is_asked_only_under_the_support_meeting(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    consent_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.LAYERED, TEAM)
    assert not needs_confirmation(personas["consultant.elderly"], case)
    with pytest.raises(CaseError):
        confirm_confidentiality(personas["consultant.elderly"], case.pk)
    assert not ConfidentialityConfirmation.objects.exists()


def test_an_agency_off_the_team_cannot_confirm_its_way_in(
    sm_case: Case, personas: dict[str, Staff]
) -> None:
    with pytest.raises(PermissionDenied):
        confirm_confidentiality(personas["consultant.disability"], sm_case.pk)
    assert not ConfidentialityConfirmation.objects.filter(
        staff=personas["consultant.disability"]).exists()  # fmt: skip
