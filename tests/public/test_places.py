"""Places to go and groups to join: filters, details, and what never shows."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tsunagari.resources.models import Location, Service


def _ids(body: str) -> set[str]:
    return set(re.findall(r'href="/public/basho/([0-9a-f-]{36})/"', body))


def _all_pages(client: Client, query: str) -> set[str]:
    ids: set[str] = set()
    for page in range(1, 20):
        body = client.get(f"/public/basho/?{query}&page={page}").content.decode()
        found = _ids(body)
        if not found or found <= ids:
            break
        ids |= found
    return ids


@pytest.mark.parametrize(
    "query,check",
    [
        ("free=1", lambda s: s.is_free),
        ("wheelchair=1", lambda s: s.wheelchair),
        ("kind=kodomo_shokudo", lambda s: s.x_kind == "kodomo_shokudo"),
        ("day=MO", lambda s: "|MO|" in s.days),
        ("free=1&wheelchair=1&day=TU", lambda s: s.is_free and s.wheelchair and "|TU|" in s.days),
    ],
)
def test_it_filters_places(directory: int, client: Client, query: str, check) -> None:  # type: ignore[no-untyped-def]
    # given the directory; when places are filtered
    ids = _all_pages(client, query)
    # then every result meets the filter, and none is missing
    found = list(Service.objects.filter(id__in=ids))
    assert found and all(check(s) for s in found)
    assert len(ids) == sum(
        1
        for s in Service.objects.filter(is_public=True)
        if check(s)
        and s.x_kind
        in {
            "ibasho",
            "kayoi",
            "kodomo_shokudo",
            "salon",
            "cafe",
            "group",
            "volunteering",
            "job_support",
        }
    )


def test_it_filters_by_town_and_language(directory: int, client: Client) -> None:
    place = Service.objects.filter(x_kind="salon").exclude(towns="").first()
    town = place.towns.strip("|").split("|")[0]
    ids = _all_pages(client, f"town={town}")
    assert place.id in ids
    assert all(f"|{town}|" in s.towns for s in Service.objects.filter(id__in=ids))
    Service.objects.filter(id=place.id).update(language_codes="|ja|vi|")
    assert _all_pages(client, "language=vi") == {place.id}


def test_it_shows_schedule_and_contact_on_the_place_page(directory: int, client: Client) -> None:
    place = Service.objects.filter(x_kind="kayoi").first()
    body = client.get(f"/public/basho/{place.id}/").content.decode()
    assert place.name in body
    assert "毎" in body  # 毎週 or 毎月
    assert 'href="tel:' in body
    assert "上履き" in body


def test_it_never_shows_a_confidential_place(
    shelter: tuple[Service, Location], client: Client
) -> None:
    # given a shelter
    service, location = shelter
    # when every public page is read
    bodies = [
        client.get(u).content.decode()
        for u in (
            "/public/",
            "/public/kinkyu/",
            "/public/soudan/?topic=violence",
            "/public/soudan/?topic=unknown",
        )
    ]
    for page in range(1, 10):
        bodies.append(client.get(f"/public/basho/?page={page}").content.decode())
    text = "".join(bodies)
    # then neither the shelter nor its place appears, and its page does not exist
    assert service.name not in text and location.name not in text and service.id not in text
    assert client.get(f"/public/basho/{service.id}/").status_code == 404


def test_it_returns_only_results_to_htmx(directory: int, client: Client) -> None:
    body = client.get("/public/basho/?free=1", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and "<h2" in body
