"""Logging helpers wired in ``settings.LOGGING``."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


def _one_line(text: object, limit: int = 300) -> str:
    # Whitespace, newlines and control characters collapse, so one refusal stays one line.
    cleaned = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return " ".join(cleaned.split())[:limit]


class OneLineRefusals(logging.Filter):
    """Turn Django's "Forbidden (Permission denied)" warning, which carries a full
    traceback, into one line naming who, which path and why.

    A refusal is the policy working, not a fault: hundreds a day are normal, and
    a traceback each time buries the errors that matter.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, PermissionDenied):
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = (
            user.get_username()
            if user is not None and getattr(user, "is_authenticated", False)
            else "anonymous"
        )
        path = getattr(request, "path", "?")
        record.msg = "Forbidden (Permission denied): user=%s path=%s reason=%s"
        record.args = (_one_line(who, 150), _one_line(path), _one_line(exc) or "-")
        record.exc_info = None
        record.exc_text = None
        return True
