"""Department extracts of a synthetic ward, in the linkage contract's CSV format.

``write_extracts`` turns a ``Ward`` into one CSV per department system, the
way those systems export: the resident registry (everyone, with 宛名番号 and
世帯番号), long-term care, disability, child benefits, poverty support and
the council of social welfare's community workers (no 宛名番号). Each system
has its own habits (half-width kana, Japanese era dates, hyphenated
addresses, folded variant kanji ...) and on top of them the noise real data
has, at the rates of ``NoiseConfig``. Ground truth goes to a separate
directory so it can never be read by the linkage run.

Example:
    >>> import tempfile
    >>> from tsunagari.demo.population import generate_ward
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     s = write_extracts(generate_ward(300, seed=1), Path(tmp) / "in")
    >>> s.records["registry"]
    300
"""

from __future__ import annotations

import csv
import gc
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeVar

from tsunagari.demo.population import (
    PARENT_RELATIONS,
    Address,
    Household,
    Resident,
    Ward,
    check_digit,
    kanji_number,
    load_towns,
    random_surname,
)

__all__ = [
    "ADDRESS_STYLES",
    "DATE_STYLES",
    "SOURCES",
    "ExtractSummary",
    "NoiseConfig",
    "format_address",
    "format_date",
    "write_extracts",
]

_T = TypeVar("_T")

#: Extract files written, in this order.
SOURCES = ("registry", "care", "disability", "child", "poverty", "csw")


@dataclass(frozen=True, slots=True)
class NoiseConfig:
    """How often each kind of noise happens. Rates are probabilities in 0..1.

    Per-record rates apply to each department record (not the registry,
    which is the clean reference) unless noted.
    """

    variant_kanji: float = 0.6  # a registered variant (齋, 髙, 邊, 﨑 ...) is written another way
    common_to_variant: float = 0.02  # a common form (高, 辺, 崎 ...) is written as a variant
    name_spacing: float = 0.2  # surname/given separator differs from the source's habit
    kana_style: float = 0.15  # kana written in another style than the source's habit
    kana_variation: float = 0.03  # small kana / long vowel written differently (サトウ/サトー)
    kana_typo: float = 0.01  # one kana wrong, missing or swapped
    date_style: float = 0.1  # date in another notation than the source's habit
    date_swap: float = 0.002  # day and month swapped (when both could be a month)
    address_style: float = 0.15  # address in another notation than the source's habit
    phone_missing: float = 0.15  # a department record lacks a phone the person has
    sex_missing: float = 0.01  # a department record leaves sex empty
    old_address: float = 0.03  # a department record keeps a previous address
    maiden_name: float = 0.05  # a wife under 60: a department record keeps her maiden name
    alphabet_name: float = 0.3  # an alphabet name (NGUYEN MINH) written in katakana or full width
    # person re-registered: new 宛名番号 in the registry; sources may keep the stale one
    reregistration: float = 0.003
    stale_id: float = 0.6  # per department record of a re-registered person: keeps the old id
    # person known to departments but not in the registry (住登外), with a 住登外 宛名番号
    unregistered: float = 0.003
    missing_id: float = 0.02  # a department record has no 宛名番号 (manual entry, old system)
    # parents 65+ living with family registered as their own 世帯 (世帯分離), same address
    household_split: float = 0.3
    # cared-for parent living with family whose registration stayed at an old address
    registered_elsewhere: float = 0.05
    csw_duplicate: float = 0.1  # community workers hold a second record for the same person
    unusable: float = 0.0005  # empty name or unparseable birth date (for warnings.csv)

    @classmethod
    def hard(cls) -> NoiseConfig:
        """Every rate three times the default: a stress test for linkage.

        Returns:
            A NoiseConfig for robustness benchmarks.

        Example:
            >>> NoiseConfig.hard().old_address
            0.09
        """
        return cls().scaled(3.0)

    def scaled(self, factor: float) -> NoiseConfig:
        """The same configuration with every rate multiplied by ``factor`` (capped at 1).

        Args:
            factor: 0 gives clean extracts, 2 doubles every rate.

        Returns:
            A new NoiseConfig.

        Example:
            >>> NoiseConfig().scaled(0).kana_typo
            0.0
        """
        values = {
            name: min(1.0, getattr(self, name) * factor)
            for name in self.__dataclass_fields__
            if name != "stale_id"
        }
        return NoiseConfig(stale_id=self.stale_id, **values)


@dataclass(slots=True)
class ExtractSummary:
    """What ``write_extracts`` wrote."""

    out_dir: Path
    records: dict[str, int] = field(default_factory=dict)  # per source
    persons: int = 0
    noise: dict[str, int] = field(default_factory=dict)  # noise applied, by kind
    eligible: dict[str, int] = field(default_factory=dict)  # chances for that noise
    seconds: float = 0.0
    truth_dir: Path | None = None

    @property
    def total_records(self) -> int:
        """Records over all sources."""
        return sum(self.records.values())

    def rate(self, kind: str) -> float:
        """Observed rate of a noise kind (applied / eligible), 0 when never eligible."""
        n = self.eligible.get(kind, 0)
        return self.noise.get(kind, 0) / n if n else 0.0


# ---------------------------------------------------------------------------
# Notations
# ---------------------------------------------------------------------------

_FW_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")
_FW_ALL = str.maketrans(
    "0123456789-()/. ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "０１２３４５６７８９－（）／．\u3000ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
)


def _half_width_table() -> dict[int, str]:
    base = "ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユョヨラリルレロワヲンー"
    half = "ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ"
    table = {ord(k): h for k, h in zip(base, half, strict=True)}
    voiced = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"
    plain = "カキクケコサシスセソタチツテトハヒフヘホ"
    for v, p in zip(voiced, plain, strict=True):
        table[ord(v)] = table[ord(p)] + "ﾞ"
    for v, p in zip("パピプペポ", "ハヒフヘホ", strict=True):
        table[ord(v)] = table[ord(p)] + "ﾟ"
    table[ord("ヴ")] = "ｳﾞ"
    table[ord("ヮ")] = "ﾜ"
    table[ord("ヵ")] = "ｶ"
    table[ord("ヶ")] = "ｹ"
    table[ord("\u3000")] = " "
    return table


_HALF = _half_width_table()
_HIRA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}

# variant groups: first element is the common form
_VARIANT_GROUPS = (
    "斎齋斉齊",
    "高髙",
    "辺邊邉",
    "崎﨑",
    "浜濱",
    "沢澤",
    "広廣",
    "桜櫻",
    "吉𠮷",
    "渋澁",
    "富冨",
    "真眞",
    "滝瀧",
    "島嶋",
)
_VARIANT_OF: dict[str, str] = {}
_COMMON_CHARS: set[str] = set()
for _group in _VARIANT_GROUPS:
    _COMMON_CHARS.add(_group[0])
    for _ch in _group:
        _VARIANT_OF[_ch] = _group

_KANA_VARIATIONS = (
    ("オウ", "オー"),
    ("オオ", "オー"),
    ("ユウ", "ユー"),
    ("ュウ", "ュー"),
    ("ョウ", "ョー"),
    ("コウ", "コー"),
    ("ッ", "ツ"),
    ("ャ", "ヤ"),
    ("ュ", "ユ"),
    ("ョ", "ヨ"),
    ("ヅ", "ズ"),
    ("ヂ", "ジ"),
    ("イイ", "イー"),
)
_KANA_POOL = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダデドバビブベボ"

_ERAS = (
    (date(2019, 5, 1), "令和", "R"),
    (date(1989, 1, 8), "平成", "H"),
    (date(1926, 12, 25), "昭和", "S"),
    (date(1912, 7, 30), "大正", "T"),
    (date(1868, 1, 25), "明治", "M"),
)

DATE_STYLES = ("iso", "slash", "compact", "era", "era_short", "era_fullwidth", "kanji_year")
ADDRESS_STYLES = ("registry", "kanji", "hyphen", "hyphen_room", "fullwidth", "mixed", "short")


_KANA_STYLES = tuple(
    (style, space) for style in ("full", "half", "hira") for space in (True, False)
)
_ADDRESS_NOTATIONS = tuple((style, prefix) for style in ADDRESS_STYLES for prefix in range(3))


def _other(rng: random.Random, options: Sequence[_T], habit: _T) -> _T:
    """One of ``options`` other than the source's habit (noise must change something)."""
    others = [o for o in options if o != habit]
    return others[int(rng.random() * len(others))]


def _era_of(d: date) -> tuple[str, str, int]:
    for start, name, letter in _ERAS:
        if d >= start:
            return name, letter, d.year - start.year + 1
    return "明治", "M", d.year - 1867


def format_date(d: date, style: str) -> str:
    """Write a date in one of the notations department systems use.

    Args:
        d: the date.
        style: one of ``DATE_STYLES``: iso 1948-03-05, slash 1948/3/5, compact
            19480305, era 昭和23年3月5日, era_short S23.3.5, era_fullwidth
            昭和２３年３月５日, kanji_year 1948年3月5日.

    Returns:
        The date as text.

    Example:
        >>> format_date(date(1948, 3, 5), "era"), format_date(date(1948, 3, 5), "era_short")
        ('昭和23年3月5日', 'S23.3.5')
    """
    if style == "iso":
        return d.isoformat()
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "compact":
        return f"{d.year:04d}{d.month:02d}{d.day:02d}"
    if style == "kanji_year":
        return f"{d.year}年{d.month}月{d.day}日"
    name, letter, year = _era_of(d)
    if style == "era_short":
        return f"{letter}{year}.{d.month}.{d.day}"
    era_year = "元" if year == 1 else str(year)
    text = f"{name}{era_year}年{d.month}月{d.day}日"
    if style == "era_fullwidth":
        return text.translate(_FW_DIGITS)
    return text


def format_address(a: Address, style: str, *, prefix: int = 2, building: bool = True) -> str:
    """Write an address in one of the notations seen in extracts.

    Args:
        a: the address.
        style: one of ``ADDRESS_STYLES``: registry (canonical), kanji (漢数字丁目,
            番・号), hyphen 3-12-5, hyphen_room 3-12-5-203, fullwidth ３－１２－５,
            mixed 三丁目12-5, short (hyphen, no building).
        prefix: 2 writes 東京都江東区, 1 江東区, 0 starts with the town.
        building: whether the building name and room are written.

    Returns:
        The address as text.

    Example:
        >>> a = Address(town="北砂", chome=3, banchi=12, go=5, building="北砂ハイツ", room="203")
        >>> format_address(a, "hyphen", prefix=1)
        '江東区北砂3-12-5 北砂ハイツ203'
    """
    head = ("", a.city, a.prefecture + a.city)[prefix]
    if style == "registry":
        return a.text()
    numbers = [str(a.banchi)] if a.go is None else [str(a.banchi), str(a.go)]
    if a.chome is not None:
        numbers.insert(0, str(a.chome))
    building_text = f"{a.building}{a.room or ''}" if (building and a.building) else ""
    if style == "kanji":
        body = head + a.street()
        return f"{body} {building_text}" if building_text else body
    if style == "mixed":
        chome = f"{kanji_number(a.chome)}丁目" if a.chome is not None else ""
        rest = "-".join(numbers[1:] if a.chome is not None else numbers)
        room = f"-{a.room}" if (building and a.room) else ""
        return f"{head}{a.town}{chome}{rest}{room}"
    if style in ("hyphen_room", "fullwidth") and a.room and building:
        text = f"{head}{a.town}{'-'.join([*numbers, a.room])}"
        return text.translate(_FW_DIGITS) if style == "fullwidth" else text
    text = f"{head}{a.town}{'-'.join(numbers)}"
    if style == "fullwidth":
        text = text.translate(_FW_DIGITS)
    if style != "short" and building_text:
        text = f"{text} {building_text}"
    return text


def _phone(number: str, style: int) -> str:
    digits = number.replace("-", "")
    parts = number.split("-")
    if style == 0:
        return number
    if style == 1:
        return digits
    if style == 2:
        return f"{parts[0]}({parts[1]}){parts[2]}"
    if style == 3:
        return f"({parts[0]}){parts[1]}-{parts[2]}"
    if style == 4:
        return number.translate(_FW_DIGITS)
    return " ".join(parts)


# ---------------------------------------------------------------------------
# Source habits
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    prefix: str  # record_id prefix
    bom: bool
    columns: tuple[str, ...]
    space: str  # habitual separator between surname and given name
    kana: str  # "full" | "half" | "hira"
    kana_space: bool
    date: str
    address: str
    address_prefix: int
    sex: tuple[str, str, str]  # male, female, other
    phone: int


_BASE = ("record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex", "address")
_STYLES: dict[str, _Style] = {
    "registry": _Style(
        "RG", True, ("record_id", "resident_id", "household_id", *_BASE[2:], "relation", "sealed"),
        "\u3000", "full", True, "iso", "registry", 2, ("1", "2", ""), 0,
    ),
    "care": _Style(
        "KH", True, (*_BASE, "phone", "care_level", "certified_until", "insured_no"),
        "\u3000", "half", True, "era", "hyphen", 1, ("男", "女", ""), 0,
    ),
    "disability": _Style(
        "SG", False, (*_BASE, "phone", "handbook", "disability_grade", "intractable_disease"),
        "", "full", False, "era_short", "fullwidth", 0, ("1", "2", ""), 4,
    ),
    "child": _Style(
        "KD", True, (*_BASE, "phone", "role", "benefit", "guardian"),
        " ", "hira", True, "slash", "kanji", 2, ("男", "女", ""), 1,
    ),
    "poverty": _Style(
        "SK", False, (*_BASE, "phone", "program", "case_no"),
        "\u3000", "full", True, "compact", "mixed", 1, ("M", "F", ""), 2,
    ),
    "csw": _Style(
        "CW", True,
        ("record_id", "name_kanji", "name_kana", "birth_date", "sex", "address", "phone", "note", "worker", "recorded_on"),
        " ", "hira", True, "era", "short", 0, ("男", "女", ""), 5,
    ),
}  # fmt: skip

_CSW_WORKERS = ("CSW田中", "CSW小林", "CSW森", "CSW石井", "CSW中村", "CSW大野")


class _Noise:
    """Counters of noise applied and of chances to apply it."""

    __slots__ = ("applied", "eligible")

    def __init__(self) -> None:
        self.applied: dict[str, int] = {}
        self.eligible: dict[str, int] = {}

    def chance(self, kind: str, hit: bool) -> bool:
        self.eligible[kind] = self.eligible.get(kind, 0) + 1
        if hit:
            self.applied[kind] = self.applied.get(kind, 0) + 1
        return hit


@dataclass(slots=True)
class _Registry:
    """What the registry says, where it differs from the truth."""

    household: dict[int, tuple[str, str]] = field(default_factory=dict)  # pid -> (世帯番号, 続柄)
    address: dict[int, Address] = field(default_factory=dict)  # pid -> registered address
    new_id: dict[int, str] = field(default_factory=dict)  # pid -> 宛名番号 after re-registration
    unregistered: dict[int, str] = field(default_factory=dict)  # pid -> 住登外 宛名番号


def _random_address(rng: random.Random) -> Address:
    towns = [t for t in load_towns() if t.weight > 0]
    town = towns[rng.randrange(len(towns))]
    chome = rng.randint(1, town.max_chome) if town.max_chome else None
    go = None if town.system == "chiban" else rng.randint(1, 28)
    if rng.random() < 0.5:
        return Address(town=town.name, chome=chome, banchi=rng.randint(1, 30), go=go)
    room = f"{rng.randint(1, 9)}{rng.randint(1, 8):02d}"
    building = f"{town.name}{('ハイツ', 'コーポ', 'マンション', '荘')[rng.randrange(4)]}"
    return Address(
        town=town.name, chome=chome, banchi=rng.randint(1, 30), go=go, building=building, room=room
    )


def _registry_facts(ward: Ward, cfg: NoiseConfig, rng: random.Random, noise: _Noise) -> _Registry:
    """Decide 世帯分離, registration at an old address and re-registration, in ward order."""
    reg = _Registry()
    split_base = 700_000_000
    reid_base = 180_000_000
    outside_base = 900_000_000  # 住登外 numbers have their own range
    for household in ward.households:
        parents = [
            m
            for m in household.members
            if m.relation in PARENT_RELATIONS and m.birth_date.year <= 1961
        ]
        if not parents:
            continue
        elsewhere = [m for m in parents if m.care_level is not None]
        moved: list[Resident] = []
        for m in elsewhere:
            if noise.chance("registered_elsewhere", rng.random() < cfg.registered_elsewhere):
                split_base += rng.randint(1, 3)
                reg.household[m.person_id] = (
                    f"{split_base:09d}{check_digit(split_base)}",
                    "世帯主",
                )
                reg.address[m.person_id] = _random_address(rng)
                moved.append(m)
        rest = [m for m in parents if m not in moved]
        if rest and noise.chance("household_split", rng.random() < cfg.household_split):
            split_base += rng.randint(1, 3)
            hid = f"{split_base:09d}{check_digit(split_base)}"
            head = rest[0]
            reg.household[head.person_id] = (hid, "世帯主")
            for other in rest[1:]:
                reg.household[other.person_id] = (hid, "妻" if other.sex == "female" else "夫")
    for person in ward.persons():
        known = (
            person.care_level
            or person.disability
            or person.intractable_disease
            or person.poverty_support
            or person.child_support
        )
        if not known:
            continue
        if noise.chance("reregistration", rng.random() < cfg.reregistration):
            reid_base += rng.randint(1, 5)
            reg.new_id[person.person_id] = f"{reid_base:09d}{check_digit(reid_base)}"
        elif person.birth_date.year <= 2007 and noise.chance(
            "unregistered", rng.random() < cfg.unregistered
        ):
            outside_base += rng.randint(1, 5)
            reg.unregistered[person.person_id] = f"{outside_base:09d}{check_digit(outside_base)}"
    return reg


class _Writer:
    """Formats the rows of one department source with its habits and the noise."""

    def __init__(
        self, source: str, cfg: NoiseConfig, rng: random.Random, reg: _Registry, noise: _Noise
    ) -> None:
        self.source = source
        self.style = _STYLES[source]
        self.cfg = cfg
        self.rng = rng
        self.reg = reg
        self.noise = noise
        self.maiden: dict[int, tuple[str, str]] = {}
        self.old: dict[int, Address] = {}
        self.flags: list[str] = []

    # names ------------------------------------------------------------------

    def kanji(self, text: str) -> str:
        rng, cfg = self.rng, self.cfg
        out = []
        for ch in text:
            group = _VARIANT_OF.get(ch)
            if group is None:
                out.append(ch)
                continue
            if ch in _COMMON_CHARS:
                if rng.random() < cfg.common_to_variant:
                    ch = group[1 + rng.randrange(len(group) - 1)]
                    self.flags.append("common_to_variant")
            elif self.noise.chance("variant_kanji", rng.random() < cfg.variant_kanji):
                others = [c for c in group if c != ch]
                ch = group[0] if rng.random() < 0.7 else others[rng.randrange(len(others))]
                self.flags.append("variant_kanji")
            out.append(ch)
        return "".join(out)

    def kana_part(self, kana: str) -> str:
        rng, cfg = self.rng, self.cfg
        if rng.random() < cfg.kana_variation:
            options = [(a, b) for a, b in _KANA_VARIATIONS if a in kana]
            if options:
                a, b = options[rng.randrange(len(options))]
                kana = kana.replace(a, b, 1)
                self.flags.append("kana_variation")
        if len(kana) >= 2 and self.noise.chance("kana_typo", rng.random() < cfg.kana_typo):
            i = rng.randrange(len(kana))
            how = rng.randrange(3)
            if how == 0:
                kana = kana[:i] + _KANA_POOL[rng.randrange(len(_KANA_POOL))] + kana[i + 1 :]
            elif how == 1:
                kana = kana[:i] + kana[i + 1 :]
            elif i + 1 < len(kana):
                kana = kana[:i] + kana[i + 1] + kana[i] + kana[i + 2 :]
            self.flags.append("kana_typo")
        return kana

    def names(self, p: Resident) -> tuple[str, str]:
        rng, cfg, style = self.rng, self.cfg, self.style
        surname, skana = p.surname, p.surname_kana
        if p.relation == "妻" and p.birth_date.year > 1966:
            if self.noise.chance("maiden_name", rng.random() < cfg.maiden_name):
                if p.person_id not in self.maiden:
                    self.maiden[p.person_id] = random_surname(random.Random(p.person_id))
                surname, skana = self.maiden[p.person_id]
                self.flags.append("maiden_name")
        space = style.space
        if self.noise.chance("name_spacing", rng.random() < cfg.name_spacing):
            space = _other(rng, ("\u3000", " ", ""), space)
            self.flags.append("name_spacing")
        given = p.given_name
        if self.source == "csw" and rng.random() < 0.15:
            # community notes often write the given name in kana
            given = p.given_kana.translate(_HIRA)
        if surname.isascii() and self.noise.chance(
            "alphabet_name", rng.random() < cfg.alphabet_name
        ):
            # a name the registry holds in the alphabet, typed in katakana or full-width letters
            if rng.random() < 0.7:
                surname, given = p.surname_kana, p.given_kana
            else:
                surname, given = surname.translate(_FW_ALL), given.translate(_FW_ALL)
            self.flags.append("alphabet_name")
        name = f"{self.kanji(surname)}{space}{self.kanji(given)}"
        if self.source == "csw" and rng.random() < 0.5:
            return name, ""
        kana_style, kana_space = style.kana, style.kana_space
        if self.noise.chance("kana_style", rng.random() < cfg.kana_style):
            kana_style, kana_space = _other(rng, _KANA_STYLES, (kana_style, kana_space))
            self.flags.append("kana_style")
        kana = (
            self.kana_part(skana) + ("\u3000" if kana_space else "") + self.kana_part(p.given_kana)
        )
        if kana_style == "half":
            kana = kana.translate(_HALF)
        elif kana_style == "hira":
            kana = kana.translate(_HIRA)
        return name, kana

    # other fields -------------------------------------------------------------

    def birth(self, d: date) -> str:
        rng, cfg = self.rng, self.cfg
        if d.day <= 12 and d.day != d.month:
            if self.noise.chance("date_swap", rng.random() < cfg.date_swap):
                d = date(d.year, d.day, d.month)
                self.flags.append("date_swap")
        style = self.style.date
        if self.noise.chance("date_style", rng.random() < cfg.date_style):
            style = _other(rng, DATE_STYLES, style)
            self.flags.append("date_style")
        return format_date(d, style)

    def address(self, p: Resident, household: Household) -> str:
        rng, cfg, style = self.rng, self.cfg, self.style
        addr = household.address
        if p.person_id in self.reg.address and self.source not in ("care", "csw"):
            addr = self.reg.address[p.person_id]  # copied from the registry
        if self.noise.chance("old_address", rng.random() < cfg.old_address):
            if p.person_id not in self.old:
                self.old[p.person_id] = _random_address(random.Random(p.person_id * 7 + 1))
            addr = self.old[p.person_id]
            self.flags.append("old_address")
        how, prefix = style.address, style.address_prefix
        if self.noise.chance("address_style", rng.random() < cfg.address_style):
            how, prefix = _other(rng, _ADDRESS_NOTATIONS, (how, prefix))
            self.flags.append("address_style")
        building = self.source != "csw" or rng.random() < 0.5
        return format_address(addr, how, prefix=prefix, building=building)

    def phone(self, p: Resident) -> str:
        if p.phone is None:
            return ""
        rng = self.rng
        if self.noise.chance("phone_missing", rng.random() < self.cfg.phone_missing):
            self.flags.append("phone_missing")
            return ""
        style = self.style.phone if rng.random() < 0.7 else rng.randrange(6)
        return _phone(p.phone, style)

    def resident_id(self, p: Resident) -> str:
        if self.noise.chance("missing_id", self.rng.random() < self.cfg.missing_id):
            self.flags.append("missing_id")
            return ""
        outside = self.reg.unregistered.get(p.person_id)
        if outside is not None:
            return outside
        new = self.reg.new_id.get(p.person_id)
        if new is None:
            return p.resident_id
        if self.noise.chance("stale_id", self.rng.random() < self.cfg.stale_id):
            self.flags.append("stale_id")
            return p.resident_id
        return new

    def common(self, p: Resident, household: Household, with_id: bool = True) -> list[str]:
        """record_id placeholder plus the contract columns (and phone) in order."""
        name, kana = self.names(p)
        birth = self.birth(p.birth_date)
        if self.noise.chance("unusable", self.rng.random() < self.cfg.unusable):
            if self.rng.random() < 0.5:
                name = ""
                self.flags.append("empty_name")
            else:
                birth = ("不明", "昭和年月日", "0000-00-00", "1948/13/45")[self.rng.randrange(4)]
                self.flags.append("bad_date")
        sex = self.style.sex[("male", "female", "other").index(p.sex)]
        # community workers often leave the column empty; elsewhere it is a slip
        gap = 0.3 if self.source == "csw" else self.cfg.sex_missing
        if sex and self.rng.random() < gap:
            sex = ""
            self.flags.append("sex_missing")
        row = ["", self.resident_id(p)] if with_id else [""]
        row += [name, kana, birth, sex, self.address(p, household), self.phone(p)]
        return row


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

_Item = tuple[Resident, Household, str]


def _items(ward: Ward, source: str, rng: random.Random, cfg: NoiseConfig) -> list[_Item]:
    items: list[_Item] = []
    for household in ward.households:
        members = household.members
        if source == "child":
            kids = [m for m in members if m.child_support]
            if kids:
                adults = [m for m in members if m.birth_date.year <= 2006]
                guardian = next((m for m in adults if m.relation in ("世帯主", "妻", "夫")), None)
                if guardian is None and adults:
                    guardian = adults[0]
                if guardian is not None:
                    items.append((guardian, household, "受給者"))
                items += [(k, household, "対象児童") for k in kids]
            continue
        for m in members:
            if source == "care" and m.care_level:
                items.append((m, household, ""))
            elif source == "disability" and (m.disability or m.intractable_disease):
                items.append((m, household, ""))
            elif source == "poverty" and m.poverty_support:
                items.append((m, household, ""))
            elif source == "csw" and m.csw_note:
                items.append((m, household, ""))
                if rng.random() < cfg.csw_duplicate:
                    items.append((m, household, "dup"))
    rng.shuffle(items)
    return items


def _extras(
    source: str, w: _Writer, p: Resident, household: Household, role: str, case_no: dict[str, str]
) -> list[str]:
    rng = w.rng
    if source == "care":
        month, day = ((3, 31), (9, 30))[rng.randrange(2)]
        until = date(2027 + rng.randint(0, 2), month, day)
        return [p.care_level or "", until.isoformat(), f"{rng.randrange(10**10):010d}"]
    if source == "disability":
        d = p.disability or ""
        handbook = (
            "身体"
            if d.startswith("身体")
            else "療育"
            if d.startswith("療育")
            else "精神"
            if d
            else "難病"
        )
        grade = d[2:] if d else ""
        return [handbook, grade, "1" if p.intractable_disease else "0"]
    if source == "child":
        guardian = ""
        if role == "対象児童":
            head = household.members[0]
            guardian = f"{head.surname}\u3000{head.given_name}" if head is not p else ""
        return [role, "児童手当" if role else "", guardian]
    if source == "poverty":
        if household.household_id not in case_no:
            case_no[household.household_id] = f"{len(case_no) + 1:05d}-{rng.randrange(100)}"
        program = "生活保護" if rng.random() < 0.8 else "自立相談支援"
        return [program, case_no[household.household_id]]
    # csw
    recorded = date(2025, 1, 1).toordinal() + rng.randrange(600)
    return [
        p.csw_note or "",
        _CSW_WORKERS[rng.randrange(len(_CSW_WORKERS))],
        date.fromordinal(recorded).isoformat(),
    ]


class _RowWriter(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


def _open(path: Path, bom: bool) -> TextIO:
    return path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="")


def write_extracts(
    ward: Ward,
    out_dir: Path,
    *,
    noise: NoiseConfig = NoiseConfig(),
    seed: int = 7,
    truth_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExtractSummary:
    """Write the department extracts of ``ward`` as CSV files in the linkage format.

    Files (in ``out_dir``): registry.csv (everyone registered; resident_id
    and household_id, 世帯分離 and old registered addresses included), care.csv,
    disability.csv, child.csv, poverty.csv and csw.csv (no resident_id). Ground
    truth (only when ``truth_dir`` is given, never inside ``out_dir``):
    persons.csv (source, record_id, person_id), households.csv (person_id,
    household_id: the true living-together household), planted.csv,
    hard_negatives.csv and noise.csv (which noise each record got).

    Args:
        ward: the ward from ``generate_ward``.
        out_dir: directory for the extracts (created if missing).
        noise: rates of each kind of noise; ``NoiseConfig().scaled(0)`` is clean.
        seed: seed for the noise; same (ward, noise, seed) gives identical files.
        truth_dir: directory for the ground truth; must not be ``out_dir``.
        progress: called with the number of records written so far, every
            10,000 records and once at the end.

    Returns:
        Counts per source, noise applied and its chances, and seconds taken.

    Example:
        >>> import tempfile
        >>> from tsunagari.demo.population import generate_ward
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     s = write_extracts(generate_ward(500), Path(tmp) / "in", truth_dir=Path(tmp) / "truth")
        >>> sorted(s.records) == sorted(SOURCES)
        True
    """
    # The ward holds millions of objects; collector passes over them would cost more
    # than the writing itself, and nothing made here is cyclic.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _write(ward, Path(out_dir), noise, seed, truth_dir, progress)
    finally:
        if was_enabled:
            gc.enable()


def _write(
    ward: Ward,
    out_dir: Path,
    noise: NoiseConfig,
    seed: int,
    truth_dir: Path | None,
    progress: Callable[[int], None] | None,
) -> ExtractSummary:
    started = time.perf_counter()
    if truth_dir is not None and Path(truth_dir).resolve() == out_dir.resolve():
        raise ValueError("truth_dir must not be the extracts directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    counters = _Noise()
    reg = _registry_facts(ward, noise, random.Random(f"{seed}:registry"), counters)
    summary = ExtractSummary(out_dir=out_dir, truth_dir=truth_dir)

    truth_files: list[TextIO] = []
    truth: _RowWriter | None = None
    flags_out: _RowWriter | None = None
    if truth_dir is not None:
        truth_dir = Path(truth_dir)
        truth_dir.mkdir(parents=True, exist_ok=True)
        persons_file = _open(truth_dir / "persons.csv", False)
        flags_file = _open(truth_dir / "noise.csv", False)
        truth_files += [persons_file, flags_file]
        truth = csv.writer(persons_file)
        truth.writerow(["source", "record_id", "person_id"])
        flags_out = csv.writer(flags_file)
        flags_out.writerow(["source", "record_id", "noise"])

    written = 0
    try:
        for source in SOURCES:
            style = _STYLES[source]
            rng = random.Random(f"{seed}:{source}")
            count = 0
            with _open(out_dir / f"{source}.csv", style.bom) as fh:
                out = csv.writer(fh)
                out.writerow(style.columns)
                rows: Iterable[tuple[str, list[str], int, list[str]]]
                if source == "registry":
                    rows = _registry_rows(ward, reg)
                else:
                    rows = _department_rows(ward, source, rng, noise, reg, counters)
                for record_id, row, person_id, flags in rows:
                    out.writerow(row)
                    count += 1
                    if truth is not None and flags_out is not None:
                        truth.writerow((source, record_id, person_id))
                        if flags:
                            flags_out.writerow((source, record_id, "|".join(flags)))
                    written += 1
                    if progress is not None and written % 10_000 == 0:
                        progress(written)
            summary.records[source] = count
    finally:
        for f in truth_files:
            f.close()
    if truth_dir is not None:
        _write_ground_truth(ward, truth_dir)
    if progress is not None:
        progress(written)
    summary.persons = ward.person_count
    summary.noise = dict(sorted(counters.applied.items()))
    summary.eligible = dict(sorted(counters.eligible.items()))
    summary.seconds = time.perf_counter() - started
    return summary


def _registry_rows(ward: Ward, reg: _Registry) -> Iterator[tuple[str, list[str], int, list[str]]]:
    n = 0
    text_cache: dict[int, str] = {}
    for household in ward.households:
        home = household.address.text()
        for p in household.members:
            if p.person_id in reg.unregistered:
                continue
            n += 1
            record_id = f"RG{n:07d}"
            flags: list[str] = []
            hid, relation = household.household_id, p.relation
            if p.person_id in reg.household:
                hid, relation = reg.household[p.person_id]
                flags.append(
                    "household_split" if p.person_id not in reg.address else "registered_elsewhere"
                )
            address = home
            if p.person_id in reg.address:
                address = text_cache.setdefault(p.person_id, reg.address[p.person_id].text())
            resident_id = reg.new_id.get(p.person_id, p.resident_id)
            if p.person_id in reg.new_id:
                flags.append("reregistered")
            sex = ("1", "2", "")[("male", "female", "other").index(p.sex)]
            row = [
                record_id,
                resident_id,
                hid,
                f"{p.surname}\u3000{p.given_name}",
                f"{p.surname_kana}\u3000{p.given_kana}",
                p.birth_date.isoformat(),
                sex,
                address,
                relation,
                "1" if p.sealed else "",  # 支援措置 (DV): 閲覧制限
            ]
            yield record_id, row, p.person_id, flags


def _department_rows(
    ward: Ward, source: str, rng: random.Random, cfg: NoiseConfig, reg: _Registry, counters: _Noise
) -> Iterator[tuple[str, list[str], int, list[str]]]:
    style = _STYLES[source]
    w = _Writer(source, cfg, rng, reg, counters)
    case_no: dict[str, str] = {}
    with_id = "resident_id" in style.columns
    for n, (p, household, role) in enumerate(_items(ward, source, rng, cfg), 1):
        w.flags = []
        record_id = f"{style.prefix}{n:07d}"
        row = w.common(p, household, with_id)
        row[0] = record_id
        row += _extras(source, w, p, household, role, case_no)
        yield record_id, row, p.person_id, w.flags


def _write_ground_truth(ward: Ward, truth_dir: Path) -> None:
    with _open(truth_dir / "households.csv", False) as fh:
        out = csv.writer(fh)
        out.writerow(["person_id", "household_id"])
        for household in ward.households:
            for p in household.members:
                out.writerow((p.person_id, household.household_id))
    with _open(truth_dir / "planted.csv", False) as fh:
        out = csv.writer(fh)
        out.writerow(["pattern", "household_id", "person_ids", "deliberate"])
        for x in ward.planted:
            out.writerow(
                (x.pattern, x.household_id, " ".join(map(str, x.person_ids)), int(x.deliberate))
            )
    with _open(truth_dir / "hard_negatives.csv", False) as fh:
        out = csv.writer(fh)
        out.writerow(["kind", "person_id_a", "person_id_b"])
        for h in ward.hard_negatives:
            out.writerow((h.kind, *h.person_ids))
