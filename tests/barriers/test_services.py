"""Barrier reports' actions: a resident's report (checked, rate-limited, with
a short reference), the desk's steps in their order, each a named event and
an audit record, and the reporter's look-up that never shows the contact."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.barriers import services
from tsunagari.barriers.models import BarrierReport, BarrierStatus
from tsunagari.barriers.services import (
    BarrierError,
    assign_barrier,
    change_barrier_status,
    look_up,
    public_places,
    report_barrier,
)
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.resources.models import Location


def _street(**kw: str) -> BarrierReport:
    values = {"where": "street", "town": "北砂", "description": "歩道の段差で車いすが通れません。"}
    return report_barrier(**(values | kw))  # type: ignore[arg-type]


def test_it_takes_a_street_report_and_returns_a_short_reference(db: None) -> None:
    report = _street(contact="taro@example.jp")
    assert report.reference.startswith("BR-") and len(report.reference) == 9
    assert report.status == BarrierStatus.RECEIVED
    event = DomainEvent.objects.get(kind=EventKind.BARRIER_REPORTED)
    assert event.object_id == str(report.pk) and event.data["town"] == "北砂"
    # the event holds no free text and no contact
    assert "taro" not in str(event.data) and "段差" not in str(event.data)
    assert AuditEvent.objects.filter(object_type="barriers.report", action="create").exists()


def test_it_takes_a_place_from_the_directory_with_its_town(directory: int) -> None:
    place = public_places().first()
    assert place is not None
    report = report_barrier(
        where="place", location_id=place.id, description="入口のスロープに物が置かれています。"
    )
    assert report.location_id == place.id and report.town == place.x_town
    assert report.place_name == place.name


def test_it_refuses_a_confidential_place(directory: int) -> None:
    shelter = Location.objects.filter(x_confidential=True).first()
    assert shelter is not None
    with pytest.raises(BarrierError) as err:
        report_barrier(where="place", location_id=shelter.id, description="入口に段差があります。")
    assert err.value.codes["location_id"] == "place"
    assert not BarrierReport.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"where": "roof"}, "where", "where"),
        ({"town": "渋谷"}, "town", "town"),
        ({"description": "段差"}, "description", "description_short"),
        ({"description": "あ" * 2001}, "description", "description_long"),
        ({"description": "\x00\x01\x02  \u202e"}, "description", "description_short"),
        ({"contact": "<script>alert(1)</script>"}, "contact", "contact"),
        ({"contact": "a" * 190 + "@example.jp"}, "contact", "contact"),
    ],
)
def test_it_says_what_to_fix_in_bad_or_hostile_input(
    db: None, kw: dict[str, str], field: str, code: str
) -> None:
    with pytest.raises(BarrierError) as err:
        _street(**kw)
    assert err.value.codes[field] == code and err.value.errors[field]
    assert not BarrierReport.objects.exists()


def test_it_keeps_markup_as_text_and_drops_control_characters(db: None) -> None:
    report = _street(description="<b>段差</b>\x07があります\u202e。")
    assert report.description == "<b>段差</b>があります。"


def test_it_limits_reports_from_one_sender_per_hour(db: None) -> None:
    for _i in range(services.RATE_LIMIT):
        _street(sender="203.0.113.9")
    with pytest.raises(BarrierError) as err:
        _street(sender="203.0.113.9")
    assert err.value.codes["form"] == "rate"
    # another sender is not held back, and the first one is again an hour later
    _street(sender="203.0.113.10")
    with clock.frozen(clock.now() + timedelta(hours=1, minutes=1)):
        _street(sender="203.0.113.9")
    # the address itself is never stored
    assert not BarrierReport.objects.filter(client_key__contains="203.0.113").exists()


def test_it_draws_again_when_a_reference_is_taken(db: None) -> None:
    first = _street(rng=random.Random(1))  # type: ignore[arg-type]
    second = _street(rng=random.Random(1))  # type: ignore[arg-type]
    assert first.reference != second.reference


def test_it_moves_a_report_through_its_steps_with_named_events(
    personas: dict[str, Staff], db: None
) -> None:
    report = _street()
    staff = personas["community"]
    assign_barrier(report.pk, "roads", actor=staff, expected_status="received")
    change_barrier_status(report.pk, "in_progress", actor=staff, expected_status="assigned")
    change_barrier_status(
        report.pk,
        "resolved",
        actor=staff,
        expected_status="in_progress",
        public_answer="段差を直しました。",
        note="道路課の山田さんと確認",
    )
    report.refresh_from_db()
    assert report.status == "resolved" and report.closed_at is not None
    steps = DomainEvent.objects.filter(kind=EventKind.BARRIER_STATUS_CHANGED).order_by("pk")
    assert [(e.data["before"], e.data["after"]) for e in steps] == [
        ("received", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "resolved"),
    ]
    assert all(e.actor == staff for e in steps)
    assert "山田" not in str([e.data for e in steps])


def test_it_refuses_steps_out_of_order_and_closing_without_an_answer(
    personas: dict[str, Staff], db: None
) -> None:
    report = _street()
    staff = personas["community"]
    with pytest.raises(BarrierError):
        change_barrier_status(report.pk, "resolved", actor=staff, expected_status="received")
    with pytest.raises(BarrierError) as err:
        change_barrier_status(report.pk, "not_actionable", actor=staff, expected_status="received")
    assert "public_answer" in err.value.errors
    with pytest.raises(BarrierError):
        assign_barrier(report.pk, "mayor", actor=staff, expected_status="received")
    report.refresh_from_db()
    assert report.status == "received"


def test_it_refuses_a_step_over_someone_elses_newer_step(
    personas: dict[str, Staff], db: None
) -> None:
    report = _street()
    assign_barrier(report.pk, "roads", actor=personas["community"], expected_status="received")
    with pytest.raises(BarrierError) as err:
        assign_barrier(report.pk, "parks", actor=personas["admin"], expected_status="received")
    assert "status" in err.value.errors
    report.refresh_from_db()
    assert report.department == "roads"


def test_it_refuses_the_steps_to_staff_who_do_not_work_the_reports(
    personas: dict[str, Staff], db: None
) -> None:
    report = _street()
    with pytest.raises(PermissionDenied):
        assign_barrier(
            report.pk, "roads", actor=personas["consultant.self"], expected_status="received"
        )
    assert not DomainEvent.objects.filter(kind=EventKind.BARRIER_STATUS_CHANGED).exists()


def test_it_shows_the_reporter_status_and_answer_but_never_the_contact(
    personas: dict[str, Staff], db: None
) -> None:
    report = _street(contact="hanako@example.jp")
    change_barrier_status(
        report.pk,
        "not_actionable",
        actor=personas["community"],
        expected_status="received",
        public_answer="私有地のため対応できません。",
        note="内部メモ",
    )
    found = look_up(report.reference.lower().replace("br-", ""))
    assert found is not None and found.status == "not_actionable"
    assert found.public_answer == "私有地のため対応できません。"
    assert "hanako" not in str(found) and "内部メモ" not in str(found)
    assert look_up("BR-ZZZZZZ") is None and look_up("'; drop table") is None
