"""Sessions that end after an idle time without a write on every request.

An idle timeout needs each request to move the session's expiry. Django's
``SESSION_SAVE_EVERY_REQUEST`` does it by writing the session row on every
request, and on SQLite every write takes the one database write lock: every
page view of every member of staff queued behind the others. This store keeps
the expiry it read, and :class:`RollingSessionMiddleware` writes the session
only when that expiry has moved more than ``SESSION_EXTEND_AFTER`` seconds
closer: the idle timeout stays within that margin, and a busy member of staff
writes the session about once a minute instead of on every click.

A session also has an absolute lifetime (``SESSION_MAX_HOURS`` from sign-in,
ASVS 3.3.2): however busy it is kept, the middleware ends it once that time
has passed and the next page asks for the password again. Both limits run on
the wall clock (``django.utils.timezone``), as the session's own expiry does,
not on ``lib.clock``, which tests and the demo freeze at past moments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class SessionStore(DatabaseStore):
    """The database store, remembering the expiry of the row it loaded."""

    stored_expiry: datetime | None = None

    def _get_session_from_db(self) -> Any:
        row = super()._get_session_from_db()  # type: ignore[misc]
        self.stored_expiry = row.expire_date if row is not None else None
        return row


#: Session key holding the time of sign-in (seconds since the epoch).
SIGNED_IN_AT = "_tsunagari_signed_in_at"
#: Session key holding the browser's own description (User-Agent), shortened,
#: so that a person can tell their sessions apart (accounts.my_sessions).
BROWSER = "_tsunagari_browser"


@receiver(user_logged_in, dispatch_uid="tsunagari.accounts.sessions.signed_in_at")
def _note_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if request is not None and session is not None:
        session[SIGNED_IN_AT] = int(timezone.now().timestamp())
        session[BROWSER] = request.META.get("HTTP_USER_AGENT", "")[:200]


def past_lifetime(session: SessionBase) -> bool:
    """True when a signed-in session began more than ``SESSION_MAX_HOURS`` ago.

    A signed-in session without a recorded sign-in time (one opened before
    this rule) is given one now, so it too ends within the lifetime.
    """
    if SESSION_KEY not in session:
        return False
    started = session.get(SIGNED_IN_AT)
    now = int(timezone.now().timestamp())
    if not isinstance(started, int):
        session[SIGNED_IN_AT] = now
        return False
    return now - started > settings.SESSION_MAX_HOURS * 3600


class RollingSessionMiddleware:
    """End a session past its lifetime; extend a loaded session's expiry when it
    has run down by more than the margin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and past_lifetime(session):
            _end(request, session)
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


def _end(request: HttpRequest, session: SessionBase) -> None:
    """Delete the session on the server (the cookie opens nothing) and audit why."""
    from tsunagari.accounts.models import Staff
    from tsunagari.audit.models import AuditAction
    from tsunagari.audit.services import record

    staff_id = str(session.get(SESSION_KEY, ""))
    session.flush()
    record(
        Staff.objects.filter(pk=staff_id).first() if staff_id.isdigit() else None,
        AuditAction.SIGN_OUT,
        object_type="accounts.staff",
        object_id=staff_id,
        reason=f"セッションの上限時間（サインインから{settings.SESSION_MAX_HOURS}時間）",
    )
