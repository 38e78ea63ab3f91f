"""Pages and API read the workspace lists through the same queries, with the same limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.council import services
from tsunagari.council.models import ActionItem, Meeting


@pytest.mark.parametrize(
    ("show", "query", "titles"),
    [
        ("open", "", {"居場所マップの原案", "商店会の休憩所を載せる"}),
        ("overdue", "?overdue=true", {"居場所マップの原案"}),
        ("all", "?include_done=true", {"居場所マップの原案", "商店会の休憩所を載せる", "済んだこと"}),
        ("no-such-list", "", {"居場所マップの原案", "商店会の休憩所を載せる"}),
    ],
)  # fmt: skip
def test_it_gives_the_page_and_the_api_the_same_action_list(
    client_for: Callable[[str], Client],
    personas: dict[str, Staff],
    actions: dict[str, ActionItem],
    meeting: Meeting,
    show: str,
    query: str,
    titles: set[str],
) -> None:
    # given two open actions and a done one
    done = services.add_action(personas["planner"], title="済んだこと", owner=actions["future"].owner,
                               due_on=timezone.localdate(), meeting=meeting)  # fmt: skip
    services.complete_action(personas["planner"], done)
    client = client_for("council")
    # when the page and the API are asked for the same list
    page = client.get(f"/council/actions/?show={show}")
    api = client.get(f"/api/council/actions{query}")
    # then both hold the same actions
    assert {a.title for a, _ in page.context["rows"]} == titles
    assert {a["title"] for a in api.json()} == titles


def test_it_cuts_every_list_at_the_same_length_on_pages_and_api(
    client_for: Callable[[str], Client],
    personas: dict[str, Staff],
    actions: dict[str, ActionItem],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a second meeting and lists limited to one row
    services.schedule_meeting(personas["planner"], held_on=timezone.localdate() + timedelta(days=7),
                              title="第2回 連携会議", agenda="")  # fmt: skip
    for name in ("MEETINGS_SHOWN", "ACTIONS_SHOWN", "DOCUMENTS_SHOWN"):
        monkeypatch.setattr(services, name, 1)
    client = client_for("council")
    # when / then
    assert len(client.get("/council/meetings/").context["meetings"]) == 1
    assert [m["title"] for m in client.get("/api/council/meetings").json()] == ["第2回 連携会議"]
    assert len(client.get("/council/actions/").context["rows"]) == 1
    assert len(client.get("/api/council/actions").json()) == 1


def test_it_shows_a_meeting_without_minutes_as_such_in_the_api(
    client_for: Callable[[str], Client], personas: dict[str, Staff], actions: dict[str, ActionItem]
) -> None:
    bare = services.schedule_meeting(personas["planner"], held_on=timezone.localdate(),
                                     title="臨時会議", agenda="")  # fmt: skip
    body = client_for("council").get(f"/api/council/meetings/{bare.pk}").json()
    assert body["minutes"] is None and body["has_minutes"] is False
    assert body["agenda"] == [] and body["actions"] == [] and body["documents"] == []
    listed = {
        m["title"]: m["has_minutes"]
        for m in client_for("council").get("/api/council/meetings").json()
    }
    assert listed == {"臨時会議": False, "第1回 連携会議": True}
