"""The workspace pages: who may use them, and that they never show personal data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tsunagari.council.models import ActionItem, ActionStatus, Document, Meeting, Organisation

WORKSPACE = ["/council/", "/council/members/", "/council/meetings/", "/council/actions/", "/council/actions/?show=overdue", "/council/documents/"]  # fmt: skip
API = [
    "/api/council/organisations",
    "/api/council/meetings",
    "/api/council/actions",
    "/api/council/documents",
]
PERSONAL = ["/people/", "/consultations/", "/audit/"]


@pytest.mark.parametrize("who", ["council", "community", "planner", "admin"])
def test_it_opens_the_workspace_to_its_users(
    client_for: Callable[[str], Client], actions: dict[str, ActionItem], meeting: Meeting, who: str
) -> None:
    # given a council member, community staff, a planner or an administrator
    client = client_for(who)
    # when they open the workspace pages and API
    # then every one answers
    for url in [
        *WORKSPACE,
        f"/council/meetings/{meeting.pk}/",
        *API,
        f"/api/council/meetings/{meeting.pk}",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["outsider", "consultant.elderly", "disaster"])
def test_it_refuses_the_workspace_to_everyone_else(
    client_for: Callable[[str], Client], meeting: Meeting, who: str
) -> None:
    # given someone who is not in the council's workspace
    client = client_for(who)
    # when they open any workspace page or endpoint
    # then they are refused
    for url in [*WORKSPACE, f"/council/meetings/{meeting.pk}/", *API]:
        assert client.get(url).status_code == 403, url


def test_it_refuses_the_council_member_every_personal_data_page(
    client_for: Callable[[str], Client], personas: object
) -> None:
    # given the council persona and a resident in the registry
    from tsunagari.people.models import Person

    person = Person.objects.create(surname="江東", given_name="花子")
    client = client_for("council")
    pages = [
        *PERSONAL, "/people/new/", f"/people/{person.pk}/", f"/people/{person.pk}/export.csv",
        "/consultations/new/", "/consultations/needs/", "/api/people/search?q=江東",
        f"/api/people/{person.pk}",
    ]  # fmt: skip
    # when they open pages and endpoints that show persons
    # then each is refused
    for url in pages:
        assert client.get(url).status_code == 403, url


def test_it_flags_overdue_actions_on_the_workspace_home(
    client_for: Callable[[str], Client], actions: dict[str, ActionItem]
) -> None:
    # given one overdue action
    # when the workspace opens
    html = client_for("council").get("/council/").content.decode()
    # then the overdue count and flag show
    assert "期限超過" in html
    body = client_for("council").get("/api/council/actions?overdue=true").json()
    assert [a["title"] for a in body] == ["居場所マップの原案"]


def test_it_lets_a_member_complete_their_organisations_action_from_the_page(
    client_for: Callable[[str], Client], actions: dict[str, ActionItem]
) -> None:
    # given the NPO's overdue action and the council persona at the NPO
    item = actions["overdue"]
    # when they press 完了にする
    response = client_for("council").post(f"/council/actions/{item.pk}/done/")
    # then it is done
    item.refresh_from_db()
    assert response.status_code == 302 and item.status == ActionStatus.DONE


def test_it_lets_managers_schedule_meetings_record_minutes_and_add_actions(
    client_for: Callable[[str], Client], members: dict[str, Organisation]
) -> None:
    # given the planner
    client = client_for("planner")
    # when they schedule a meeting, write minutes and add an action
    response = client.post(
        "/council/meetings/new/",
        {"held_on": "2026-12-10", "title": "第5回", "agenda": "来年度計画"},
    )
    meeting = Meeting.objects.get(title="第5回")
    assert response.status_code == 302
    client.post(f"/council/meetings/{meeting.pk}/minutes/", {"text": "計画を確認した。"})
    client.post(
        f"/council/meetings/{meeting.pk}/actions/",
        {"title": "案を作る", "owner": members["shops"].pk, "due_on": "2027-01-31"},
    )
    # then all three are stored and shown on the meeting page
    html = client.get(f"/council/meetings/{meeting.pk}/").content.decode()
    assert "計画を確認した。" in html and "案を作る" in html and "来年度計画" in html


def test_it_refuses_members_the_secretariats_forms(
    client_for: Callable[[str], Client], meeting: Meeting, members: dict[str, Organisation]
) -> None:
    # given a council member
    client = client_for("council")
    # when they try to schedule, write minutes, add actions or members
    # then each is refused
    assert (
        client.post("/council/meetings/new/", {"held_on": "2026-12-10", "title": "x"}).status_code
        == 403
    )
    assert client.post(f"/council/meetings/{meeting.pk}/minutes/", {"text": "x"}).status_code == 403
    assert (
        client.post(
            f"/council/meetings/{meeting.pk}/actions/",
            {"title": "x", "owner": members["npo"].pk, "due_on": "2027-01-01"},
        ).status_code
        == 403
    )
    assert client.post("/council/members/", {"name": "x", "sector": "npo"}).status_code == 403


def test_it_shares_documents_only_with_workspace_users_as_downloads(
    client_for: Callable[[str], Client], members: dict[str, Organisation], media: object
) -> None:
    # given a member who shares a PDF
    member = client_for("council")
    response = member.post(
        "/council/documents/",
        {"title": "資料", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 hello")},
    )
    assert response.status_code == 302
    doc = Document.objects.get()
    # when a workspace user downloads it
    download = client_for("community").get(f"/council/documents/{doc.pk}/")
    # then it comes as an attachment with our own type and a sandbox policy
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == b"%PDF-1.4 hello"  # type: ignore[attr-defined]
    # and anyone outside the workspace is refused
    assert client_for("outsider").get(f"/council/documents/{doc.pk}/").status_code == 403
    assert client_for("consultant.elderly").get(f"/council/documents/{doc.pk}/").status_code == 403


def test_it_shows_why_a_document_was_refused(
    client_for: Callable[[str], Client], members: dict[str, Organisation], media: object
) -> None:
    # given an HTML file named .pdf
    # when a member shares it
    response = client_for("council").post(
        "/council/documents/", {"file": SimpleUploadedFile("x.pdf", b"<html></html>")}
    )
    # then the page says why and nothing is stored
    assert response.status_code == 400
    assert "PDF ではありません" in response.content.decode()
    assert not Document.objects.exists()


def test_it_loads_the_demo_council(personas: object, media: object) -> None:
    # given an empty workspace
    from tsunagari.council.demo import load_demo_council

    # when the demo is loaded twice
    summary = load_demo_council(7)
    load_demo_council(7)
    # then members, meetings with minutes and some overdue actions exist once
    assert "overdue" in summary
    assert Organisation.objects.count() == 8
    assert Meeting.objects.count() == 4
    assert ActionItem.objects.filter(status=ActionStatus.OPEN).exists()
    assert any(a.is_overdue for a in ActionItem.objects.all())


def test_it_lets_only_the_uploader_or_the_secretariat_delete_a_document(
    client_for: Callable[[str], Client],
    members: dict[str, Organisation],
    media: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a paper shared by the council member
    client_for("council").post(
        "/council/documents/", {"title": "資料", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}
    )
    doc = Document.objects.get()
    # when community staff try to delete it, they are refused
    client_for("community").post(f"/council/documents/{doc.pk}/delete/")
    assert Document.objects.filter(pk=doc.pk).exists()
    # and when the member who shared it deletes it, it and its file are gone
    path = doc.file.path
    # (the file is removed once the deletion is committed)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("council").post(f"/council/documents/{doc.pk}/delete/")
    assert not Document.objects.exists()
    import os

    assert not os.path.exists(path)


def test_the_workspace_home_lists_the_members_own_organisations_actions(
    client_for: Callable[[str], Client], actions: dict[str, ActionItem]
) -> None:
    # given the NPO's overdue action and the shops' action (no agency)
    # when the council persona, who works at the NPO, opens the workspace
    html = client_for("council").get("/council/").content.decode()
    # then their organisation's action is listed under its own heading, with a button to finish it
    mine = html[html.index('id="mine-h"') : html.index("これからの会議")]
    assert "居場所マップの原案" in mine and "商店会の休憩所を載せる" not in mine
    assert f"/council/actions/{actions['overdue'].pk}/done/" in mine
    # and the secretariat, whose organisation (the ward office) owns none, gets no such list
    planner = client_for("planner").get("/council/").content.decode()
    assert 'id="mine-h"' not in planner
