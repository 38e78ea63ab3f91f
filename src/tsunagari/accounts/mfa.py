"""A second factor at sign-in: a time-based one-time code (TOTP, RFC 6238).

ASVS 4.3.1 and 2.8: administrators and supervisors, who manage accounts and
read the audit log of their agency, sign in with a password **and** a
six-digit code from an authenticator app on a phone (Google Authenticator,
Microsoft Authenticator, FreeOTP …). django-otp keeps the devices, checks
the codes (one 30-second step either way for clock drift), refuses a code
already used or an earlier one, and slows down guessing (each wrong code
doubles the wait before the next is checked).

:class:`SecondFactorMiddleware` decides, after the password:

* whoever has a confirmed device must enter a code before any page opens;
* with ``MFA_REQUIRED`` (on in production), a member of staff holding one of
  ``MFA_ROLES`` without a device is sent to set one up first;
* until then only the code page, the set-up page, sign-out, language and
  static files answer; the API, when used with the session cookie, answers 403.

A lost phone: an administrator removes the device with
``tsunagari mfa_reset USERNAME`` after confirming who is asking (ASVS 2.5.7),
and the person sets up a new one at the next sign-in.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.lib.http import safe_next, signed_in_staff

#: Name given to the one authenticator device a member of staff has.
DEVICE_NAME = "authenticator"
#: Paths an unverified session may still reach (besides the code and set-up pages).
_OPEN_PREFIXES = ("/signout/", "/i18n/", "/static/")
#: Session key: this sign-in found no confirmed device (its value names the sign-in).
NO_DEVICE_KEY = "mfa_no_device"


def confirmed_device(staff: Staff) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=staff, confirmed=True).first()


def _sign_in_mark(staff: Staff) -> str:
    """Names one sign-in: ``last_login`` is renewed at each, so a mark left by an
    earlier sign-in in the same browser session no longer matches."""
    return str(staff.last_login)


def known_without_device(request: HttpRequest, staff: Staff) -> bool:
    """True when this sign-in has already found that ``staff`` has no confirmed device.

    Most staff never set one up; asking the database on each of their requests
    would cost a query per page for nothing. The answer is kept in the session
    for the rest of the sign-in: a device confirmed in this session clears it
    (:func:`setup`); one confirmed elsewhere (another browser) is asked for from
    the next sign-in on, as the mark no longer matches there.
    """
    session = getattr(request, "session", None)
    return session is not None and session.get(NO_DEVICE_KEY) == _sign_in_mark(staff)


def has_device(request: HttpRequest, staff: Staff) -> bool:
    """Whether ``staff`` has a confirmed device, asked once per sign-in while they have none."""
    if known_without_device(request, staff):
        return False
    if confirmed_device(staff) is not None:
        return True
    session = getattr(request, "session", None)
    if session is not None:
        session[NO_DEVICE_KEY] = _sign_in_mark(staff)
    return False


@receiver(user_logged_in, dispatch_uid="tsunagari.accounts.mfa.note_no_device")
def _note_at_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Ask at sign-in, while the session is being written anyway, so that the
    first page after it does not write the session again only to keep the note."""
    if request is not None and isinstance(user, Staff):
        has_device(request, user)


def forget_no_device(request: HttpRequest) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(NO_DEVICE_KEY, None)


def needs_device(staff: Staff) -> bool:
    """True when policy requires this member of staff to use a second factor."""
    if not settings.MFA_REQUIRED:
        return False
    return any(staff.has_role(role) for role in settings.MFA_ROLES)


class SecondFactorMiddleware:
    """Hold a password-only session at the code (or set-up) page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        held = self._hold(request)
        return held if held is not None else self.get_response(request)

    def _hold(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        path = request.path
        verify, setup = reverse("accounts:mfa_verify"), reverse("accounts:mfa_setup")
        if path in (verify, setup) or path.startswith(_OPEN_PREFIXES):
            return None
        if has_device(request, user):
            target = verify
        elif needs_device(user):
            target = setup
        else:
            return None
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Enter the one-time code from your authenticator app first."},
                status=403,
            )
        return redirect(f"{target}?next={request.get_full_path()}" if path != "/" else target)


def was_used_before(device: TOTPDevice, code: str) -> bool:
    """True when ``code`` is right for a time step the device already accepted:
    a replayed code (ASVS 2.8.5), told apart from a wrong one in the audit log."""
    import time

    from django_otp.oath import TOTP

    try:
        token = int(code)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    # verify() leaves the generator on the step the code matched
    return bool(totp.verify(token, device.tolerance, 0)) and totp.t() <= device.last_t


def _clean_code(raw: str) -> str:
    return "".join(ch for ch in raw if not ch.isspace())


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("確認コード（6桁）"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )


def _qr_data_uri(text: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _next(request: HttpRequest) -> str:
    return safe_next(request, reverse("accounts:home"))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    device = confirmed_device(staff)
    if device is None:
        return redirect("accounts:mfa_setup")
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = _clean_code(form.cleaned_data["code"])
        allowed, _detail = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            otp_login(request, device)
            request.session.cycle_key()
            record(staff, AuditAction.SIGN_IN, object_type="accounts.staff", object_id=staff.pk,
                   reason="二要素認証（確認コード）")  # fmt: skip
            return redirect(_next(request))
        reused = allowed and was_used_before(device, code)
        record(None, AuditAction.SIGN_IN_FAILED, object_type="accounts.staff",
               object_id=staff.pk, reason="確認コードの再使用" if reused else "確認コードの誤り",
               detail={"username": staff.get_username()})  # fmt: skip
        form.add_error(
            "code",
            _(
                "確認コードが違うか、すでに使われたか、時間切れです。アプリに今出ている"
                "6桁を入力してください。間違えるたびに、次に試せるまでの時間が長くなります。"
            )
            if allowed
            else _("続けて間違えたため、少し待ってからもう一度入力してください。"),
        )
    return render(
        request,
        "accounts/mfa_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the key (and its QR code), confirm with a code."""
    staff = signed_in_staff(request)
    if confirmed_device(staff) is not None and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("accounts:mfa_verify")
    if confirmed_device(staff) is not None:
        messages.info(request, _("二要素認証はすでに設定されています。"))
        return redirect("accounts:home")
    device, _created = TOTPDevice.objects.get_or_create(
        user=staff, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, _detail = device.verify_is_allowed()
        if allowed and device.verify_token(_clean_code(form.cleaned_data["code"])):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            forget_no_device(request)
            otp_login(request, device)
            request.session.cycle_key()
            record(staff, AuditAction.UPDATE, object_type="accounts.staff", object_id=staff.pk,
                   reason="二要素認証の設定", detail={"changed": "second_factor"})  # fmt: skip
            messages.success(
                request, _("二要素認証を設定しました。次回から確認コードも入力します。")
            )
            return redirect(_next(request))
        form.add_error(
            "code",
            _("確認コードが違います。アプリに登録した後、今出ている6桁を入力してください。")
            if allowed
            else _("続けて間違えたため、少し待ってからもう一度入力してください。"),
        )
    key = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "next": _next(request),
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
            "qr": _qr_data_uri(device.config_url),
            "required": needs_device(staff),
        },
        status=400 if form.is_bound else 200,
    )


def reset_device(staff: Staff, actor: Any = None) -> int:
    """Remove every device of ``staff`` (a lost phone); audited. How many were removed."""
    removed, _detail = TOTPDevice.objects.filter(user=staff).delete()
    record(actor, AuditAction.DELETE, object_type="accounts.staff", object_id=staff.pk,
           reason="二要素認証の端末の削除（紛失など）",
           detail={"username": staff.get_username(), "devices": removed})  # fmt: skip
    return int(removed)
