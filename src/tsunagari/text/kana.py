"""Kana conversion and comparison keys for readings (フリガナ).

Long-vowel rule of :func:`kana_key` (so that サトウ/サトー/サトオ,
オオノ/オーノ/オウノ and ユウコ/ユーコ compare equal while オノ stays
different from オオノ):

1. ー (and the dashes and tildes people type instead of it) after a kana
   becomes the vowel of that kana: サトー -> サトオ, ユーコ -> ユウコ,
   ケー -> ケエ; a ー that follows no kana is dropped.
2. A kana of the オ column followed by オ or ウ becomes that kana + ウ:
   サトオ/サトウ -> サトウ, オオノ -> オウノ.
3. A kana of the エ column followed by エ or イ becomes that kana + イ:
   ケエコ/ケイコ -> ケイコ.

Rules 2 and 3 keep the length of the vowel, so 小野 (オノ) and 大野 (オオノ)
stay apart.
"""

from __future__ import annotations

import re
import unicodedata

from tsunagari.text._cache import short_text_cache

__all__ = ["KATAKANA_LETTERS", "is_kana_text", "kana_key", "non_kana_letters", "to_katakana"]

_READING_PUNCT = "・･.=＝"

# hiragana U+3041-U+3096 and ゝゞ -> katakana (+0x60)
_HIRA_TO_KATA: dict[int, int] = {cp: cp + 0x60 for cp in range(0x3041, 0x3097)}
_HIRA_TO_KATA[0x309D] = 0x30FD  # ゝ -> ヽ
_HIRA_TO_KATA[0x309E] = 0x30FE  # ゞ -> ヾ

_LONG_MARKS = "ー‐‑‒–—―−─━﹣－-〜～~ｰ"
_KEY_FOLD: dict[int, str | None] = {
    ord("ヂ"): "ジ",
    ord("ヅ"): "ズ",
    ord("ヲ"): "オ",
    ord("ヰ"): "イ",
    ord("ヱ"): "エ",
    ord("ヷ"): "バ",
    ord("ヸ"): "ビ",
    ord("ヹ"): "ベ",
    ord("ヺ"): "ボ",
}
for _mark in _LONG_MARKS:
    _KEY_FOLD[ord(_mark)] = "ー"
for _small, _large in zip(
    "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
    "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ",
    strict=True,
):
    _KEY_FOLD[ord(_small)] = _large
# separators inside readings carry no meaning for comparison
for _sep in "・･.,、。=＝'\"`":
    _KEY_FOLD[ord(_sep)] = None
for _cp in range(0x10000):
    if chr(_cp).isspace():
        _KEY_FOLD[_cp] = None

_VU = re.compile("ヴ([ァィゥェォャュョ]?)")
_VU_MAP = {
    "": "ブ",
    "ァ": "バ",
    "ィ": "ビ",
    "ゥ": "ブ",
    "ェ": "ベ",
    "ォ": "ボ",
    "ャ": "ビャ",
    "ュ": "ビュ",
    "ョ": "ビョ",
}

_VOWEL_OF: dict[str, str] = {}
for _vowel, _row in (
    ("ア", "アカガサザタダナハバパマヤラワ"),
    ("イ", "イキギシジチヂニヒビピミリ"),
    ("ウ", "ウクグスズツヅヌフブプムユル"),
    ("エ", "エケゲセゼテデネヘベペメレ"),
    ("オ", "オコゴソゾトドノホボポモヨロ"),
):
    for _kana in _row:
        _VOWEL_OF[_kana] = _vowel

_LONG = re.compile("([^ー]?)ー+")
_NEEDS_ORDER = re.compile("[ヴゔヽヾゝゞ]")
# hiragana -> katakana and the key folds in one str.translate pass
_ONE_PASS: dict[int, str | int | None] = {
    cp: _KEY_FOLD.get(kata, chr(kata)) for cp, kata in _HIRA_TO_KATA.items()
}
_ONE_PASS.update(_KEY_FOLD)
# X+ウ and X+イ are already the canonical spelling: match only X+オ and X+エ
_O_LONG = re.compile("([オコゴソゾトドノホボポモヨロ])オ")
_E_LONG = re.compile("([エケゲセゼテデネヘベペメレ])エ")

KATAKANA_LETTERS = (
    frozenset(chr(cp) for cp in range(0x30A1, 0x30FB))
    | frozenset(chr(cp) for cp in range(0x31F0, 0x3200))
    | frozenset("ーヽヾ")
)
"""Characters that count as katakana letters in a reading."""


def _long_vowel(match: re.Match[str]) -> str:
    before = match.group(1)
    return before + _VOWEL_OF.get(before, "")


def _expand_iteration(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch in "ヽヾ" and out:
            prev = out[-1]
            if ch == "ヾ":
                voiced = unicodedata.normalize("NFC", prev + "\u3099")
                prev = voiced if len(voiced) == 1 else prev
            out.append(prev)
        elif ch not in "ヽヾ":
            out.append(ch)
    return "".join(out)


def to_katakana(text: str) -> str:
    """Convert hiragana and half-width katakana to full-width katakana.

    The text is NFKC-normalised first, so half-width katakana (with their
    separate ﾞ/ﾟ marks), full-width Latin letters and digits become their
    standard forms; then hiragana become katakana. Nothing else changes.

    Args:
        text: any text.

    Returns:
        The text in full-width katakana where it was kana.

    Example:
        >>> to_katakana("やまだ ﾀﾛｳ")
        'ヤマダ タロウ'
    """
    return unicodedata.normalize("NFKC", text).translate(_HIRA_TO_KATA)


@short_text_cache(maxsize=1 << 18)
def kana_key(text: str) -> str:
    """Return the comparison key of a reading.

    The key is katakana without spaces or middle dots; small kana become
    large (ァ -> ア, ッ -> ツ, ャ -> ヤ), ヴ becomes バ行 (ヴァ -> バ, ヴ -> ブ),
    ヂ -> ジ, ヅ -> ズ, ヲ -> オ, ヰ -> イ, ヱ -> エ, ヽヾ are expanded and long
    vowels follow the rule in this module's docstring. Characters that are
    not kana (kanji, Latin letters) are kept, Latin letters lower-cased.

    Args:
        text: a reading in hiragana, katakana or half-width katakana.

    Returns:
        The comparison key ("" for a text without kana or letters).

    Example:
        >>> kana_key("サイトウ　ユウコ") == kana_key("さいとー ゆーこ")
        True
        >>> kana_key("ヴァイオリン")
        'バイオリン'
    """
    return kana_key_uncached(text)


def kana_key_uncached(text: str) -> str:
    """:func:`kana_key` without its cache (for callers that cache themselves)."""
    s = _key_once(text)
    # removing spaces or lower-casing can leave a string that NFKC would
    # still change (K + ¸ -> k + U+0327): repeat so the key is a fixed point
    for _ in range(3):
        if unicodedata.is_normalized("NFKC", s):
            break
        s = _key_once(s)
    return s


def _o_long(match: re.Match[str]) -> str:
    return match.group(1) + "ウ"


def _e_long(match: re.Match[str]) -> str:
    return match.group(1) + "イ"


def _key_once(text: str) -> str:
    s = text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)
    if _NEEDS_ORDER.search(s):
        # ヴ combinations and iteration marks must be read before small kana fold
        s = s.translate(_HIRA_TO_KATA)
        if "ヴ" in s:
            s = _VU.sub(lambda m: _VU_MAP[m.group(1)], s)
        if "ヽ" in s or "ヾ" in s:
            s = _expand_iteration(s)
        s = s.translate(_KEY_FOLD)
    else:
        s = s.translate(_ONE_PASS)
    if "ー" in s:
        s = _LONG.sub(_long_vowel, s)
    if _O_LONG.search(s):
        s = _O_LONG.sub(_o_long, s)
    if _E_LONG.search(s):
        s = _E_LONG.sub(_e_long, s)
    return s.lower()


def is_kana_text(text: str) -> bool:
    """Tell whether every letter of a text is katakana after :func:`to_katakana`.

    Args:
        text: any text; spaces, middle dots and long-vowel dashes are allowed.

    Returns:
        True when the text has at least one kana and no other letter.

    Example:
        >>> is_kana_text("ﾔﾏﾀﾞ ﾀﾛｳ"), is_kana_text("山田")
        (True, False)
    """
    s = to_katakana(text)
    if non_kana_letters(s):
        return False
    return any(ch in KATAKANA_LETTERS and ch not in "ーヽヾ" for ch in s)


def non_kana_letters(text: str) -> str:
    """Return the characters of a text that may not appear in a reading.

    Args:
        text: any text, already through :func:`to_katakana`.

    Returns:
        The offending characters in order of first appearance, each once.

    Example:
        >>> non_kana_letters("ヤマ田 1")
        '田1'
    """
    bad: dict[str, None] = {}
    for ch in text:
        if ch in KATAKANA_LETTERS or ch.isspace() or ch in _LONG_MARKS or ch in _READING_PUNCT:
            continue
        bad[ch] = None
    return "".join(bad)
