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
