"""The difficulties real extracts have, their default rates and how each
department writes its values.

A rate is a probability per eligible record (or person or household, as
`unit` says). Each source multiplies it by its weight, capped at 1, because
offices differ: the registry writes what the resident's documents say, a
legacy care system prints half-width kana for everyone, a 民生委員's notebook
rarely has a date of birth. The README is generated from this table's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OUTSIDE_BODIES = ("shakyo", "houkatsu", "minsei", "npo")
WARD_SYSTEMS = ("kaigo", "shogai", "seiho", "kosodate", "kenko")


@dataclass(frozen=True)
class Difficulty:
    name: str
    default: float
    unit: str
    what: str
    why: str
    weights: dict[str, float] = field(default_factory=dict)
    other: float = 1.0  # weight of the sources `weights` does not name

    def weight(self, source: str) -> float:
        return self.weights.get(source, self.other)


def _w(registry: float = 0.0, **others: float) -> dict[str, float]:
    return {"registry": registry, **others}


DIFFICULTIES: tuple[Difficulty, ...] = (
    Difficulty(
        "registry_dup",
        0.4,
        "person with an earlier 宛名番号 (registry only)",
        "A second registry record for one person: the old record of someone who moved out "
        "and back in (status 消除, the old address, sometimes the maiden surname), or a 住登外 "
        "record beside the later 住民 record (address outside Koto). Data-entry duplicates "
        "(status 住民, new number, often the older address) are added at rate/100 of all residents.",
        "宛名システム give a returning resident or a 住登外 person who registers a new number "
        "unless a clerk merges them (名寄せ), which is often left undone.",
        {"registry": 1.0},
        0.0,
    ),
    Difficulty(
        "stale_id",
        0.35,
        "department record of a person with an earlier 宛名番号",
        "The record carries the earlier 宛名番号 instead of the current one.",
        "Departments copy the number when the case opens and do not follow re-registration.",
        _w(kaigo=1.5, shogai=1.5, seiho=0.5, kosodate=0.3, kenko=1.0),
    ),
    Difficulty(
        "moved",
        0.3,
        "record of a person whose household moved (about 30% of households)",
        "The record holds the previous address (in Koto or outside).",
        "A change of address reaches the registry at once and other offices only when the "
        "resident tells them or a letter comes back.",
        _w(
            kaigo=0.8,
            shogai=1.2,
            seiho=0.2,
            kosodate=0.5,
            kenko=0.8,
            shakyo=1.5,
            houkatsu=1.0,
            minsei=0.5,
            npo=1.0,
        ),
    ),
    Difficulty(
        "surname_change",
        0.4,
        "record of a person whose surname changed (婚姻・離婚)",
        "The record holds the earlier surname (maiden name, or the married name before a "
        "divorce) and the address of that time, often the parents' home in Koto.",
        "Records opened before a marriage or divorce keep the old name until renewed.",
        _w(kosodate=0.3),
    ),
    Difficulty(
        "namesake",
        0.002,
        "person",
        "Another person (other household) is given exactly the same name and date of birth.",
        "Namesakes born on the same day exist in a ward of 540,000 (common surname and given name).",
        {s: 1.0 for s in ("registry", *WARD_SYSTEMS, *OUTSIDE_BODIES)},
    ),
    Difficulty(
        "household_split",
        0.3,
        "multi-generation household with a member aged 65+",
        "The registry gives the older generation its own 世帯番号 at the same address (世帯分離); "
        "the truth keeps one household.",
        "Families split the registry household to lower care and medical charges while living together.",
        {"registry": 1.0},
        0.0,
    ),
    Difficulty(
        "kanji_variant",
        0.6,
        "record whose name has a variant character",
        "One character in its other form (髙/高, 﨑/崎, 邊/邉/辺, 齋/齊/斎, 澤/沢, 𠮷/吉, 塚/塚 …), "
        "or 〓 where the extract could not convert a 外字.",
        "The registry keeps the 戸籍 form; systems without 外字 write the common form.",
        _w(shakyo=1.2, houkatsu=1.2, minsei=1.2, npo=1.2),
    ),
    Difficulty(
        "kanji_homophone",
        0.01,
        "record whose given name has other kanji of the same reading",
        "The given name in other kanji with the same reading (浩/博/宏, 裕子/優子).",
        "Names taken over the telephone or from a neighbour are written by ear.",
        _w(
            kaigo=0.3,
            shogai=0.3,
            seiho=0.3,
            kosodate=0.3,
            kenko=0.3,
            shakyo=3.0,
            houkatsu=3.0,
            minsei=4.0,
            npo=3.0,
        ),
    ),
    Difficulty(
        "foreign_name",
        0.5,
        "record of a foreign resident (about 5% of people)",
        "Alphabet names written in katakana, given name first, a middle name dropped; Chinese "
        "and Korean names read in the native pronunciation (王 オウ/ワン, 金 キン/キム).",
        "The registry writes the residence card; other offices write what they hear.",
        _w(
            kaigo=0.6,
            shogai=0.6,
            seiho=0.6,
            kosodate=0.6,
            kenko=0.6,
            shakyo=1.2,
            houkatsu=1.2,
            minsei=1.6,
            npo=1.2,
        ),
    ),
    Difficulty(
        "name_space",
        0.35,
        "record",
        "Surname and given name separated by a half-width space or nothing (and kana likewise) "
        "instead of the full-width space.",
        "Each system and each clerk has a habit; forms filled in by hand have no separator.",
        _w(
            kaigo=0.5,
            shogai=1.0,
            seiho=0.5,
            kosodate=1.0,
            kenko=1.0,
            shakyo=2.5,
            houkatsu=1.5,
            minsei=2.0,
            npo=2.5,
        ),
    ),
    Difficulty(
        "name_partial",
        0.4,
        "community-worker note",
        "Surname only (佐藤, 佐藤さん) or no name at all (blank, 不明, 氏名不詳).",
        "民生委員 and community workers note what neighbours call people.",
        {"minsei": 1.0, "houkatsu": 0.1},
        0.0,
    ),
    Difficulty(
        "kana_missing",
        0.1,
        "record with a kana column",
        "カナ氏名 left empty.",
        "Optional on paper forms and in older systems.",
        _w(
            kaigo=0.2,
            shogai=0.5,
            seiho=0.3,
            kosodate=0.3,
            kenko=0.5,
            shakyo=2.0,
            houkatsu=3.0,
            minsei=7.0,
            npo=1.0,
        ),
    ),
    Difficulty(
        "kana_script",
        0.25,
        "record with kana",
        "Kana in half-width katakana or hiragana instead of full-width katakana.",
        "Mainframe-era systems print half-width kana; forms ask for ふりがな.",
        _w(
            kaigo=4.0,
            shogai=0.4,
            seiho=0.2,
            kosodate=0.2,
            kenko=4.0,
            shakyo=3.0,
            houkatsu=1.0,
            minsei=3.0,
            npo=3.0,
        ),
    ),
    Difficulty(
        "kana_typo",
        0.02,
        "record with kana",
        "One mora changed: a voicing mark, ソ/ン or シ/ツ, ズ/ヅ, a long vowel ウ/ー, a dropped ッ.",
        "Typing and reading errors.",
        _w(
            kaigo=1.0,
            shogai=1.0,
            seiho=1.0,
            kosodate=1.0,
            kenko=1.0,
            shakyo=2.0,
            houkatsu=2.0,
            minsei=2.0,
            npo=2.0,
        ),
    ),
    Difficulty(
        "kana_reading",
        0.05,
        "record whose name has another reading",
        "Another reading of the same kanji (河野 コウノ/カワノ, 裕子 ユウコ/ヒロコ, 中島 ナカジマ/ナカシマ).",
        "Offices without the resident's own reading guess it.",
        _w(
            kaigo=0.3,
            shogai=0.3,
            seiho=0.3,
            kosodate=0.3,
            kenko=0.3,
            shakyo=2.0,
            houkatsu=2.0,
            minsei=3.0,
            npo=2.0,
        ),
    ),
    Difficulty(
        "date_format",
        0.7,
        "record",
        "Birth date not in ISO form: 1948/3/5, 19480305, 1948年3月5日, 昭和23年3月5日, 令和元年…, "
        "昭和２３年３月５日, S23.3.5, S23.03.05, S23/3/5, 昭和23.3.5 (each source has its habits).",
        "Welfare systems and forms use the Japanese era; exports keep the screen's format.",
        _w(0.3, kaigo=1.4, kenko=1.4),
    ),
    Difficulty(
        "date_error",
        0.01,
        "record",
        "Birth date one day off (mostly), month and day swapped, or the year one off.",
        "Keying errors and 和暦/西暦 conversion slips.",
        _w(
            kaigo=0.5,
            shogai=0.5,
            seiho=0.5,
            kosodate=0.5,
            kenko=0.5,
            shakyo=3.0,
            houkatsu=3.0,
            minsei=3.0,
            npo=3.0,
        ),
    ),
    Difficulty(
        "birth_vague",
        0.6,
        "community-worker note",
        "No exact birth date: blank, 昭和23年頃, 80代, 80代後半, 91歳位, 推定75歳, 1948年生. "
        "Ages are as of the note's noted_on date.",
        "Community workers estimate ages; they rarely see documents.",
        {"minsei": 1.0, "houkatsu": 0.15, "npo": 0.1, "shakyo": 0.05},
        0.0,
    ),
    Difficulty(
        "sex_format",
        0.9,
        "record",
        "Sex as 男/女 or M/F instead of 1/2, or left empty.",
        "Each system has its own code list.",
        _w(
            kaigo=0.1,
            shogai=1.0,
            seiho=1.0,
            kosodate=0.2,
            kenko=1.1,
            shakyo=1.1,
            houkatsu=1.1,
            minsei=1.1,
            npo=1.1,
        ),
    ),
    Difficulty(
        "address_format",
        0.7,
        "record",
        "Address written differently: without 東京都 or 江東区, 丁目 in Arabic or as a hyphen, "
        "番地, 十二番五号, full-width digits, hyphens -－‐−ー―ｰ, the building name with or "
        "without a space, the room as 203号室, 203号, -203.",
        "No two systems store addresses alike; clerks type what the form shows.",
        _w(0.1, kenko=1.2, shakyo=1.3, houkatsu=1.3, minsei=1.3, npo=1.3),
    ),
    Difficulty(
        "address_partial",
        0.3,
        "record",
        "Part of the address only: the 丁目, the block, the building name, or no room number.",
        "Notes and consultation logs keep what is needed to find the door.",
        _w(
            kaigo=0.2,
            shogai=0.3,
            seiho=0.1,
            kosodate=0.1,
            kenko=0.3,
            shakyo=0.6,
            houkatsu=0.6,
            minsei=2.0,
            npo=0.6,
        ),
    ),
    Difficulty(
        "phone_missing",
        0.3,
        "record with a phone column",
        "Phone left empty.",
        "Not asked, not given, or not typed.",
        _w(
            kaigo=0.7,
            shogai=1.0,
            seiho=0.5,
            kosodate=0.3,
            kenko=1.2,
            shakyo=0.5,
            houkatsu=0.3,
            minsei=1.5,
            npo=0.1,
        ),
    ),
    Difficulty(
        "phone_other",
        0.15,
        "record with a phone",
        "Another number than the usual: the landline instead of the mobile (or back), or a "
        "household member's mobile given as the contact. Landlines are shared by the whole "
        "household anyway, and children's records carry a parent's number.",
        "Offices record the contact they were given, often a son's or daughter's.",
        _w(
            kaigo=1.5,
            shogai=1.0,
            seiho=1.0,
            kosodate=0.5,
            kenko=0.7,
            shakyo=1.2,
            houkatsu=1.5,
            minsei=1.5,
            npo=0.5,
        ),
    ),
    Difficulty(
        "phone_format",
        0.6,
        "record with a phone",
        "Phone written without hyphens, as 03(3647)1234, in full-width digits, without the 03, "
        "with spaces, or with TEL:/携帯: in front.",
        "Free-text fields.",
        _w(
            kaigo=0.8,
            shogai=1.0,
            seiho=1.0,
            kosodate=1.0,
            kenko=1.0,
            shakyo=1.3,
            houkatsu=1.3,
            minsei=1.5,
            npo=1.5,
        ),
    ),
)

BY_NAME = {d.name: d for d in DIFFICULTIES}

# How each source writes a value when a format difficulty applies to a record:
# options repeated to weight them.
DATE_STYLES = {
    "registry": ("wareki", "slash0"),
    "kaigo": ("wareki_abbr", "wareki_abbr", "wareki_abbr", "wareki", "wareki_abbr0"),
    "shogai": ("wareki", "wareki", "slash"),
    "seiho": ("wareki_fw", "wareki_fw", "wareki"),
    "kosodate": ("slash", "slash", "compact", "wareki_slash"),
    "kenko": ("compact", "compact", "compact", "slash0"),
    "shakyo": ("wareki", "wareki", "wareki_dot", "seireki_kanji"),
    "houkatsu": ("wareki_abbr", "wareki", "slash"),
    "minsei": ("wareki", "wareki", "wareki_abbr", "seireki_kanji"),
    "npo": ("slash", "slash", "seireki_kanji", "slash0"),
}
KANA_SCRIPTS = {
    "kaigo": ("half",),
    "kenko": ("half",),
    "shogai": ("half", "hira"),
    "seiho": ("half",),
    "kosodate": ("hira", "half"),
    "shakyo": ("hira",),
    "houkatsu": ("hira", "half"),
    "minsei": ("hira",),
    "npo": ("hira", "hira", "half"),
}
SEX_STYLES = {
    "kaigo": ("empty",),
    "shogai": ("kanji",),
    "seiho": ("kanji",),
    "kosodate": ("kanji", "empty"),
    "kenko": ("latin",),
    "shakyo": ("kanji", "kanji", "empty"),
    "houkatsu": ("kanji",),
    "minsei": ("kanji", "empty", "empty"),
    "npo": ("empty", "empty", "kanji"),
}
PHONE_STYLES = {
    "kaigo": ("plain", "paren"),
    "shogai": ("plain", "hyphen"),
    "seiho": ("full", "plain"),
    "kosodate": ("plain",),
    "kenko": ("plain", "space"),
    "shakyo": ("paren", "local", "full"),
    "houkatsu": ("plain", "label", "local"),
    "minsei": ("local", "plain", "label", "full"),
    "npo": ("plain", "plain", "space"),
}
# address components per source (one option drawn per component)
ADDRESS_STYLES: dict[str, dict[str, tuple[str, ...]]] = {
    "registry": {
        "prefix": ("full",),
        "chome": ("kanji",),
        "banchi": ("bango", "banchi"),
        "digits": ("full", "ascii"),
        "building": ("name_room",),
        "sep": ("　",),
        "room": ("go", "goshitsu"),
    },
    "kaigo": {
        "prefix": ("full", "ku"),
        "chome": ("arabic", "kanji"),
        "banchi": ("bango", "hyphen"),
        "digits": ("full", "ascii"),
        "hyphen": ("－", "-"),
        "building": ("name_room", "room"),
        "sep": ("　", ""),
        "room": ("go", "plain"),
    },
    "shogai": {
        "prefix": ("ku", "full"),
        "chome": ("hyphen", "arabic"),
        "banchi": ("hyphen", "bango"),
        "digits": ("ascii", "full"),
        "hyphen": ("-", "－", "−"),
        "building": ("name_room",),
        "sep": (" ", ""),
        "room": ("plain", "goshitsu"),
    },
    "seiho": {
        "prefix": ("full",),
        "chome": ("kanji", "arabic"),
        "banchi": ("bango", "banchi"),
        "digits": ("full",),
        "building": ("name_room",),
        "sep": ("　",),
        "room": ("goshitsu",),
    },
    "kosodate": {
        "prefix": ("ku", "none"),
        "chome": ("hyphen",),
        "banchi": ("hyphen",),
        "digits": ("ascii",),
        "hyphen": ("-", "‐"),
        "building": ("name_room", "room"),
        "sep": (" ",),
        "room": ("plain",),
    },
    "kenko": {
        "prefix": ("none", "ku"),
        "chome": ("hyphen",),
        "banchi": ("hyphen",),
        "digits": ("ascii", "full"),
        "hyphen": ("-", "－"),
        "building": ("room", "none", "name_room"),
        "sep": ("",),
        "room": ("plain",),
    },
    "shakyo": {
        "prefix": ("ku", "none", "full"),
        "chome": ("arabic", "hyphen", "kanji"),
        "banchi": ("hyphen", "bango", "kanji"),
        "digits": ("full", "ascii"),
        "hyphen": ("－", "ー", "-", "―"),
        "building": ("name_room", "name", "room"),
        "sep": ("", "　", " "),
        "room": ("goshitsu", "go", "plain"),
    },
    "houkatsu": {
        "prefix": ("none", "ku"),
        "chome": ("hyphen", "arabic"),
        "banchi": ("hyphen",),
        "digits": ("ascii",),
        "hyphen": ("-", "ｰ", "－"),
        "building": ("name_room", "room"),
        "sep": (" ", ""),
        "room": ("goshitsu", "plain"),
    },
    "minsei": {
        "prefix": ("none",),
        "chome": ("arabic", "kanji", "hyphen"),
        "banchi": ("hyphen", "bango"),
        "digits": ("ascii", "full"),
        "hyphen": ("-", "ー", "－"),
        "building": ("name", "name_room", "none"),
        "sep": ("", " "),
        "room": ("goshitsu", "plain"),
    },
    "npo": {
        "prefix": ("ku", "none", "full"),
        "chome": ("hyphen", "arabic"),
        "banchi": ("hyphen",),
        "digits": ("ascii", "full"),
        "hyphen": ("-", "ー", "－", "−"),
        "building": ("name_room", "room"),
        "sep": (" ", "　", ""),
        "room": ("plain", "goshitsu"),
    },
}
