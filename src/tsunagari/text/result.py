"""Typed results of the Japanese text parsers.

Parsers never raise on user text: they return one of these values or a
:class:`TextError` that says what is wrong in English and Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Address", "Field", "Kana", "Name", "Phone", "PhoneKind", "TextError"]

Field = Literal["name", "kana", "date", "address", "phone"]
PhoneKind = Literal["mobile", "landline", "ip", "free", "other"]


@dataclass(frozen=True, slots=True)
class TextError:
    """Why a value could not be read. Returned, never raised.

    Attributes:
        field: which kind of value was read: "name", "kana", "date",
            "address" or "phone".
        reason: plain English: what is wrong and what to fix.
        reason_ja: the same in Japanese.
    """

    field: str
    reason: str
    reason_ja: str


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name as written, with comparison keys.

    ``surname``/``given`` keep the characters as typed (after NFKC and space
    clean-up) so that a person's own variant kanji is shown; the keys fold
    variants (see :func:`tsunagari.text.name_key`).
    """

    surname: str
    given: str
    key: str
    surname_key: str
    given_key: str


@dataclass(frozen=True, slots=True)
class Kana:
    """A name reading in full-width katakana, with comparison keys."""

    surname: str
    given: str
    key: str
    surname_key: str
    given_key: str


@dataclass(frozen=True, slots=True)
class Address:
    """A Japanese address split into its parts.

    ``chome`` is the 丁目 number; ``banchi`` and ``go`` are the 番(地) and 号;
    ``key`` is the canonical ``town + chome-banchi-go`` string used for
    comparison, ``town_key`` the folded town name and ``block_key`` the town
    plus 丁目 (a good blocking key for record linkage).
    """

    prefecture: str
    city: str
    town: str
    chome: int | None
    banchi: str | None
    go: str | None
    building: str | None
    room: str | None
    key: str
    town_key: str
    block_key: str


@dataclass(frozen=True, slots=True)
class Phone:
    """A Japanese telephone number.

    ``digits`` is the domestic number, digits only (``09012345678``);
    ``formatted`` is the usual hyphenated form (``090-1234-5678``).
    """

    digits: str
    kind: PhoneKind
    formatted: str
