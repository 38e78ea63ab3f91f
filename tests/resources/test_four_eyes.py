"""Four eyes on the directory: an entry staff create or edit reaches
residents only after someone other than its last editor checks it, and a
last-checked date in the future is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from tests.resources.conftest import org_document
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.lib import clock
from tsunagari.resources.demo import _four_eyes
from tsunagari.resources.models import Service
from tsunagari.resources.services import (
    DirectoryError,
    import_file,
    update_service,
    verify_service,
)


@pytest.fixture
def salon(demo_directory: int) -> Service:
    service = Service.objects.filter(x_kind="salon", is_public=True).order_by("id").first()
    assert service is not None
    return service


def _edit(salon: Service, staff: Staff, **changes: str) -> Service:
    result = update_service(salon.id, changes, expected_version=salon.version, actor=staff)
    assert result.saved, result.errors
    salon.refresh_from_db()
    return salon


def test_it_keeps_an_edited_entry_off_public_view_until_it_is_checked(
    personas: dict[str, Staff], salon: Service
) -> None:
    # When community staff edit a published salon
    edited = _edit(salon, personas["community"], alert="会場が変わります")
    # Then it waits for a check, names its editor, and residents no longer see it
    assert edited.awaiting_check and edited.last_editor == personas["community"]
    assert not edited.is_public
    assert Client().get(f"/public/basho/{salon.id}/").status_code == 404
    assert Client().get(f"/api/hsds/services/{salon.id}").status_code == 404


def test_it_refuses_the_editor_as_their_own_second_pair_of_eyes(
    personas: dict[str, Staff], salon: Service
) -> None:
    _edit(salon, personas["community"], alert="会場が変わります")
    # When the editor tries to verify their own change
    with pytest.raises(DirectoryError, match="ほかの職員に内容を確認"):
        verify_service(salon.id, actor=personas["community"])
    # Then nothing changed: still waiting, still not public, nothing audited as a check
    salon.refresh_from_db()
    assert salon.awaiting_check and not salon.is_public
    assert not AuditEvent.objects.filter(object_id=salon.id, detail__has_key="verified").exists()


def test_it_refuses_the_operator_as_second_pair_of_eyes(
    personas: dict[str, Staff], salon: Service
) -> None:
    _edit(salon, personas["community"], alert="会場が変わります")
    with pytest.raises(DirectoryError):
        verify_service(salon.id, actor=None)
    salon.refresh_from_db()
    assert salon.awaiting_check


def test_it_publishes_the_entry_when_someone_else_checks_it(
    personas: dict[str, Staff], salon: Service
) -> None:
    _edit(salon, personas["community"], alert="会場が変わります")
    # When the administrator checks it
    checked = verify_service(salon.id, actor=personas["admin"])
    # Then it is public again with the new text, and the check is audited as a publication
    assert not checked.awaiting_check and checked.is_public
    assert checked.x_verified_by == "管理 花子"
    assert "会場が変わります" in Client().get(f"/public/basho/{salon.id}/").content.decode()
    event = AuditEvent.objects.filter(object_id=salon.id, detail__has_key="verified").get()
    assert event.detail["published"] is True and event.actor_username == "admin"


def test_it_lets_the_checker_edit_again_and_wait_for_the_first(
    personas: dict[str, Staff], salon: Service
) -> None:
    # Given an entry edited by community staff and checked by the administrator
    _edit(salon, personas["community"], alert="一")
    verify_service(salon.id, actor=personas["admin"])
    salon.refresh_from_db()
    # When the administrator edits it in turn
    _edit(salon, personas["admin"], alert="二")
    # Then the administrator cannot publish it, and community staff can
    with pytest.raises(DirectoryError):
        verify_service(salon.id, actor=personas["admin"])
    assert verify_service(salon.id, actor=personas["community"]).is_public


def test_it_still_lets_anyone_record_a_routine_check_of_a_published_entry(
    personas: dict[str, Staff], salon: Service
) -> None:
    # An entry nobody edited since its last check is re-checked by anyone keeping the directory
    checked = verify_service(salon.id, actor=personas["community"])
    assert checked.assured_date == clock.today().isoformat() and checked.is_public


def test_it_refuses_a_last_checked_date_in_the_future(
    personas: dict[str, Staff], salon: Service
) -> None:
    before = salon.assured_date
    tomorrow = clock.today() + timedelta(days=1)
    with pytest.raises(DirectoryError, match="未来の日付"):
        verify_service(salon.id, actor=personas["admin"], on=tomorrow)
    salon.refresh_from_db()
    assert salon.assured_date == before


def test_it_records_a_check_made_on_an_earlier_day(
    personas: dict[str, Staff], salon: Service
) -> None:
    earlier = clock.today() - timedelta(days=3)
    assert verify_service(salon.id, actor=personas["admin"], on=earlier).assured_date == (
        earlier.isoformat()
    )


def test_it_refuses_an_import_with_a_last_checked_date_in_the_future(
    personas: dict[str, Staff], db: None, tmp_path: Path
) -> None:
    future = (clock.today() + timedelta(days=30)).isoformat()
    path = tmp_path / "future.json"
    path.write_text(json.dumps(org_document(assured_date=future)), encoding="utf-8")
    report = import_file(path, actor=personas["admin"])
    assert report.refused
    assert any(r.where == "assured_date" and future in r.reason for r in report.rejections)
    assert not Service.objects.filter(name="ふれあいサロン テスト").exists()


def test_the_demo_has_its_entries_checked_by_a_second_account(
    personas: dict[str, Staff], demo_directory: int
) -> None:
    # When the demo's staff keep the directory
    _four_eyes(7)
    # Then the entry community staff registered was checked by the administrator and is public
    created = Service.objects.get(name="こども食堂 ひだまり（デモ）")
    assert created.is_public and created.last_editor == personas["community"]
    assert created.x_verified_by == "管理 花子"
    assert AuditEvent.objects.filter(
        object_id=created.id, action="create", actor_username="community"
    ).exists()
    # And one edit is left waiting, for the staff pages to show
    waiting = Service.objects.filter(awaiting_check=True)
    assert waiting.count() == 1 and not waiting.get().is_public
    # And running the demo again adds nothing
    _four_eyes(7)
    assert Service.objects.filter(name="こども食堂 ひだまり（デモ）").count() == 1
    assert Service.objects.filter(awaiting_check=True).count() == 1
    # And no demo entry says it was checked in the future
    assert not Service.objects.filter(assured_date__gt=clock.today().isoformat()).exists()


# --- the staff pages ------------------------------------------------------------


def test_it_shows_staff_that_an_entry_awaits_its_check(
    client_for: Callable[[str], Client], personas: dict[str, Staff], salon: Service
) -> None:
    _edit(salon, personas["community"], alert="会場が変わります")
    # The editor sees it waits for someone else, and is offered no button to publish it
    own = client_for("community").get(f"/resources/{salon.id}/").content.decode()
    assert "確認待ち" in own and "ほかの職員が内容を確認するまで" in own
    assert "内容を確認した（公開する）" not in own
    # Another keeper of the directory is offered the check
    other = client_for("admin").get(f"/resources/{salon.id}/").content.decode()
    assert "内容を確認した（公開する）" in other
    # The list and the checking page show the badge
    listing = client_for("admin").get("/resources/", {"q": salon.name}).content.decode()
    assert "確認待ち" in listing
    stale = client_for("admin").get("/resources/stale/").content.decode()
    assert "確認待ちの項目" in stale and salon.name in stale


def test_it_tells_the_editor_why_their_own_check_is_refused(
    client_for: Callable[[str], Client], personas: dict[str, Staff], salon: Service
) -> None:
    _edit(salon, personas["community"], alert="会場が変わります")
    response = client_for("community").post(f"/resources/{salon.id}/verify/", follow=True)
    assert "ほかの職員に内容を確認してもらってください" in response.content.decode()
    salon.refresh_from_db()
    assert salon.awaiting_check


def test_it_publishes_from_the_page_when_someone_else_checks(
    client_for: Callable[[str], Client], personas: dict[str, Staff], salon: Service
) -> None:
    _edit(salon, personas["community"], alert="会場が変わります")
    response = client_for("admin").post(f"/resources/{salon.id}/verify/", follow=True)
    assert "区民向けページに公開されます" in response.content.decode()
    salon.refresh_from_db()
    assert salon.is_public and not salon.awaiting_check


@pytest.mark.parametrize(
    "on",
    [
        (clock.today() + timedelta(days=1)).isoformat(),
        "9999-12-31",
        "2026-02-30",
        "<script>alert(1)</script>",
        "2" * 5000,
        "\x00",
    ],
)
def test_it_refuses_a_future_or_unreadable_date_from_the_page(
    client_for: Callable[[str], Client], salon: Service, on: str
) -> None:
    before = salon.assured_date
    response = client_for("admin").post(f"/resources/{salon.id}/verify/", {"on": on}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "未来の日付" in body or "確認した日を" in body
    assert "<script>alert(1)" not in body
    salon.refresh_from_db()
    assert salon.assured_date == before
