"""Residents search places by their accessibility profile and read it on the
place's page in plain words (icon, name and a word for each answer)."""

from __future__ import annotations

from django.test import Client

from tsunagari.resources.accessibility import record_accessibility
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES
from tsunagari.resources.models import GATHERING_KINDS, Service, ServiceAtLocation


def _salon() -> tuple[Service, str]:
    service = Service.objects.filter(is_public=True, x_kind="salon").order_by("id").first()
    assert service is not None
    return service, ServiceAtLocation.objects.get(service_id=service.id).location_id


def test_it_filters_places_on_the_profile(client: Client, directory: int) -> None:
    # given a salon with a hearing loop and one without any recorded
    service, place = _salon()
    profile = dict.fromkeys(ACCESSIBILITY_FEATURES, "no") | {"hearing_loop": "yes"}
    record_accessibility(place, profile, "", seen=None, actor=None)
    # when a resident asks for a hearing loop
    body = client.get("/public/basho/", {"access": "hearing_loop"}).content.decode()
    # then the salon is listed, and places with no hearing loop (or unknown) are not
    assert f"/public/basho/{service.id}/" in body
    with_loop = Service.objects.filter(
        is_public=True, access_features__contains="|hearing_loop|", x_kind__in=GATHERING_KINDS
    ).count()
    assert f">{with_loop}件見つかりました" in body
    # and asking for a feature it lacks leaves it out
    body = client.get("/public/basho/", {"access": ["hearing_loop", "lift"]}).content.decode()
    assert f"/public/basho/{service.id}/" not in body


def test_it_shows_the_profile_in_plain_words_in_every_variant(
    client: Client, directory: int
) -> None:
    service, place = _salon()
    profile = dict.fromkeys(ACCESSIBILITY_FEATURES, "unknown") | {"lift": "yes", "braille": "no"}
    record_accessibility(place, profile, "入口は裏です", seen=None, actor=None)
    ja = client.get(f"/public/basho/{service.id}/").content.decode()
    assert "エレベーター" in ja and "あり" in ja and "未確認" in ja and "入口は裏です" in ja
    assert 'class="access-icon"' in ja
    assert "まだ確かめていない項目" in ja
    easy = client.get(f"/public/basho/{service.id}/?yasashii=1").content.decode()
    assert "てんじの あんない" in easy and "ありません" in easy
    en = client.get(f"/public/basho/{service.id}/?lang=en").content.decode()
    assert "Lift" in en and "Not checked" in en
