"""Staff pages: who may read and edit, concurrent edits, verification, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tsunagari.audit.models import AuditEvent
from tsunagari.lib import clock
from tsunagari.resources.forms import schedule_initial
from tsunagari.resources.models import Location, Service
from tsunagari.resources.services import contact_values, stale_services, update_service


def _form(service: Service, **changes: str) -> dict[str, Any]:
    """What the edit form posts when opened on ``service``."""
    contact = contact_values(service)
    data: dict[str, Any] = {
        "phone": contact["phone"],
        "opens_at": contact["opens_at"],
        "closes_at": contact["closes_at"],
        **schedule_initial(contact["freq"], contact["byday"]),
        "version": str(service.version),
        "name": service.name,
        "alternate_name": service.alternate_name,
        "status": service.status,
        "x_kind": service.x_kind,
        "description": service.description,
        "fees_description": service.fees_description,
    }
    data.update(changes)
    return data


@pytest.fixture
def salon(demo_directory: int) -> Service:
    service = Service.objects.filter(x_kind="salon").order_by("id").first()
    assert service is not None
    return service


@pytest.mark.parametrize("username", ["outsider", "council", "consultant.elderly", "planner"])
def test_it_refuses_edits_from_people_who_do_not_keep_the_directory(
    client_for: Callable[[str], Client], salon: Service, username: str
) -> None:
    # given a salon and someone who does not keep the directory
    client = client_for(username)
    # when they post an edit
    response = client.post(f"/resources/{salon.id}/edit/", _form(salon, name="乗っ取り"))
    # then it is refused and nothing changed
    assert response.status_code == 403
    salon.refresh_from_db()
    assert salon.name != "乗っ取り"


def test_it_refuses_the_directory_to_an_outsider(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    assert client_for("outsider").get("/resources/").status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, salon: Service) -> None:
    response = client.get("/resources/")
    assert response.status_code == 302 and "/signin/" in response["Location"]


def test_it_lets_community_staff_edit_and_records_the_change(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    # given community staff
    client = client_for("community")
    # when they save a new description
    response = client.post(
        f"/resources/{salon.id}/edit/", _form(salon, description="毎月第2火曜に開催")
    )
    # then it is saved, the version moves on and the change is in the history
    assert response.status_code == 302
    salon.refresh_from_db()
    assert salon.description == "毎月第2火曜に開催" and salon.version == 2
    event = AuditEvent.objects.get(object_type="resources.service", object_id=salon.id)
    assert event.detail["changes"]["description"][1] == "毎月第2火曜に開催"
    assert "毎月第2火曜に開催" in client.get(f"/resources/{salon.id}/").content.decode()


def test_it_reports_a_concurrent_edit_and_keeps_both_texts(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    # given two people who opened the same entry
    first, second = client_for("community"), client_for("admin")
    opened = _form(salon)
    # when the first saves and then the second saves from the old version
    assert (
        first.post(
            f"/resources/{salon.id}/edit/", {**opened, "description": "一人目の文"}
        ).status_code
        == 302
    )
    response = second.post(f"/resources/{salon.id}/edit/", {**opened, "description": "二人目の文"})
    # then the second is told, sees both texts, and nothing was overwritten
    assert response.status_code == 409
    body = response.content.decode()
    assert "一人目の文" in body and "二人目の文" in body
    salon.refresh_from_db()
    assert salon.description == "一人目の文"


def test_it_detects_conflicts_in_the_service_function_too(salon: Service) -> None:
    # given a save from version 1
    assert update_service(salon.id, {"name": "A"}, expected_version=1, actor=None).saved
    # when another save arrives from version 1
    result = update_service(salon.id, {"name": "B"}, expected_version=1, actor=None)
    # then it is not saved and both names are reported
    assert not result.saved
    assert [(c.name, c.yours, c.saved) for c in result.conflicts] == [("name", "B", "A")]


def test_it_records_who_verified_an_entry_and_when(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    # given community staff
    client = client_for("community")
    # when they verify the entry
    client.post(f"/resources/{salon.id}/verify/")
    # then today's date and their name are recorded
    salon.refresh_from_db()
    assert salon.assured_date == clock.today().isoformat()
    assert salon.x_verified_by == "地域 和子"


def test_it_lists_entries_not_verified_for_twelve_months(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    # given an entry last checked two years ago
    Service.objects.filter(id=salon.id).update(assured_date="2024-01-05")
    # when the stale list is read
    body = client_for("community").get("/resources/stale/").content.decode()
    # then it is there, and an entry checked today is not
    assert salon.name in body
    other = Service.objects.exclude(id=salon.id).first()
    Service.objects.filter(id=other.id).update(assured_date=clock.today().isoformat())
    assert salon in stale_services() and other not in stale_services()


def test_it_hides_confidential_entries_from_council_members(
    client_for: Callable[[str], Client], shelter: tuple[Service, Location]
) -> None:
    # given a shelter
    service, _location = shelter
    # when a council member searches the directory or opens the entry
    client = client_for("council")
    body = client.get("/resources/?q=ひだまり").content.decode()
    # then it is not shown; a consultant does see it
    assert service.name not in body
    assert client.get(f"/resources/{service.id}/").status_code == 404
    assert (
        service.name
        in client_for("consultant.elderly").get("/resources/?q=ひだまり").content.decode()
    )


def test_it_searches_with_htmx_returning_only_the_results(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    response = client_for("community").get("/resources/?q=サロン", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table>" in body and "<html" not in body


def test_it_shows_the_staff_pages_in_english_on_request(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    # given community staff who chose English
    client = client_for("community")
    client.cookies["django_language"] = "en"
    # when they open an entry
    body = client.get(f"/resources/{salon.id}/").content.decode()
    # then the page speaks English
    assert "Change history" in body and "Salon" in body


def test_it_edits_phone_and_opening_hours_with_the_entry(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    # given community staff editing a salon
    client = client_for("community")
    form = {
        **_form(salon),
        "phone": "03-1111-2222",
        "days": ["TU", "TH"],
        "week": "2",
        "opens_at": "13:30",
        "closes_at": "15:00",
    }
    # when they save new hours and a new phone number
    assert client.post(f"/resources/{salon.id}/edit/", form).status_code == 302
    # and a second person checks the change
    assert client_for("admin").post(f"/resources/{salon.id}/verify/").status_code == 302
    # then residents see the new hours and number, and the search columns follow
    body = Client().get(f"/public/basho/{salon.id}/").content.decode()
    assert "毎月 第2火曜・第2木曜 13:30〜15:00" in body and "03-1111-2222" in body
    salon.refresh_from_db()
    assert salon.days == "|TU|TH|"


def test_it_refuses_an_impossible_time(client_for: Callable[[str], Client], salon: Service) -> None:
    response = client_for("community").post(
        f"/resources/{salon.id}/edit/", {**_form(salon), "opens_at": "25:00"}
    )
    assert response.status_code == 200
    salon.refresh_from_db()
    assert salon.version == 1


def test_it_reports_a_conflict_on_the_phone_number(salon: Service) -> None:
    # given someone changed the phone number from version 1
    assert update_service(salon.id, {"phone": "03-2222-3333"}, expected_version=1, actor=None).saved
    # when another change to the number arrives from version 1
    result = update_service(salon.id, {"phone": "03-4444-5555"}, expected_version=1, actor=None)
    # then both numbers are reported and the first one stays
    assert [(c.name, c.yours, c.saved) for c in result.conflicts] == [
        ("phone", "03-4444-5555", "03-2222-3333")
    ]


def _new_entry(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "こども食堂 ひなた",
        "organization_name": "ひなたの会",
        "x_kind": "kodomo_shokudo",
        "status": "active",
        "town": "北砂",
        "address_1": "北砂3-1-1",
        "phone": "03-5555-0101",
        "days": ["WE"],
        "week": "",
        "opens_at": "17:00",
        "closes_at": "19:00",
        "fees_description": "無料",
        "wheelchair": "on",
    }
    data.update(changes)
    return data


def test_it_registers_a_new_entry_that_residents_can_find(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    # given community staff
    client = client_for("community")
    # when they register a new children's cafeteria, and a second person checks it
    response = client.post("/resources/new/", _new_entry())
    service = Service.objects.get(name="こども食堂 ひなた")
    assert client_for("admin").post(f"/resources/{service.id}/verify/").status_code == 302
    # then it is stored with its place, phone and hours, and found by the place search
    assert response.status_code == 302
    service.refresh_from_db()
    assert (
        service.towns == "|北砂|"
        and service.days == "|WE|"
        and service.is_free
        and service.wheelchair
    )
    body = Client().get("/public/basho/?town=北砂&kind=kodomo_shokudo&day=WE").content.decode()
    assert "こども食堂 ひなた" in body
    assert AuditEvent.objects.filter(object_id=service.id, action="create").exists()


def test_it_keeps_a_new_confidential_place_off_public_pages(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    client_for("community").post(
        "/resources/new/", _new_entry(name="一時保護 あおば", x_kind="shelter", x_confidential="on")
    )
    service = Service.objects.get(name="一時保護 あおば")
    assert not service.is_public
    assert "あおば" not in Client().get("/public/basho/?town=北砂").content.decode()
    assert Client().get(f"/api/hsds/services/{service.id}").status_code == 404


@pytest.mark.parametrize("username", ["outsider", "council"])
def test_it_refuses_new_entries_from_people_who_do_not_keep_the_directory(
    client_for: Callable[[str], Client], salon: Service, username: str
) -> None:
    response = client_for(username).post("/resources/new/", _new_entry())
    assert response.status_code == 403
    assert not Service.objects.filter(name="こども食堂 ひなた").exists()


def test_it_explains_what_to_fix_in_a_new_entry(
    client_for: Callable[[str], Client], salon: Service
) -> None:
    response = client_for("community").post(
        "/resources/new/", _new_entry(email="not-an-email", town="どこか")
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Service.objects.filter(name="こども食堂 ひなた").exists()
