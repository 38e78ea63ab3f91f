"""Japanese street addresses: prefecture, city, town, 丁目-番地-号, building, room.

Reading rules (in this order):

1. NFKC; a leading postcode (〒135-0001) is dropped; every dash-like
   character (－ ‐ ― ー − ─ …) between digits becomes "-", and so does の
   between digits (12番地の5); kanji numerals before 丁目/番/号 become digits.
2. An optional prefecture (the 47 names), then an optional city (…市…区,
   …郡…町, …市/区/町/村).
3. The town: a known Koto City town (longest name first), or else the text
   up to the first number.
4. Numbers: markers decide (3丁目, 12番/12番地, 5号, 203号室); unmarked
   numbers joined by "-" fill 丁目, 番地, 号, room in that order. The first
   unmarked number is the 丁目 when the town is known to have 丁目, or when
   three or more numbers are given; otherwise it is the 番地.
5. What follows is the building; a trailing number (203, 203号室, A-203)
   is the room.

``key`` is ``town_key + "丁目-番地-号"`` (``北砂3-12-5``); without 丁目 it is
``town_key + "番地-号"``. ``town_key`` folds variant kanji, ヶ/ケ/が/ガ -> ケ
and ノ/之 -> の and drops a leading 大字/字.
"""

from __future__ import annotations

import re
import unicodedata
from importlib.resources import files

from tsunagari.text._cache import short_text_cache
from tsunagari.text.kanji import fold_kanji
from tsunagari.text.numerals import kanji_to_int
from tsunagari.text.result import Address, TextError

__all__ = ["HOME_CITY", "KNOWN_TOWNS", "parse_address", "town_key"]

HOME_CITY = "江東区"

PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()


def _load_towns() -> dict[str, bool]:
    text = (files("tsunagari.text") / "data" / "koto_towns.tsv").read_text(encoding="utf-8")
    towns: dict[str, bool] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("town\t"):
            continue
        town, has_chome = line.split("\t")[:2]
        towns[town] = has_chome.strip() == "1"
    return towns


KNOWN_TOWNS: dict[str, bool] = _load_towns()
"""Koto City towns -> whether the town is divided into 丁目."""

_KNOWN_BY_KEY: dict[str, bool] = {}

_DASH_CHARS = "\\-‐‑‒–—―−ー─━﹣~〜～"
_RE_POSTCODE = re.compile(r"^〒?\s*\d{3}\s*-?\s*\d{4}\s+|^〒\s*\d{3}\s*-?\s*\d{4}")
_RE_DIGIT_DASH = re.compile(rf"(?<=\d)\s*[{_DASH_CHARS}]+\s*(?=\d)")
_RE_DIGIT_NO = re.compile(r"(?<=\d)の(?=\d)")
_RE_KANJI_NUM = re.compile(r"([〇一二三四五六七八九十百]+)(?=\s*(?:丁目|番|号))")
_PREFECTURE_SET = frozenset(PREFECTURES)
# cities whose own name holds 市 or 郡, which the general rule would cut short
_CITY_EXCEPTIONS = "四日市市|廿日市市|野々市市|大和郡山市|郡山市|郡上市"
_RE_CITY = re.compile(
    rf"(?:{_CITY_EXCEPTIONS})|(?:[^\s\d\-]+?郡)?(?:[^\s\d\-]+?市[^\s\d\-]+?区|[^\s\d\-]+?[市区町村])"
)
_KNOWN_SPELLINGS = frozenset([*KNOWN_TOWNS, "夢ノ島", "海ノ森"])
_TOWN_LENGTHS = sorted({len(t) for t in _KNOWN_SPELLINGS}, reverse=True)
_RE_GENERIC_TOWN = re.compile(r"[^\s\d\-]+?(?=\d|\s|-|$)")
# the shapes most rows take (3-12-5, 3丁目12番5号, 3-12-5-203), read in one match
_RE_FAST = re.compile(
    r"(\d{1,4})(?:丁目-?|-)(\d{1,6})(?:番地?|-)(\d{1,6})号?(?:-(\d{1,5})(?:号室)?)?(?![\d番号丁の\-])"
)
_RE_CHOME = re.compile(r"\s*(\d{1,4})\s*丁目\s*-?")
_RE_NUMBER = re.compile(r"\s*(\d{1,6})\s*(番地の?|番|号室|号|-)?")
_RE_ROOM = re.compile(r"(?:^|[\s\-#])?([A-Za-z]?-?\d{1,5}[A-Za-z]?)\s*(?:号室|号)?$")
_TOWN_FOLD = str.maketrans({"ヶ": "ケ", "が": "ケ", "ガ": "ケ", "ｹ": "ケ", "ノ": "の", "之": "の"})


def _error(reason: str, reason_ja: str) -> TextError:
    return TextError("address", reason, reason_ja)


@short_text_cache(maxsize=1 << 14, max_len=64)
def town_key(town: str) -> str:
    """Return the comparison key of a town name (町名).

    Args:
        town: a town name such as "夢ノ島" or "霞ヶ関".

    Returns:
        NFKC, variant kanji folded, ヶ/ケ/が/ガ -> ケ, ノ/之 -> の, no spaces,
        and a leading 大字 or 字 dropped.

    Example:
        >>> town_key("夢ノ島") == town_key("夢の島")
        True
    """
    s = fold_kanji(unicodedata.normalize("NFKC", town)).translate(_TOWN_FOLD)
    # NFKC again: removing a space NFKC made (¯ -> " ̄") can leave a
    # combining mark that composes with the letter before it; the key of a
    # key must be the key itself.
    s = unicodedata.normalize("NFKC", "".join(s.split()))
    while True:
        prefix = next((p for p in ("大字", "字") if s.startswith(p) and len(s) > len(p)), None)
        if prefix is None:
            return s
        s = s[len(prefix) :]


for _town, _chome in KNOWN_TOWNS.items():
    _KNOWN_BY_KEY[town_key(_town)] = _chome


# 丁目/番/号 numerals are few (一 … 九十九): each is read once.
_NUMERAL_DIGITS: dict[str, str] = {}


def _kanji_numbers(match: re.Match[str]) -> str:
    numeral = match.group(1)
    digits = _NUMERAL_DIGITS.get(numeral)
    if digits is None:
        value = kanji_to_int(numeral)
        digits = numeral if value is None else str(value)
        if len(_NUMERAL_DIGITS) < 4096:
            _NUMERAL_DIGITS[numeral] = digits
    return digits


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip()
    # each rewrite runs only when its trigger is present: most rows need few
    if s[:1] == "〒" or s[:3].isdigit():
        s = _RE_POSTCODE.sub("", s)
    if "丁目" in s or "番" in s or "号" in s:
        s = _RE_KANJI_NUM.sub(_kanji_numbers, s)
    s = _RE_DIGIT_DASH.sub("-", s)
    if "の" in s:
        s = _RE_DIGIT_NO.sub("-", s)
    return " ".join(s.split())


def _match_known_town(s: str) -> str | None:
    for length in _TOWN_LENGTHS:
        if s[:length] in _KNOWN_SPELLINGS:
            return s[:length]
    return None


def _split_place(s: str) -> tuple[str, str, str, str]:
    """Return (prefecture, city, town, rest)."""
    prefecture = city = ""
    for length in (3, 4):
        if s[:length] in _PREFECTURE_SET:
            prefecture = s[:length]
            s = s[length:].lstrip()
            break
    if town := _match_known_town(s):
        return prefecture, city, town, s[len(town) :]
    if m := _RE_CITY.match(s):
        rest = s[m.end() :].lstrip()
        if rest and not rest[0].isdigit() and rest[0] != "-":
            city, s = m.group(0), rest
        elif not rest and m.group(0)[-1] in "市区":
            return prefecture, m.group(0), "", ""
    if town := _match_known_town(s):
        return prefecture, city, town, s[len(town) :]
    if m := _RE_GENERIC_TOWN.match(s):
        return prefecture, city, m.group(0), s[m.end() :]
    return prefecture, city, "", s


def _numbers(rest: str, has_chome: bool | None) -> tuple[int | None, list[str | None], str]:
    """Read 丁目, 番地, 号, room from the start of rest; return the unread tail."""
    chome: int | None = None
    slots: list[str | None] = [None, None, None]  # banchi, go, room
    pos = 0
    if m := _RE_CHOME.match(rest):
        chome = int(m.group(1))
        pos = m.end()
    items: list[tuple[str, str | None]] = []
    while m := _RE_NUMBER.match(rest, pos):
        items.append((str(int(m.group(1))), m.group(2)))
        pos = m.end()
        if m.group(2) in (None, "号室"):
            break
    unmarked_run = 0
    for _, marker in items:
        if marker not in (None, "-"):
            break
        unmarked_run += 1
    # slot index: 0 chome, 1 banchi, 2 go, 3 room
    p = 1
    if chome is None and items and items[0][1] in (None, "-"):
        chome_first = has_chome if has_chome is not None else unmarked_run >= 3
        p = 0 if chome_first else 1
    for number, marker in items:
        if marker in ("番地", "番地の", "番"):
            p = 1
        elif marker == "号":
            p = 2
        elif marker == "号室":
            p = 3
        if p == 0:
            chome = int(number)
        elif p <= 3:
            slots[p - 1] = number
        else:
            # 北砂3-12-5-2-203: numbers past the room number are kept in it
            slots[2] = f"{slots[2]}-{number}"
        p += 1
    return chome, slots, rest[pos:]


def parse_address(text: str) -> Address | TextError:
    """Read a Japanese address.

    Accepted, among others: 東京都江東区北砂三丁目12番5号,
    江東区北砂3-12-5 ○○ハイツ203, 北砂３－１２－５－２０３, 北砂3丁目12-5,
    北砂3丁目12番地の5, 〒136-0073 北砂3-12-5 203号室. 東京都 and 江東区 are
    optional; the towns of Koto City are known, other towns are read by
    the general rule (see the module docstring).

    Args:
        text: the address as written.

    Returns:
        An :class:`Address`, or a :class:`TextError` when the text is empty,
        too long or has no town name.

    Example:
        >>> a = parse_address("東京都江東区北砂三丁目12番5号")
        >>> a.key, a.block_key
        ('北砂3-12-5', '北砂3')
    """
    if not text.strip():
        return _error("The address is empty.", "住所が空です。")
    if len(text) > 300:
        return _error(
            "The address is too long (over 300 characters).", "住所が長すぎます（300文字以内）。"
        )
    s = _normalise(text)
    prefecture, city, town, rest = _split_place(s)
    town = town.strip()
    if not town or (
        town not in _KNOWN_SPELLINGS
        and not any(unicodedata.category(ch).startswith("L") for ch in town)
    ):
        return _error(
            "The town name (町名) is missing: write it before the numbers, e.g. 北砂3-12-5.",
            "町名がありません。北砂3-12-5 のように町名から入力してください。",
        )
    tkey = town_key(town)
    has_chome = _KNOWN_BY_KEY.get(tkey)
    chome: int | None
    banchi: str | None
    go: str | None
    room: str | None
    fast = _RE_FAST.match(rest.lstrip()) if has_chome is not False else None
    if fast:
        chome, banchi, go = int(fast[1]), str(int(fast[2])), str(int(fast[3]))
        room = fast[4]
        tail = rest.lstrip()[fast.end() :]
    else:
        chome, (banchi, go, room), tail = _numbers(rest, has_chome)
    tail = tail.strip(" -,、")
    building: str | None = None
    if tail:
        if room is None and (m := _RE_ROOM.search(tail)):
            room = m.group(1).lstrip("-")
            building = tail[: m.start()].strip(" -,、#") or None
        else:
            building = tail
    if room is not None and room.isdigit():
        room = str(int(room))
    parts = [x for x in (banchi, go) if x is not None]
    if chome is not None:
        key = f"{tkey}{chome}" + "".join(f"-{x}" for x in parts)
        block_key = f"{tkey}{chome}"
    else:
        key = tkey + "-".join(parts)
        block_key = tkey
    return Address(
        prefecture=prefecture,
        city=city,
        town=town,
        chome=chome,
        banchi=banchi,
        go=go,
        building=building,
        room=room,
        key=key,
        town_key=tkey,
        block_key=block_key,
    )
