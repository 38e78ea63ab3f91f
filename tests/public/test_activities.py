"""Residents' page of upcoming activities: the next 30 days, public ones only,
no sign-in, in the three variants."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.community.conftest import place, service_at
from tsunagari.community.services import ActivityInput, create_activity, plan_sessions
from tsunagari.community.upcoming import day_label
from tsunagari.lib import clock
from tsunagari.resources.models import Address, Location

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 3, 9, tzinfo=JST)


def activity(title: str, location: Location, *, days: list[str], public: bool = True,
             service: str = "", status: str = "active") -> None:  # fmt: skip
    made = create_activity(None, ActivityInput(title=title, kind="regular", location=location.id,
                                               service=service, is_public=public,
                                               started_on="2026-04-01",
                                               schedule_note="毎週金曜"))  # fmt: skip
    plan_sessions(None, made.pk, days, starts_at="14:00", ends_at="16:00")
    if status != "active":
        made.status = status
        made.save(update_fields=["status"])


@pytest.fixture
def listed(db: None) -> dict[str, Any]:
    kameido = place("k1", "亀戸")
    Address.objects.create(id="adr-k1", location_id=kameido.id, address_1="亀戸一丁目1-1",
                           city="江東区", state_province="東京都", postal_code="136-0071",
                           country="JP", address_type="physical")  # fmt: skip
    salon = service_at("k1", kameido)
    oshima = place("o1", "大島")
    with clock.frozen(NOW):
        activity("亀戸ふれあいサロン", kameido, days=["2026-12-05", "2026-12-03"], service=salon.id)
        activity("大島の体操", oshima, days=["2027-01-01", "2027-01-02"])  # day 30 and day 31
        activity("職員の打ち合わせ", kameido, days=["2026-12-04"], public=False)
        activity("休止中のカフェ", oshima, days=["2026-12-06"], status="paused")
        activity("昨日の会", oshima, days=["2026-12-02"])
    return {"kameido": kameido, "oshima": oshima}


def get(path: str) -> str:
    with clock.frozen(NOW):
        response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_the_next_30_days_of_public_activities_without_sign_in(
    listed: dict[str, Any],
) -> None:
    body = get("/public/katsudo/")
    assert "これからの地域の活動" in body
    assert "亀戸ふれあいサロン" in body and "大島の体操" in body
    assert "12月3日（木）" in body and "12月5日（土）" in body and "1月1日（金）" in body
    assert "1月2日" not in body  # 31 days ahead
    for hidden in ("職員の打ち合わせ", "休止中のカフェ", "昨日の会"):
        assert hidden not in body
    assert "14:00〜16:00" in body and "亀戸一丁目1-1" in body
    assert body.index("12月3日") < body.index("12月5日") < body.index("1月1日")
    assert 'href="/public/basho/svc-k1/"' in body


def test_a_place_made_confidential_leaves_the_list(listed: dict[str, Any]) -> None:
    Location.objects.filter(id="loc-k1").update(x_confidential=True)
    body = get("/public/katsudo/")
    assert "亀戸ふれあいサロン" not in body and "亀戸一丁目1-1" not in body
    assert "大島の体操" in body


def test_it_filters_by_town(listed: dict[str, Any]) -> None:
    body = get("/public/katsudo/?town=大島")
    assert "大島の体操" in body and "亀戸ふれあいサロン" not in body
    # an unknown town is ignored, not an error
    assert "亀戸ふれあいサロン" in get("/public/katsudo/?town=<script>")


def test_it_speaks_easy_japanese_and_english(listed: dict[str, Any]) -> None:
    assert "これから ある ちいきの あつまり" in get("/public/katsudo/?yasashii=1")
    english = get("/public/katsudo/?lang=en&yasashii=0")
    assert "Upcoming local activities" in english and "Thu 3 Dec" in english
    assert day_label(NOW.date(), "easy") == "12がつ 3にち（もく）"


def test_an_empty_month_says_so(db: None) -> None:
    assert "この期間に予定されている活動はありません。" in get("/public/katsudo/")
