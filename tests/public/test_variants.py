"""Japanese, やさしい日本語 and English; large text; no tracking."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tsunagari.resources.models import Service

PAGES = [
    "/public/",
    "/public/soudan/",
    "/public/soudan/?topic=elderly&town=北砂",
    "/public/basho/",
    "/public/kinkyu/",
]


def test_it_shows_easy_japanese_when_asked_and_remembers_it(directory: int, client: Client) -> None:
    # given a visitor who picks やさしい日本語
    first = client.get("/public/?yasashii=1")
    assert "そうだん" in first.content.decode()
    # when they go on to the place search
    body = client.get("/public/basho/").content.decode()
    # then it stays in easy Japanese, with the easy description
    easy = Service.objects.filter(x_kind="salon").first().x_easy_description
    assert "いける ばしょ" in body and easy in body
    assert 'lang="ja"' in body


def test_it_switches_to_english(directory: int, client: Client) -> None:
    body = client.get("/public/?lang=en").content.decode()
    assert '<html lang="en"' in body and "Where can I get help?" in body
    body = client.get("/public/basho/").content.decode()
    assert "Places to go and groups to join" in body


def test_it_goes_back_to_japanese(directory: int, client: Client) -> None:
    client.get("/public/?lang=en")
    body = client.get("/public/?lang=ja&yasashii=0").content.decode()
    assert '<html lang="ja"' in body and "どこに相談すればいいの？" in body


def test_it_offers_large_text(directory: int, client: Client) -> None:
    body = client.get("/public/?moji=1").content.decode()
    assert 'class="large-text"' in body
    assert 'class="large-text"' in client.get("/public/basho/").content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_it_makes_no_external_requests_and_needs_no_sign_in(
    directory: int, client: Client, url: str
) -> None:
    # given a public page read by nobody signed in
    response = client.get(url)
    body = response.content.decode()
    # then it is served, sets no cookie, and nothing on it loads from another site
    assert response.status_code == 200
    assert not response.cookies
    assert not re.search(r'(src|href|action)="(https?:)?//', body)
    assert "google" not in body.lower() and "analytics" not in body.lower()


def test_it_publishes_the_hsds_profile_the_api_points_to(db: None, client: Client) -> None:
    # given the API root; when the profile it names is fetched; then it lists the extensions
    profile_url = client.get("/api/hsds/").json()["profile"]
    body = client.get(profile_url.replace("http://testserver", "")).json()
    assert "x_confidential" in body["extensions"]["location"]
