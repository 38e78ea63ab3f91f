"""How offices write values: dates, addresses, phones, kana, variant kanji.

Pure functions of their arguments (and of the random stream they are given),
written from how Japanese municipal and community records look.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from thirdgen import data
from thirdgen.world import Address

# --- characters ---------------------------------------------------------

FULLWIDTH_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")
_KATA_TO_HIRA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}


def to_hiragana(text: str) -> str:
    return text.translate(_KATA_TO_HIRA)


def _halfwidth_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        full = unicodedata.normalize("NFKC", half)
        if len(full) == 1 and "\u30a0" <= full <= "\u30ff":
            table.setdefault(ord(full), half)
    for code in range(ord("ァ"), ord("ヺ") + 1):
        full = chr(code)
        if code in table:
            continue
        decomposed = unicodedata.normalize("NFD", full)
        if len(decomposed) == 2 and ord(decomposed[0]) in table:
            mark = "ﾞ" if decomposed[1] == "\u3099" else "ﾟ"
            table[code] = table[ord(decomposed[0])] + mark
    table[ord("ヰ")] = "ｲ"
    table[ord("ヱ")] = "ｴ"
    table[ord("ヮ")] = "ﾜ"
    table[ord("ヵ")] = "ｶ"
    table[ord("ヶ")] = "ｹ"
    table[ord("　")] = " "
    table[ord("・")] = "･"
    return table


_HALF = _halfwidth_table()


def to_halfwidth_kana(text: str) -> str:
    return text.translate(_HALF)


_KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    """12 -> 十二, 30 -> 三十, 5 -> 五 (the way 丁目 and old 番地 are written)."""
    if n < 10:
        return _KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _KANJI_DIGITS[tens]
    return f"{head}十{_KANJI_DIGITS[ones] if ones else ''}"


# --- variant kanji -----------------------------------------------------

VARIANT_GROUP: dict[str, str] = {}
for _group in data.KANJI_VARIANTS:
    for _ch in _group:
        VARIANT_GROUP.setdefault(_ch, _group)


def variant_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch in VARIANT_GROUP]


def official_form(text: str, rng: random.Random, rare_share: float = 0.15) -> str:
    """The registry's form: some residents are registered with the old character."""
    out = list(text)
    for i in variant_positions(text):
        group = VARIANT_GROUP[out[i]]
        if rng.random() < rare_share:
            out[i] = rng.choice(group[1:])
        else:
            out[i] = group[0]
    return "".join(out)


def swap_variant(text: str, rng: random.Random) -> tuple[str, str]:
    """Another office's form of `text`: the common character for a rare one
    (a system without 外字), a rare one for the common (the resident wrote it),
    or 〓 where the extract could not convert the 外字. Returns (text, detail)."""
    positions = variant_positions(text)
    if not positions:
        return text, ""
    i = rng.choice(positions)
    ch = text[i]
    group = VARIANT_GROUP[ch]
    if ch != group[0]:
        new = "〓" if rng.random() < 0.05 else group[0]
    else:
        new = rng.choice(group[1:])
    return text[:i] + new + text[i + 1 :], f"{ch}>{new}"


# --- kana typos --------------------------------------------------------

_SMALL = set("ャュョァィゥェォッ")
_VOICING = dict(
    zip(
        "カキクケコサシスセソタチツテトハヒフヘホガギグゲゴザジズゼゾダヂヅデドバビブベボ",
        "ガギグゲゴザジズゼゾダヂヅデドバビブベボカキクケコサシスセソタチツテトハヒフヘホ",
        strict=True,
    )
)
_CONFUSED = {
    "ヅ": "ズ",
    "ズ": "ヅ",
    "ヂ": "ジ",
    "ジ": "ヂ",
    "ウ": "ー",
    "ー": "ウ",
    "オ": "ウ",
    "ヲ": "オ",
    "シ": "ツ",
    "ツ": "シ",
    "ソ": "ン",
    "ン": "ソ",
}


def morae(kana: str) -> list[str]:
    out: list[str] = []
    for ch in kana:
        if out and ch in _SMALL - {"ッ"} and out[-1] not in ("　", " "):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def kana_typo(kana: str, rng: random.Random) -> tuple[str, str]:
    """Change one mora: a voicing mark, a look-alike (ソ/ン, シ/ツ), a long vowel
    written ウ or ー, a dropped ッ or a dropped mora."""
    units = morae(kana)
    positions = [i for i, u in enumerate(units) if u not in ("　", " ")]
    if len(positions) < 3:
        return kana, ""
    i = rng.choice(positions)
    unit = units[i]
    head = unit[0]
    roll = rng.random()
    if unit == "ッ" or roll < 0.15:
        units[i] = ""
        kind = "dropped"
    elif head in _CONFUSED and roll < 0.6:
        units[i] = _CONFUSED[head] + unit[1:]
        kind = "confused"
    elif head in _VOICING:
        units[i] = _VOICING[head] + unit[1:]
        kind = "voicing"
    else:
        units.insert(i + 1, "ー" if rng.random() < 0.5 else "ッ")
        kind = "inserted"
    return "".join(units), kind


# --- dates ---------------------------------------------------------------

ERAS = (
    (dt.date(2019, 5, 1), "令和", "R"),
    (dt.date(1989, 1, 8), "平成", "H"),
    (dt.date(1926, 12, 25), "昭和", "S"),
    (dt.date(1912, 7, 30), "大正", "T"),
    (dt.date(1868, 1, 25), "明治", "M"),
)


def wareki(d: dt.date) -> tuple[str, str, int]:
    for start, name, letter in ERAS:
        if d >= start:
            return name, letter, d.year - start.year + 1
    raise ValueError(f"date before 明治: {d}")


def format_date(d: dt.date, style: str) -> str:
    if style == "iso":
        return d.isoformat()
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "slash0":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "compact":
        return f"{d.year}{d.month:02d}{d.day:02d}"
    if style == "seireki_kanji":
        return f"{d.year}年{d.month}月{d.day}日"
    era, letter, year = wareki(d)
    if style == "wareki":
        y = "元" if year == 1 else str(year)
        return f"{era}{y}年{d.month}月{d.day}日"
    if style == "wareki_fw":
        y = "元" if year == 1 else str(year)
        return f"{era}{y}年{d.month}月{d.day}日".translate(FULLWIDTH_DIGITS)
    if style == "wareki_abbr":
        return f"{letter}{year}.{d.month}.{d.day}"
    if style == "wareki_abbr0":
        return f"{letter}{year:02d}.{d.month:02d}.{d.day:02d}"
    if style == "wareki_slash":
        return f"{letter}{year}/{d.month}/{d.day}"
    if style == "wareki_dot":
        return f"{era}{year}.{d.month}.{d.day}"
    raise ValueError(f"unknown date style {style!r}")


DATE_STYLES = (
    "iso",
    "slash",
    "slash0",
    "compact",
    "seireki_kanji",
    "wareki",
    "wareki_fw",
    "wareki_abbr",
    "wareki_abbr0",
    "wareki_slash",
    "wareki_dot",
)


def vague_birth(d: dt.date, noted_on: dt.date, rng: random.Random) -> tuple[str, str]:
    """What a community worker writes when the date of birth is not known."""
    age = noted_on.year - d.year - ((noted_on.month, noted_on.day) < (d.month, d.day))
    roll = rng.random()
    if roll < 0.2:
        return "", "missing"
    if roll < 0.4:
        era, _, year = wareki(d)
        year = max(1, year + rng.choice((0, 0, 0, -1, 1)))
        return (
            f"{era}{'元' if year == 1 else year}年{rng.choice(('頃', '頃', '生', 'ごろ'))}",
            "era_year",
        )
    if roll < 0.65:
        decade = age // 10 * 10
        tail = rng.choice(("代", "代", "代後半" if age % 10 >= 5 else "代前半", "歳代"))
        return f"{decade}{tail}", "decade"
    if roll < 0.9:
        guess = age + rng.choice((0, 0, -1, 1, -2, 2))
        return rng.choice(
            (f"{guess}歳位", f"{guess}歳くらい", f"推定{guess}歳", f"{guess}才")
        ), "age"
    return f"{d.year}年生", "year"


# --- addresses -----------------------------------------------------------

HYPHENS = ("-", "-", "－", "‐", "−", "ー", "―", "ｰ")


def format_address(a: Address, style: dict[str, str]) -> str:
    """Write an address. Keys of `style`: prefix (full|ku|none), chome
    (kanji|arabic|hyphen), banchi (bango|banchi|hyphen|kanji), digits
    (ascii|full), hyphen (one character), building (name_room|room|name|none),
    sep ("", " ", "　"), room (goshitsu|go|plain)."""
    if a.outside:
        text = a.outside
        if style.get("banchi") == "hyphen":
            text = text.replace("丁目", "-", 1).replace("番", "-", 1).replace("号", "", 1)
        return text.translate(FULLWIDTH_DIGITS) if style.get("digits") == "full" else text
    hy = style.get("hyphen", "-")
    prefix = {"full": "東京都江東区", "ku": "江東区", "none": "", "to": "東京都江東区"}[
        style.get("prefix", "full")
    ]
    chome_style = style.get("chome", "kanji")
    banchi = style.get("banchi", "bango")
    full = style.get("digits") == "full"

    def num(n: int) -> str:
        s = str(n)
        return s.translate(FULLWIDTH_DIGITS) if full else s

    parts = [prefix, a.town]
    if a.chome:
        if chome_style == "kanji":
            parts.append(f"{kanji_number(a.chome)}丁目")
        elif chome_style == "arabic" or banchi != "hyphen":
            parts.append(f"{num(a.chome)}丁目")
        else:
            parts.append(f"{num(a.chome)}{hy}")
    if banchi == "bango":
        parts.append(f"{num(a.ban)}番{num(a.go)}号")
    elif banchi == "banchi":
        parts.append(f"{num(a.ban)}番地{num(a.go)}")
    elif banchi == "kanji":
        parts.append(f"{kanji_number(a.ban)}番{kanji_number(a.go)}号")
    else:
        parts.append(f"{num(a.ban)}{hy}{num(a.go)}")
    text = "".join(parts)
    building = style.get("building", "name_room")
    if a.building and building != "none":
        room_style = style.get("room", "goshitsu")
        room = num(int(a.room)) if a.room else ""
        if room_style == "goshitsu":
            room = f"{room}号室"
        elif room_style == "go":
            room = f"{room}号"
        sep = style.get("sep", "")
        if building == "name_room":
            text = f"{text}{sep}{a.building}{room}"
        elif building == "name":
            text = f"{text}{sep}{a.building}"
        elif building == "room":
            text = f"{text}{hy}{num(int(a.room))}" if banchi == "hyphen" else f"{text}{sep}{room}"
    return text


def partial_address(a: Address, rng: random.Random) -> tuple[str, str]:
    """What a note keeps of an address: the 丁目, the block, the building."""
    if a.outside:
        return a.outside.split("丁目")[0] + "丁目", "town"
    chome = f"{a.chome}丁目" if a.chome else ""
    roll = rng.random()
    if roll < 0.35:
        return f"{a.town}{chome}", "town"
    if roll < 0.6:
        return f"{a.town}{a.chome}-{a.ban}" if a.chome else f"{a.town}{a.ban}番", "block"
    if roll < 0.8 and a.building:
        return f"{a.town}{chome} {a.building}", "building"
    full = format_address(
        a, {"prefix": "none", "chome": "hyphen", "banchi": "hyphen", "building": "none"}
    )
    return full, "no_room" if a.building else "no_prefix"


# --- phones --------------------------------------------------------------


def format_phone(number: str, style: str) -> str:
    """`number` is 03-3647-1234 or 090-1234-5678."""
    a, b, c = number.split("-")
    if style == "hyphen":
        return number
    if style == "plain":
        return f"{a}{b}{c}"
    if style == "paren":
        return f"{a}({b}){c}"
    if style == "full":
        return number.translate(FULLWIDTH_DIGITS)
    if style == "local" and a == "03":
        return f"{b}-{c}"
    if style == "space":
        return f"{a} {b} {c}"
    if style == "label":
        return f"{'TEL' if a == '03' else '携帯'}:{number}"
    return number


PHONE_STYLES = ("hyphen", "plain", "paren", "full", "local", "space", "label")
