"""Request helpers shared by every app's views and API: who is signed in, where to go back to.

Django-aware (it reads requests), but imports no app at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from tsunagari.lib.errors import FieldErrors

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from tsunagari.accounts.models import Staff

__all__ = [
    "MAX_NEXT_LENGTH",
    "attempt",
    "download",
    "form_id",
    "is_safe_local_url",
    "safe_next",
    "said",
    "signed_in_staff",
]

# Longer than any page address of ours; a longer ``next`` is refused, not trimmed.
MAX_NEXT_LENGTH = 2000


def signed_in_staff(request: HttpRequest) -> Staff:
    """The staff member a page (after ``login_required``) or the API (after token auth) serves.

    Raises:
        PermissionDenied: nobody is signed in, so there is no staff member to act as.
    """
    user = request.user
    if not isinstance(user, get_user_model()) or not user.is_authenticated:
        raise PermissionDenied("Sign in first: this page acts as a signed-in staff member.")
    return user


def is_safe_local_url(url: str, request: HttpRequest, *, within: str = "/") -> bool:
    """True for a path on this site (starting with ``within``) that is safe to redirect to.

    Refused: anything with a scheme or host (``https://…``, ``//host``,
    ``javascript:``), a backslash (browsers read ``/\\host`` as ``//host``),
    control characters and values over ``MAX_NEXT_LENGTH``.

    Example:
        >>> is_safe_local_url("/consultations/3/#consent", request)
        True
        >>> is_safe_local_url("//evil.example/", request)
        False
    """
    if not url or len(url) > MAX_NEXT_LENGTH or not url.startswith(within):
        return False
    if url.startswith("//") or "\\" in url or any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, default: str, *, field: str = "next", within: str = "/") -> str:
    """Where to go after a form: ``field`` from the form or query when it is a safe local path.

    Args:
        request: the request whose POST (first) or GET carries ``field``.
        default: the address to use when ``field`` is missing or unsafe.
        field: the name of the form or query field.
        within: the path every accepted address starts with (``/council/`` keeps a
            council form from sending anyone elsewhere).

    Returns:
        The requested local path, or ``default``.
    """
    target = request.POST.get(field) or request.GET.get(field) or ""
    return target if is_safe_local_url(target, request, within=within) else default


def form_id(value: Any) -> int | None:
    """A record number typed in a form or query: a whole number from 1 to 2**62, else None.

    Example:
        >>> form_id("42"), form_id("0"), form_id("4x"), form_id(None)
        (42, None, None, None)
    """
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


def said(exc: Exception) -> str:
    """What a refusal says to fix, in one line: a ``FieldErrors``' messages, else the error's text.

    The ``say`` of :func:`attempt` for an action that raises its app's ``FieldErrors``.
    """
    errors = exc.errors if isinstance(exc, FieldErrors) else {}
    return " ".join(str(m) for m in errors.values()) or str(exc)


def attempt(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    refused: type[Exception] | tuple[type[Exception], ...],
    done: StrOrPromise | None = None,
    say: Callable[[Exception], str] = str,
) -> bool:
    """Run the one service call behind a button and tell the person how it went.

    Args:
        request: the request whose messages show the outcome on the next page.
        action: the service call.
        refused: the service's error for a request it refuses (its message says
            what to change); any other error is a bug and propagates.
        done: the message for success (none when the next page says it).
        say: how to turn the refusal into the message shown.

    Returns:
        True when the action ran, False when it was refused.
    """
    try:
        action()
    except refused as exc:
        messages.error(request, say(exc))
        return False
    if done is not None:
        messages.success(request, done)
    return True


def download(file: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """A stored upload served back: always a download, never run by the browser.

    The file is what someone uploaded, so its type is theirs to claim: the
    response is an attachment, and ``default-src 'none'; sandbox`` keeps a
    browser that renders it anyway (an HTML or SVG "PDF") from running its
    scripts or reaching anything. Not cached: it may hold what only staff see.
    """
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
