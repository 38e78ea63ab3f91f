"""Japanese telephone numbers.

Domestic numbers have 10 digits (landlines, 0120 free dial, 0570) or 11
digits (070/080/090 mobile, 050 IP phone, 0800 free dial, 020/060 other).
Landline area codes are 2-5 digits long; without the full area-code table
the number is grouped as the writer grouped it when that grouping is a
valid 10-digit split, else 2-4-4 for 03 and 06 and 3-3-4 for the rest.
"""

from __future__ import annotations

import re
import unicodedata

from tsunagari.text._cache import short_text_cache
from tsunagari.text.result import Phone, PhoneKind, TextError

__all__ = ["parse_phone"]

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー─━﹣", "-"))
_EXTENSION = re.compile(r"\s*(?:内線|ext\.?|ex\.?|x|#)\s*\d{1,6}\s*$", re.IGNORECASE)
_ALLOWED = re.compile(r"[0-9\s\-().+/]+")
_TRUNK_ZERO = re.compile(r"^\+?81[\s\-.]*(?:\(0\)[\s\-.]*)?")
_GROUPS = re.compile(r"\d+")
_LABEL = re.compile(
    r"^(?:tel|phone|mobile|fax|電話(?:番号)?|携帯(?:電話)?|自宅|連絡先)\s*[:.]?\s*", re.IGNORECASE
)


def _error(reason: str, reason_ja: str) -> TextError:
    return TextError("phone", reason, reason_ja)


def _kind(digits: str) -> PhoneKind:
    if digits.startswith(("0120", "0800")):
        return "free"
    if digits[:3] in ("070", "080", "090"):
        return "mobile"
    if digits.startswith("050"):
        return "ip"
    if digits[:3] in ("020", "060") or digits.startswith(("0570", "0990")):
        return "other"
    return "landline"


def _format(digits: str, kind: PhoneKind, groups: list[str]) -> str:
    if digits.startswith("0120"):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if digits.startswith(("0570", "0990")):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if digits.startswith("0800"):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) == 11:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if kind == "landline":
        if (
            len(groups) == 3
            and groups[0].startswith("0")
            and len(groups[2]) == 4
            and 2 <= len(groups[0]) <= 5
        ):
            return "-".join(groups)
        if digits[:2] in ("03", "06"):
            return f"{digits[:2]}-{digits[2:6]}-{digits[6:]}"
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


@short_text_cache(maxsize=1 << 16, max_len=64)
def parse_phone(text: str) -> Phone | TextError:
    """Read a Japanese telephone number in any common notation.

    Accepted: 03-1234-5678, ０３（１２３４）５６７８, (03)1234-5678,
    090 1234 5678, 09012345678, +81-90-1234-5678, +81 (0)3 1234 5678; an
    extension at the end (内線123, ext. 123) is ignored.

    Args:
        text: the number as written.

    Returns:
        A :class:`Phone` with the digits, the kind (mobile, landline, ip,
        free, other) and a hyphenated form; or a :class:`TextError` for
        letters, a missing area code, or too few or too many digits.

    Example:
        >>> parse_phone("０３（１２３４）５６７８").formatted
        '03-1234-5678'
        >>> parse_phone("+81-90-1234-5678").kind
        'mobile'
    """
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    if not s:
        return _error("The phone number is empty.", "電話番号が空です。")
    if len(s) > 40:
        return _error("The phone number is too long.", "電話番号が長すぎます。")
    s = _EXTENSION.sub("", _LABEL.sub("", s))
    if not _ALLOWED.fullmatch(s):
        return _error(
            "The phone number may only contain digits, spaces, hyphens, brackets and a leading +.",
            "電話番号には数字・スペース・ハイフン・かっこ・先頭の+だけを使ってください。",
        )
    if s.startswith("+"):
        if not s.startswith("+81"):
            return _error(
                "Only Japanese numbers (+81) are read: write a foreign number in the notes.",
                "日本の番号（+81）だけを扱います。海外の番号は備考に記入してください。",
            )
        s = "0" + _TRUNK_ZERO.sub("", s)
    elif "+" in s:
        return _error(
            "A + may only stand at the start of a phone number.",
            "「+」は番号の先頭にだけ使えます。",
        )
    groups = _GROUPS.findall(s)
    digits = "".join(groups)
    if not digits.startswith("0"):
        return _error(
            f"The number {digits} has no area code: add it (03 for Tokyo), or 090/080/070 for a mobile.",
            f"市外局番がありません（{digits}）。03 などの市外局番、または携帯の 090/080/070 から入力してください。",
        )
    if digits.startswith("00"):
        return _error(
            "International call prefixes are not read: write a Japanese number.",
            "国際電話の番号は扱いません。日本の電話番号を入力してください。",
        )
    if len(digits) < 3:
        return _error(
            f"The number has only {len(digits)} digits: write all 10 or 11 digits.",
            f"桁数が足りません（{len(digits)}桁）。10桁または11桁で入力してください。",
        )
    needed = 11 if (digits[1] in "25789" and digits[2] == "0") or digits.startswith("0800") else 10
    if digits.startswith("0120") or digits.startswith(("0570", "0990")):
        needed = 10
    if len(digits) != needed:
        few = len(digits) < needed
        return _error(
            f"The number has {len(digits)} digits; a number starting {digits[:4]} has {needed}: check for {'a missing' if few else 'an extra'} digit.",
            f"桁数が{'足りません' if few else '多すぎます'}（{len(digits)}桁、{digits[:4]}で始まる番号は{needed}桁です）。",
        )
    kind = _kind(digits)
    if kind == "landline" and groups and len(groups[0]) == 1 and groups[0] == "0":
        groups = groups[1:]
    return Phone(digits=digits, kind=kind, formatted=_format(digits, kind, groups))
