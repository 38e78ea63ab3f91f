"""Recording an awareness activity: the counts must agree, and say what to fix."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from tests.awareness.conftest import talk
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.awareness.models import Activity
from tsunagari.awareness.services import AwarenessError, correct_activity, record_activity
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 20, 19, tzinfo=JST)


def test_an_activity_is_recorded_with_its_event_and_audit(personas: dict[str, Staff]) -> None:
    with clock.frozen(NOW):
        activity = record_activity(personas["community"], talk())
    assert activity.participants == 30 and activity.age_65_plus == 20
    event = DomainEvent.objects.get(kind=EventKind.AWARENESS_RECORDED)
    assert event.data["participants"] == 30 and event.data["activity_kind"] == "lecture"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="awareness.activity",
                                     actor_username="community").exists()  # fmt: skip


@pytest.mark.parametrize("username", ["consultant.elderly", "council", "supervisor.elderly"])
def test_only_community_and_planning_staff_record(
    personas: dict[str, Staff], username: str
) -> None:
    with pytest.raises(PermissionDenied):
        record_activity(personas[username], talk())
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"bands": {"age_65_plus": -2, "age_18_64": 32}}, "age_65_plus", "マイナスの数は入力できません"),
    ({"bands": {"age_65_plus": "2.5", "age_18_64": 10}}, "age_65_plus", "半角の数字"),
    ({"participants": "三十"}, "participants", "半角の数字"),
    ({"bands": {"age_65_plus": 20, "age_18_64": 9}}, "bands", "年齢区分の合計（29人）が参加者数（30人）と合いません"),
    ({"participants": 0, "bands": {}}, "participants", "1人以上"),
    ({"understood": 25, "partly": 10}, "feedback", "感想の数の合計（35人）が参加者数（30人）を超えています"),
    ({"kind": "campaign", "participants": 0, "bands": {}}, "estimated_reach", "推計の到達数"),
    ({"estimated_reach": 500}, "estimated_reach", "キャンペーンのときだけ"),
    ({"themes": []}, "themes", "テーマを1つ以上"),
    ({"themes": ["astrology"]}, "themes", "一覧から"),
    ({"held_on": "2026-12-01"}, "held_on", "未来の日付"),
    ({"kind": "party"}, "kind", "種類を一覧から"),
])  # fmt: skip
def test_counts_that_do_not_agree_are_refused_with_what_to_fix(
    personas: dict[str, Staff], overrides: dict[str, object], field: str, message: str
) -> None:
    with clock.frozen(NOW), pytest.raises(AwarenessError) as caught:
        record_activity(personas["community"], talk(**overrides))
    assert message in caught.value.errors[field], caught.value.errors
    assert not Activity.objects.exists()


def test_a_campaign_counts_its_estimated_reach(personas: dict[str, Staff]) -> None:
    with clock.frozen(NOW):
        activity = record_activity(personas["planner"], talk(
            kind="campaign", participants=0, bands={}, estimated_reach="12000", town=""))  # fmt: skip
    assert activity.estimated_reach == 12000 and activity.participants == 0


def test_a_correction_is_refused_when_someone_saved_first(personas: dict[str, Staff]) -> None:
    with clock.frozen(NOW):
        activity = record_activity(personas["community"], talk())
        correct_activity(personas["planner"], activity.pk, talk(participants=31,
                         bands={"age_65_plus": 21, "age_18_64": 10}), version=1)  # fmt: skip
        with pytest.raises(AwarenessError, match="先に保存"):
            correct_activity(personas["community"], activity.pk, talk(), version=1)
    activity.refresh_from_db()
    assert activity.participants == 31 and activity.version == 2
    assert (
        DomainEvent.objects.filter(
            kind=EventKind.AWARENESS_RECORDED, data__change="corrected"
        ).count()
        == 1
    )
