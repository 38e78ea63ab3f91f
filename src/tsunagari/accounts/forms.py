from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("ユーザー名"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("パスワード"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {  # noqa: RUF012
        "invalid_login": _(
            "ユーザー名またはパスワードが違います。続けて間違えるとアカウントが一時的にロックされます。"
        ),
        "inactive": _("このアカウントは無効です。管理者に連絡してください。"),
    }
