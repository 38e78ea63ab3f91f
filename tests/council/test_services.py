"""Council write functions: one per action, with their rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.council import services
from tsunagari.council.models import (
    ActionItem,
    ActionStatus,
    Document,
    Meeting,
    Organisation,
    Sector,
)


def test_it_lists_public_and_private_members_as_equals(members: dict[str, Organisation]) -> None:
    # given a ward office, an NPO and a shop association
    # when the members are listed
    names = list(Organisation.objects.values_list("name", "sector"))
    # then each is simply a member organisation with its sector
    assert ("江東区 福祉課", Sector.PUBLIC) in names and ("豊洲商店会", Sector.BUSINESS) in names


def test_it_refuses_a_second_organisation_for_the_same_agency(
    personas: dict[str, Staff], members: dict[str, Organisation]
) -> None:
    # given the NPO already linked to agency npo-05
    # when someone adds another organisation for that agency
    # then it is refused
    with pytest.raises(services.CouncilError):
        services.add_organisation(
            personas["planner"], name="別名", sector=Sector.NPO, agency=members["npo"].agency
        )


def test_it_flags_open_actions_past_their_due_date(actions: dict[str, ActionItem]) -> None:
    # given one action due three days ago and one due in twenty days
    # when overdue actions are listed
    overdue = list(services.overdue_actions())
    # then only the first is overdue
    assert overdue == [actions["overdue"]]
    assert actions["overdue"].is_overdue and not actions["future"].is_overdue


def test_it_lets_the_owner_organisation_complete_its_action(
    personas: dict[str, Staff], actions: dict[str, ActionItem]
) -> None:
    # given the NPO's overdue action and the council persona who works at the NPO
    item = actions["overdue"]
    # when they mark it done
    services.complete_action(personas["council"], item)
    # then it is done and no longer overdue
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and not item.is_overdue


def test_it_refuses_to_let_another_organisation_complete_an_action(
    personas: dict[str, Staff], actions: dict[str, ActionItem]
) -> None:
    # given the shop association's action and the council persona (NPO)
    # when they try to mark it done
    # then it is refused
    with pytest.raises(services.CouncilError):
        services.complete_action(personas["council"], actions["future"])


def test_it_refuses_minutes_saved_against_an_older_version(
    personas: dict[str, Staff], meeting: Meeting
) -> None:
    # given minutes at version 1, rewritten once to version 2
    planner = personas["planner"]
    services.record_minutes(planner, meeting, "二度目", version=1)
    # when someone saves an edit made on version 1
    # then it is refused and nothing is overwritten
    with pytest.raises(services.CouncilError):
        services.record_minutes(planner, meeting, "古い版からの編集", version=1)
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.text == "二度目"


def test_it_lets_only_council_managers_schedule_meetings(personas: dict[str, Staff]) -> None:
    # given a council member
    # when they try to schedule a meeting
    # then the policy refuses
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(
            personas["council"], held_on=timezone.localdate() + timedelta(days=3), title="x"
        )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("evil.exe", b"MZ\x90\x00", "この種類"),
        ("fake.pdf", b"<html>not a pdf</html>", "PDF ではありません"),
        ("page.html", b"<script>alert(1)</script>", "この種類"),
        ("notes.txt", b"\x00\x01binary", "テキストファイルではありません"),
        ("empty.pdf", b"", "空です"),
    ],
)
def test_it_refuses_documents_of_the_wrong_kind(
    personas: dict[str, Staff], media: object, name: str, data: bytes, message: str
) -> None:
    # given a file that is not an accepted paper
    # when a member shares it
    # then it is refused with the reason
    with pytest.raises(services.CouncilError, match=message):
        services.upload_document(personas["council"], SimpleUploadedFile(name, data))


def test_it_refuses_documents_over_the_size_limit(
    personas: dict[str, Staff], media: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a 2 KB limit and a 3 KB PDF
    monkeypatch.setattr(services, "MAX_DOCUMENT_BYTES", 2048)
    # when it is shared
    # then it is refused
    with pytest.raises(services.CouncilError, match="大きすぎます"):
        services.upload_document(
            personas["council"], SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b"0" * 3000)
        )


def test_it_stores_documents_under_a_random_name(
    personas: dict[str, Staff], media: object, members: dict[str, Organisation]
) -> None:
    # given a PDF named after a person
    # when it is shared
    doc = services.upload_document(
        personas["council"], SimpleUploadedFile("山田太郎さん.pdf", b"%PDF-1.4 test")
    )
    # then the stored name says nothing about its content, and the owner organisation is recorded
    assert "山田" not in doc.file.name
    assert doc.original_name == "山田太郎さん.pdf"
    assert doc.organisation == members["npo"]
    assert doc.content_type == "application/pdf"


def test_it_writes_a_named_event_with_each_council_action(
    personas: dict[str, Staff], members: dict[str, Organisation]
) -> None:
    from tsunagari.events.models import DomainEvent

    # given the planner schedules a meeting, assigns an action and records minutes
    planner = personas["planner"]
    meeting = services.schedule_meeting(planner, held_on=timezone.localdate(), title="第3回")
    owner = next(iter(members.values()))
    services.add_action(planner, title="居場所マップの更新", owner=owner,
                        due_on=timezone.localdate() + timedelta(days=30), meeting=meeting)  # fmt: skip
    services.record_minutes(planner, meeting, "議事録")
    # then each left its named event, with who did it
    kinds = list(DomainEvent.objects.order_by("pk").values_list("kind", "actor__username"))
    assert kinds[-3:] == [("council.meeting_scheduled", "planner"),
                          ("council.action_added", "planner"),
                          ("council.minutes_recorded", "planner")]  # fmt: skip
    # and a refused action leaves none
    before = DomainEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(personas["council"], held_on=timezone.localdate(), title="x")
    assert DomainEvent.objects.count() == before


def test_papers_count_against_the_staff_members_share_of_the_data_folder(
    personas: dict[str, Staff], settings: Any
) -> None:
    settings.UPLOAD_QUOTA_FILES = 1
    first = services.upload_document(
        personas["council"], SimpleUploadedFile("a.pdf", b"%PDF-1.4 a")
    )
    with pytest.raises(services.CouncilError, match="上限は 1 件"):
        services.upload_document(personas["council"], SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"))
    assert Document.objects.count() == 1
    # A paper deleted frees its room.
    services.delete_document(personas["council"], first)
    services.upload_document(personas["council"], SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"))
