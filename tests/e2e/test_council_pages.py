"""Browser test: the council's workspace pages pass axe-core and flag overdue actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tsunagari.council.models import Meeting


@pytest.fixture
def demo_council(personas: Any, settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    from tsunagari.council.demo import load_demo_council

    load_demo_council(3)


def test_it_shows_the_workspace_to_a_council_member_without_serious_axe_violations(
    page: Any, sign_in: Any, demo_council: None, axe_check: Any
) -> None:
    # given the demo council and the council persona
    sign_in(page, "council")
    # when they walk through the workspace
    page.goto("/council/")
    # then overdue actions are flagged and every page passes axe
    assert page.get_by_text("期限超過").first.is_visible()
    assert axe_check(page) == []
    meeting = Meeting.objects.filter(minutes__isnull=False).first()
    assert meeting is not None
    for url in (
        "/council/meetings/",
        f"/council/meetings/{meeting.pk}/",
        "/council/actions/",
        "/council/documents/",
        "/council/members/",
    ):
        page.goto(url)
        assert axe_check(page) == [], url


def test_it_lets_the_secretariat_write_minutes_in_the_browser(
    page: Any, sign_in: Any, demo_council: None, axe_check: Any
) -> None:
    # given the planner on an upcoming meeting's page
    meeting = Meeting.objects.filter(minutes__isnull=True).first()
    assert meeting is not None
    sign_in(page, "planner")
    page.goto(f"/council/meetings/{meeting.pk}/")
    assert axe_check(page) == []
    # when they write the minutes
    page.get_by_label("議事録を書く").fill("来年度の計画を確認した。")
    page.get_by_role("button", name="議事録を保存").click()
    # then the minutes show on the page
    page.get_by_text("来年度の計画を確認した。").first.wait_for()
