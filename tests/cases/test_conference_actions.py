"""Actions a case conference assigns to a team agency: they appear in that agency's
worklist (the case list's 「あなたの機関が担当する支援」), turn overdue on the
working-day calendar, and are completed by the agency or the coordinator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import TODAY, meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.cases.models import Case, Conference, ConferenceAction, Regime
from tsunagari.cases.services import (
    CaseError,
    ConferenceActionInput,
    ConferenceInput,
    TeamInput,
    add_conference_action,
    agency_actions,
    complete_conference_action,
    confirm_confidentiality,
    hold_conference,
    overdue_actions,
    record_conference_minutes,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock

TEAM = ("mac-01", "srs-01", "lsc-16")
Clients = Callable[[str], Client]


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


def working(days: int) -> date:
    return working_calendar().add_working_days(clock.today(), days)


@pytest.fixture
def held(ward: dict[str, Any], personas: dict[str, Staff]) -> Conference:
    meeting_for(ward, personas, [*TEAM, "dis-02"])
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)
    for name in ("consultant.elderly", "consultant.self"):
        confirm_confidentiality(personas[name], case.pk)
    return hold_conference(personas["coordinator"], case.pk, ConferenceInput(
        held_on=TODAY, agencies=[TeamInput(c, "役割") for c in TEAM], staff=["coordinator"],
        agenda="役割分担", minutes="状況を共有した。"))  # fmt: skip


def add(held: Conference, staff: Staff, agency: str = "lsc-16", due: date | None = None,
        title: str = "自宅を訪問する") -> ConferenceAction:  # fmt: skip
    due = due or working(5)
    return add_conference_action(staff, held.case_id, held.pk,
                                 ConferenceActionInput(title, agency, due.isoformat()))  # fmt: skip


def test_a_conference_action_appears_only_in_the_assigned_agencys_worklist(
    held: Conference, personas: dict[str, Staff]
) -> None:
    # given an action the conference assigned to lsc-16
    action = add(held, personas["coordinator"])
    # then lsc-16's worker has it in their worklist, not yet overdue
    rows = agency_actions(personas["consultant.elderly"])
    assert [(r.action, r.overdue_days) for r in rows] == [(action, 0)]
    # and srs-01's worker (on the same team) does not
    assert agency_actions(personas["consultant.self"]) == []
    # and the conference's event names the agency and the due date
    event = DomainEvent.objects.filter(kind=EventKind.CASE_CONFERENCE_ACTION_ADDED,
                                       data__action=action.pk).first()  # fmt: skip
    assert event is not None and event.data["agency"] == "lsc-16"


def test_a_conference_action_turns_overdue_on_the_working_day_calendar(
    held: Conference, personas: dict[str, Staff]
) -> None:
    # given an action due in five working days
    action = add(held, personas["coordinator"])
    # on the due date it is not overdue
    with clock.frozen(at(action.due_on)):
        assert overdue_actions(personas["coordinator"]) == []
    # two working days later it is, counted in working days, in both lists
    later = working_calendar().add_working_days(action.due_on, 2)
    with clock.frozen(at(later)):
        assert [(o.action, o.days) for o in overdue_actions(personas["coordinator"])] == [
            (action, 2)
        ]
        assert [r.overdue_days for r in agency_actions(personas["consultant.elderly"])] == [2]
        # when lsc-16's worker marks it done, it leaves both lists
        complete_conference_action(personas["consultant.elderly"], held.case_id, action.pk)
        assert overdue_actions(personas["coordinator"]) == []
        assert agency_actions(personas["consultant.elderly"]) == []
    action.refresh_from_db()
    assert action.done_on == later and action.status == "done"
    # and the case's record says so with its own event, not as a monitoring entry
    done = DomainEvent.objects.filter(kind=EventKind.CASE_CONFERENCE_ACTION_DONE)
    assert {e.data["conference_action"] for e in done} == {action.pk}
    monitored = DomainEvent.objects.filter(kind=EventKind.CASE_MONITORED)
    assert all(e.data.get("conference_action") != action.pk for e in monitored)


def test_only_the_coordinator_assigns_and_only_the_agency_or_coordinator_completes(
    held: Conference, personas: dict[str, Staff]
) -> None:
    # a team agency's worker cannot assign actions
    with pytest.raises(PermissionDenied):
        add(held, personas["consultant.elderly"])
    action = add(held, personas["coordinator"])
    # a worker of another team agency cannot complete lsc-16's action
    with pytest.raises(PermissionDenied):
        complete_conference_action(personas["consultant.self"], held.case_id, action.pk)
    action.refresh_from_db()
    assert action.status == "open"


def test_an_action_needs_a_team_agency_a_title_and_a_working_day(
    held: Conference, personas: dict[str, Staff]
) -> None:
    coordinator = personas["coordinator"]
    # an agency not on the team
    with pytest.raises(CaseError) as refused:
        add(held, coordinator, agency="dis-02")
    assert "agency" in refused.value.errors
    # a day the ward is closed
    closed = clock.today()
    while working_calendar().is_working_day(closed):
        closed = date.fromordinal(closed.toordinal() + 1)
    with pytest.raises(CaseError) as refused:
        add(held, coordinator, due=closed)
    assert "休みの日" in refused.value.errors["due_on"]
    # a date before the conference
    with pytest.raises(CaseError) as refused:
        add(held, coordinator, due=date.fromordinal(held.held_on.toordinal() - 1))
    assert "due_on" in refused.value.errors
    # no title
    with pytest.raises(CaseError) as refused:
        add(held, coordinator, title="  ")
    assert "title" in refused.value.errors
    assert ConferenceAction.objects.count() == 0


def test_the_pages_add_show_and_complete_a_conference_action(
    held: Conference, personas: dict[str, Staff], client_for: Clients
) -> None:
    case: Case = held.case
    base = f"/cases/{case.pk}/conferences/{held.pk}/"
    coordinator = client_for("coordinator")
    due = working(3)
    # the coordinator adds an action on the conference page
    response = coordinator.post(f"{base}actions/", {"title": "家計の相談につなぐ",
                                                    "agency": "srs-01", "due_on": due.isoformat()})  # fmt: skip
    assert response.status_code == 302
    action = ConferenceAction.objects.get()
    # a refused one comes back with the reason and what was typed
    response = coordinator.post(f"{base}actions/", {"title": "別の行動", "agency": "dis-02",
                                                    "due_on": due.isoformat()})  # fmt: skip
    assert response.status_code == 422 and "別の行動" in response.content.decode()
    # srs-01's worker sees it in their worklist, flagged in words once overdue
    worker = client_for("consultant.self")
    later = working_calendar().add_working_days(due, 1)
    with clock.frozen(at(later)):
        page = worker.get("/cases/").content.decode()
        assert "家計の相談につなぐ" in page and "期限切れ（1開庁日）" in page
        conference_page = worker.get(base).content.decode()
        assert "期限超過（1開庁日）" in conference_page
        # and completes it from the conference page
        done = worker.post(f"/cases/{case.pk}/conference-actions/{action.pk}/done/")
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_the_conference_api_lists_the_actions_and_the_minutes_version(
    held: Conference, personas: dict[str, Staff], client_for: Clients
) -> None:
    # given an action due in five working days and the minutes rewritten once
    action = add(held, personas["coordinator"])
    record_conference_minutes(personas["coordinator"], held.case_id, held.pk, "直した議事録",
                              version=1)  # fmt: skip
    client = client_for("coordinator")
    # when the API lists the case's conferences, two working days after the due date
    later = working_calendar().add_working_days(action.due_on, 2)
    with clock.frozen(at(later)):
        body = client.get(f"/api/cases/{held.case_id}/conferences").json()
    # then the minutes are the current text at version 2, and the action is overdue
    row = next(c for c in body if c["id"] == held.pk)
    assert (row["minutes"], row["minutes_version"]) == ("直した議事録", 2)
    minutes = DomainEvent.objects.filter(kind=EventKind.CASE_CONFERENCE_MINUTES)
    assert {e.data["minutes_version"] for e in minutes if e.data["conference"] == held.pk} == {2}
    assert row["actions"] == [{"id": action.pk, "title": "自宅を訪問する", "agency": "lsc-16",
                               "due_on": action.due_on.isoformat(), "status": "open",
                               "done_on": None, "overdue": True}]  # fmt: skip
    # and on the due date itself it is not
    with clock.frozen(at(action.due_on)):
        body = client.get(f"/api/cases/{held.case_id}/conferences").json()
    assert next(c for c in body if c["id"] == held.pk)["actions"][0]["overdue"] is False
