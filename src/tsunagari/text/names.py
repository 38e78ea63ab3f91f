"""Person names: splitting, comparison keys and parsing."""

from __future__ import annotations

import re
import unicodedata

from tsunagari.text._cache import short_text_cache
from tsunagari.text.kana import (
    is_kana_text,
    kana_key,
    kana_key_uncached,
    non_kana_letters,
    to_katakana,
)
from tsunagari.text.kanji import fold_kanji
from tsunagari.text.result import Kana, Name, TextError

__all__ = ["name_key", "parse_kana", "parse_name", "split_name", "strip_honorific"]

_ITERATION = "々〻"


def _expand_iteration_mark(text: str) -> str:
    # 佐々木 and 佐佐木 are one name; expand 々 to the character before it
    out: list[str] = []
    for ch in text:
        if ch in _ITERATION:
            if out:
                out.append(out[-1])
        else:
            out.append(ch)
    return "".join(out)


def split_name(text: str) -> tuple[str, str]:
    """Split a full name into surname and given name on spaces.

    Full-width (U+3000) and half-width spaces, and runs of them, separate
    the parts. With more than two parts, the first is the surname and the
    rest, joined by one space, the given name.

    Args:
        text: a name such as "山田　太郎".

    Returns:
        ``(surname, given)``; ``("", "")`` for an empty text and
        ``(whole, "")`` when there is no space.

    Example:
        >>> split_name("山田　太郎")
        ('山田', '太郎')
        >>> split_name("山田太郎")
        ('山田太郎', '')
    """
    parts = text.split()
    if not parts:
        return ("", "")
    if len(parts) == 1:
        return (parts[0], "")
    return (parts[0], " ".join(parts[1:]))


@short_text_cache(maxsize=1 << 18)
def name_key(text: str) -> str:
    """Return the comparison key of a name written in kanji or kana.

    NFKC, all spaces removed, variant kanji folded (:func:`fold_kanji`),
    々 expanded (佐々木 = 佐佐木) and kana folded as :func:`kana_key` folds
    them (hiragana -> katakana, small -> large kana, long vowels).

    Args:
        text: a name, with or without a space between surname and given name.

    Returns:
        The comparison key ("" when the text has nothing to compare).

    Example:
        >>> name_key("齋藤　まゆみ") == name_key("斉藤 マユミ")
        True
    """
    s = fold_kanji(unicodedata.normalize("NFKC", text))
    if "々" in s or "〻" in s:
        s = _expand_iteration_mark(s)
    return kana_key_uncached(s)


def _has_letter(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def _clean(text: str) -> str:
    # NFKC, and control or format characters dropped from what is shown
    s = unicodedata.normalize("NFKC", text)
    if s.isprintable():
        return s
    return "".join(
        " " if ch.isspace() else ch
        for ch in s
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )


# Honorifics that records add after a name (大西悟 様, 山田さん): never part
# of the name. 様 and 殿 go wherever they stand; the kana ones only as a word
# of their own or right after a kanji, so a kana name such as グエン サン stays.
_HONORIFIC = re.compile(
    r"(?:\s*[様殿]|\s+(?:さま|さん|くん|ちゃん|君|氏)"
    r"|(?<=[\u3400-\u9fff\U00020000-\U0003ffff])(?:さま|さん|くん|ちゃん))\s*$"
)

_HONORIFIC_ENDS = frozenset("様殿まんくゃ君氏")


def strip_honorific(text: str) -> str:
    """Drop an honorific written after a name (様, さん, 殿 …).

    Args:
        text: a name as a record or a consultant wrote it.

    Returns:
        The name without the trailing honorific; the text itself when there
        is none, or when nothing but the honorific would be left.

    Example:
        >>> strip_honorific("大西悟 様")
        '大西悟'
        >>> strip_honorific("山田花子さん")
        '山田花子'
        >>> strip_honorific("グエン サン")
        'グエン サン'
    """
    end = text.rstrip()
    if not end or end[-1] not in _HONORIFIC_ENDS:
        return text  # the common case, without a regular expression
    stripped = _HONORIFIC.sub("", text)
    return stripped if stripped.strip() else text


def parse_name(text: str) -> Name | TextError:
    """Read a person's name.

    Args:
        text: the name as typed, e.g. "髙橋　一郎" or "髙橋一郎".

    Returns:
        A :class:`Name` whose surname/given keep the characters as written
        (NFKC) and whose keys are :func:`name_key` values; or a
        :class:`TextError` when the text is empty or has no letters.

    Example:
        >>> parse_name("髙橋　一郎").key
        '高橋一郎'
    """
    cleaned = _clean(text)
    if not cleaned.strip():
        return TextError(
            "name",
            "The name is empty: enter the surname and given name.",
            "氏名が空です。姓と名を入力してください。",
        )
    if not _has_letter(cleaned):
        return TextError(
            "name",
            "The name has no letters: enter the name in kanji or kana.",
            "氏名に文字がありません。漢字またはかなで入力してください。",
        )
    cleaned = strip_honorific(cleaned)
    surname, given = split_name(cleaned)
    return Name(
        surname=surname,
        given=given,
        key=name_key(cleaned),
        surname_key=name_key(surname),
        given_key=name_key(given),
    )


def parse_kana(text: str) -> Kana | TextError:
    """Read a name reading (フリガナ) in any kana.

    Args:
        text: the reading in full-width or half-width katakana or hiragana,
            with or without a space, e.g. "ﾔﾏﾀﾞ ﾀﾛｳ".

    Returns:
        A :class:`Kana` with surname/given in full-width katakana and
        :func:`kana_key` keys; or a :class:`TextError` when it is empty or
        contains letters other than kana (kanji, Latin).

    Example:
        >>> parse_kana("やまだ　たろう").surname
        'ヤマダ'
    """
    cleaned = _clean(text)
    if not cleaned.strip():
        return TextError(
            "kana",
            "The reading is empty: enter it in katakana.",
            "フリガナが空です。カタカナで入力してください。",
        )
    if not is_kana_text(cleaned):
        shown = non_kana_letters(to_katakana(cleaned))[:8]
        if not shown:
            return TextError(
                "kana",
                "The reading has no kana: enter it in katakana.",
                "フリガナにかなが含まれていません。カタカナで入力してください。",
            )
        return TextError(
            "kana",
            f"The reading must be kana only; it contains {shown!r}: write it in katakana or hiragana.",
            f"フリガナはかなで入力してください（かな以外の文字「{shown}」が含まれています）。",
        )
    surname, given = split_name(to_katakana(cleaned))
    return Kana(
        surname=surname,
        given=given,
        key=kana_key(cleaned),
        surname_key=kana_key(surname),
        given_key=kana_key(given),
    )
