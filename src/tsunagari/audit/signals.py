"""Sign-in, sign-out and failed sign-ins go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, AuditAction.SIGN_IN, object_type="accounts.staff", object_id=user.pk)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, AuditAction.SIGN_OUT, object_type="accounts.staff", object_id=user.pk)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    record(
        None,
        AuditAction.SIGN_IN_FAILED,
        object_type="accounts.staff",
        detail={"username": username},
    )
