"""Addresses: town, 丁目-番地-号, building and room."""

from __future__ import annotations

import pytest

from tsunagari.text import Address, TextError, parse_address
from tsunagari.text.addresses import KNOWN_TOWNS


def _parse(text: str) -> Address:
    result = parse_address(text)
    assert isinstance(result, Address), result
    return result


@pytest.mark.parametrize(
    "text",
    [
        "東京都江東区北砂三丁目12番5号",
        "東京都江東区北砂3丁目12番5号",
        "江東区北砂3-12-5",
        "北砂3-12-5",
        "北砂３－１２－５",
        "北砂3丁目12-5",
        "北砂3丁目12番地5",
        "北砂3丁目12番地の5",
        "北砂3丁目12の5",
        "北砂3ー12ー5",
        "北砂3‐12‐5",
        "北砂3―12―5",
        "北砂3−12−5",
        "北砂3─12─5",
        "北砂 3-12-5",
        "〒136-0073 東京都江東区北砂3-12-5",
        "〒1360073北砂3-12-5",
        "東京都 江東区 北砂 3-12-5",
    ],
)
def test_it_reads_every_spelling_of_one_address_to_one_key(text: str) -> None:
    address = _parse(text)
    assert (address.town, address.chome, address.banchi, address.go) == ("北砂", 3, "12", "5")
    assert (address.key, address.town_key, address.block_key) == ("北砂3-12-5", "北砂", "北砂3")


def test_it_reads_prefecture_and_city() -> None:
    address = _parse("東京都江東区北砂三丁目12番5号")
    assert (address.prefecture, address.city) == ("東京都", "江東区")
    assert (address.building, address.room) == (None, None)


def test_it_splits_off_building_and_room() -> None:
    address = _parse("江東区北砂3-12-5 ○○ハイツ203")
    assert (address.building, address.room) == ("○○ハイツ", "203")
    assert address.key == "北砂3-12-5"


def test_it_reads_a_fourth_number_as_the_room() -> None:
    address = _parse("北砂３－１２－５－２０３")
    assert (address.building, address.room) == (None, "203")


@pytest.mark.parametrize(
    ("text", "building", "room"),
    [
        ("北砂3-12-5 コーポ北砂 102号室", "コーポ北砂", "102"),
        ("北砂3-12-5 203号室", None, "203"),
        ("北砂3-12-5 203", None, "203"),
        ("亀戸六丁目31番1号 亀戸サンハイツ 1203", "亀戸サンハイツ", "1203"),
        ("北砂3-12-5 メゾン・ド・北砂", "メゾン・ド・北砂", None),
        ("北砂3-12-5 ハイツ北砂 A-203", "ハイツ北砂", "A-203"),
    ],
)
def test_it_reads_building_and_room_forms(
    text: str, building: str | None, room: str | None
) -> None:
    address = _parse(text)
    assert (address.building, address.room) == (building, room)


def test_it_reads_kanji_numerals_before_chome_ban_and_go() -> None:
    address = _parse("亀戸十丁目二十番三号")
    assert (address.chome, address.banchi, address.go) == (10, "20", "3")


def test_it_knows_every_koto_town() -> None:
    for town in KNOWN_TOWNS:
        address = _parse(f"江東区{town}1-2-3")
        assert address.town == town
        assert address.city == "江東区"


def test_it_reads_a_town_without_chome_as_banchi_and_go() -> None:
    address = _parse("江東区冬木11-17")
    assert (address.chome, address.banchi, address.go) == (None, "11", "17")
    assert address.key == "冬木11-17"
    assert address.block_key == "冬木"


def test_it_reads_a_town_name_that_starts_with_a_kanji_numeral() -> None:
    address = _parse("三好二丁目5番3号")
    assert (address.town, address.chome, address.banchi, address.go) == ("三好", 2, "5", "3")


def test_it_folds_the_town_name_in_the_key() -> None:
    assert _parse("夢ノ島2-1-1").key == _parse("夢の島2-1-1").key == "夢の島2-1-1"
    assert _parse("霞ヶ関1-2-3").town_key == _parse("霞が関1-2-3").town_key


def test_it_reads_an_unknown_town_by_the_general_rule() -> None:
    address = _parse("神奈川県横浜市港北区日吉本町1-2-3")
    assert (address.prefecture, address.city, address.town) == (
        "神奈川県",
        "横浜市港北区",
        "日吉本町",
    )
    assert (address.chome, address.banchi, address.go) == (1, "2", "3")


def test_it_reads_two_numbers_of_an_unknown_town_as_banchi_and_go() -> None:
    address = _parse("大字上野123番地4")
    assert (address.chome, address.banchi, address.go) == (None, "123", "4")
    assert address.town_key == "上野"


def test_it_reads_a_town_without_numbers() -> None:
    address = _parse("江東区北砂")
    assert (address.town, address.chome, address.key, address.block_key) == (
        "北砂",
        None,
        "北砂",
        "北砂",
    )


@pytest.mark.parametrize(
    "text", ["", "   ", "3-12-5", "江東区", "東京都江東区", "〒136-0073", "!!!", "x" * 400]
)
def test_it_rejects_an_address_without_a_town(text: str) -> None:
    result = parse_address(text)
    assert isinstance(result, TextError)
    assert result.field == "address"
    assert result.reason and result.reason_ja


@pytest.mark.parametrize(
    ("text", "city", "town"),
    [
        ("三重県四日市市諏訪町1-5", "四日市市", "諏訪町"),
        ("福島県郡山市朝日1-2-3", "郡山市", "朝日"),
        ("千葉県市川市八幡2-3-4", "市川市", "八幡"),
        ("大阪府大阪市北区梅田1-1-3", "大阪市北区", "梅田"),
        ("西多摩郡瑞穂町箱根ケ崎2335", "西多摩郡瑞穂町", "箱根ケ崎"),
    ],
)
def test_it_reads_cities_outside_the_ward(text: str, city: str, town: str) -> None:
    address = _parse(text)
    assert (address.city, address.town) == (city, town)


@pytest.mark.parametrize("text", ["Y¯", "北砂¯", "大字字北砂", "字 字北砂"])
def test_it_makes_a_town_key_that_is_its_own_key(text: str) -> None:
    # found by fuzzing: a space made by NFKC (¯ -> " ̄") left a combining mark
    # behind once spaces were removed, and 大字字 lost one prefix per pass
    from tsunagari.text import town_key

    key = town_key(text)
    assert town_key(key) == key
