"""Directory text as residents read it in each variant: town names and
addresses in romaji (English) or with readings (やさしい日本語), names and
descriptions in the reader's language where the directory has them.

Readings come only from data: the ward's town table and an entry's
``x_name_kana``. A name without a kana reading is shown without ruby,
never with a guessed one. Ruby is one group per word with ``<rp>``
brackets, so a screen reader (or a browser without ruby) reads
「北砂（きたすな）」 rather than characters split apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from tsunagari.resources.models import Address, Service
from tsunagari.resources.towns import CITY, TOWN_INFO, town_at_start

_KANJI = re.compile(r"[\u3400-\u9fff\u3005\u3006\uf900-\ufaff]+")
# 3-12-5, 3丁目12番5号, 3丁目12-5 … (after NFKC).
_BLOCK = re.compile(r"^(\d+)(?:丁目|-)?(?:(\d+)(?:番地|番|-)?)?(?:(\d+)号?)?$")


def ruby(base: str, reading: str) -> SafeString:
    return format_html("<ruby>{}<rp>（</rp><rt>{}</rt><rp>）</rp></ruby>", base, reading)


def town_label(town: str, variant: str) -> SafeString:
    info = TOWN_INFO.get(town)
    if info is None:
        return (
            format_html('<span lang="ja">{}</span>', town)
            if variant == "en"
            else format_html("{}", town)
        )
    if variant == "en":
        return format_html("{}", info.romaji)
    if variant == "easy":
        return ruby(info.name, info.reading)
    return format_html("{}", info.name)


def town_option(town: str, variant: str) -> str:
    """A town in a <select> (options hold plain text, no ruby)."""
    info = TOWN_INFO.get(town)
    if info is None:
        return town
    if variant == "en":
        return info.romaji
    if variant == "easy":
        return f"{info.name}（{info.reading}）"
    return info.name


def address_en(address_1: str, city: str) -> str | None:
    """``3-12-5 Kitasuna, Koto City`` from 「北砂3-12-5」 in 江東区, or
    None when the line is not a ward town followed by block numbers."""
    line = unicodedata.normalize("NFKC", address_1).strip().replace("ー", "-").replace("−", "-")
    town = town_at_start(line)
    if town is None:
        return None
    match = _BLOCK.match(line[len(town.name) :].strip())
    if match is None:
        return None
    numbers = "-".join(n for n in match.groups() if n)
    city_en = CITY.romaji if city.strip() in ("", CITY.name) else None
    if city_en is None:
        return None
    return f"{numbers} {town.romaji}, {city_en}"


def address_label(address: Address, variant: str) -> SafeString:
    if variant == "en":
        english = address_en(address.address_1, address.city)
        if english is not None:
            if address.address_2:
                return format_html('{} <span lang="ja">{}</span>', english, address.address_2)
            return format_html("{}", english)
        return format_html(
            '<span lang="ja">{}{}{}</span>', address.city, address.address_1, address.address_2
        )
    if variant == "easy":
        city = ruby(CITY.name, CITY.reading) if address.city == CITY.name else address.city
        town = town_at_start(address.address_1)
        if town is not None:
            rest = address.address_1[len(town.name) :]
            line = format_html("{}{}", ruby(town.name, town.reading), rest)
        else:
            line = format_html("{}", address.address_1)
        return format_html("{}{}{}", city, line, address.address_2)
    return format_html("{}{}{}", address.city, address.address_1, address.address_2)


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def name_with_reading(name: str, reading: str) -> SafeString:
    """Ruby over the kanji of ``name`` from its kana ``reading``: each run
    of kanji gets the part of the reading between the kana around it; if
    the reading does not line up with the name, one ruby over the whole."""
    reading = reading.strip()
    if not reading or not _KANJI.search(name):
        return format_html("{}", name)
    runs = [r for r in re.split(f"({_KANJI.pattern})", name) if r]
    pattern = ""
    for run in runs:
        if _KANJI.fullmatch(run):
            pattern += r"(\S+?)"
        else:
            # Spaces in the name must be in the reading too: they are what
            # keeps two runs of kanji apart.
            pattern += "".join(r"\s+" if c.isspace() else re.escape(_katakana(c)) for c in run)
    match = re.fullmatch(pattern, _katakana(reading))
    if match is None:
        return ruby(name, reading)
    readings = iter(
        reading[match.start(i) : match.end(i)] for i in range(1, len(match.groups()) + 1)
    )
    return format_html_join(
        "",
        "{}",
        ((ruby(run, next(readings)) if _KANJI.fullmatch(run) else run,) for run in runs),
    )


def _extra(service: Service, key: str) -> str:
    value = (service.extra or {}).get(key, "")
    return value.strip() if isinstance(value, str) else ""


def name_label(service: Service, variant: str) -> SafeString:
    if variant == "en":
        if service.alternate_name:
            return format_html("{}", service.alternate_name)
        return format_html('<span lang="ja">{}</span>', service.name)
    if variant == "easy":
        return name_with_reading(service.name, _extra(service, "x_name_kana"))
    return format_html("{}", service.name)


def name_text(service: Service, variant: str) -> str:
    """The name as plain text (the page title)."""
    return service.alternate_name if variant == "en" and service.alternate_name else service.name


def description_label(
    service: Service, variant: str, japanese_only: str, *, limit: int = 0
) -> SafeString:
    """The description in the reader's variant. In English, the entry's
    English description, or a plain notice and the Japanese text."""

    def cut(text: str) -> str:
        return text if not limit or len(text) <= limit else text[: limit - 1] + "…"

    if variant == "en":
        english = _extra(service, "x_description_en")
        if english:
            return format_html("{}", cut(english))
        if not service.description:
            return mark_safe("")
        return format_html(
            '<span class="ja-only">{}</span> <span lang="ja">{}</span>',
            japanese_only,
            cut(service.description),
        )
    if variant == "easy" and service.x_easy_description:
        return format_html("{}", service.x_easy_description)
    return format_html("{}", cut(service.description))


def japanese(text: str, variant: str) -> SafeString:
    """Directory text kept in Japanese, marked so on English pages (screen
    readers then read it with a Japanese voice)."""
    return (
        format_html('<span lang="ja">{}</span>', text)
        if variant == "en" and text
        else format_html("{}", text)
    )


def first_town(service: Service) -> str:
    return next((t for t in (service.towns or "").split("|") if t), "")


def card_titles(services: Iterable[Service], variant: str) -> dict[str, SafeString]:
    """Titles for a list of cards: where several share one title (a
    generic English name such as "Neighbourhood salon"), the town is added;
    where that still repeats (two in one town), the entry's own name too,
    so no two cards read the same."""
    services = list(services)
    plain = {s.id: name_text(s, variant) for s in services}
    counts = Counter(plain.values())
    titles: dict[str, SafeString] = {}
    for s in services:
        title = name_label(s, variant)
        town = first_town(s)
        if counts[plain[s.id]] > 1 and town:
            label = town_option(town, variant)
            if label not in plain[s.id]:
                title = (
                    format_html("{} ({})", title, town_label(town, variant))
                    if variant == "en"
                    else format_html("{}（{}）", title, town_label(town, variant))
                )
        titles[s.id] = title
    repeated = Counter(str(t) for t in titles.values())
    for s in services:
        if repeated[str(titles[s.id])] > 1 and name_text(s, variant) != s.name:
            titles[s.id] = format_html('{} <span lang="ja">{}</span>', titles[s.id], s.name)
    return titles
