"""Kanji numerals (一, 二十三, 千九百四十八, 一九四八, 元) to integers."""

from __future__ import annotations

__all__ = ["KANJI_DIGITS", "kanji_to_int"]

KANJI_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "一": 1, "壱": 1, "壹": 1, "二": 2, "弐": 2, "貳": 2,
    "三": 3, "参": 3, "參": 3, "四": 4, "五": 5, "伍": 5, "六": 6, "七": 7,
    "八": 8, "九": 9,
}  # fmt: skip
_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "千": 1000, "阡": 1000}


def kanji_to_int(text: str) -> int | None:
    """Read a number written in ASCII digits or kanji numerals.

    Positional (二十三, 千九百四十八) and digit-by-digit (一九四八, 二〇二四)
    forms are read; 元 (the first year of an era) is 1.

    Args:
        text: the numeral, without spaces.

    Returns:
        The integer, or None when the text is not a numeral.

    Example:
        >>> kanji_to_int("二十三"), kanji_to_int("一九四八"), kanji_to_int("元")
        (23, 1948, 1)
    """
    if not text:
        return None
    if text.isascii():
        return int(text) if text.isdigit() else None
    if text == "元":
        return 1
    if not any(ch in _UNITS for ch in text):
        value = 0
        for ch in text:
            if ch.isascii() and ch.isdigit():
                value = value * 10 + int(ch)
            elif ch in KANJI_DIGITS:
                value = value * 10 + KANJI_DIGITS[ch]
            else:
                return None
        return value
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in KANJI_DIGITS:
            if digit is not None:
                return None
            digit = KANJI_DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            return None
    if digit is not None:
        total += digit
    return total
