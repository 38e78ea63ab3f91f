"""The community pages: who may open them, what they show, and the forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.community.conftest import residents
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.community.models import Activity, Session, SessionStatus
from tsunagari.community.services import AttendanceInput, plan_sessions, record_attendance
from tsunagari.lib import clock

JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def community(client_for: Callable[[str], Client]) -> Client:
    return client_for("community")


def test_it_registers_an_activity_from_the_form(
    directory: dict[str, Any], community: Client
) -> None:
    page = community.get("/community/new/")
    assert page.status_code == 200 and "亀戸の集会所k1" in page.content.decode()
    assert "北砂の集会所s1" not in page.content.decode()  # the shelter is never offered
    response = community.post("/community/new/", {
        "title": "亀戸ふれあいサロン", "kind": "regular", "location": "loc-k1", "service": "svc-k1",
        "organization": "org-1", "volunteers": "5", "started_on": "2025-04-01", "status": "active",
        "is_public": "1",
    })  # fmt: skip
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/community/{activity.pk}/"
    assert activity.is_public and activity.town == "亀戸"


def test_the_form_says_what_to_fix(directory: dict[str, Any], community: Client) -> None:
    response = community.post("/community/new/", {"title": "", "kind": "regular", "location": "",
                                                   "volunteers": "-2", "status": "active"})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 422 and not Activity.objects.exists()
    assert "場所を地域資源の一覧から選んでください" in body and "マイナス" in body


def test_it_plans_sessions_and_records_attendance_from_the_pages(
    activity: Activity, community: Client
) -> None:
    with clock.frozen(datetime(2026, 10, 20, 10, tzinfo=JST)):
        community.post(f"/community/{activity.pk}/sessions/",
                       {"days": "2026-10-14, 2026-10-28", "starts_at": "14:00"})  # fmt: skip
        past, future = list(Session.objects.order_by("on"))
        detail = community.get(f"/community/{activity.pk}/").content.decode()
        assert "2026-10-14 の人数を記録する" in detail and "2026-10-28 を中止にする" in detail
        form = community.get(f"/community/sessions/{past.pk}/")
        assert form.status_code == 200 and "年齢不明" in form.content.decode()
        wrong = community.post(f"/community/sessions/{past.pk}/", {
            "total": "10", "first_timers": "1", "with_support": "2", "volunteers": "4",
            "age_under_18": "0", "age_18_64": "2", "age_65_74": "3", "age_75_plus": "4",
            "age_unknown": "0",
        })  # fmt: skip
        assert wrong.status_code == 422 and "合いません" in wrong.content.decode()
        done = community.post(f"/community/sessions/{past.pk}/", {
            "total": "10", "first_timers": "1", "with_support": "2", "volunteers": "4",
            "age_under_18": "0", "age_18_64": "2", "age_65_74": "4", "age_75_plus": "4",
            "age_unknown": "0",
        })  # fmt: skip
        assert done.status_code == 302
    past.refresh_from_db()
    assert past.status == SessionStatus.HELD and past.total == 10 and past.age_65_74 == 4
    assert future.status == SessionStatus.PLANNED


@pytest.mark.parametrize("path", ["/community/", "/community/new/"])
def test_staff_without_the_community_role_are_refused_with_a_reason_and_audited(
    client_for: Callable[[str], Client], personas: dict[str, Staff], path: str
) -> None:
    response = client_for("consultant.elderly").get(path)
    assert response.status_code == 403 and "権限がありません" in response.content.decode()
    assert AuditEvent.objects.filter(action="denied", actor_username="consultant.elderly").exists()


def test_council_members_see_the_gap_and_counts_pages_but_not_the_activities(
    activity: Activity, client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    council = client_for("council")
    assert council.get("/community/gaps/").status_code == 200
    assert council.get("/community/counts/").status_code == 200
    assert council.get(f"/community/{activity.pk}/").status_code == 403
    assert client_for("outsider").get("/community/gaps/").status_code == 403
    assert AuditEvent.objects.filter(action="view", actor_username="council",
                                     reason="community gap table").exists()  # fmt: skip


def test_the_gap_page_states_its_method_and_hides_small_counts(
    directory: dict[str, Any], community: Client
) -> None:
    residents("亀戸", 12)
    residents("大島", 3)
    body = community.get("/community/gaps/").content.decode()
    assert "計算のしかた" in body and "並び順" in body
    assert "gap-chart-data" in body and "/static/community/community.js" in body
    # 大島's 3 is hidden, and 亀戸's 12 with it (the total 15 would give it away)
    cells = {town: re.findall(r"<td>([^<]*)</td>", row) for town, row in re.findall(
        r'<th scope="row">(\S+)</th>(.*?)</tr>', body, re.S)}  # fmt: skip
    assert cells["亀戸"][:3] == ["1", "0", "—"] and cells["大島"][:3] == ["0", "0", "—"]
    assert "65歳以上の人口（区全体）: 15" in body


def test_the_counts_page_shows_a_year_with_small_cells_hidden(
    activity: Activity, community: Client, personas: dict[str, Staff]
) -> None:
    staff = personas["community"]
    with clock.frozen(datetime(2026, 10, 20, 10, tzinfo=JST)):
        sessions = plan_sessions(staff, activity.pk, ["2026-10-06", "2026-10-13"])
        for s in sessions:
            record_attendance(staff, s.pk, AttendanceInput(
                total=10, first_timers=1, with_support=2,
                bands={"age_65_74": 4, "age_75_plus": 6}))  # fmt: skip
        body = community.get("/community/counts/?year=2026").content.decode()
    assert "2026年度" in body and "20人" in body  # 20 participants over two sessions
    # 2 first-timers is small: hidden, and no band of 8/12 is enough to undo it
    assert "<td>—</td>" in body and ">8<" in body and ">12<" in body
