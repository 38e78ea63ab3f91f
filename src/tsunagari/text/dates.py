"""Dates in the notations Japanese records use, with exact era boundaries.

Era table (first day, Gregorian):

==== ===== ========== ==========
code name  first day  last day
==== ===== ========== ==========
M/1  明治  1868-01-25 1912-07-30
T/2  大正  1912-07-30 1926-12-25
S/3  昭和  1926-12-25 1989-01-07
H/4  平成  1989-01-08 2019-04-30
R/5  令和  2019-05-01 (current)
==== ===== ========== ==========

明治 starts on 1868-01-25, the Gregorian day of 慶応4年1月1日, because the
change of era was made retroactive to that new year; month and day of
明治1-5 are read as Gregorian (Japan adopted the Gregorian calendar on
明治6年1月1日 = 1873-01-01; living people were not born before it). The
emperor died and the era changed during the day on 1912-07-30 and on
1926-12-25, so those days are valid in both eras (明治45年7月30日 =
大正元年7月30日). 1989-01-08 and 2019-05-01 changed era at midnight, so
昭和64年1月8日 and 平成31年5月1日 are rejected.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import NamedTuple

from tsunagari.text._cache import short_text_cache
from tsunagari.text.numerals import kanji_to_int
from tsunagari.text.result import TextError

__all__ = ["ERAS", "BirthYears", "Era", "parse_date", "parse_vague_birth"]


class Era(NamedTuple):
    """One Japanese era: names, number code and Gregorian first/last day."""

    name: str
    letter: str
    code: int
    first: date
    last: date | None


ERAS: tuple[Era, ...] = (
    Era("明治", "M", 1, date(1868, 1, 25), date(1912, 7, 30)),
    Era("大正", "T", 2, date(1912, 7, 30), date(1926, 12, 25)),
    Era("昭和", "S", 3, date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", 4, date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", 5, date(2019, 5, 1), None),
)

_ERA_BY_TOKEN: dict[str, Era] = {}
for _era in ERAS:
    _ERA_BY_TOKEN[_era.name] = _era
    _ERA_BY_TOKEN[_era.name[0]] = _era
    _ERA_BY_TOKEN[_era.letter] = _era
    _ERA_BY_TOKEN[_era.letter.lower()] = _era

_MIN_YEAR = 1800
_MAX_YEAR = 2200

_NUM = r"[0-9〇零一二三四五六七八九十壱弐参拾百千元]+"
_SEP = r"[-/.]"
_RE_TIME = re.compile(r"(?<=\d)(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*$")
_ERA_TOKENS = "|".join(sorted(_ERA_BY_TOKEN, key=len, reverse=True))

_RE_ISO_FAST = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", re.ASCII)
_RE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_RE_ERA_CODE = re.compile(r"([1-5MTSHRmtshr])(\d{2})(\d{2})(\d{2})")
_RE_WEEKDAY = re.compile(r"\s*\(\s*([月火水木金土日])\s*(?:曜日?)?\s*\)\s*$")
_WEEKDAYS = "月火水木金土日"
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CODE_ERA: dict[str, Era] = {str(era.code): era for era in ERAS} | {
    t: e for t, e in _ERA_BY_TOKEN.items() if t.isascii()
}
_RE_GREGORIAN = re.compile(
    rf"(?:西暦)?({_NUM})(?:年({_NUM})月({_NUM})日?|{_SEP}({_NUM}){_SEP}({_NUM}))"
)
_RE_ERA = re.compile(
    rf"({_ERA_TOKENS})\.?({_NUM})(?:年({_NUM})月({_NUM})日?|{_SEP}({_NUM}){_SEP}({_NUM})|年)"
)
_DROP = str.maketrans({" ": None, "\u3000": None, "\t": None, "'": None, ",": None, "、": None})
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー", "-"))


def _error(reason: str, reason_ja: str) -> TextError:
    return TextError("date", reason, reason_ja)


def _make(year: int, month: int, day: int) -> date | TextError:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return _error(
            f"The year {year} is out of range ({_MIN_YEAR}-{_MAX_YEAR}): check the year.",
            f"{year}年は範囲外です（{_MIN_YEAR}〜{_MAX_YEAR}年）。年を確認してください。",
        )
    if not 1 <= month <= 12:
        return _error(
            f"There is no month {month}: the month must be 1-12.",
            f"{month}月はありません。月は1〜12で入力してください。",
        )
    try:
        return date(year, month, day)
    except ValueError:
        return _error(
            f"There is no day {day} in {year}-{month:02d}: check the day.",
            f"{year}年{month}月{day}日は存在しない日付です。日を確認してください。",
        )


def _from_era(era: Era, year: int, month: int, day: int) -> date | TextError:
    if year < 1:
        return _error(
            f"{era.name} year {year} does not exist: era years start at 1 (元年).",
            f"{era.name}{year}年はありません。元号の年は元年（1年）から始まります。",
        )
    result = _make(era.first.year + year - 1, month, day)
    if isinstance(result, TextError):
        return result
    if result < era.first:
        return _error(
            f"{era.name}{year}年{month}月{day}日 ({era.letter}{year}.{month}.{day}) is before {era.name} began on {era.first.isoformat()}: check the era.",
            f"{era.name}{year}年{month}月{day}日は{era.name}の始まり（{era.first.isoformat()}）より前です。元号を確認してください。",
        )
    if era.last is not None and result > era.last:
        return _error(
            f"{era.name}{year}年{month}月{day}日 ({era.letter}{year}.{month}.{day}) is after {era.name} ended on {era.last.isoformat()}: check the era.",
            f"{era.name}{year}年{month}月{day}日は{era.name}の終わり（{era.last.isoformat()}）より後です。元号を確認してください。",
        )
    return result


def _numbers(*groups: str | None) -> tuple[int, int, int] | None:
    values = [kanji_to_int(g) for g in groups if g is not None]
    if len(values) != 3 or any(v is None for v in values):
        return None
    y, m, d = values
    assert y is not None and m is not None and d is not None
    return (y, m, d)


@short_text_cache(maxsize=1 << 18, max_len=64)
def parse_date(text: str) -> date | TextError:
    """Read a date written in any notation common in Japanese records.

    Accepted: 1948-03-05, 1948/3/5, 1948.3.5, 19480305, 1948年3月5日,
    昭和23年3月5日, 昭和２３年３月５日, 昭和二十三年三月五日, S23.3.5,
    s23/3/5, 昭23.3.5, H1.1.8, R1.5.1, 令和元年5月1日, ㍻元年1月8日, the
    7-digit code of Japanese government systems (3230305 = 昭和23年3月5日;
    1 明治, 2 大正, 3 昭和, 4 平成, 5 令和) or its letter form (S230305), a
    weekday after the date (2019年5月1日(水)) and an ISO time of day after the
    date (1948-03-05 00:00:00). Full-width digits are read as digits.

    Args:
        text: the date as written.

    Returns:
        The :class:`datetime.date`, or a :class:`TextError` saying why it is
        not one: unknown notation, missing month or day, impossible day
        (2月30日), or a day outside its era (昭和64年1月8日, 平成31年5月1日).
        A date is never guessed.

    Example:
        >>> parse_date("昭和２３年３月５日")
        datetime.date(1948, 3, 5)
        >>> parse_date("昭和64年1月8日").reason_ja
        '昭和64年1月8日は昭和の終わり（1989-01-07）より後です。元号を確認してください。'
    """
    if m := _RE_ISO_FAST.fullmatch(text):
        # the notation of most machine extracts: skip normalisation
        return _make(int(m[1]), int(m[2]), int(m[3]))
    s = unicodedata.normalize("NFKC", text).strip()
    if ":" in s:
        s = _RE_TIME.sub("", s)
    weekday = None
    if ")" in s and (w := _RE_WEEKDAY.search(s)):
        weekday = w[1]
        s = s[: w.start()]
    result = _parse_clean(s.translate(_DROP).translate(_DASHES))
    if weekday is not None and isinstance(result, date) and _WEEKDAYS[result.weekday()] != weekday:
        actual = _WEEKDAYS[result.weekday()]
        return _error(
            f"{result.isoformat()} is a {_WEEKDAYS_EN[result.weekday()]} ({actual}), but ({weekday}) is written: check the date.",
            f"{result.year}年{result.month}月{result.day}日は{actual}曜日です（{weekday}と書かれています）。日付を確認してください。",
        )
    return result


def _parse_clean(s: str) -> date | TextError:
    if not s:
        return _error(
            "The date is empty: enter a date such as 1948-03-05 or 昭和23年3月5日.",
            "日付が空です。1948-03-05 や 昭和23年3月5日 のように入力してください。",
        )
    if len(s) > 64:
        return _error("The date is too long to be a date.", "日付として長すぎます。")
    if m := _RE_COMPACT.fullmatch(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _RE_ERA_CODE.fullmatch(s):
        return _from_era(_CODE_ERA[m[1]], int(m[2]), int(m[3]), int(m[4]))
    if m := _RE_ERA.fullmatch(s):
        era = _ERA_BY_TOKEN[m[1]]
        if m[3] is None and m[5] is None:
            return _error(
                f"Only the year is given ({s}): add the month and day.",
                f"年しかありません（{s}）。月と日を入力してください。",
            )
        nums = _numbers(m[2], m[3] or m[5], m[4] or m[6])
        if nums is None:
            return _unknown(s)
        return _from_era(era, *nums)
    if s.startswith("元"):
        return _error(
            f"The era is missing in {s!r}: write 令和元年5月1日 or 2019-05-01.",
            f"元号がありません（{s}）。令和元年5月1日 や 2019-05-01 のように入力してください。",
        )
    if m := _RE_GREGORIAN.fullmatch(s):
        nums = _numbers(m[1], m[2] or m[4], m[3] or m[5])
        if nums is None or "元" in s:
            return _unknown(s)
        if len(m[1]) < 3 and m[1].isdigit():
            return _error(
                f"The year {m[1]} has no era and no century: write 1948 or 昭和23.",
                f"年（{m[1]}）に元号も世紀もありません。1948年 または 昭和23年 のように入力してください。",
            )
        return _make(*nums)
    return _unknown(s)


def _unknown(s: str) -> TextError:
    shown = s if len(s) <= 20 else s[:20] + "…"
    return _error(
        f"{shown!r} is not a date: write it like 1948-03-05, 1948/3/5 or 昭和23年3月5日.",
        f"「{shown}」は日付として読めません。1948-03-05、1948/3/5、昭和23年3月5日 のように入力してください。",
    )


class BirthYears(NamedTuple):
    """The years a vaguely written birth date allows, both ends included."""

    first: int
    last: int


#: Words that make a year or an age approximate (昭和63年頃, 91歳位, 80歳くらい).
_APPROX = r"(?:頃|ごろ|ころ|位|くらい|ぐらい|前後|程度|程|位い)"
#: Words around the value that carry nothing (推定91歳, 昭和63年生まれ, 約80歳).
_RE_VAGUE_NOISE = re.compile(r"^(?:推定|約|おおよそ|およそ|大体|だいたい)|(?:生まれ|生れ|生|)$")
_RE_VAGUE_YEAR = re.compile(rf"(?:({_ERA_TOKENS})\.?)?({_NUM})年?({_APPROX})?")
_RE_DECADE_OF_BIRTH = re.compile(rf"(?:({_ERA_TOKENS})\.?)?({_NUM})年代({_APPROX})?")
_RE_AGE = re.compile(rf"({_NUM})(?:歳|才)({_APPROX})?")
_RE_AGE_BAND = re.compile(rf"({_NUM})(?:歳|才)?代(前半|後半|半ば)?({_APPROX})?")
#: How far an approximate year or age is taken to reach either way.
_APPROX_YEARS = 1
_APPROX_AGE = 2
_BAND_PART = {"前半": (0, 4), "後半": (5, 9), "半ば": (3, 7), None: (0, 9)}
_MAX_AGE = 130


def _born_at_age(low: int, high: int, as_of: date) -> BirthYears:
    """Birth years of someone aged ``low`` to ``high`` on ``as_of``."""
    return BirthYears(as_of.year - high - 1, as_of.year - low)


def _vague_error(s: str) -> TextError:
    shown = s if len(s) <= 20 else s[:20] + "…"
    return _error(
        f"{shown!r} is neither a date nor an approximate birth year or age "
        "(昭和63年頃, 1950年代, 80代, 91歳位).",
        f"「{shown}」は日付としても、おおよその生年・年齢（昭和63年頃、1950年代、80代、91歳位）としても読めません。",
    )


def _parse_vague_clean(s: str, as_of: date) -> BirthYears | TextError:
    if m := _RE_AGE_BAND.fullmatch(s):
        decade = kanji_to_int(m[1])
        if decade is None or decade % 10 or decade > _MAX_AGE:
            return _vague_error(s)
        low, high = _BAND_PART[m[2]]
        return _born_at_age(decade + low, decade + high, as_of)
    if m := _RE_AGE.fullmatch(s):
        age = kanji_to_int(m[1])
        if age is None or age > _MAX_AGE:
            return _vague_error(s)
        reach = _APPROX_AGE if m[2] else 0
        return _born_at_age(max(0, age - reach), age + reach, as_of)
    if m := _RE_DECADE_OF_BIRTH.fullmatch(s):
        start = kanji_to_int(m[2])
        if start is None or start % 10:
            return _vague_error(s)
        if m[1]:
            era = _ERA_BY_TOKEN[m[1]]
            start = era.first.year + max(start, 1) - 1
        return _in_range(BirthYears(start, start + 9), as_of, s)
    if m := _RE_VAGUE_YEAR.fullmatch(s):
        year = kanji_to_int(m[2])
        if year is None or (not m[1] and "年" not in s and not m[3]):
            return _vague_error(s)
        if m[1]:
            era = _ERA_BY_TOKEN[m[1]]
            if year < 1 or (era.last is not None and year > era.last.year - era.first.year + 1):
                return _vague_error(s)
            year = era.first.year + year - 1
        elif year < 1000:
            # 63年頃 without an era could be 昭和 or 平成: no evidence.
            return _vague_error(s)
        reach = _APPROX_YEARS if m[3] else 0
        return _in_range(BirthYears(year - reach, year + reach), as_of, s)
    return _vague_error(s)


def _in_range(years: BirthYears, as_of: date, s: str) -> BirthYears | TextError:
    if years.last < _MIN_YEAR or years.first > as_of.year:
        return _vague_error(s)
    return BirthYears(years.first, min(years.last, as_of.year))


def parse_vague_birth(text: str, as_of: date) -> BirthYears | TextError:
    """Read the birth years that an approximate birth date or age allows.

    Community workers write what they know: 昭和63年頃 (about 昭和63), 1988年
    (a year without month and day), 1950年代 or 昭和30年代 (a decade of
    birth), 80代 / 80歳代 / 80代後半 (an age band), 91歳位 or 推定91歳 (about
    that age). An age is taken on ``as_of``, the date the extract was made
    (the run's reference date). Approximate years reach one year either way,
    approximate ages two.

    Args:
        text: the birth date as written.
        as_of: the date ages are counted on.

    Returns:
        The first and last birth year allowed, or a :class:`TextError` when
        the text is no such approximation (a full date is read by
        :func:`parse_date`, not here).

    Example:
        >>> parse_vague_birth("昭和63年頃", date(2026, 4, 1))
        BirthYears(first=1987, last=1989)
        >>> parse_vague_birth("80代", date(2026, 4, 1))
        BirthYears(first=1936, last=1946)
        >>> parse_vague_birth("91歳位", date(2026, 4, 1))
        BirthYears(first=1932, last=1937)
    """
    s = unicodedata.normalize("NFKC", text).translate(_DROP).strip()
    if not s or len(s) > 32:
        return _vague_error(s)
    s = _RE_VAGUE_NOISE.sub("", s) or s
    return _parse_vague_clean(s, as_of)
