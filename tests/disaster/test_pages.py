"""The roster's pages: who may open them, and that they call the actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tsunagari.accounts.models import Agency, Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.disaster import services
from tsunagari.disaster.models import ConsentStatus, Declaration, Release, RosterEntry, SafetyCheck

PAGES = ["/disaster/", "/disaster/roster/", "/disaster/rules/", "/disaster/recipients/",
         "/disaster/safety/board/", "/disaster/roster/add/"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_the_roster_pages_open_for_the_disaster_officer_only(
    roster: dict[str, Any], client_for: Callable[[str], Client], path: str
) -> None:
    assert client_for("disaster").get(path).status_code == 200
    for other in ("consultant.elderly", "outsider", "council"):
        response = client_for(other).get(path)
        assert response.status_code == 403, (other, path)


def test_the_roster_list_shows_names_and_hides_a_sealed_address(
    roster: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    page = client_for("disaster").get("/disaster/roster/").content.decode()
    assert "大山　一郎" in page and "北砂三丁目1番1号" in page
    assert "佐藤　恵" in page and "豊洲五丁目11番1号" not in page
    assert AuditEvent.objects.filter(object_type="disaster.roster").exists()


def test_the_rebuild_page_lists_who_came_and_why(
    roster: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    page = (
        client_for("disaster").get(f"/disaster/rebuilds/{roster['rebuild'].pk}/").content.decode()
    )
    assert "大山　一郎" in page and "要介護3〜5" in page


def test_consent_is_recorded_from_the_entry_page(
    roster: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    oyama = roster["people"]["oyama"]
    client = client_for("disaster")
    # before the person agrees, the page offers no plan form
    assert "計画はまだ作れません" in client.get(f"/disaster/people/{oyama.pk}/").content.decode()
    response = client.post(f"/disaster/people/{oyama.pk}/", {"form": "consent", "status": "agreed",
                                                             "on": "2026-01-10"})  # fmt: skip
    assert response.status_code == 302
    assert RosterEntry.objects.get(person=oyama).consent == ConsentStatus.AGREED
    bad = client.post(f"/disaster/people/{oyama.pk}/", {"form": "plan", "status": "done"})
    assert bad.status_code == 400 and "避難先" in bad.content.decode()


def test_a_release_downloads_as_excel_and_is_recorded(
    roster: dict[str, Any], client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    services.record_roster_consent(personas["disaster"], roster["people"]["oyama"].pk, "agreed",
                                   "2026-01-10")  # fmt: skip
    response = client_for("disaster").post(f"/disaster/recipients/{roster['kita'].pk}/",
                                           {"form": "xlsx"})  # fmt: skip
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd")
    assert Release.objects.get().persons == [roster["people"]["oyama"].pk]


def test_only_an_officer_with_authority_declares_from_the_page(
    roster: dict[str, Any], client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    data = {"towns": ["北砂"], "reason": "避難指示", "hours": "12"}
    assert client_for("consultant.elderly").post("/disaster/declare/", data).status_code == 403
    response = client_for("disaster").post("/disaster/declare/", data)
    declaration = Declaration.objects.get()
    assert response.status_code == 302 and declaration.towns == ["北砂"]
    page = client_for("disaster").get(f"/disaster/declarations/{declaration.pk}/")
    assert page.status_code == 200


def test_a_commissioner_records_a_safety_check_for_its_area_by_htmx(
    roster: dict[str, Any], client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    toyo = roster["toyo"]
    toyo.agency = Agency.objects.get(pk=personas["commissioner"].agency_id)
    toyo.save()
    client = client_for("commissioner")
    page = client.get("/disaster/safety/").content.decode()
    assert "いま発令中の地域はありません" in page
    services.declare_disaster(personas["disaster"], ["豊洲", "北砂"], "大地震")
    page = client.get("/disaster/safety/").content.decode()
    assert "上田　九" in page and "大山" not in page and "佐藤" not in page
    # viewing the list in disaster mode is itself a logged release, once
    client.get("/disaster/safety/")
    assert Release.objects.filter(file_format="page").count() == 1
    ueda = roster["people"]["ueda"]
    response = client.post(f"/disaster/safety/{ueda.pk}/", {"status": "needs_help"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200 and "支援が必要" in response.content.decode()
    assert SafetyCheck.objects.get().status == "needs_help"
    # a person outside the commissioner's towns is refused with the reason
    oyama = roster["people"]["oyama"]
    refused = client.post(f"/disaster/safety/{oyama.pk}/", {"status": "safe"})
    assert refused.status_code == 403 and "対象になっていません" in refused.content.decode()
    board = client_for("disaster").get("/disaster/safety/board/", HTTP_HX_REQUEST="true")
    assert "豊洲" in board.content.decode() and "<html" not in board.content.decode()


def test_an_agency_that_is_no_recipient_is_refused_the_safety_page_with_a_reason(
    roster: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    response = client_for("consultant.elderly").get("/disaster/safety/")
    assert response.status_code == 403 and "提供先" in response.content.decode()


def test_a_department_extract_is_loaded_from_the_rules_page(
    street: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.disaster.conftest import CARE_CSV

    from tsunagari.disaster.models import FactLoad

    client = client_for("disaster")
    assert "介護保険（care）" in client.get("/disaster/rules/").content.decode()
    upload = SimpleUploadedFile("care.csv", CARE_CSV.encode(), content_type="text/csv")
    response = client.post("/disaster/rules/data/", {"source": "care", "file": upload})
    assert response.status_code == 302
    assert FactLoad.objects.get(source="care").matched == 3
    refused = SimpleUploadedFile("p.csv", b"resident_id\n1\n", content_type="text/csv")
    client.post("/disaster/rules/data/", {"source": "poverty", "file": refused})
    assert not FactLoad.objects.filter(source="poverty").exists()


def test_the_consent_letters_download_and_their_day_is_noted(
    roster: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    pytest.importorskip("weasyprint")
    response = client_for("disaster").post("/disaster/roster/letters.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    sent = RosterEntry.objects.filter(letter_sent_on__isnull=False).count()
    assert sent == RosterEntry.objects.count() == 7


def test_a_person_is_excluded_and_back_from_the_entry_page(
    roster: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    oyama = roster["people"]["oyama"]
    client = client_for("disaster")
    url = f"/disaster/people/{oyama.pk}/"
    assert client.post(url, {"form": "exclude", "reason": ""}).status_code == 400
    assert client.post(url, {"form": "exclude", "reason": "施設入所"}).status_code == 302
    assert not RosterEntry.objects.get(person=oyama).on_roster
    assert "施設入所" in client.get(url).content.decode()
    assert client.post(url, {"form": "end_exclusion", "reason": "退所"}).status_code == 302
