"""Reading a consultant's free-form look-up and scoring candidates.

Plain Python (no Django): ``parse_query`` turns whatever was typed — kanji
name, kana, a birth date in any notation, part of an address, a phone
number, in any order — into a :class:`Query`; ``score`` compares one
candidate with it and says why it matched, in the words a consultant reads
(「カナ一致・生年月日一致・住所の丁目まで一致」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import JaroWinkler

from tsunagari.text import (
    ERAS,
    Address,
    TextError,
    kana_key,
    kanji_to_int,
    name_key,
    parse_address,
    parse_date,
    parse_phone,
)
from tsunagari.text.addresses import KNOWN_TOWNS

__all__ = ["Candidate", "Query", "Score", "parse_birth_year", "parse_query", "score"]

_KANA_ONLY = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f\u30fc\uff70ー・･]+$")
_ADDRESS_HINT = re.compile(r"(丁目|番地|番|号|[0-9０-９]+[-－ー‐―−][0-9０-９]+)")
_DIGITS = re.compile(r"[0-9０-９]")
_KANJI_CHOME = re.compile(r"[一二三四五六七八九十]+丁目")
_MAX_QUERY = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Query:
    """What a look-up asks for. Empty fields were not given."""

    kana_surname: str = ""
    kana_given: str = ""
    kana_full: str = ""
    name_surname: str = ""
    name_given: str = ""
    name_full: str = ""
    birth_date: date | None = None
    #: A birth year typed alone (「S21」「昭和21年」「1946年」); None when a
    #: whole birth date was given, which says more.
    birth_year: int | None = None
    address: Address | None = None
    phone: str = ""
    problems: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.kana_full
            or self.name_full
            or self.birth_date
            or self.birth_year
            or self.address
            or self.phone
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """The comparable facts of one stored person (keys, not display text)."""

    kana_surname: str
    kana_given: str
    kana_full: str
    name_full: str
    name_surname: str
    birth_date: date | None
    address_key: str
    block_key: str
    town: str
    phone: str


@dataclass(frozen=True, slots=True)
class Score:
    points: float
    reasons: tuple[str, ...] = field(default=())


_TOWN_PREFIXES = (*sorted(KNOWN_TOWNS, key=len, reverse=True), "東京都", "江東区")


def _looks_like_address(token: str, following: str) -> bool:
    """An address part: has 丁目/番/号 or digit-dash-digit, or is a town name
    with numbers attached or following. A bare town name alone reads as a
    name, since several towns are also surnames (高橋, 平野, 森下 …)."""
    if _ADDRESS_HINT.search(token) or token.startswith(("東京都", "江東区")):
        return True
    if token.startswith(_TOWN_PREFIXES):
        rest = token[len(next(t for t in _TOWN_PREFIXES if token.startswith(t))) :]
        return bool(rest) or bool(_DIGITS.match(following) or _KANJI_CHOME.match(following))
    return False


def _looks_like_phone(token: str) -> bool:
    digits = len(_DIGITS.findall(token))
    return digits >= 10 and token.lstrip("+（(").startswith(("0", "０", "+", "8"))


_ERA_YEAR_TOKENS: dict[str, tuple[int, int]] = {}
for _era in ERAS:
    _last_year = (_era.last.year if _era.last else 9999) - _era.first.year + 1
    for _token in (_era.name, _era.name[0], _era.letter, _era.letter.lower()):
        _ERA_YEAR_TOKENS[_token] = (_era.first.year, _last_year)
# Kanji numerals and 元 only with 年 after them: 「昭二」「平一」 are given names.
_RE_ERA_YEAR = re.compile(
    "({})\\.?(?:([0-9]{{1,2}})年?|([〇一二三四五六七八九十元]{{1,4}})年)".format(
        "|".join(sorted(_ERA_YEAR_TOKENS, key=len, reverse=True))
    )
)
_RE_GREGORIAN_YEAR = re.compile(r"(?:西暦)?([0-9]{4})年")
_YEAR_WIDTH = str.maketrans("０１２３４５６７８９ＳＴＨＭＲｓｔｈｍｒ", "0123456789STHMRsthmr")


def parse_birth_year(token: str, *, this_year: int | None = None) -> int | None:
    """Read a birth year written alone, as consultants note it.

    Accepted: 「S21」「s21」「昭21」「昭和21年」「昭和二十一年」「平成元年」
    「1946年」「西暦1946年」 (full-width digits too). A bare number
    (「1946」) is not read as a year: it may as well be part of an address.

    Args:
        token: one token of the look-up.
        this_year: the latest year accepted (default: no upper bound but the era's end).

    Returns:
        The Gregorian year, or None when the token is not a year alone or
        names a year its era does not have (「昭和70年」).

    Example:
        >>> parse_birth_year("S21"), parse_birth_year("昭和21年"), parse_birth_year("1946年")
        (1946, 1946, 1946)
        >>> parse_birth_year("昭和70年") is None
        True
    """
    s = token.strip().translate(_YEAR_WIDTH)
    if len(s) > 12:
        return None
    year: int | None = None
    if m := _RE_ERA_YEAR.fullmatch(s):
        first, last = _ERA_YEAR_TOKENS[m[1]]
        written = m[2] or m[3]
        number = 1 if written == "元" else kanji_to_int(written)
        if number is None or not 1 <= number <= last:
            return None
        year = first + number - 1
    elif m := _RE_GREGORIAN_YEAR.fullmatch(s):
        year = int(m[1])
    if year is None or not 1868 <= year <= (this_year or 9999):
        return None
    return year


def parse_query(text: str) -> Query:
    """Read a free-form look-up.

    Args:
        text: what the consultant typed, e.g. 「やまだ たろう S23.3.5 北砂3」.

    Returns:
        The parts it recognised; ``problems`` lists tokens it could not read.

    Example:
        >>> q = parse_query("ヤマダ タロウ 昭和23年3月5日")
        >>> (q.kana_full, q.birth_date.isoformat())
        ('ヤマダタロウ', '1948-03-05')
    """
    # Control characters (NUL among them, which PostgreSQL refuses) are never part of a name.
    text = _CONTROL.sub(" ", (text or "")[:_MAX_QUERY])
    tokens = [t for t in re.split(r"[\s\u3000]+", text) if t]
    kana: list[str] = []
    names: list[str] = []
    address_tokens: list[str] = []
    birth: date | None = None
    birth_year: int | None = None
    phone = ""
    problems: list[str] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if _looks_like_phone(token):
            parsed_phone = parse_phone(token)
            if not isinstance(parsed_phone, TextError):
                phone = parsed_phone.digits
                continue
        if _DIGITS.search(token) or re.search(r"[年元]", token):
            parsed_date = parse_date(token)
            if not isinstance(parsed_date, TextError):
                birth = parsed_date
                continue
            if (year := parse_birth_year(token, this_year=date.today().year)) is not None:
                birth_year = year
                continue
        if _KANA_ONLY.match(token):
            kana.append(token)
            continue
        if _looks_like_address(token, following) or (address_tokens and _DIGITS.search(token)):
            address_tokens.append(token)
            continue
        if _DIGITS.search(token):
            problems.append(token)
            continue
        names.append(token)
    # A town name typed alone ("北砂") reads as an address, not a surname.
    address: Address | None = None
    if address_tokens:
        parsed_address = parse_address("".join(address_tokens))
        if isinstance(parsed_address, TextError):
            names.extend(t for t in address_tokens if not _DIGITS.search(t))
            problems.extend(t for t in address_tokens if _DIGITS.search(t))
        else:
            address = parsed_address
    kana_parts = [kana_key(k) for k in kana]
    name_parts = [name_key(n) for n in names]
    return Query(
        kana_surname=kana_parts[0] if len(kana_parts) >= 2 else "",
        kana_given="".join(kana_parts[1:]) if len(kana_parts) >= 2 else "",
        kana_full="".join(kana_parts),
        name_surname=name_parts[0] if len(name_parts) >= 2 else "",
        name_given="".join(name_parts[1:]) if len(name_parts) >= 2 else "",
        name_full="".join(name_parts),
        birth_date=birth,
        birth_year=None if birth else birth_year,
        address=address,
        phone=phone,
        problems=tuple(problems),
    )


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return float(JaroWinkler.similarity(a, b))


def _name_points(q: Query, c: Candidate) -> tuple[float, list[str]]:
    """Kana and kanji carry the same information: take the better of the two."""
    best = 0.0
    reasons: list[str] = []
    if q.kana_full:
        if q.kana_full == c.kana_full:
            best, reasons = 9.0, ["カナ一致"]
        elif not q.kana_surname and q.kana_full in (c.kana_surname, c.kana_given):
            # One word typed, and it is this person's surname (or given name) reading.
            best, reasons = (
                5.0,
                ["カナ（氏）一致" if q.kana_full == c.kana_surname else "カナ（名）一致"],
            )
        else:
            sim = _similar(q.kana_full, c.kana_full)
            if (
                q.kana_surname
                and q.kana_surname == c.kana_surname
                and _similar(q.kana_given, c.kana_given) >= 0.8
            ):
                best, reasons = 6.0, ["カナ類似（氏一致）"]
            elif sim >= 0.9:
                best, reasons = 6.0, ["カナ類似"]
            elif sim >= 0.8:
                best, reasons = 3.0, ["カナやや類似"]
            elif q.kana_surname and q.kana_surname == c.kana_surname:
                best, reasons = 2.0, ["カナ氏一致"]
            else:
                best = -4.0
    if q.name_full:
        points, why = -4.0, ""
        if q.name_full == c.name_full:
            points, why = 9.0, "氏名一致"
        elif q.name_surname and q.name_surname == c.name_surname:
            points, why = 3.0, "氏一致"
        elif q.name_full == c.name_surname:
            points, why = 3.0, "氏一致"
        elif _similar(q.name_full, c.name_full) >= 0.85:
            points, why = 4.0, "氏名類似"
        if points > best or not q.kana_full:
            best, reasons = points, [why] if why else []
        elif why and points > 0:
            reasons.append(why)
            best += 0.5
    return best, reasons


def _year_points(q: Query, c: Candidate) -> tuple[float, list[str]]:
    """A year alone narrows: the same year counts, one year off (an era
    misconverted, a birthday early in the year) neither counts nor excludes,
    any other year excludes a name match (9 - 6 is under the threshold)."""
    if q.birth_year is None or c.birth_date is None:
        return 0.0, []
    if c.birth_date.year == q.birth_year:
        return 3.0, ["生年一致"]
    if abs(c.birth_date.year - q.birth_year) == 1:
        return 0.0, []
    return -6.0, []


def _date_points(q: Query, c: Candidate) -> tuple[float, list[str]]:
    d, b = q.birth_date, c.birth_date
    if d is None or b is None:
        return 0.0, []
    if d == b:
        return 8.0, ["生年月日一致"]
    if d.year == b.year and d.month == b.day and d.day == b.month:
        return 4.0, ["生年月日（月日の入れ替わり）"]
    if d.year == b.year and d.month == b.month:
        return 2.0, ["生年月一致"]
    if d.month == b.month and d.day == b.day and abs(d.year - b.year) <= 1:
        return 2.5, ["誕生日一致（年が1年違い）"]
    return -6.0, []


def _address_points(q: Query, c: Candidate) -> tuple[float, list[str]]:
    a = q.address
    if a is None:
        return 0.0, []
    if a.key and a.key == c.address_key:
        return 6.0, ["住所一致"]
    if a.banchi and c.address_key.startswith(a.key + "-"):
        return 5.0, ["住所の番地まで一致"]
    if a.banchi and a.block_key and c.address_key.startswith(f"{a.block_key}-{a.banchi}"):
        return 4.0, ["住所の番地まで一致"]
    if a.block_key and a.block_key == c.block_key and a.chome is not None:
        return 3.0, ["住所の丁目まで一致"]
    if a.town_key and a.town_key == c.town:
        return 1.0, ["町名一致"]
    return -1.0, []


def score(q: Query, c: Candidate, *, use_contact: bool = True) -> Score:
    """Score one candidate against the query.

    Args:
        q: the parsed look-up.
        c: the candidate's keys.
        use_contact: False when the viewer may not see this person's address
            and phone (a sealed person): then neither counts nor is named as
            a reason, so the ranking cannot reveal where they live.

    Returns:
        Points (higher is likelier the same person) and the reasons.

    Example:
        >>> q = parse_query("ヤマダ タロウ 1948-03-05")
        >>> c = Candidate("ヤマダ", "タロウ", "ヤマダタロウ", "山田太郎", "山田", date(1948, 3, 5), "", "", "", "")
        >>> score(q, c).reasons
        ('カナ一致', '生年月日一致')
    """
    total = 0.0
    reasons: list[str] = []
    for part in (_name_points(q, c), _date_points(q, c), _year_points(q, c)):
        total += part[0]
        reasons += part[1]
    if use_contact:
        points, why = _address_points(q, c)
        total += points
        reasons += why
        if q.phone:
            if q.phone == c.phone:
                total += 7.0
                reasons.append("電話番号一致")
            elif c.phone:
                total -= 1.0
    return Score(total, tuple(reasons))
