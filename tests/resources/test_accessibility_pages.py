"""The staff page that records a place's accessibility profile."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tsunagari.audit.models import AuditEvent
from tsunagari.resources.accessibility import profile_of
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES
from tsunagari.resources.models import Location, Service, ServiceAtLocation


def _place() -> tuple[Service, Location]:
    service = Service.objects.filter(is_public=True, x_kind="salon").order_by("id").first()
    assert service is not None
    sal = ServiceAtLocation.objects.get(service_id=service.id)
    return service, Location.objects.get(id=sal.location_id)


def test_it_lets_community_staff_record_a_profile_from_the_page(
    client_for: Callable[[str], Client], demo_directory: int
) -> None:
    # given community staff on a place's accessibility page
    service, place = _place()
    client = client_for("community")
    page = client.get(f"/resources/places/{place.id}/accessibility/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "エレベーター" in body and 'name="seen"' in body
    # the look was audited
    assert AuditEvent.objects.filter(
        object_type="resources.location", object_id=place.id, action="view"
    ).exists()
    # when they save every feature
    data = dict.fromkeys(ACCESSIBILITY_FEATURES, "no") | {
        "lift": "yes",
        "note": "エレベーターは奥",
        "seen": profile_of(place.id).fingerprint,
    }
    response = client.post(f"/resources/places/{place.id}/accessibility/", data)
    # then they are back on the entry, which shows the profile
    assert response.status_code == 302
    assert profile_of(place.id).features["lift"] == "yes"
    detail = client.get(f"/resources/{service.id}/").content.decode()
    assert "エレベーターは奥" in detail and "全項目確認済み" in detail


def test_it_keeps_the_input_and_says_so_on_a_conflict(
    client_for: Callable[[str], Client], demo_directory: int
) -> None:
    _service, place = _place()
    data = dict.fromkeys(ACCESSIBILITY_FEATURES, "yes") | {"note": "", "seen": "stale"}
    response = client_for("community").post(f"/resources/places/{place.id}/accessibility/", data)
    assert response.status_code == 409
    assert "先に保存しました" in response.content.decode()


def test_it_refuses_the_page_to_a_consultant_with_a_reason(
    client_for: Callable[[str], Client], demo_directory: int
) -> None:
    _service, place = _place()
    response = client_for("consultant.self").get(f"/resources/places/{place.id}/accessibility/")
    assert response.status_code == 403
