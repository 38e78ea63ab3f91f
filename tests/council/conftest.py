"""Fixtures for the council workspace tests: member organisations and a meeting."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tsunagari.accounts.models import Agency, Staff
from tsunagari.council import services
from tsunagari.council.models import ActionItem, Meeting, Organisation, Sector


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def members(personas: dict[str, Staff]) -> dict[str, Organisation]:
    """The ward office (public), the council persona's NPO, and a free-standing shop association."""
    planner = personas["planner"]
    return {
        "ward": services.add_organisation(
            planner,
            name="江東区 福祉課",
            sector=Sector.PUBLIC,
            agency=Agency.objects.get(code="dept-01"),
        ),
        "npo": services.add_organisation(
            planner,
            name="見守りネット江東",
            sector=Sector.NPO,
            agency=Agency.objects.get(code="npo-05"),
        ),
        "shops": services.add_organisation(planner, name="豊洲商店会", sector=Sector.BUSINESS),
    }


@pytest.fixture
def meeting(personas: dict[str, Staff], members: dict[str, Organisation]) -> Meeting:
    planner = personas["planner"]
    today = timezone.localdate()
    m = services.schedule_meeting(
        planner,
        held_on=today - timedelta(days=30),
        title="第1回 連携会議",
        agenda="調査結果の報告\n居場所マップ",
    )
    services.record_minutes(planner, m, "調査結果を共有した。")
    return m


@pytest.fixture
def actions(
    personas: dict[str, Staff], members: dict[str, Organisation], meeting: Meeting
) -> dict[str, ActionItem]:
    planner = personas["planner"]
    today = timezone.localdate()
    # Ten days back always spans a working day (年末年始 and a weekend close at most nine in a
    # row), so "overdue" holds on the working-day calendar whatever day the tests run.
    return {
        "overdue": services.add_action(planner, title="居場所マップの原案", owner=members["npo"], due_on=today - timedelta(days=10), meeting=meeting),
        "future": services.add_action(planner, title="商店会の休憩所を載せる", owner=members["shops"], due_on=today + timedelta(days=20), meeting=meeting),
    }  # fmt: skip
