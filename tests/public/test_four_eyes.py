"""Residents see a directory entry only once a second member of staff has
checked what another created or changed."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tsunagari.accounts.models import Staff
from tsunagari.resources.models import Service
from tsunagari.resources.services import create_service, update_service, verify_service


def _new_cafeteria(staff: Staff) -> Service:
    result = create_service(
        {
            "name": "こども食堂 あさがお",
            "x_kind": "kodomo_shokudo",
            "status": "active",
            "town": "北砂",
            "address_1": "北砂2-3-4",
            "byday": "WE",
            "freq": "WEEKLY",
            "opens_at": "17:00",
            "closes_at": "19:00",
        },
        actor=staff,
    )
    assert result.service is not None, result.errors
    return result.service


def test_it_lists_a_new_entry_only_after_a_second_person_checks_it(
    personas: dict[str, Staff], directory: int
) -> None:
    # Given a new children's cafeteria registered by community staff
    service = _new_cafeteria(personas["community"])
    search = "/public/basho/?town=北砂&kind=kodomo_shokudo"
    # Then residents find neither the entry nor its page
    assert "あさがお" not in Client().get(search).content.decode()
    assert Client().get(f"/public/basho/{service.id}/").status_code == 404
    # When the administrator checks it
    verify_service(service.id, actor=personas["admin"])
    # Then residents find it
    assert "あさがお" in Client().get(search).content.decode()
    assert Client().get(f"/public/basho/{service.id}/").status_code == 200


def test_it_hides_an_edited_entry_until_checked_and_shows_the_checked_text(
    personas: dict[str, Staff], directory: int, client_for: Callable[[str], Client]
) -> None:
    salon = Service.objects.filter(x_kind="salon", is_public=True).order_by("id").first()
    assert salon is not None
    page = f"/public/basho/{salon.id}/"
    assert Client().get(page).status_code == 200
    # When community staff change its notice
    update_service(
        salon.id,
        {"alert": "来月から会場が変わります"},
        expected_version=salon.version,
        actor=personas["community"],
    )
    # Then the unchecked text never reaches residents
    assert Client().get(page).status_code == 404
    # And after someone else checks it, residents read it
    client_for("admin").post(f"/resources/{salon.id}/verify/")
    assert "来月から会場が変わります" in Client().get(page).content.decode()
