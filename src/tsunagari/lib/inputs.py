"""The checks of typed input that every action repeats. No Django import.

An action collects what to fix in ``errors`` (field -> message) and raises its
app's ``FieldErrors`` subclass when anything is there. The messages here are
Japanese msgids: the app's ``Reader`` translates them with the app's
``gettext``, so they read as every other message of the app.

Example:
    >>> read = Reader(lambda message: message)
    >>> errors: dict[str, str] = {}
    >>> read.text("  北砂  ", "town", errors, limit=10)
    '北砂'
    >>> read.text("", "note", errors, limit=10, required="様子を書いてください。")
    ''
    >>> errors
    {'note': '様子を書いてください。'}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Mark ``message`` as a msgid for the catalogue; the ``Reader`` translates it."""
    return message


NOT_TEXT = gettext_noop("文字で入力してください。")
BAD_CHARACTER = gettext_noop("使えない文字が含まれています。")
TOO_LONG = gettext_noop("%(limit)s文字以内で入力してください。")
NOT_A_DATE = gettext_noop("日付は 2026-04-01 の形で入力してください。")
NOT_YET = gettext_noop("未来の日付は記録できません。実施した後に記録してください。")
TOO_EARLY = gettext_noop("%(year)s年より前の日付は記録できません。")
NOT_A_COUNT = gettext_noop("%(label)sは半角の数字で入力してください。")
NEGATIVE = gettext_noop("%(label)sにマイナスの数は入力できません。")
TOO_MANY = gettext_noop("%(label)sが%(limit)sを超えています。入力の誤りがないか確かめてください。")


@dataclass(frozen=True)
class Reader:
    """The input checks, with the messages translated by ``translate`` (the app's gettext)."""

    translate: Callable[[str], str]

    def text(
        self, value: object, name: str, errors: dict[str, str], *, limit: int, required: str = ""
    ) -> str:
        """A text field, stripped of surrounding blanks.

        Nothing given (None or blank) is "" and, when ``required`` is a
        message, that message. Anything but text, a NUL character or more
        than ``limit`` characters is refused with what to fix.

        Args:
            value: what the form, the API or the caller gave.
            name: the field, the key of its message in ``errors``.
            errors: where the message is added.
            limit: the most characters allowed.
            required: the message when the field is empty ("" when it may be).

        Returns:
            The text ("" when refused).
        """
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = self.translate(NOT_TEXT)
            return ""
        text = value.strip()
        if "\x00" in text:
            errors[name] = self.translate(BAD_CHARACTER)
        elif len(text) > limit:
            errors[name] = self.translate(TOO_LONG) % {"limit": limit}
        elif required and not text:
            errors[name] = required
        return text

    def date(
        self, value: object, name: str, errors: dict[str, str], *, required: str = ""
    ) -> dt.date | None:
        """A date given as a date or as ISO text (``2026-04-01``, a time after it is ignored).

        Nothing given (None or blank) is None and, when ``required`` is a
        message, that message; anything else that is no date is refused.

        Example:
            >>> errors: dict[str, str] = {}
            >>> Reader(str).date("2026-04-01T09:00", "on", errors)
            datetime.date(2026, 4, 1)
            >>> Reader(str).date("4月1日", "on", errors), errors
            (None, {'on': '日付は 2026-04-01 の形で入力してください。'})
        """
        if isinstance(value, dt.date):
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                errors[name] = required
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                pass
        errors[name] = self.translate(NOT_A_DATE)
        return None

    def past_date(
        self,
        value: object,
        name: str,
        errors: dict[str, str],
        *,
        today: dt.date,
        earliest: dt.date,
        required: str = "",
    ) -> dt.date | None:
        """A date on which something took place: ``earliest`` to ``today``, as :meth:`date` reads it.

        A later date is refused (record it once it has happened), and so is
        one before ``earliest`` (a typing slip in the year).

        Example:
            >>> errors: dict[str, str] = {}
            >>> when = {"today": dt.date(2026, 5, 1), "earliest": dt.date(2000, 1, 1)}
            >>> Reader(str).past_date("2026-05-02", "on", errors, **when), errors["on"][:8]
            (None, '未来の日付は記録')
        """
        day = self.date(value, name, errors, required=required)
        if day is None:
            return None
        if day > today:
            errors[name] = self.translate(NOT_YET)
            return None
        if day < earliest:
            errors[name] = self.translate(TOO_EARLY) % {"year": earliest.year}
            return None
        return day

    def count(
        self, value: object, name: str, errors: dict[str, str], *, limit: int, label: str
    ) -> int:
        """A whole number from 0 to ``limit`` (a person count); nothing given is 0.

        ``label`` names the field in the message (already translated). A
        number above ``limit`` is refused as a likely typing slip.

        Example:
            >>> errors: dict[str, str] = {}
            >>> read = Reader(str)
            >>> read.count(" 12 ", "n", errors, limit=100, label="人数"), read.count("", "m", errors, limit=1, label="")
            (12, 0)
            >>> read.count("十二", "n", errors, limit=100, label="人数"), errors
            (0, {'n': '人数は半角の数字で入力してください。'})
        """
        if value is None or value == "":
            return 0
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str):
            text = value.strip()
            if text.isascii() and text.lstrip("-").isdigit() and len(text) < 10:
                number = int(text)
        if number is None:
            errors[name] = self.translate(NOT_A_COUNT) % {"label": label}
            return 0
        if number < 0:
            errors[name] = self.translate(NEGATIVE) % {"label": label}
            return 0
        if number > limit:
            errors[name] = self.translate(TOO_MANY) % {"label": label, "limit": f"{limit:,}"}
            return 0
        return number
