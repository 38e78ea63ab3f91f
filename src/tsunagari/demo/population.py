"""Synthetic ward: households, residents and agencies modelled on Koto City.

The generator is plain Python (no Django) so that the demo loader, the tests
and the linkage benchmarks can all build the same ward from a seed. Output is
deterministic for ``(people, seed)``: only ``random.Random(seed)`` and lists in
a fixed order are used, never set or hash order.

The ward is the *truth*: every ``Household`` is a group of people who really
live together at its address. Department extracts (``extracts.py``) add the
distortions real systems have (old addresses, split registry households,
variant kanji, ...).

Reference data lives in ``data/*.tsv``: towns with their 丁目 ranges and
populations, surnames (with registry variant forms) and given names by
birth generation with readings, foreign residents' names, building names
and the ward's agencies.

Names are as spread out as in a real ward: the listed surnames carry their
real share of the population (佐藤 about 1.5 %, the listed names about
55 %) and a long tail composed from kanji elements (大+川, 岩+崎 with
rendaku and variant kanji) carries the rest with Zipf-like frequencies;
given names likewise have a composed tail per sex and birth era, with many
kanji spellings of a reading (ハルカ: 遥, 遙, 春香, 晴香, 遥香 ...). The
composition rules are stated in the headers of ``surname_elements.tsv``,
``given_elements.tsv`` and ``name_shares.tsv``; ``bench/name_diversity.py``
measures the result.

Example:
    >>> ward = generate_ward(500, seed=1)
    >>> ward.person_count
    500
"""

from __future__ import annotations

import bisect
import gc
import itertools
import random
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from tsunagari.lib import dates

__all__ = [
    "AGENCY_KINDS",
    "CARE_LEVELS",
    "DEFAULT_SEED",
    "HOUSEHOLD_KINDS",
    "PARENT_RELATIONS",
    "PATTERNS",
    "REFERENCE_DATE",
    "Address",
    "Agency",
    "HardNegative",
    "Household",
    "PlantedPattern",
    "Resident",
    "Town",
    "Ward",
    "age_on",
    "build_agencies",
    "check_digit",
    "detect_patterns",
    "generate_ward",
    "kanji_number",
    "load_towns",
    "random_surname",
]

DEFAULT_SEED = 20261126
#: Ages and "current" facts of the ward are as of this day.
REFERENCE_DATE = date(2026, 10, 1)
DATA_DIR = Path(__file__).with_name("data")

HOUSEHOLD_KINDS = (
    "single",
    "couple",
    "couple_children",
    "single_parent",
    "three_generation",
    "elderly_couple",
    "other",
)
CARE_LEVELS = ("要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5")
#: Relations (続柄 to the head of household) that mean "a parent of the head or spouse".
PARENT_RELATIONS = ("父", "母", "妻の父", "妻の母", "夫の父", "夫の母")
#: Complex-need patterns of DOMAIN.md, as codes.
PATTERNS = ("8050", "double_care", "young_carer", "isolation", "poverty_with_children")
#: Agency kinds, the same codes as accounts.AgencyKind (kept in step by hand: no Django here).
AGENCY_KINDS = (
    "ward_department",
    "longevity_support_centre",
    "disability_consultation",
    "child_family_centre",
    "self_reliance_support",
    "social_welfare_council",
    "multi_agency",
    "npo",
    "commissioner",
)

_KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    """Write a number as registries write 丁目: 1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十.

    Args:
        n: a number from 1 to 99.

    Returns:
        The number in kanji numerals.

    Example:
        >>> kanji_number(3), kanji_number(14)
        ('三', '十四')
    """
    if not 0 < n < 100:
        raise ValueError(f"kanji_number supports 1..99, got {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _KANJI_DIGITS[tens] + "十")
    return head + ("" if ones == 0 else _KANJI_DIGITS[ones])


def age_on(birth: date, day: date = REFERENCE_DATE) -> int:
    """Age in full years on ``day``.

    Args:
        birth: date of birth.
        day: the day the age is taken on (default: the ward's reference date).

    Returns:
        Completed years of age.

    Example:
        >>> age_on(date(1948, 3, 5), date(2026, 3, 4))
        77
    """
    return dates.age_on(birth, day)


# ---------------------------------------------------------------------------
# Value objects
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """A Koto City address, as the resident registry holds it."""

    prefecture: str = "東京都"
    city: str = "江東区"
    town: str
    chome: int | None
    banchi: int
    go: int | None
    building: str | None = None
    room: str | None = None

    def street(self) -> str:
        """Town, 丁目 and number without prefecture, city or building: "北砂三丁目12番5号"."""
        chome = "" if self.chome is None else f"{kanji_number(self.chome)}丁目"
        number = f"{self.banchi}番地" if self.go is None else f"{self.banchi}番{self.go}号"
        return f"{self.town}{chome}{number}"

    def text(self) -> str:
        """Canonical registry notation, e.g. "東京都江東区北砂三丁目12番5号 ○○ハイツ203".

        Returns:
            Prefecture, city, town, kanji 丁目, 番/号 (or 番地), then building and room
            after a half-width space when the address has a building.

        Example:
            >>> Address(town="北砂", chome=3, banchi=12, go=5, building="北砂ハイツ", room="203").text()
            '東京都江東区北砂三丁目12番5号 北砂ハイツ203'
        """
        base = f"{self.prefecture}{self.city}{self.street()}"
        if self.building:
            return f"{base} {self.building}{self.room or ''}"
        return base

    def key(self) -> tuple[str, int, int, int, str, str]:
        """A hashable identity of the dwelling (for uniqueness checks)."""
        return (
            self.town,
            self.chome or 0,
            self.banchi,
            self.go or 0,
            self.building or "",
            self.room or "",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Resident:
    """One person of the ward with the registry facts and service attributes.

    ``person_id`` is the ground-truth identity; ``resident_id`` is the ward's
    宛名番号 (10 digits, last digit a check digit) and ``household_id`` the
    世帯番号 of the household the person really lives in.
    """

    person_id: int
    resident_id: str
    household_id: str
    surname: str
    given_name: str
    surname_kana: str
    given_kana: str
    birth_date: date
    sex: str  # "male" | "female" | "other"
    relation: str  # 続柄 to the head of household
    phone: str | None
    sealed: bool = False  # 閲覧制限 (DV, abuse)
    care_level: str | None = None  # 要支援1-2, 要介護1-5
    disability: str | None = None  # 身体1級..6級, 療育A/B, 精神1級..3級
    intractable_disease: bool = False
    poverty_support: bool = False  # 生活保護 / 生活困窮者自立支援
    child_support: bool = False  # 児童手当 etc. (set on the child)
    withdrawn: bool = False  # ひきこもり
    income: bool = False  # earns a wage or draws a pension
    csw_note: str | None = None  # community social worker's note
    lives_alone: bool = False  # derived: the household has one member

    @property
    def full_name(self) -> str:
        """Surname and given name separated by a full-width space (registry style)."""
        return f"{self.surname}\u3000{self.given_name}"

    @property
    def full_kana(self) -> str:
        """Reading, full-width katakana, full-width space between the parts."""
        return f"{self.surname_kana}\u3000{self.given_kana}"

    @property
    def age(self) -> int:
        """Age on the ward's reference date."""
        return age_on(self.birth_date)

    @property
    def uses_services(self) -> bool:
        """True when any welfare system knows the person."""
        return bool(
            self.care_level
            or self.disability
            or self.intractable_disease
            or self.poverty_support
            or self.child_support
        )

    @property
    def roster_reasons(self) -> tuple[str, ...]:
        """Why the person belongs on the evacuation-support roster (empty if not)."""
        reasons: list[str] = []
        if self.care_level in ("要介護3", "要介護4", "要介護5"):
            reasons.append(self.care_level)
        d = self.disability
        if d in ("身体1級", "身体2級", "療育A"):
            reasons.append(d)
        if d in ("精神1級", "精神2級") and self.lives_alone:
            reasons.append(f"{d}・単身")
        if self.intractable_disease:
            reasons.append("難病")
        return tuple(reasons)


@dataclass(frozen=True, slots=True)
class Household:
    """People living together (世帯), with the registry's 世帯番号 and address."""

    household_id: str
    address: Address
    members: list[Resident]
    kind: str  # one of HOUSEHOLD_KINDS (census family types; children of any age)

    @property
    def head(self) -> Resident:
        """The 世帯主."""
        return self.members[0]

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)


@dataclass(frozen=True, slots=True)
class Agency:
    """An agency of the ward's support network."""

    code: str  # stable key, e.g. "lsc-03"
    name: str
    kind: str  # one of AGENCY_KINDS
    town: str


@dataclass(frozen=True, slots=True)
class PlantedPattern:
    """A household that shows a complex-need pattern, with the people involved.

    ``deliberate`` is True when the generator built the household for the
    pattern, False when it arose from the ordinary rates; detection should
    find both.
    """

    pattern: str  # one of PATTERNS
    household_id: str
    person_ids: tuple[int, ...]
    deliberate: bool = True


@dataclass(frozen=True, slots=True)
class HardNegative:
    """Two different people that look alike (twins, namesakes)."""

    kind: str  # "twins" | "namesake" | "namesake_same_birthday"
    person_ids: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Ward:
    """The synthetic ward: households (the truth), agencies and planted ground truth."""

    households: list[Household]
    agencies: list[Agency]
    planted: list[PlantedPattern] = field(default_factory=list)
    hard_negatives: list[HardNegative] = field(default_factory=list)
    seed: int = DEFAULT_SEED
    reference_date: date = REFERENCE_DATE

    def persons(self) -> Iterator[Resident]:
        """All residents, household by household."""
        for household in self.households:
            yield from household.members

    @property
    def person_count(self) -> int:
        """Number of residents."""
        return sum(len(h.members) for h in self.households)

    @property
    def household_count(self) -> int:
        """Number of households."""
        return len(self.households)

    def counts(self) -> dict[str, int]:
        """Headline figures: persons, households, aged 65+, sealed, per pattern."""
        out: dict[str, int] = {
            "persons": 0,
            "households": len(self.households),
            "aged_65_plus": 0,
            "single_households": 0,
            "sealed": 0,
            "care": 0,
            "disability": 0,
            "roster": 0,
            "agencies": len(self.agencies),
        }
        for household in self.households:
            if len(household.members) == 1:
                out["single_households"] += 1
            for p in household.members:
                out["persons"] += 1
                out["aged_65_plus"] += p.age >= 65
                out["sealed"] += p.sealed
                out["care"] += p.care_level is not None
                out["disability"] += p.disability is not None
                out["roster"] += bool(p.roster_reasons)
        for pattern in PATTERNS:
            out[f"pattern_{pattern}"] = sum(1 for x in self.planted if x.pattern == pattern)
        return out

    def household_of(self) -> dict[int, Household]:
        """Map person_id -> household (built on demand)."""
        return {p.person_id: h for h in self.households for p in h.members}


# ---------------------------------------------------------------------------
# Reference data (TSV files in data/)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Town:
    """A town (町名) of Koto City with its 丁目 range and rough population."""

    name: str
    kana: str
    max_chome: int  # 0: the town has no 丁目
    weight: int
    area: str
    system: str  # "jukyo" (番-号) or "chiban" (番地)


def _read_tsv(name: str) -> list[list[str]]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return rows[1:]  # header


@lru_cache(maxsize=1)
def load_towns() -> tuple[Town, ...]:
    """Koto City towns from data/towns.tsv (DOMAIN.md's list, in that order).

    Returns:
        One ``Town`` per 町名.

    Example:
        >>> [t.name for t in load_towns()][:3]
        ['亀戸', '大島', '北砂']
    """
    return tuple(Town(r[0], r[1], int(r[2]), int(r[3]), r[4], r[5]) for r in _read_tsv("towns.tsv"))


class _Picker:
    """Weighted choice by bisect on cumulative weights (much faster than choices())."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[tuple[str, str]], weights: Sequence[float]) -> None:
        pairs = [(i, w) for i, w in zip(items, weights, strict=True) if w > 0]
        self.items = [i for i, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> tuple[str, str]:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


@dataclass(frozen=True, slots=True)
class _Names:
    surnames: _Picker
    # [sex][era] -> picker; sex 0 male, 1 female
    given: tuple[tuple[_Picker, ...], ...]


#: Birth eras of the given-name weights (columns of given_names.tsv, see _era()).
_ERAS = ("<=1945", "1946-1970", "1971-1995", "1996+")


def _stable_unit(text: str) -> float:
    """A number in [0, 1) fixed by ``text`` (CRC-32; unlike hash(), the same in every run)."""
    return zlib.crc32(text.encode("utf-8")) / 2**32


def _voiced(kana: str) -> bool:
    """True when the reading has a voiced consonant (ガ, ザ, ダ, バ rows; not パ)."""
    return "\u3099" in unicodedata.normalize("NFD", kana)


def _is_voicing(plain: str, alt: str) -> bool:
    """True when ``alt`` is ``plain`` with its first kana voiced (タ -> ダ, カワ -> ガワ)."""
    decomposed = unicodedata.normalize("NFD", alt[:1])
    return bool(plain) and alt[1:] == plain[1:] and decomposed == plain[:1] + "\u3099"


def _zipf_weights(n: int, offset: int, exponent: float, mass: float) -> list[float]:
    """``n`` weights ~ (k + offset)^-exponent for k = 1..n, summing to ``mass``."""
    raw = [(k + offset) ** -exponent for k in range(1, n + 1)]
    scale = mass / sum(raw) if raw else 0.0
    return [x * scale for x in raw]


@lru_cache(maxsize=1)
def _name_params() -> dict[str, float]:
    return {r[0]: float(r[1]) for r in _read_tsv("name_shares.tsv")}


def _surname_reading(first: list[str], second: list[str], kanji: str) -> str:
    """Reading of a composed surname (the rule of data/surname_elements.tsv).

    Each element takes its alternate reading when the surname's stable hash
    (salted per position) falls below the alternate share; a voiced
    alternate (rendaku) of the second element is not taken when the first
    element's reading already has a voiced consonant (藤田 フジタ) or the
    second's plain reading has one (Lyman's law).
    """
    head = first[2]
    if first[3] != "-" and _stable_unit("1" + kanji) * 100 < float(first[4]):
        head = first[3]
    tail = second[2]
    if second[3] != "-" and _stable_unit("2" + kanji) * 100 < float(second[4]):
        if not (_is_voicing(second[2], second[3]) and (_voiced(head) or _voiced(second[2]))):
            tail = second[3]
    return head + tail


def _variants(field_text: str) -> list[tuple[str, float]]:
    """Parse a variants field: "邊:5,邉:5" -> [("邊", 0.05), ("邉", 0.05)]; "-" -> []."""
    if field_text == "-":
        return []
    out = []
    for part in field_text.split(","):
        form, share = part.split(":")
        out.append((form, float(share) / 100))
    return out


def _surname_table() -> tuple[list[tuple[str, str]], list[float]]:
    """Listed surnames (real counts) followed by the composed long tail.

    See data/surname_elements.tsv for the rule; the tail carries the part of
    the population (data/name_shares.tsv) the listed surnames do not.
    """
    params = _name_params()
    listed = _read_tsv("surnames.tsv")
    items = [(r[0], r[1]) for r in listed]
    weights = [float(r[2]) for r in listed]
    taken = {r[0] for r in listed}
    elements = _read_tsv("surname_elements.tsv")
    firsts = [r for r in elements if r[0] == "first"]
    seconds = [r for r in elements if r[0] == "second"]
    candidates: list[tuple[float, str, str, list[str], list[str]]] = []
    for first in firsts:
        for second in seconds:
            kanji = first[1] + second[1]
            if first[1] == second[1] or kanji in taken:
                continue
            score = float(first[6]) * float(second[6]) * (0.2 + _stable_unit("j" + kanji))
            candidates.append((score, kanji, _surname_reading(first, second, kanji), first, second))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    mass = params["japan_population"] - sum(weights)
    zipf = _zipf_weights(len(candidates), len(listed), params["surname_tail_exponent"], mass)
    for (_score, kanji, reading, first, second), weight in zip(candidates, zipf, strict=True):
        for form, share in _variants(first[5]):
            alt = form + second[1]
            if alt not in taken:
                items.append((alt, reading))
                weights.append(weight * share)
                weight -= weight * share
        for form, share in _variants(second[5]):
            alt = first[1] + form
            if alt not in taken:
                items.append((alt, reading))
                weights.append(weight * share)
                weight -= weight * share
        items.append((kanji, reading))
        weights.append(weight)
    return items, weights


def _given_table(sex: str, era: int) -> tuple[list[tuple[str, str]], list[float]]:
    """Listed given names of a sex and era, then the composed tail (data/given_elements.tsv)."""
    params = _name_params()
    rows = [r for r in _read_tsv("given_names.tsv") if r[2] == sex]
    taken = {(r[0], r[1]) for r in rows}
    head = [r for r in rows if float(r[3 + era]) > 0]
    items = [(r[0], r[1]) for r in head]
    weights = [float(r[3 + era]) for r in head]
    elements = [r for r in _read_tsv("given_elements.tsv") if r[0] == sex and float(r[4 + era]) > 0]
    scores: dict[tuple[str, str], float] = {}

    def offer(name: str, kana: str, weight: float) -> None:
        if (name, kana) in taken:
            return
        score = weight * (0.2 + _stable_unit(name + kana))
        scores[(name, kana)] = max(score, scores.get((name, kana), 0.0))

    for first in (r for r in elements if r[1] == "first"):
        for second in (r for r in elements if r[1] == "second"):
            offer(
                first[2] + second[2],
                first[3] + second[3],
                float(first[4 + era]) * float(second[4 + era]),
            )
    for whole in (r for r in elements if r[1] == "whole"):
        offer(whole[2], whole[3], float(whole[4 + era]))
    avoid = {r[3] for r in _read_tsv("given_elements.tsv") if r[0] == sex and r[1] == "avoid"}
    spellings = Counter(kana for _name, kana in scores)
    ranked = sorted(
        (
            (key, score / spellings[key[1]] ** 0.5)
            for key, score in scores.items()
            if key[1] not in avoid
        ),
        key=lambda kv: (-kv[1], kv[0]),
    )
    share = params[f"given_head_share.{sex}.{era}"]
    mass = sum(weights) * (1 - share) / share
    zipf = _zipf_weights(len(ranked), len(head), params["given_tail_exponent"], mass)
    items += [name for name, _score in ranked]
    weights += zipf
    return items, weights


@lru_cache(maxsize=1)
def _names() -> _Names:
    surnames = _Picker(*_surname_table())
    given = tuple(
        tuple(_Picker(*_given_table(sex, era)) for era in range(len(_ERAS)))
        for sex in ("male", "female")
    )
    return _Names(surnames, given)


@dataclass(frozen=True, slots=True)
class _Foreign:
    origins: _Picker  # items are (origin, "")
    surnames: dict[str, _Picker]
    given: dict[tuple[str, int], _Picker]  # (origin, 0 male / 1 female)


def _foreign_given(
    rows: list[list[str]], origin: str, sex: str
) -> tuple[list[tuple[str, str]], list[float]]:
    """Whole given names of an origin and sex, then names composed from elements.

    Composed names (given_a + given_b, data/foreign_names.tsv) carry three times
    the weight of the whole names, each in proportion to its elements' product.
    """
    mine = [r for r in rows if r[0] == origin and r[2] == sex]
    weights: dict[tuple[str, str], float] = {}
    for r in mine:
        if r[1] == "given":
            weights[(r[3], r[4])] = weights.get((r[3], r[4]), 0.0) + float(r[5])
    whole = sum(weights.values())
    firsts = [r for r in mine if r[1] == "given_a"]
    seconds = [r for r in mine if r[1] == "given_b"]
    total = sum(float(a[5]) * float(b[5]) for a in firsts for b in seconds)
    for a in firsts:
        for b in seconds:
            key = (a[3] + b[3], a[4] + b[4])
            share = float(a[5]) * float(b[5]) / total * 3 * whole
            weights[key] = weights.get(key, 0.0) + share
    return list(weights), list(weights.values())


@lru_cache(maxsize=1)
def _foreign() -> _Foreign:
    rows = _read_tsv("foreign_names.tsv")
    origins = [r for r in rows if r[1] == "origin"]
    surnames: dict[str, _Picker] = {}
    given: dict[tuple[str, int], _Picker] = {}
    for origin, _part, _sex, _text, _kana, _weight in origins:
        mine = [r for r in rows if r[0] == origin and r[1] == "surname"]
        surnames[origin] = _Picker([(r[3], r[4]) for r in mine], [float(r[5]) for r in mine])
        for index, sex in enumerate(("male", "female")):
            given[(origin, index)] = _Picker(*_foreign_given(rows, origin, sex))
    picker = _Picker([(r[0], "") for r in origins], [float(r[5]) for r in origins])
    return _Foreign(picker, surnames, given)


@lru_cache(maxsize=1)
def _building_parts() -> tuple[list[str], _Picker, _Picker]:
    rows = _read_tsv("buildings.tsv")
    prefixes = [r[1] for r in rows if r[0] == "prefix"]
    suffix = _Picker(
        [(r[1], "") for r in rows if r[0] == "suffix"],
        [float(r[2]) for r in rows if r[0] == "suffix"],
    )
    tower = _Picker(
        [(r[1], "") for r in rows if r[0] == "tower"],
        [float(r[2]) for r in rows if r[0] == "tower"],
    )
    return prefixes, suffix, tower


def random_surname(rng: random.Random) -> tuple[str, str]:
    """A surname and its reading, drawn with the ward's surname frequencies.

    Args:
        rng: the random generator to draw with.

    Returns:
        (surname, reading in full-width katakana).

    Example:
        >>> random_surname(random.Random(1))[0] != ""
        True
    """
    return _names().surnames.pick(rng)


def _era(birth_year: int) -> int:
    if birth_year <= 1945:
        return 0
    if birth_year <= 1970:
        return 1
    if birth_year <= 1995:
        return 2
    return 3


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------

_ISOLATION_NOTES = (
    "近隣との交流がほとんどない。民生委員が月1回訪問。",
    "安否確認の相談が近隣からあった。",
    "日中も外出が少なく、話し相手がいないと話す。",
    "配食サービスを勧めたが本人は希望せず。",
    "郵便物がたまっていると管理人から連絡あり。",
    "通院以外ほとんど外出しない。サロンの案内を渡した。",
)
_OTHER_NOTES = (
    "ごみの堆積が見られる。",
    "家族の介護疲れの訴えあり。",
    "子どもが学校を休みがちとの相談。",
    "家賃滞納の心配を口にしていた。",
    "地域のサロンに参加し始めた。",
    "子どもが長く自宅にこもっていると親から相談。",
    "熱中症の心配あり。夏季に見守り訪問。",
)
_WITHDRAWN_NOTES = (
    "子が長年自宅にこもっている。親の介護も担えていない様子。",
    "親の年金で暮らしている。本人とはまだ会えていない。",
)

# age bands for people aged 65+ (Koto-like shape)
_OLD_BANDS = (
    (65, 69, 24.0),
    (70, 74, 26.0),
    (75, 79, 20.0),
    (80, 84, 15.0),
    (85, 89, 10.0),
    (90, 100, 5.0),
)
_CARE_BY_AGE = ((40, 0.003), (65, 0.03), (70, 0.06), (75, 0.12), (80, 0.26), (85, 0.48), (90, 0.72))
_CARE_MIX_YOUNG = (14.0, 14.0, 21.0, 17.0, 13.0, 12.0, 9.0)
_CARE_MIX_OLD = (8.0, 10.0, 20.0, 18.0, 16.0, 15.0, 13.0)
_PHYSICAL_GRADES = (
    ("1級", 30.0),
    ("2級", 15.0),
    ("3級", 17.0),
    ("4級", 25.0),
    ("5級", 5.0),
    ("6級", 8.0),
)


class _P:
    """A resident while the household is being built (mutable)."""

    __slots__ = (
        "age",
        "birth",
        "care",
        "child_support",
        "disability",
        "given",
        "gkana",
        "income",
        "intractable",
        "note",
        "phone",
        "pid",
        "poverty",
        "relation",
        "sealed",
        "sex",
        "skana",
        "surname",
        "withdrawn",
    )

    def __init__(self, age: int, sex: str, relation: str, birth: date) -> None:
        self.age = age
        self.sex = sex
        self.relation = relation
        self.birth = birth
        self.surname = ""
        self.skana = ""
        self.given = ""
        self.gkana = ""
        self.phone: str | None = None
        self.sealed = False
        self.care: str | None = None
        self.disability: str | None = None
        self.intractable = False
        self.poverty = False
        self.child_support = False
        self.withdrawn = False
        self.income = False
        self.note: str | None = None
        self.pid = 0


class _H:
    __slots__ = ("kind", "members", "planted")

    def __init__(self, kind: str, members: list[_P], planted: str | None = None) -> None:
        self.kind = kind
        self.members = members
        self.planted = planted


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = _names()
        self.ref_ordinal = REFERENCE_DATE.toordinal()
        towns = [t for t in load_towns() if t.weight > 0]
        self.towns = towns
        self.town_cum = list(itertools.accumulate(t.weight for t in towns))
        self.used_dwellings: set[tuple[str, int, int, int, str, str]] = set()
        self.buildings: dict[
            tuple[str, int], list[tuple[str, int, int | None, int, int, bool]]
        ] = {}
        self.building_names: set[str] = set()
        self.twins: list[tuple[_P, _P]] = []

    # random.randint/randrange are slow; these draw from random() directly
    def ri(self, lo: int, hi: int) -> int:
        return lo + int(self.rng.random() * (hi - lo + 1))

    def rn(self, n: int) -> int:
        return int(self.rng.random() * n)

    # -- people -------------------------------------------------------------

    def birth_for(self, age: int) -> date:
        """A birth date giving exactly ``age`` on the reference date."""
        ref = REFERENCE_DATE
        anchor = date(ref.year - age, ref.month, ref.day).toordinal()
        return date.fromordinal(anchor - self.rn(365))

    def person(self, age: int, sex: str, relation: str, family: tuple[str, str] | None) -> _P:
        age = max(0, min(age, 105))
        p = _P(age, sex, relation, self.birth_for(age))
        surname, skana = family if family is not None else self.names.surnames.pick(self.rng)
        p.surname, p.skana = surname, skana
        self.name(p)
        return p

    def name(self, p: _P) -> None:
        sex_index = 0 if p.sex == "male" else 1
        if p.sex == "other":
            sex_index = self.rn(2)
        p.given, p.gkana = self.names.given[sex_index][_era(p.birth.year)].pick(self.rng)

    def sex(self, female_share: float = 0.5) -> str:
        r = self.rng.random()
        if r < 0.002:
            return "other"
        return "female" if r < 0.002 + female_share * 0.998 else "male"

    def old_age(self) -> int:
        r = self.rng.random() * 100.0
        acc = 0.0
        for lo, hi, w in _OLD_BANDS:
            acc += w
            if r < acc:
                return self.ri(lo, hi)
        return self.ri(90, 100)

    def spouse_gap(self) -> int:
        """Years the husband is older than the wife (mostly -8..+8)."""
        if self.rng.random() < 0.04:
            return self.ri(9, 15) * (1 if self.rng.random() < 0.8 else -1)
        return max(-8, min(8, round(self.rng.gauss(2.0, 3.2))))

    def couple(self, head_age: int) -> tuple[_P, _P]:
        """Head of household and spouse; usually the husband is 世帯主."""
        family = self.names.surnames.pick(self.rng)
        gap = self.spouse_gap()
        if self.rng.random() < 0.9:
            husband = self.person(head_age, "male", "世帯主", family)
            wife = self.person(max(18, head_age - gap), "female", "妻", family)
            return husband, wife
        wife = self.person(head_age, "female", "世帯主", family)
        husband = self.person(max(18, head_age + gap), "male", "夫", family)
        return wife, husband

    def children_ages(self, eldest: int, mother_age: int) -> list[int]:
        """Ages of children for a mother, eldest first, each born at mother age 20-45."""
        ages = [eldest]
        r = self.rng.random()
        extra = 0 if r < 0.45 else 1 if r < 0.87 else 2 if r < 0.98 else 3
        for _ in range(extra):
            nxt = ages[-1] - self.ri(1, 5)
            if nxt < 0 or mother_age - nxt > 45:
                break
            ages.append(nxt)
        return ages

    def mother_age_for(self, eldest: int) -> int:
        at_first = max(20, min(42, round(self.rng.gauss(30.5, 4.2))))
        return eldest + at_first

    def add_children(
        self, members: list[_P], mother_age: int, ages: list[int], family: tuple[str, str]
    ) -> None:
        for age in ages:
            members.append(self.person(age, self.sex(), "子", family))
        # twins: a second child born the same day as the first (about 2 % of births)
        if len(ages) >= 2 and self.rng.random() < 0.02 and ages[0] < 40:
            a, b = members[-len(ages)], members[-len(ages) + 1]
            b.age, b.birth = a.age, a.birth
            if b.given == a.given:
                self.name(b)
            self.twins.append((a, b))

    # -- households ---------------------------------------------------------

    def single(self) -> _H:
        r = self.rng.random()
        if r < 0.30:
            age = self.old_age()
            sex = self.sex(0.64)
        elif r < 0.33:
            age, sex = self.ri(18, 19), self.sex()
        elif r < 0.64:
            age, sex = max(20, min(39, round(self.rng.gauss(29, 5)))), self.sex(0.47)
        else:
            age, sex = self.ri(40, 64), self.sex(0.42)
        return _H("single", [self.person(age, sex, "世帯主", None)])

    def couple_household(self) -> _H:
        head, spouse = self.couple(
            self.ri(25, 64)
            if self.rng.random() < 0.6
            else max(23, min(64, round(self.rng.gauss(34, 6))))
        )
        return _H("couple", [head, spouse])

    def elderly_couple(self) -> _H:
        head, spouse = self.couple(self.old_age())
        if spouse.age < 65:
            spouse.age = 65 + self.ri(0, 3)
            spouse.birth = self.birth_for(spouse.age)
            self.name(spouse)
        return _H("elderly_couple", [head, spouse])

    def eldest_child_age(self) -> int:
        r = self.rng.random()
        if r < 0.68:
            return self.ri(0, 17)
        if r < 0.95:
            return self.ri(18, 30)
        return self.ri(31, 45)

    def couple_children(self, eldest: int | None = None) -> _H:
        eldest = self.eldest_child_age() if eldest is None else eldest
        mother_age = self.mother_age_for(eldest)
        ages = self.children_ages(eldest, mother_age)
        head, spouse = self.couple(mother_age)
        mother = spouse if spouse.sex == "female" else head
        # the couple() call made the head the given age: put the age on the mother
        father = head if mother is spouse else spouse
        father_age = max(18, mother_age + self.spouse_gap())
        for who, age in ((mother, mother_age), (father, father_age)):
            if who.age != age:
                who.age, who.birth = age, self.birth_for(age)
                self.name(who)
        members = [head, spouse]
        self.add_children(members, mother_age, ages, (head.surname, head.skana))
        return _H("couple_children", members)

    def single_parent(self, young: bool | None = None) -> _H:
        young = self.rng.random() < 0.6 if young is None else young
        eldest = self.ri(0, 20) if young else self.ri(30, 62)
        mother_age = self.mother_age_for(eldest)
        ages = self.children_ages(eldest, mother_age)
        female = self.rng.random() < (0.88 if young else 0.75)
        parent_age = mother_age if female else max(18, mother_age + self.spouse_gap())
        parent = self.person(parent_age, "female" if female else "male", "世帯主", None)
        members = [parent]
        self.add_children(members, mother_age, ages, (parent.surname, parent.skana))
        if not young:
            # adult children: at most two stay with the parent
            del members[3:]
        return _H("single_parent", members)

    def three_generation(self, grandchild_max: int = 20) -> _H:
        rng = self.rng
        if rng.random() < 0.6:
            h = self.couple_children(eldest=self.ri(0, grandchild_max))
            head, spouse = h.members[0], h.members[1]
            husband, wife = (head, spouse) if head.sex == "male" else (spouse, head)
            # parents of the wife (a third of the time) or of the husband
            base = wife if rng.random() < 0.3 else husband
            grandma_age = min(100, base.age + self.ri(22, 40))
            if base is husband:
                family = (husband.surname, husband.skana)
            else:
                family = self.names.surnames.pick(rng)  # she took her husband's name
            if base is head:
                rel_f, rel_m = "父", "母"
            elif base is wife:
                rel_f, rel_m = "妻の父", "妻の母"
            else:
                rel_f, rel_m = "夫の父", "夫の母"
            grandparents = [self.person(grandma_age, "female", rel_m, family)]
            if rng.random() < 0.4:
                grandparents.insert(
                    0, self.person(grandma_age + self.spouse_gap(), "male", rel_f, family)
                )
            h.members[2:2] = grandparents
            h.kind = "three_generation"
            return h
        # elderly head with a married child and grandchildren
        child_age = self.ri(28, 50)
        head_mother_age = child_age + self.ri(24, 38)
        family = self.names.surnames.pick(rng)
        head = self.person(head_mother_age + self.spouse_gap(), "male", "世帯主", family)
        members = [head]
        if rng.random() < 0.7:
            members.append(self.person(head_mother_age, "female", "妻", family))
        son = self.person(child_age, "male", "子", family)
        daughter_in_law = self.person(
            max(20, child_age - self.spouse_gap()), "female", "子の妻", family
        )
        members += [son, daughter_in_law]
        eldest = min(daughter_in_law.age - 22, self.ri(0, grandchild_max))
        for age in self.children_ages(max(0, eldest), daughter_in_law.age):
            members.append(self.person(age, self.sex(), "孫", family))
        return _H("three_generation", members)

    def other(self) -> _H:
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            family = self.names.surnames.pick(rng)
            age = self.ri(30, 85)
            a = self.person(age, self.sex(), "世帯主", family)
            b = self.person(max(18, age + self.ri(-6, 6)), self.sex(), "兄弟姉妹", family)
            return _H("other", [a, b])
        if r < 0.8:
            n = 2 if rng.random() < 0.85 else 3
            head = self.person(self.ri(20, 45), self.sex(), "世帯主", None)
            members = [head]
            for _ in range(n - 1):
                members.append(
                    self.person(max(18, head.age + self.ri(-5, 5)), self.sex(), "同居人", None)
                )
            return _H("other", members)
        grandma = self.person(self.ri(62, 88), self.sex(0.8), "世帯主", None)
        family = (grandma.surname, grandma.skana)
        grandchild = self.person(self.ri(12, min(30, grandma.age - 44)), self.sex(), "孫", family)
        return _H("other", [grandma, grandchild])

    def foreign_person(
        self, age: int, sex: str, relation: str, origin: str, family: tuple[str, str] | None
    ) -> _P:
        p = _P(age, sex, relation, self.birth_for(age))
        names = _foreign()
        p.surname, p.skana = family if family is not None else names.surnames[origin].pick(self.rng)
        index = 0 if sex == "male" else 1 if sex == "female" else self.rn(2)
        p.given, p.gkana = names.given[(origin, index)].pick(self.rng)
        return p

    def foreign_household(self) -> _H:
        """Foreign residents: mostly young singles and couples, names as the registry writes them."""
        origin = _foreign().origins.pick(self.rng)[0]
        r = self.rng.random()
        if r < 0.55:
            age = max(20, min(45, round(self.rng.gauss(29, 5))))
            return _H("single", [self.foreign_person(age, self.sex(), "世帯主", origin, None)])
        husband_age = self.ri(25, 45)
        wife_age = max(20, husband_age - self.spouse_gap())
        husband = self.foreign_person(husband_age, "male", "世帯主", origin, None)
        family = (husband.surname, husband.skana)
        # Chinese, Korean and Vietnamese wives keep their own surname
        keeps = origin in ("china", "korea", "vietnam")
        wife = self.foreign_person(wife_age, "female", "妻", origin, None if keeps else family)
        members = [husband, wife]
        if r < 0.8:
            return _H("couple", members)
        eldest = self.ri(0, max(0, min(12, wife_age - 22)))
        for age in self.children_ages(eldest, wife_age):
            members.append(self.foreign_person(age, self.sex(), "子", origin, family))
        return _H("couple_children", members)

    def ordinary(self) -> _H:
        r = self.rng.random()
        if r < 0.045:
            return self.foreign_household()
        r = self.rng.random()
        if r < 0.49:
            return self.single()
        if r < 0.64:
            return self.couple_household()
        if r < 0.72:
            return self.elderly_couple()
        if r < 0.88:
            return self.couple_children()
        if r < 0.945:
            return self.single_parent()
        if r < 0.97:
            return self.three_generation()
        return self.other()

    # -- service attributes ---------------------------------------------------

    def care_level(self, age: int) -> str | None:
        p = 0.0
        for lo, rate in _CARE_BY_AGE:
            if age >= lo:
                p = rate
        if self.rng.random() >= p:
            return None
        mix = _CARE_MIX_OLD if age >= 85 else _CARE_MIX_YOUNG
        x = self.rng.random() * sum(mix)
        for level, w in zip(CARE_LEVELS, mix, strict=True):
            x -= w
            if x < 0:
                return level
        return CARE_LEVELS[-1]

    def disability(self, age: int) -> str | None:
        rng = self.rng
        r = rng.random()
        physical = 0.003 if age < 18 else 0.015 if age < 65 else 0.09
        if r < physical:
            x = rng.random() * 100.0
            for grade, w in _PHYSICAL_GRADES:
                x -= w
                if x < 0:
                    return f"身体{grade}"
            return "身体6級"
        r -= physical
        intellectual = 0.009 if age < 65 else 0.002
        if r < intellectual:
            return "療育A" if rng.random() < 0.4 else "療育B"
        r -= intellectual
        mental = 0.001 if age < 18 else 0.022 if age < 65 else 0.008
        if r < mental:
            x = rng.random()
            return "精神1級" if x < 0.1 else "精神2級" if x < 0.65 else "精神3級"
        return None

    def services(self, h: _H) -> None:
        rng = self.rng
        members = h.members
        n = len(members)
        head = members[0]
        if n == 1 and head.age >= 65:
            poverty_rate = 0.07
        elif n == 1 and head.age >= 40:
            poverty_rate = 0.04
        elif h.kind == "single_parent" and any(m.age < 18 for m in members):
            poverty_rate = 0.10
        else:
            poverty_rate = 0.008
        household_poverty = rng.random() < poverty_rate
        for p in members:
            age = p.age
            p.care = self.care_level(age) if age >= 40 else None
            p.disability = self.disability(age)
            p.intractable = rng.random() < (0.004 if age < 65 else 0.014)
            p.poverty = household_poverty
            p.child_support = age < 18 and rng.random() < 0.97
            if 15 <= age <= 64:
                p.withdrawn = rng.random() < (0.04 if p.relation == "子" and age >= 20 else 0.004)
            if age < 15:
                p.income = False
            elif age < 18:
                p.income = rng.random() < 0.1
            elif age < 23:
                p.income = rng.random() < 0.5
            elif age < 65:
                p.income = rng.random() < (0.12 if p.withdrawn else 0.9)
            else:
                p.income = rng.random() < 0.97
            if n == 1 and age >= 65:
                note_rate = 0.04
            elif p.withdrawn:
                note_rate = 0.15
            elif household_poverty or age >= 65:
                note_rate = 0.02
            else:
                note_rate = 0.001
            if rng.random() < note_rate:
                pool = (
                    _ISOLATION_NOTES
                    if n == 1
                    else _WITHDRAWN_NOTES
                    if p.withdrawn
                    else _OTHER_NOTES
                )
                p.note = pool[self.rn(len(pool))]

    def phones(self, h: _H) -> None:
        rng = self.rng
        head_age = h.members[0].age
        landline: str | None = None
        if rng.random() < (0.75 if head_age >= 65 else 0.18):
            # Demo numbers are never real subscribers': Japan's numbering plan
            # assigns no local number starting with 0 or 1 after the area code,
            # and no mobile number starting with 0 after 090/080/070.
            landline = f"03-{'0011'[self.rn(4)]}{self.rn(1000):03d}-{self.rn(10000):04d}"
        for p in h.members:
            if p.age < 13:
                p.phone = None
                continue
            mobile_rate = (
                0.55 if p.age >= 75 else 0.75 if p.age >= 65 else 0.9 if p.age >= 18 else 0.75
            )
            if rng.random() < mobile_rate:
                prefix = ("090", "080", "070")[
                    self.rn(3) if p.age < 40 else min(2, self.rn(4) // 2)
                ]
                p.phone = f"{prefix}-0{self.rn(1000):03d}-{self.rn(10000):04d}"
            elif landline is not None and rng.random() < 0.9:
                p.phone = landline
            else:
                p.phone = None

    # -- planted complex-need households -------------------------------------

    def plant(self, pattern: str) -> _H:
        rng = self.rng
        if pattern == "8050":
            child_age = self.ri(45, 59)
            h = self.single_parent(young=False)
            parent = h.members[0]
            parent_age = max(75, min(98, child_age + self.ri(26, 38)))
            parent.age, parent.birth = parent_age, self.birth_for(parent_age)
            self.name(parent)
            child = self.person(child_age, self.sex(0.3), "子", (parent.surname, parent.skana))
            h.members[1:] = [child]
            self.services(h)
            parent.care = CARE_LEVELS[self.ri(1, 5)]
            parent.income = True
            child.withdrawn, child.income, child.care = True, False, None
            if rng.random() < 0.3:
                child.disability = "精神2級" if rng.random() < 0.7 else "精神3級"
            if rng.random() < 0.5:
                child.note = _WITHDRAWN_NOTES[self.rn(len(_WITHDRAWN_NOTES))]
        elif pattern == "double_care":
            h = self.three_generation(grandchild_max=5)
            while not any(m.relation == "子" and m.age < 6 for m in h.members) or not any(
                m.relation in PARENT_RELATIONS for m in h.members
            ):
                h = self.three_generation(grandchild_max=5)
            self.services(h)
            for m in h.members:
                if m.relation in PARENT_RELATIONS:
                    m.care = m.care or CARE_LEVELS[self.ri(0, 4)]
        elif pattern == "young_carer":
            h = self.single_parent(young=True)
            carer_age = self.ri(11, 17)
            parent = h.members[0]
            parent_age = carer_age + self.ri(24, 34)
            parent.age, parent.birth = parent_age, self.birth_for(parent_age)
            self.name(parent)
            family = (parent.surname, parent.skana)
            members = [parent, self.person(carer_age, self.sex(), "子", family)]
            if rng.random() < 0.5 and carer_age >= 12:
                members.append(self.person(self.ri(3, carer_age - 2), self.sex(), "子", family))
            h.members = members
            self.services(h)
            parent.care = None
            parent.disability = ("精神2級", "精神1級", "身体1級", "身体2級")[self.rn(4)]
            parent.income = False
            for m in members[1:]:
                m.care, m.disability = None, None
        elif pattern == "isolation":
            age = max(65, self.old_age())
            h = _H("single", [self.person(age, self.sex(0.6), "世帯主", None)])
            self.services(h)
            p = h.members[0]
            p.care, p.disability, p.intractable, p.poverty, p.child_support = (
                None,
                None,
                False,
                False,
                False,
            )
            p.note = _ISOLATION_NOTES[self.rn(len(_ISOLATION_NOTES))]
            p.income = True
        elif pattern == "poverty_with_children":
            h = self.single_parent(young=True)
            while not any(m.age < 18 for m in h.members):
                h = self.single_parent(young=True)
            self.services(h)
            for m in h.members:
                m.poverty = True
                m.child_support = m.age < 18
        elif pattern == "sealed":
            h = self.single_parent(young=True)
            mother = h.members[0]
            if mother.sex != "female":
                mother.sex = "female"
                self.name(mother)
            self.services(h)
            for m in h.members:
                m.sealed = True
        else:  # pragma: no cover - guarded by the caller
            raise ValueError(pattern)
        h.planted = pattern
        self.phones(h)
        return h

    # -- addresses ------------------------------------------------------------

    def town(self) -> Town:
        x = self.rng.random() * self.town_cum[-1]
        return self.towns[bisect.bisect_right(self.town_cum, x)]

    def building_name(self, town: Town, tower: bool) -> str:
        prefixes, suffix, tower_suffix = _building_parts()
        rng = self.rng
        for attempt in range(20):
            prefix = prefixes[self.rn(len(prefixes))]
            end = (tower_suffix if tower else suffix).pick(rng)[0]
            middle = town.name if rng.random() < 0.6 else ""
            name = f"{prefix}{middle}{end}"
            if attempt > 5:
                name += f"{kanji_number(attempt - 4)}番館"
            if name not in self.building_names:
                self.building_names.add(name)
                return name
        name = f"{town.name}第{len(self.building_names)}ハイツ"
        self.building_names.add(name)
        return name

    def address(self, h: _H) -> Address:
        rng = self.rng
        for _ in range(1000):
            town = self.town()
            chome = self.ri(1, town.max_chome) if town.max_chome else None
            tower_town = town.area == "臨海部"
            apartment = rng.random() < (0.9 if tower_town else 0.72)
            if not apartment:
                banchi = self.ri(1, 30)
                go = None if town.system == "chiban" else self.ri(1, 28)
                addr = Address(town=town.name, chome=chome, banchi=banchi, go=go)
            else:
                addr = self.apartment(h, town, chome, tower_town)
            key = addr.key()
            if key not in self.used_dwellings:
                self.used_dwellings.add(key)
                return addr
        raise RuntimeError("could not find a free dwelling")  # pragma: no cover

    def apartment(self, h: _H, town: Town, chome: int | None, tower_town: bool) -> Address:
        rng = self.rng
        pool = self.buildings.setdefault((town.name, chome or 0), [])
        if pool and rng.random() < 0.85:
            name, banchi, go, floors, per_floor, public = pool[self.rn(len(pool))]
        else:
            public = rng.random() < 0.12
            tower = tower_town and not public and rng.random() < 0.6
            if public:
                ch = f"{kanji_number(chome)}丁目" if chome else ""
                name = f"都営{town.name}{ch}第{len(pool) + 1}アパート"
                floors, per_floor = self.ri(5, 14), self.ri(6, 20)
            else:
                name = self.building_name(town, tower)
                floors = self.ri(20, 52) if tower else self.ri(2, 15)
                per_floor = self.ri(8, 16) if tower else self.ri(3, 10)
            banchi = self.ri(1, 30)
            go = None if town.system == "chiban" else self.ri(1, 28)
            pool.append((name, banchi, go, floors, per_floor, public))
        floor = self.ri(1, floors)
        room = f"{floor}{self.ri(1, per_floor):02d}"
        return Address(town=town.name, chome=chome, banchi=banchi, go=go, building=name, room=room)


def check_digit(base: int) -> int:
    """Modulus-11 check digit (weights 2..7 repeating), folded to one digit.

    Args:
        base: the number without its check digit.

    Returns:
        A digit 0-9 appended to 宛名番号 and 世帯番号.

    Example:
        >>> check_digit(100000001)
        5
    """
    total = 0
    for i, ch in enumerate(reversed(str(base))):
        total += int(ch) * (2 + i % 6)
    return (11 - total % 11) % 10


def _planting_plan(people: int) -> list[str]:
    """How many households of each planted kind, in a fixed order."""
    if people < 40:
        return []
    per_people = {
        "8050": 4000,
        "double_care": 3000,
        "young_carer": 5000,
        "isolation": 1500,
        "poverty_with_children": 3000,
        "sealed": 2000,
    }
    plan: list[str] = []
    for pattern, every in per_people.items():
        plan += [pattern] * max(1, people // every)
    return plan


def generate_ward(people: int, seed: int = DEFAULT_SEED) -> Ward:
    """Build a synthetic ward of exactly ``people`` residents.

    Households follow Tokyo shapes (about half single-person, 1.9 people on
    average, about 21 % aged 65+), live at Koto City addresses, and carry the
    service attributes the department extracts are made from. A few households
    are built to show each complex-need pattern; ``Ward.planted`` lists every
    household that meets a pattern's definition (see ``detect_patterns``),
    deliberate or not.

    Args:
        people: number of residents (540,000 for a full-size ward).
        seed: random seed; the output is identical for the same (people, seed).

    Returns:
        The ward, households in registry order.

    Example:
        >>> ward = generate_ward(2_000, seed=3)
        >>> ward.person_count, ward.households[0].address.text().startswith("東京都江東区")
        (2000, True)
    """
    if people < 0:
        raise ValueError("people must be >= 0")
    # Millions of small objects, none cyclic: the cyclic collector only costs time here.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(people, seed)
    finally:
        if was_enabled:
            gc.enable()


def _generate(people: int, seed: int) -> Ward:
    gen = _Generator(seed)
    rng = gen.rng
    drafts: list[_H] = []
    remaining = people
    for pattern in _planting_plan(people):
        h = gen.plant(pattern)
        if len(h.members) <= remaining:
            drafts.append(h)
            remaining -= len(h.members)
    while remaining > 0:
        h = gen.ordinary()
        if len(h.members) > remaining:
            h = gen.single()
        gen.services(h)
        gen.phones(h)
        drafts.append(h)
        remaining -= len(h.members)
    namesakes = _plant_namesakes(gen, drafts, people)
    rng.shuffle(drafts)

    households: list[Household] = []
    resident_base = 100_000_000
    household_base = 500_000_000
    pid = 0
    for h in drafts:
        household_base += gen.ri(1, 3)
        household_id = f"{household_base:09d}{check_digit(household_base)}"
        address = gen.address(h)
        alone = len(h.members) == 1
        members: list[Resident] = []
        for p in h.members:
            pid += 1
            p.pid = pid
            resident_base += gen.ri(1, 4)
            members.append(
                Resident(
                    person_id=pid,
                    resident_id=f"{resident_base:09d}{check_digit(resident_base)}",
                    household_id=household_id,
                    surname=p.surname,
                    given_name=p.given,
                    surname_kana=p.skana,
                    given_kana=p.gkana,
                    birth_date=p.birth,
                    sex=p.sex,
                    relation=p.relation,
                    phone=p.phone,
                    sealed=p.sealed,
                    care_level=p.care,
                    disability=p.disability,
                    intractable_disease=p.intractable,
                    poverty_support=p.poverty,
                    child_support=p.child_support,
                    withdrawn=p.withdrawn,
                    income=p.income,
                    csw_note=p.note,
                    lives_alone=alone,
                )
            )
        households.append(Household(household_id, address, members, h.kind))

    planted_ids = {(h.planted, h.members[0].pid) for h in drafts if h.planted}
    planted: list[PlantedPattern] = []
    for household in households:
        for found in detect_patterns(household):
            deliberate = (found.pattern, household.members[0].person_id) in planted_ids
            planted.append(
                PlantedPattern(found.pattern, found.household_id, found.person_ids, deliberate)
            )
    hard = [HardNegative("twins", (a.pid, b.pid)) for a, b in gen.twins if a.pid and b.pid]
    hard += [HardNegative(kind, (a.pid, b.pid)) for kind, a, b in namesakes]
    return Ward(households, build_agencies(), planted, hard, seed, REFERENCE_DATE)


def _plant_namesakes(gen: _Generator, drafts: list[_H], people: int) -> list[tuple[str, _P, _P]]:
    """Give a few single residents the full name (sometimes the birthday) of someone else."""
    rng = gen.rng
    singles = [h for h in drafts if len(h.members) == 1 and h.planted is None]
    out: list[tuple[str, _P, _P]] = []
    if not singles or len(drafts) < 2:
        return out
    for _ in range(max(1, people // 1000)):
        target = singles[gen.rn(len(singles))].members[0]
        for _attempt in range(200):
            donor_h = drafts[gen.rn(len(drafts))]
            donor = donor_h.members[gen.rn(len(donor_h.members))]
            if donor is target or donor.sex != target.sex or abs(donor.age - target.age) > 5:
                continue
            target.surname, target.skana = donor.surname, donor.skana
            target.given, target.gkana = donor.given, donor.gkana
            kind = "namesake"
            if rng.random() < 0.25:
                target.birth, target.age = donor.birth, donor.age
                kind = "namesake_same_birthday"
            out.append((kind, donor, target))
            break
    return out


# ---------------------------------------------------------------------------
# Pattern definitions (the ground truth detection is judged against)
# ---------------------------------------------------------------------------


def detect_patterns(household: Household, day: date = REFERENCE_DATE) -> list[PlantedPattern]:
    """Complex-need patterns a household meets, by the definitions below.

    * ``8050``: a parent aged 75+ with a care level and their child aged 45-59
      who is withdrawn and has no income.
    * ``double_care``: head and spouse, a child (子) under 6 and a parent of
      the head or spouse with a care level.
    * ``young_carer``: a child/grandchild/sibling aged 10-18, a member with a
      care level or disability, and no other member aged 19-64 who is neither.
    * ``isolation``: one person aged 65+, no service use, a community worker's note.
    * ``poverty_with_children``: a member on poverty support and a member under 18.

    Args:
        household: the household to test.
        day: the day ages are taken on.

    Returns:
        One ``PlantedPattern`` (deliberate=False) per pattern met, with the
        person_ids involved in ascending order.

    Example:
        >>> ward = generate_ward(2_000, seed=5)
        >>> any(detect_patterns(h) for h in ward.households)
        True
    """
    members = household.members
    ages = [age_on(m.birth_date, day) for m in members]
    found: list[PlantedPattern] = []

    def add(pattern: str, ids: set[int]) -> None:
        found.append(PlantedPattern(pattern, household.household_id, tuple(sorted(ids)), False))

    # 8050
    parents = [
        (m, a) for m, a in zip(members, ages, strict=True) if a >= 75 and m.care_level is not None
    ]
    kids = [
        (m, a)
        for m, a in zip(members, ages, strict=True)
        if 45 <= a <= 59 and m.withdrawn and not m.income
    ]
    ids: set[int] = set()
    for parent, _pa in parents:
        for kid, _ka in kids:
            head_and_child = parent.relation in ("世帯主", "妻", "夫") and kid.relation == "子"
            child_is_head = kid.relation == "世帯主" and parent.relation in ("父", "母")
            if head_and_child or child_is_head:
                ids.update((parent.person_id, kid.person_id))
    if ids:
        add("8050", ids)

    # double care
    relations = [m.relation for m in members]
    if "世帯主" in relations and ("妻" in relations or "夫" in relations):
        small = [m for m, a in zip(members, ages, strict=True) if m.relation == "子" and a < 6]
        cared = [m for m in members if m.relation in PARENT_RELATIONS and m.care_level]
        if small and cared:
            couple = [m for m in members if m.relation in ("世帯主", "妻", "夫")]
            add("double_care", {m.person_id for m in couple + small + cared})

    # young carer
    carers = [
        m
        for m, a in zip(members, ages, strict=True)
        if 10 <= a <= 18
        and m.relation in ("子", "孫", "兄弟姉妹")
        and not m.care_level
        and not m.disability
    ]
    needing = [m for m in members if m.care_level or m.disability]
    others = [
        m
        for m, a in zip(members, ages, strict=True)
        if 19 <= a <= 64 and not m.care_level and not m.disability
    ]
    if carers and needing and not others:
        add("young_carer", {m.person_id for m in carers + needing})

    # isolation
    if len(members) == 1:
        m = members[0]
        if ages[0] >= 65 and not m.uses_services and m.csw_note:
            add("isolation", {m.person_id})

    # poverty with children
    poor = [m for m in members if m.poverty_support]
    children = [m for m, a in zip(members, ages, strict=True) if a < 18]
    if poor and children:
        add("poverty_with_children", {m.person_id for m in poor + children})
    return found


# ---------------------------------------------------------------------------
# Agencies
# ---------------------------------------------------------------------------


def build_agencies() -> list[Agency]:
    """The ward's agencies (data/agencies.tsv): departments, centres, councils, NPOs, 民生委員.

    Returns:
        Agencies in a fixed order with unique ``code`` values.

    Example:
        >>> sum(a.kind == "longevity_support_centre" for a in build_agencies())
        21
    """
    return [Agency(r[0], r[3], r[1], r[2]) for r in _read_tsv("agencies.tsv")]
