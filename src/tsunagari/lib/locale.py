"""Japanese first: the interface is Japanese unless the person chose
another language with the switch (a cookie); the browser's
Accept-Language is not followed, so a ward PC set up in English still
opens in Japanese."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class JapaneseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def in_japanese() -> bool:
    """Whether the interface speaks Japanese now (the default)."""
    from django.utils.translation import get_language

    return (get_language() or "ja").startswith("ja")


def reason_of(error: object) -> str:
    """An engine's two-language reason (``reason_ja`` / ``reason``) in the interface's language."""
    return str(getattr(error, "reason_ja" if in_japanese() else "reason", ""))
