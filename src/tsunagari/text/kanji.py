"""Variant kanji folding (異体字 -> standard form).

The table is data: ``data/itaiji.tsv`` (see ``data/build_itaiji.py`` for its
sources). CJK compatibility ideographs (U+F900-FAFF, U+2F800-2FA1F) are added
at load time from Unicode's own canonical decompositions, and ideographic
variation selectors (IVS, U+E0100-E01EF and U+FE00-FE0F) are removed, so
葛󠄀 (葛 + VS17) folds to 葛.
"""

from __future__ import annotations

import unicodedata
from importlib.resources import files

__all__ = ["fold_kanji", "itaiji_table"]


def _load_pairs() -> dict[str, str]:
    text = (files("tsunagari.text") / "data" / "itaiji.tsv").read_text(encoding="utf-8")
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("variant\t"):
            continue
        variant, standard = line.split("\t")[:2]
        pairs[variant] = standard
    return pairs


def _build_table() -> dict[int, str | None]:
    pairs = _load_pairs()
    table: dict[int, str | None] = {}
    for start, end in ((0xF900, 0xFB00), (0x2F800, 0x2FA20)):
        for cp in range(start, end):
            nfc = unicodedata.normalize("NFC", chr(cp))
            if nfc != chr(cp) and len(nfc) == 1:
                table[cp] = pairs.get(nfc, nfc)
    for variant, standard in pairs.items():
        table[ord(variant)] = standard
    for cp in range(0xFE00, 0xFE10):
        table[cp] = None
    for cp in range(0xE0100, 0xE01F0):
        table[cp] = None
    return table


_TABLE = _build_table()
_PAIRS = _load_pairs()


def itaiji_table() -> dict[str, str]:
    """Return a copy of the variant -> standard pairs loaded from itaiji.tsv.

    Returns:
        A dict from one variant character to its standard character.

    Example:
        >>> itaiji_table()["髙"]
        '高'
    """
    return dict(_PAIRS)


def fold_kanji(text: str) -> str:
    """Replace variant kanji by their standard form.

    Only the characters in the table change; everything else, including
    kana and Latin letters, is kept as it is.

    Args:
        text: any text.

    Returns:
        The text with 齋/齊/斉 -> 斎, 髙 -> 高, 邊/邉 -> 辺, 﨑 -> 崎, 澤 -> 沢,
        濱/濵 -> 浜 and the other pairs of ``data/itaiji.tsv`` folded, and
        ideographic variation selectors removed.

    Example:
        >>> fold_kanji("齋藤 髙橋 渡邉 山﨑")
        '斎藤 高橋 渡辺 山崎'
    """
    return text.translate(_TABLE)
