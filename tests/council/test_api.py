"""Council API: same policy as the pages; metadata only for documents."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tsunagari.council.models import ActionItem, Meeting


def test_it_returns_a_meeting_with_its_agenda_minutes_and_actions(
    client_for: Callable[[str], Client], meeting: Meeting, actions: dict[str, ActionItem]
) -> None:
    # given a meeting with minutes and two actions
    # when a council member reads it through the API
    body = client_for("council").get(f"/api/council/meetings/{meeting.pk}").json()
    # then the agenda is a list, the minutes are there, and the overdue flag is set
    assert body["agenda"] == ["調査結果の報告", "居場所マップ"]
    assert body["minutes"] == "調査結果を共有した。"
    assert {a["title"]: a["overdue"] for a in body["actions"]} == {
        "居場所マップの原案": True,
        "商店会の休憩所を載せる": False,
    }


def test_it_lists_members_with_their_sector(
    client_for: Callable[[str], Client], meeting: Meeting
) -> None:
    # given three members
    # when the list is read
    body = client_for("community").get("/api/council/organisations").json()
    # then each has its sector label
    assert {o["name"]: o["sector_label"] for o in body}["豊洲商店会"] == "企業・商店・協同組合"


def test_it_refuses_the_outsider(client_for: Callable[[str], Client], meeting: Meeting) -> None:
    # given the outsider
    # when they call the council API
    response = client_for("outsider").get("/api/council/meetings")
    # then they are refused with a reason
    assert response.status_code == 403
    assert response.json()["detail"]
