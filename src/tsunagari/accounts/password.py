"""Staff change their own password (ASVS 2.1.5, 2.1.6, 3.3.3).

The form asks for the current password and the new one twice. The current
password is checked through ``authenticate``, so a wrong one counts as a failed
sign-in: it is audited and, after ``AXES_FAILURE_LIMIT`` in a row, locks the
account as the sign-in page does (a stolen session cannot be used to guess the
password). The new one must pass every ``AUTH_PASSWORD_VALIDATORS`` rule (12
characters at least, at most 128, not common, not like the username, not only
digits). On success the change is audited, this browser stays signed in under
a new session key, and every other session of the same staff member is
deleted on the server.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import (
    SESSION_KEY,
    authenticate,
    password_validation,
    update_session_auth_hash,
)
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.lib.http import signed_in_staff

#: Longest password accepted when one is set (ASVS 2.1.2: at least 64 allowed, over 128 refused).
MAX_PASSWORD_LENGTH = 128


class MaximumLengthValidator:
    """Refuse a new password longer than ``max_length`` characters."""

    def __init__(self, max_length: int = MAX_PASSWORD_LENGTH) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("パスワードが長すぎます。%(max)d文字以内にしてください。"),
                code="password_too_long",
                params={"max": self.max_length},
            )

    def get_help_text(self) -> str:
        return gettext("%(max)d文字以内。") % {"max": self.max_length}


def _password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete, "autocapitalize": "none"})


class ChangePasswordForm(forms.Form):
    current_password = forms.CharField(
        label=_("現在のパスワード"),
        strip=False,
        max_length=256,
        widget=_password_input("current-password"),
    )
    new_password = forms.CharField(
        label=_("新しいパスワード"),
        strip=False,
        max_length=256,
        widget=_password_input("new-password"),
        help_text=_(
            "12文字以上128文字以内。文字の種類の決まりはありません。長い文や、"
            "単語をいくつか並べたものが覚えやすく安全です。"
        ),
    )
    new_password_again = forms.CharField(
        label=_("新しいパスワード（確認のためもう一度）"),
        strip=False,
        max_length=256,
        widget=_password_input("new-password"),
    )

    def __init__(self, staff: Staff, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.request = request
        self.locked = False

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        checked = authenticate(self.request, username=self.staff.get_username(), password=password)
        if checked is None or checked.pk != self.staff.pk:
            if getattr(self.request, "axes_locked_out", False):
                self.locked = True
                raise ValidationError(
                    _(
                        "パスワードを続けて間違えたため、アカウントが一時的にロックされています。"
                        "しばらくしてから、もう一度試してください。"
                    ),
                    code="locked",
                )
            raise ValidationError(
                _(
                    "現在のパスワードが違います。続けて間違えるとアカウントが一時的に"
                    "ロックされます。"
                ),
                code="wrong_current",
            )
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new = cleaned.get("new_password")
        again = cleaned.get("new_password_again")
        if new is None or again is None:
            return cleaned
        if new != again:
            self.add_error(
                "new_password_again",
                _("確認のために入力したパスワードが一致しません。同じものを2回入力してください。"),
            )
            return cleaned
        if new == cleaned.get("current_password"):
            self.add_error(
                "new_password", _("現在のパスワードと同じです。別のパスワードにしてください。")
            )
            return cleaned
        try:
            password_validation.validate_password(new, self.staff)
        except ValidationError as errors:
            self.add_error("new_password", errors)
        return cleaned


def end_other_sessions(staff: Staff, keep: str | None) -> int:
    """Delete every unexpired session of ``staff`` but the one keyed ``keep``; how many."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if str(session.get_decoded().get(SESSION_KEY, "")) == str(staff.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    form = ChangePasswordForm(
        staff, request, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            staff.set_password(form.cleaned_data["new_password"])
            # a password of one's own replaces an initial one (accounts.initial)
            staff.password_must_change = False
            staff.initial_password_expires = None
            staff.save(
                update_fields=["password", "password_must_change", "initial_password_expires"]
            )
            # this browser stays signed in, under a new session key
            update_session_auth_hash(request, staff)
            request.session.save()
            ended = end_other_sessions(staff, keep=request.session.session_key)
            record(
                staff,
                AuditAction.UPDATE,
                object_type="accounts.staff",
                object_id=staff.pk,
                reason="本人によるパスワード変更",
                detail={"changed": "password", "other_sessions_ended": ended},
            )
        text = gettext("パスワードを変更しました。")
        if ended:
            text += " " + ngettext(
                "ほかの端末でのサインイン %(n)d 件を終了しました。",
                "ほかの端末でのサインイン %(n)d 件を終了しました。",
                ended,
            ) % {"n": ended}
        messages.success(request, text)
        return redirect("accounts:home")
    status = 403 if form.locked else (400 if form.is_bound else 200)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "max_length": MAX_PASSWORD_LENGTH},
        status=status,
    )
