"""Sessions that end after an idle time without a write on every request.

An idle timeout needs each request to move the session's expiry. Django's
``SESSION_SAVE_EVERY_REQUEST`` does it by writing the session row on every
request, and on SQLite every write takes the one database write lock: every
page view of every member of staff queued behind the others. This store keeps
the expiry it read, and :class:`RollingSessionMiddleware` writes the session
only when that expiry has moved more than ``SESSION_EXTEND_AFTER`` seconds
closer: the idle timeout stays within that margin, and a busy member of staff
writes the session about once a minute instead of on every click.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class SessionStore(DatabaseStore):
    """The database store, remembering the expiry of the row it loaded."""

    stored_expiry: datetime | None = None

    def _get_session_from_db(self) -> Any:
        row = super()._get_session_from_db()  # type: ignore[misc]
        self.stored_expiry = row.expire_date if row is not None else None
        return row


class RollingSessionMiddleware:
    """Extend a loaded session's expiry when it has run down by more than the margin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        expiry = getattr(session, "stored_expiry", None)
        if session is None or expiry is None or session.modified or session.is_empty():
            return response
        full = timedelta(seconds=settings.SESSION_COOKIE_AGE)
        margin = timedelta(seconds=settings.SESSION_EXTEND_AFTER)
        if expiry - timezone.now() < full - margin:
            session.modified = True  # saved by SessionMiddleware with a new expiry
        return response
