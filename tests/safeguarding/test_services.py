"""The report's steps, the clocks' escalation and the seal, through the actions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.safeguarding.conftest import (
    REPORTER_CONTACT,
    REPORTER_NAME,
    at,
    report_on,
    walk_to_decision,
)
from tsunagari.accounts.models import Staff
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.people.models import Person
from tsunagari.safeguarding.models import Escalation, ReporterIdentity, State
from tsunagari.safeguarding.services import (
    SafeguardingError,
    close_report,
    confirm_safety,
    escalate_overdue,
    identify_person,
    seal_address,
)


def test_it_walks_a_report_from_filing_to_closure_with_a_named_event_per_step(
    personas: dict[str, Staff], elder: Person
) -> None:
    report = report_on(personas["consultant.elderly"], elder)
    assert report.state == State.RECEIVED
    report = walk_to_decision(personas["safeguarding"], report)
    assert report.state == State.MONITORING and report.recognised is True
    close_report(personas["safeguarding"], report.pk, "resolved")
    kinds = list(DomainEvent.objects.filter(object_type="safeguarding.report",
                                            object_id=str(report.pk)).values_list("kind", flat=True))  # fmt: skip
    assert kinds == [EventKind.SAFEGUARDING_REPORTED, EventKind.SAFEGUARDING_SAFETY_CONFIRMED,
                     EventKind.SAFEGUARDING_FACTS_FOUND, EventKind.SAFEGUARDING_DECIDED,
                     EventKind.SAFEGUARDING_CLOSED]  # fmt: skip


def test_it_keeps_the_reporter_out_of_every_event(
    personas: dict[str, Staff], elder: Person
) -> None:
    report = walk_to_decision(personas["safeguarding"], report_on(personas["commissioner"], elder))
    assert ReporterIdentity.objects.get(report=report).name == REPORTER_NAME
    for event in DomainEvent.objects.filter(person=elder):
        text = str(event.data)
        assert REPORTER_NAME not in text and REPORTER_CONTACT not in text
        assert "neighbour" not in text and "reporter" not in text


def test_it_lets_only_the_designated_team_work_a_report(
    personas: dict[str, Staff], elder: Person
) -> None:
    report = report_on(personas["consultant.elderly"], elder)
    for name in ("consultant.elderly", "coordinator", "supervisor.elderly", "consultant.child"):
        with pytest.raises(PermissionDenied):
            confirm_safety(personas[name], report.pk, "見た")
    confirm_safety(personas["safeguarding"], report.pk, "見た")


def test_it_refuses_a_report_from_someone_who_does_not_work_with_people(
    personas: dict[str, Staff], elder: Person
) -> None:
    for name in ("council", "planner", "outsider"):
        with pytest.raises(PermissionDenied):
            report_on(personas[name], elder)


def test_it_hands_a_childs_report_over_at_once(personas: dict[str, Staff], elder: Person) -> None:
    with pytest.raises(SafeguardingError) as refused:
        report_on(personas["consultant.elderly"], elder, law="child")
    assert "hand_to" in refused.value.errors
    report = report_on(personas["consultant.elderly"], elder, law="child", hand_to="cfc-03")
    assert report.state == State.HANDED_OVER and report.handed_to.code == "cfc-03"  # type: ignore[union-attr]
    assert DomainEvent.objects.filter(kind=EventKind.SAFEGUARDING_HANDED_OVER,
                                      data__to="cfc-03").count() == 1  # fmt: skip


def test_it_escalates_an_overrun_safety_clock_on_the_wall_clock_over_a_holiday_weekend(
    personas: dict[str, Staff], elder: Person, settings: Any
) -> None:
    settings.SAFEGUARDING_SAFETY_HOURS = 48
    # Friday 2027-01-01 (元日) 18:00: a working-day clock would not even start till 1/4.
    with clock.frozen(at(2027, 1, 1, 18)):
        report = report_on(personas["consultant.elderly"], elder)
    with clock.frozen(at(2027, 1, 3, 17, 59)):  # Sunday, 47:59 later
        assert escalate_overdue() == []
    with clock.frozen(at(2027, 1, 3, 18, 1)):  # Sunday, 48:01 later
        made = escalate_overdue()
        assert [(e.report_id, e.clock) for e in made] == [(report.pk, "safety")]
        assert escalate_overdue() == []  # once
    events = DomainEvent.objects.filter(kind=EventKind.SAFEGUARDING_ESCALATED, person=elder)
    assert events.count() == 1 and events[0].data["clock"] == "safety"


def test_it_does_not_escalate_a_safety_confirmed_in_time(
    personas: dict[str, Staff], elder: Person
) -> None:
    with clock.frozen(at(2027, 1, 1, 18)):
        report = report_on(personas["consultant.elderly"], elder)
    with clock.frozen(at(2027, 1, 2, 9)):
        confirm_safety(personas["safeguarding"], report.pk, "訪問")
    with clock.frozen(at(2027, 1, 4, 9)):
        assert [e.clock for e in escalate_overdue()] == []
    assert not Escalation.objects.exists()


def test_it_reads_the_safety_hours_from_the_setting(
    personas: dict[str, Staff], elder: Person, settings: Any
) -> None:
    settings.SAFEGUARDING_SAFETY_HOURS = 24
    with clock.frozen(at(2027, 1, 1, 18)):
        report_on(personas["consultant.elderly"], elder)
    with clock.frozen(at(2027, 1, 2, 18, 1)):
        assert [e.clock for e in escalate_overdue()] == ["safety"]


def test_it_seals_the_address_through_the_people_edit_action(
    personas: dict[str, Staff], elder: Person
) -> None:
    report = report_on(personas["consultant.elderly"], elder, law="dv")
    with pytest.raises(PermissionDenied):
        seal_address(personas["consultant.elderly"], report.pk)
    seal_address(personas["safeguarding"], report.pk, "支援措置申出 受付済み")
    elder.refresh_from_db()
    assert elder.sealed
    assert DomainEvent.objects.filter(kind=EventKind.PERSON_CHANGED, person=elder,
                                      data__fields=["sealed"]).exists()  # fmt: skip


def test_it_escalates_from_the_command_once(personas: dict[str, Staff], elder: Person) -> None:
    from io import StringIO

    from django.core.management import call_command

    with clock.frozen(at(2027, 1, 1, 18)):
        report_on(personas["consultant.elderly"], elder)
    out = StringIO()
    with clock.frozen(at(2027, 1, 4, 9)):
        call_command("safeguarding", "clocks", stdout=out)
        call_command("safeguarding", "clocks", stdout=out)
    text = out.getvalue()
    assert "safety overdue" in text and "1 clock(s) escalated." in text
    assert "0 clock(s) escalated." in text


def test_it_escalates_a_monitoring_review_that_is_overdue(
    personas: dict[str, Staff], elder: Person, settings: Any
) -> None:
    from tsunagari.safeguarding.services import monitor

    settings.SAFEGUARDING_MONITORING_DAYS = 30
    team = personas["safeguarding"]
    with clock.frozen(at(2027, 1, 4, 9)):
        report = walk_to_decision(team, report_on(personas["consultant.elderly"], elder))
    with clock.frozen(at(2027, 1, 30, 9)):
        monitor(team, report.pk, "訪問")
    with clock.frozen(at(2027, 2, 28, 9)):  # 29 days after the review
        assert escalate_overdue() == []
    with clock.frozen(at(2027, 3, 2, 9)):
        assert [e.clock for e in escalate_overdue()] == ["monitoring"]


def test_it_opens_the_child_to_the_centre_it_was_handed_to(
    personas: dict[str, Staff], elder: Person
) -> None:
    from tsunagari.people.access import is_entitled

    assert not is_entitled(personas["consultant.child"], elder)
    report_on(personas["consultant.elderly"], elder, law="child", hand_to="cfc-03")
    assert is_entitled(personas["consultant.child"], elder)
    with pytest.raises(PermissionDenied):  # the centre works it under its own rules, not here
        confirm_safety(personas["consultant.child"], 1, "見た")


def test_identifying_the_person_of_a_report_is_an_event_of_its_own(
    personas: dict[str, Staff], elder: Person
) -> None:
    from tsunagari.safeguarding.services import ReportInput, file_report

    report = file_report(personas["commissioner"], ReportInput(
        law="elder_carer", subject_note="北砂の80代の女性", kinds=["physical"],
        summary="夜に大きな声と物音。", reporter_type="neighbour"))  # fmt: skip
    identify_person(personas["safeguarding"], report.pk, str(elder.pk))
    kinds = list(DomainEvent.objects.filter(object_type="safeguarding.report",
                                            object_id=str(report.pk)).values_list("kind", flat=True))  # fmt: skip
    assert kinds == [EventKind.SAFEGUARDING_REPORTED, EventKind.SAFEGUARDING_PERSON_IDENTIFIED]
    with pytest.raises(SafeguardingError):
        identify_person(personas["safeguarding"], report.pk, str(elder.pk))
