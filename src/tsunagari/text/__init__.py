"""Japanese personal data: names, readings, variant kanji, dates, addresses, phones.

The one module of Tsunagari that understands Japanese text. Plain Python
(no Django), used by the intake look-up, by registry imports and by record
linkage. Parsers never raise on user text: they return a typed value or a
:class:`TextError` whose reason says what to fix, in English and Japanese.

See ``docs/text-normalisation.md`` for the folding rules and their limits.
"""

from __future__ import annotations

from tsunagari.text._cache import clear_caches
from tsunagari.text.addresses import parse_address, town_key
from tsunagari.text.dates import ERAS, BirthYears, Era, parse_date, parse_vague_birth
from tsunagari.text.kana import kana_key, to_katakana
from tsunagari.text.kanji import fold_kanji
from tsunagari.text.names import name_key, parse_kana, parse_name, split_name
from tsunagari.text.numerals import kanji_to_int
from tsunagari.text.phones import parse_phone
from tsunagari.text.result import Address, Kana, Name, Phone, TextError

__all__ = [
    "ERAS",
    "Address",
    "BirthYears",
    "Era",
    "Kana",
    "Name",
    "Phone",
    "TextError",
    "clear_caches",
    "fold_kanji",
    "kana_key",
    "kanji_to_int",
    "name_key",
    "parse_address",
    "parse_date",
    "parse_kana",
    "parse_name",
    "parse_phone",
    "parse_vague_birth",
    "split_name",
    "to_katakana",
    "town_key",
]
