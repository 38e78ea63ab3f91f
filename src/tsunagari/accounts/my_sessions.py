"""A member of staff sees where they are signed in and ends the others (ASVS 3.3.4).

The page lists the person's unexpired sessions: when each began, when it was
last used (to within ``SESSION_EXTEND_AFTER`` seconds) and the browser's own
description, with this browser marked. Ending the others needs the password
again (a wrong one counts toward the lock-out, as at sign-in); it deletes
those sessions on the server and is audited. Session keys never appear on the
page: they are the credential.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tsunagari.accounts.models import Staff
from tsunagari.accounts.password import end_other_sessions
from tsunagari.accounts.sessions import BROWSER, SIGNED_IN_AT
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.lib.http import signed_in_staff


@dataclass(frozen=True)
class OpenSession:
    started: datetime | None
    last_used: datetime
    browser: str
    this_one: bool


def open_sessions(staff: Staff, current: str | None) -> list[OpenSession]:
    """The unexpired sessions of ``staff``, most recently used first."""
    now = timezone.now()
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    found = []
    for row in Session.objects.filter(expire_date__gt=now).iterator():
        data = row.get_decoded()
        if str(data.get(SESSION_KEY, "")) != str(staff.pk):
            continue
        started = data.get(SIGNED_IN_AT)
        found.append(
            OpenSession(
                started=datetime.fromtimestamp(started, tz=timezone.get_current_timezone())
                if isinstance(started, int)
                else None,
                last_used=min(now, row.expire_date - idle),
                browser=str(data.get(BROWSER, "")),
                this_one=row.session_key == current,
            )
        )
    return sorted(found, key=lambda s: (not s.this_one, -s.last_used.timestamp()))


class PasswordAgainForm(forms.Form):
    password = forms.CharField(
        label=_("パスワード（確認のため）"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, staff: Staff, request: HttpRequest, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.staff = staff
        self.request = request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        checked = authenticate(self.request, username=self.staff.get_username(), password=password)
        if checked is None or checked.pk != self.staff.pk:
            raise ValidationError(
                _("パスワードが違います。続けて間違えるとアカウントが一時的にロックされます。"),
                code="wrong_password",
            )
        return password


@login_required
@require_http_methods(["GET", "POST"])
def my_sessions(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    form = PasswordAgainForm(
        staff, request, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        ended = end_other_sessions(staff, keep=request.session.session_key)
        record(
            staff,
            AuditAction.SIGN_OUT,
            object_type="accounts.staff",
            object_id=staff.pk,
            reason="本人がほかの端末のサインインを終了",
            detail={"other_sessions_ended": ended},
        )
        messages.success(
            request,
            ngettext(
                "ほかの端末でのサインイン %(n)d 件を終了しました。",
                "ほかの端末でのサインイン %(n)d 件を終了しました。",
                ended,
            )
            % {"n": ended}
            if ended
            else gettext("ほかの端末でのサインインはありませんでした。"),
        )
        return redirect("accounts:sessions")
    sessions = open_sessions(staff, request.session.session_key)
    return render(
        request,
        "accounts/my_sessions.html",
        {
            "form": form,
            "sessions": sessions,
            "others": sum(1 for s in sessions if not s.this_one),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "max_hours": settings.SESSION_MAX_HOURS,
        },
        status=400 if form.is_bound else 200,
    )
