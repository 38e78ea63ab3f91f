"""Initial passwords (ASVS 2.3.1): random, short-lived, never kept.

``tsunagari initial_password USERNAME`` (the way an administrator gives a new
or locked-out member of staff a password) draws a random password, prints it
once, and marks the account: the password signs in only until it expires
(``--days``, default 3), and then only to the password page, until the person
chooses their own there (which clears the mark; the initial password itself
is refused as the new one). Every other page sends them back to it; the API,
with the session cookie, answers 403.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record

#: Letters and digits that cannot be mistaken for one another when read aloud or copied.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
#: Default days an initial password stays usable.
INITIAL_DAYS = 3
#: Paths a session that must change its password may still reach.
_OPEN_PREFIXES = ("/signout/", "/i18n/", "/static/", "/signin/")


def issue_initial_password(staff: Staff, *, days: int = INITIAL_DAYS, actor: Any = None) -> str:
    """Give ``staff`` a random password that expires and must be changed; return it."""
    if not 1 <= days <= 14:
        raise ValueError("an initial password lives 1 to 14 days")
    password = "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(4)
    )  # 16 characters, about 79 bits
    staff.set_password(password)
    staff.password_must_change = True
    staff.initial_password_expires = timezone.now() + timedelta(days=days)
    staff.save(update_fields=["password", "password_must_change", "initial_password_expires"])
    record(
        actor,
        AuditAction.UPDATE,
        object_type="accounts.staff",
        object_id=staff.pk,
        reason="初期パスワードの発行",
        detail={"username": staff.get_username(), "days": days},
    )
    return password


def initial_password_expired(staff: Staff) -> bool:
    expires = staff.initial_password_expires
    return bool(staff.password_must_change and expires is not None and expires <= timezone.now())


class StaffBackend(ModelBackend):
    """Django's password check, refusing an initial password past its expiry."""

    def user_can_authenticate(self, user: Any) -> bool:
        if isinstance(user, Staff) and initial_password_expired(user):
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> Any:
        # Every staff page reads the agency (the menu, the badge, the audit
        # record): read it with the staff row, one query less per page.
        user = Staff.objects.select_related("agency").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class PasswordChangeRequiredMiddleware:
    """Hold a session signed in with an initial password at the password page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "password_must_change", False)
        ):
            target = reverse("accounts:password_change")
            if request.path != target and not request.path.startswith(_OPEN_PREFIXES):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Choose your own password at /password/ first."}, status=403
                    )
                return redirect(target)
        return self.get_response(request)
