"""The community actions: who may act, what they refuse, what they write."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from tests.community.conftest import activity_input
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.community.models import Activity, Session, SessionStatus
from tsunagari.community.services import (
    AttendanceInput,
    CommunityError,
    cancel_session,
    create_activity,
    plan_sessions,
    record_attendance,
    update_activity,
)
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 10, 20, 10, tzinfo=JST)


def attendance(total: int = 12, first: int = 2, support: int = 3, **bands: int) -> AttendanceInput:
    counts = {"age_under_18": 0, "age_18_64": 2, "age_65_74": 4, "age_75_plus": 6, "age_unknown": 0}
    counts.update(bands)
    return AttendanceInput(total=total, first_timers=first, bands=dict(counts),
                           with_support=support, volunteers=4)  # fmt: skip


@pytest.fixture
def session(activity: Activity, personas: dict[str, Staff]) -> Session:
    with clock.frozen(NOW):
        return plan_sessions(personas["community"], activity.pk, ["2026-10-14"], starts_at="14:00",
                             ends_at="16:00")[0]  # fmt: skip


def test_it_registers_an_activity_at_a_place_of_the_directory_with_its_town(
    activity: Activity,
) -> None:
    assert activity.town == "亀戸" and activity.volunteers == 6
    event = DomainEvent.objects.get(kind=EventKind.COMMUNITY_ACTIVITY_CHANGED)
    assert event.object_id == str(activity.pk) and event.data["change"] == "created"
    assert AuditEvent.objects.filter(object_type="community.activity", action="create").exists()


def test_it_refuses_staff_without_the_community_role(
    directory: dict[str, Any], personas: dict[str, Staff]
) -> None:
    for username in ("consultant.elderly", "council", "outsider"):
        with pytest.raises(PermissionDenied):
            create_activity(personas[username], activity_input(directory))
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"title": "  "}, "title", "入力"),
        ({"kind": "party"}, "kind", "定期的な活動"),
        ({"location": ""}, "location", "選んで"),
        ({"location": "loc-nowhere"}, "location", "地域資源にありません"),
        ({"location": "loc-s1", "service": ""}, "location", "公開しない"),
        ({"location": "loc-o1"}, "service", "選んだ場所で行われていません"),
        ({"organization": "org-x"}, "organization", "団体"),
        ({"volunteers": "-1"}, "volunteers", "マイナス"),
        ({"volunteers": "1000"}, "volunteers", "超えています"),
        ({"volunteers": "六"}, "volunteers", "半角の数字"),
        ({"started_on": "2026-13-01"}, "started_on", "2026-04-01 の形"),
    ],
)
def test_it_says_what_to_fix_in_an_activity_and_writes_nothing(
    directory: dict[str, Any], personas: dict[str, Staff], overrides: dict[str, str], field: str,
    words: str,
) -> None:  # fmt: skip
    with pytest.raises(CommunityError) as refused:
        create_activity(personas["community"], activity_input(directory, **overrides))
    assert words in refused.value.errors[field]
    assert not Activity.objects.exists() and not DomainEvent.objects.exists()


def test_it_refuses_an_edit_saved_against_an_older_version(
    activity: Activity, directory: dict[str, Any], personas: dict[str, Staff]
) -> None:
    staff = personas["community"]
    changed = update_activity(
        staff, activity.pk, activity_input(directory, volunteers=8), version=1
    )
    assert changed.version == 2 and changed.volunteers == 8
    event = DomainEvent.objects.filter(kind=EventKind.COMMUNITY_ACTIVITY_CHANGED).latest("pk")
    assert event.data["fields"] == ["volunteers"]
    with pytest.raises(CommunityError) as refused:
        update_activity(staff, activity.pk, activity_input(directory, volunteers=9), version=1)
    assert "先に保存" in refused.value.errors["version"]
    assert Activity.objects.get().volunteers == 8


def test_it_records_attendance_as_counts_with_an_event(
    session: Session, personas: dict[str, Staff]
) -> None:
    with clock.frozen(NOW):
        done = record_attendance(personas["community"], session.pk, attendance())
    assert done.status == SessionStatus.HELD and done.total == 12 and done.without_support == 9
    event = DomainEvent.objects.get(kind=EventKind.COMMUNITY_ATTENDANCE_RECORDED)
    assert event.data == {"session": session.pk, "on": "2026-10-14", "total": 12, "first_timers": 2}
    assert event.person_id is None and event.at == NOW


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (attendance(first=13), "first_timers", "超えています"),
        (attendance(support=20), "with_support", "超えています"),
        (attendance(age_unknown=1), "bands", "合いません"),
        (attendance(total=11), "bands", "合いません"),
        (attendance(first=-1), "first_timers", "マイナス"),
        (attendance(total=5000), "total", "超えています"),
        (attendance(age_75_plus="x"), "age_75_plus", "半角の数字"),  # type: ignore[arg-type]
    ],
)
def test_it_refuses_counts_that_do_not_agree(
    session: Session, personas: dict[str, Staff], data: AttendanceInput, field: str, words: str
) -> None:
    with clock.frozen(NOW), pytest.raises(CommunityError) as refused:
        record_attendance(personas["community"], session.pk, data)
    assert words in refused.value.errors[field]
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED and session.total == 0
    assert not DomainEvent.objects.filter(kind=EventKind.COMMUNITY_ATTENDANCE_RECORDED).exists()


def test_the_database_refuses_first_timers_above_the_total_too(session: Session) -> None:
    session.total, session.first_timers = 3, 4
    with pytest.raises(IntegrityError):
        session.save()


def test_it_refuses_attendance_before_the_day_and_for_a_cancelled_session(
    session: Session, personas: dict[str, Staff]
) -> None:
    staff = personas["community"]
    with (
        clock.frozen(datetime(2026, 10, 13, 10, tzinfo=JST)),
        pytest.raises(CommunityError) as early,
    ):
        record_attendance(staff, session.pk, attendance())
    assert "まだ開催日" in early.value.errors["session"]
    with clock.frozen(NOW):
        cancel_session(staff, session.pk)
        with pytest.raises(CommunityError) as cancelled:
            record_attendance(staff, session.pk, attendance())
    assert "中止" in cancelled.value.errors["session"]


def test_it_plans_sessions_once_and_within_a_year(
    activity: Activity, personas: dict[str, Staff]
) -> None:
    staff = personas["community"]
    with clock.frozen(NOW):
        planned = plan_sessions(staff, activity.pk, ["2026-11-04", "2026-11-11"], starts_at="14:00")
        assert [s.on for s in planned] == [date(2026, 11, 4), date(2026, 11, 11)]
        with pytest.raises(CommunityError) as twice:
            plan_sessions(staff, activity.pk, ["2026-11-04"], starts_at="14:00")
        assert "すでに登録" in twice.value.errors["on"]
        far = (NOW.date() + timedelta(days=400)).isoformat()
        with pytest.raises(CommunityError) as too_far:
            plan_sessions(staff, activity.pk, [far])
        assert "1年先" in too_far.value.errors["on"]
        with pytest.raises(CommunityError) as backwards:
            plan_sessions(staff, activity.pk, ["2026-12-01"], starts_at="16:00", ends_at="14:00")
        assert "後に" in backwards.value.errors["ends_at"]
    assert Session.objects.count() == 2
