"""English and やさしい日本語 pages read the directory in the reader's
language: romaji towns and addresses, English descriptions where the entry
has one (or a plain notice), distinct card titles, and readings (ruby) for
towns and for names the directory gives a kana reading."""

from __future__ import annotations

import re

from django.test import Client

from tsunagari.public.display import address_en, card_titles, name_with_reading
from tsunagari.resources.demo import build_directory
from tsunagari.resources.models import Address, Location, Service, ServiceAtLocation
from tsunagari.resources.towns import TOWN_INFO, TOWNS


def _salon_in(town: str) -> Service:
    service = Service.objects.filter(x_kind="salon", is_public=True).order_by("id").first()
    location_id = ServiceAtLocation.objects.get(service_id=service.id).location_id
    Location.objects.filter(id=location_id).update(x_town=town)
    Address.objects.filter(location_id=location_id).update(address_1=f"{town}3-12-5", city="江東区")
    Service.objects.filter(id=service.id).update(towns=f"|{town}|")
    return Service.objects.get(id=service.id)


def test_it_shows_romaji_town_and_address_in_english(directory: int, client: Client) -> None:
    # given a salon in 北砂 at 北砂3-12-5
    salon = _salon_in("北砂")
    # when the English list of places in the town and the place's page are read
    listing = client.get("/public/basho/?lang=en&town=北砂").content.decode()
    body = client.get(f"/public/basho/{salon.id}/?lang=en").content.decode()
    # then the town and the address are in romaji
    assert '<span class="badge">Kitasuna</span>' in listing
    assert '<option value="北砂" selected>Kitasuna</option>' in listing
    assert "3-12-5 Kitasuna, Koto City" in body
    assert "江東区北砂3-12-5" not in body


def test_it_never_shows_two_cards_with_one_title_in_a_town_listing(
    directory: int, client: Client
) -> None:
    # given two salons elsewhere carrying the same generic English name, and one in 北砂
    salons = list(Service.objects.filter(x_kind="salon", is_public=True).order_by("id")[:3])
    for s, town in zip(salons, ("東雲", "東雲", "北砂"), strict=True):
        Service.objects.filter(id=s.id).update(
            alternate_name="Neighbourhood salon", towns=f"|{town}|"
        )
    # when the English list of salons is read
    body = client.get("/public/basho/?lang=en&kind=salon").content.decode()
    titles = re.findall(r'<h3><a href="/public/basho/[^"]+/">(.*?)</a></h3>', body)
    # then no two cards read the same, and the town tells them apart
    assert len(titles) == len(set(titles))
    assert "Neighbourhood salon (Kitasuna)" in titles
    assert sum(t.startswith("Neighbourhood salon (Shinonome)") for t in titles) == 2


def test_it_says_the_description_is_in_japanese_only_when_there_is_no_english(
    directory: int, client: Client
) -> None:
    # given a salon without an English description and a window with one
    salon = Service.objects.filter(x_kind="salon", is_public=True).order_by("id").first()
    salon.extra = {}
    salon.save(update_fields=["extra"])
    window = Service.objects.filter(x_kind="consultation", is_public=True).order_by("id").first()
    window.extra = {"x_description_en": "Any worry: we listen."}
    window.save(update_fields=["extra"])
    # when their English pages are read
    salon_page = client.get(f"/public/basho/{salon.id}/?lang=en").content.decode()
    window_page = client.get(f"/public/basho/{window.id}/?lang=en").content.decode()
    # then the salon says so and keeps the Japanese, marked as Japanese; the window is in English
    assert "Description in Japanese only" in salon_page
    assert f'<span lang="ja">{salon.description}</span>' in salon_page
    assert "Any worry: we listen." in window_page
    assert "Description in Japanese only" not in window_page
    assert window.description not in window_page


def test_it_gives_readings_for_towns_addresses_and_kana_names_in_easy_japanese(
    directory: int, client: Client
) -> None:
    # given a salon in 北砂 whose entry has a kana name, and one without
    salon = _salon_in("北砂")
    Service.objects.filter(id=salon.id).update(
        name="ふれあいサロン 北砂ひまわり", extra={"x_name_kana": "ふれあいさろん きたすなひまわり"}
    )
    other = Service.objects.filter(x_kind="salon", is_public=True).exclude(id=salon.id).first()
    Service.objects.filter(id=other.id).update(name="居場所 大島", extra={})
    # when the やさしい日本語 pages are read
    listing = client.get("/public/basho/?yasashii=1&town=北砂").content.decode()
    body = client.get(f"/public/basho/{salon.id}/").content.decode()
    other_body = client.get(f"/public/basho/{other.id}/").content.decode()
    # then towns, the address and the name carry readings; a name without kana has none
    ruby = "<ruby>北砂<rp>（</rp><rt>きたすな</rt><rp>）</rp></ruby>"
    assert f'<span class="badge">{ruby}</span>' in listing
    assert "北砂（きたすな）</option>" in listing
    assert f"<ruby>江東区<rp>（</rp><rt>こうとうく</rt><rp>）</rp></ruby>{ruby}3-12-5" in body
    assert f"<h1>ふれあいサロン {ruby}ひまわり</h1>" in body
    assert "<h1>居場所 大島</h1>" in other_body


def test_it_escapes_hostile_names_and_readings() -> None:
    # given markup in a name and its reading; when ruby is made; then it is text
    html = name_with_reading("<script>北砂</script>", "<script>きたすな</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    huge = "北" * 5000
    assert str(name_with_reading(huge, "き" * 5000)).count("<ruby>") == 1


def test_it_reads_only_ward_addresses_as_romaji() -> None:
    assert address_en("北砂３丁目12番5号", "江東区") == "3-12-5 Kitasuna, Koto City"
    assert address_en("新大橋1-2", "") == "1-2 Shin-Ohashi, Koto City"
    for line, city in (("北砂", "江東区"), ("大阪1-2-3", "江東区"), ("北砂1-2-3 ビル", "江東区"),
                       ("北砂1-2-3", "墨田区"), ("", ""), ("1" * 10000, "江東区")):  # fmt: skip
        assert address_en(line, city) is None


def test_it_knows_every_town_reading_and_romaji() -> None:
    assert TOWN_INFO["北砂"].romaji == "Kitasuna" and TOWN_INFO["東雲"].reading == "しののめ"
    assert all(TOWN_INFO[t].reading and TOWN_INFO[t].romaji.isascii() for t in TOWNS)


def test_it_gives_every_demo_entry_its_own_title() -> None:
    # given the whole demo directory; then no two entries share a name in either language
    services = build_directory(7)["services"]
    for key in ("name", "alternate_name"):
        names = [s[key] for s in services]
        assert len(names) == len(set(names)), key
    assert sum(1 for s in services if s.get("x_description_en")) >= 5
    assert sum(1 for s in services if s.get("x_name_kana")) >= 5


def test_it_adds_the_town_only_where_titles_repeat() -> None:
    a = Service(id="a", name="サロンA", alternate_name="Salon", towns="|北砂|")
    b = Service(id="b", name="サロンB", alternate_name="Salon", towns="|東雲|")
    c = Service(id="c", name="サロンC", alternate_name="Café Aozora", towns="|北砂|")
    titles = card_titles([a, b, c], "en")
    assert (titles["a"], titles["b"], titles["c"]) == (
        "Salon (Kitasuna)",
        "Salon (Shinonome)",
        "Café Aozora",
    )
