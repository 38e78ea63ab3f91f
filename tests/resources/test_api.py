"""The public HSDS API: shape, paging, AND-combined filters, and confidential places."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tsunagari.resources.models import Attribute, Location, Service


def _get(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_it_answers_without_sign_in_in_the_hsds_page_shape(
    demo_directory: int, client: Client
) -> None:
    # given the demo directory and nobody signed in
    # when services are listed
    page = _get(client, "/api/hsds/services?per_page=10&page=2")
    # then the answer is an HSDS page
    assert set(page) == {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    assert page["page_number"] == 2 and page["size"] == 10
    assert not page["first_page"] and not page["empty"]
    assert page["total_pages"] == -(-page["total_items"] // 10)


def test_it_combines_filters_with_and(demo_directory: int, client: Client) -> None:
    # given the demo directory
    # when services are filtered by town, type and price together
    page = _get(client, "/api/hsds/services?town=北砂&kind=salon,kayoi&free=true&per_page=100")
    # then every result meets every filter
    ids = [s["id"] for s in page["contents"]]
    for service in Service.objects.filter(id__in=ids):
        assert (
            "|北砂|" in service.towns and service.x_kind in {"salon", "kayoi"} and service.is_free
        )
    assert (
        page["total_items"]
        == Service.objects.filter(
            towns__contains="|北砂|",
            x_kind__in=["salon", "kayoi"],
            is_free=True,
            x_confidential=False,
        ).count()
    )


def test_it_filters_by_search_text_and_taxonomy_term(demo_directory: int, client: Client) -> None:
    # given a taxonomy term used by the demo's children's cafeterias
    term_id = (
        Attribute.objects.filter(
            link_id__in=Service.objects.filter(x_kind="kodomo_shokudo").values("id")
        )
        .first()
        .taxonomy_term_id
    )
    # when searching by the term and a word
    page = _get(
        client, f"/api/hsds/services?taxonomy_term_id={term_id}&search=こども食堂&per_page=100"
    )
    # then only children's cafeterias come back
    assert page["total_items"] == Service.objects.filter(x_kind="kodomo_shokudo").count()


def test_it_returns_a_fully_nested_service(demo_directory: int, client: Client) -> None:
    # given a longevity support centre
    service = Service.objects.filter(x_kind="longevity_centre").first()
    # when it is fetched
    body = _get(client, f"/api/hsds/services/{service.id}")
    # then locations, schedules, phones and the organisation are nested
    assert body["service_at_locations"][0]["location"]["addresses"]
    assert body["schedules"][0]["byday"] == "MO,TU,WE,TH,FR,SA"
    assert body["organization"]["id"] == service.organization_id


def test_it_never_shows_confidential_places(
    shelter: tuple[Service, Location], client: Client
) -> None:
    # given a confidential shelter
    service, location = shelter
    # when everything public is read
    urls = [f"/api/hsds/services?per_page=100&page={p}" for p in range(1, 6)]
    urls += [f"/api/hsds/organizations?per_page=100&page={p}" for p in range(1, 6)]
    urls += [f"/api/hsds/organizations/{service.organization_id}"]
    body = "".join(Client().get(u).content.decode() for u in urls)
    # then neither the place nor the service appears, and direct links are 404
    assert location.id not in body and location.name not in body
    assert service.id not in body
    assert client.get(f"/api/hsds/services/{service.id}").status_code == 404


def test_it_lists_taxonomies_and_terms(demo_directory: int, client: Client) -> None:
    # given the demo taxonomy
    taxonomies = _get(client, "/api/hsds/taxonomies")
    # when its terms are listed
    terms = _get(
        client,
        f"/api/hsds/taxonomy_terms?taxonomy_id={taxonomies['contents'][0]['id']}&per_page=50",
    )
    # then every kind is there and one term can be fetched alone
    assert terms["total_items"] >= 10
    assert _get(client, f"/api/hsds/taxonomy_terms/{terms['contents'][0]['id']}")["name"]


@pytest.mark.parametrize(
    "url", ["/api/hsds/services/nope", "/api/hsds/organizations/nope", "/api/hsds/taxonomies/nope"]
)
def test_it_answers_404_for_unknown_ids(db: None, client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


def test_it_caps_the_page_size(full_demo_directory: int, client: Client) -> None:
    # given hundreds of services; when a huge page is asked for; then 100 come back
    page = _get(client, "/api/hsds/services?per_page=100000")
    assert page["size"] == 100
    assert json.dumps(page)


def test_it_lists_services_at_locations_by_town_without_shelters(
    shelter: tuple[Service, Location], client: Client
) -> None:
    # given a shelter in the same town as a public salon
    service, location = shelter
    town = Location.objects.filter(x_confidential=False).exclude(x_town="").first().x_town
    Location.objects.filter(id=location.id).update(x_town=town)
    # when services at locations in that town are listed
    page = _get(client, f"/api/hsds/service_at_locations?town={town}&per_page=100")
    # then places in the town are there, but never the shelter
    assert page["contents"]
    assert all(item["location"]["x_town"] == town for item in page["contents"])
    assert location.id not in json.dumps(page) and service.id not in json.dumps(page)
    one = page["contents"][0]["id"]
    assert _get(client, f"/api/hsds/service_at_locations/{one}")["location"]["id"]
