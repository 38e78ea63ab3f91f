"""A second factor (ASVS 4.3.1, 2.8): administrators and supervisors sign in
with a password and a time-based code; a code is used once; guessing is slowed;
a session that passed only the password opens nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD
from tsunagari.audit.models import AuditAction, AuditEvent

VERIFY = "/signin/code/"
SETUP = "/signin/authenticator/"


def _totp_at(device: TOTPDevice, when: int) -> int:
    from django_otp.oath import TOTP

    generator = TOTP(device.bin_key, device.step, device.t0, device.digits)
    generator.time = when
    return generator.token()


def _password_only(username: str) -> Client:
    client = Client()
    response = client.post("/signin/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def _device(personas: dict[str, Staff], username: str) -> TOTPDevice:
    return TOTPDevice.objects.create(user=personas[username], name="authenticator", confirmed=True)


@pytest.fixture
def mfa_required(settings: Any) -> Any:
    settings.MFA_REQUIRED = True
    settings.MFA_ROLES = ["administrator", "supervisor"]
    return settings


def test_a_password_alone_opens_nothing_for_someone_with_an_authenticator(
    personas: dict[str, Staff],
) -> None:
    device = _device(personas, "supervisor.elderly")
    client = _password_only("supervisor.elderly")
    # every page and the API wait for the code
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == VERIFY
    audit = client.get("/audit/")
    assert audit.status_code == 302 and audit["Location"].startswith(VERIFY + "?next=/audit/")
    assert client.get("/api/me").status_code == 403
    # a wrong code is refused, audited, and slows the next try
    right = _totp_at(device, int(time.time()))
    wrong = client.post(VERIFY, {"code": f"{(right + 1) % 1_000_000:06d}"})
    assert wrong.status_code == 400
    assert "確認コードが違う" in wrong.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, reason="確認コードの誤り"
    ).exists()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    # the right code opens the pages, back where they were going
    passed = client.post(VERIFY, {"code": f"{right:06d}", "next": "/audit/"})
    assert passed.status_code == 302 and passed["Location"] == "/audit/"
    assert client.get("/").status_code == 200


def test_a_code_is_accepted_once(personas: dict[str, Staff]) -> None:
    device = _device(personas, "admin")
    code = f"{_totp_at(device, int(time.time())):06d}"
    first = _password_only("admin")
    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert first.get("/").status_code == 200
    # the same code, seen over a shoulder and replayed in another browser, is refused
    second = _password_only("admin")
    assert second.post(VERIFY, {"code": code}).status_code == 400
    assert second.get("/").status_code == 302
    # and the audit log says it was a replay, not a mistyped code (ASVS 2.8.5)
    event = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).latest("pk")
    assert event.reason == "確認コードの再使用" and event.detail == {"username": "admin"}


def test_repeated_wrong_codes_are_not_even_checked_for_a_while(personas: dict[str, Staff]) -> None:
    device = _device(personas, "admin")
    client = _password_only("admin")
    right = _totp_at(device, int(time.time()))
    wrong = f"{(right + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"code": wrong})
    client.post(VERIFY, {"code": wrong})
    # now even the right code waits: guessing a million codes is not possible
    response = client.post(VERIFY, {"code": f"{right:06d}"})
    assert response.status_code == 400
    assert "少し待って" in response.content.decode()


def test_administrators_and_supervisors_must_set_one_up_when_required(
    personas: dict[str, Staff], mfa_required: Any
) -> None:
    client = _password_only("admin")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "data:image/svg+xml;base64," in html and 'id="mfa-key"' in html
    device = TOTPDevice.objects.get(user=personas["admin"], confirmed=False)
    # a wrong code does not finish the set-up
    assert client.post(SETUP, {"code": "abcdef"}).status_code == 400
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()  # instead of waiting the second the failure costs
    # the code from the app does, and is audited
    code = f"{_totp_at(device, int(time.time())):06d}"
    assert client.post(SETUP, {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, reason="二要素認証の設定").exists()
    # the next sign-in asks for a code
    later = _password_only("admin")
    assert later.get("/")["Location"] == VERIFY


def test_other_roles_are_not_held_without_an_authenticator(
    personas: dict[str, Staff], mfa_required: Any
) -> None:
    client = _password_only("consultant.elderly")
    assert client.get("/").status_code == 200


def test_sign_out_stays_reachable_and_mfa_reset_removes_a_lost_phone(
    personas: dict[str, Staff],
) -> None:
    _device(personas, "supervisor.elderly")
    client = _password_only("supervisor.elderly")
    assert client.post("/signout/").status_code == 302
    call_command("mfa_reset", "supervisor.elderly", stdout=open(os.devnull, "w"))
    assert not TOTPDevice.objects.filter(user=personas["supervisor.elderly"]).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="accounts.staff"
    ).exists()
    # without MFA_REQUIRED nothing holds them now; with it they would set up a new one
    assert _password_only("supervisor.elderly").get("/").status_code == 200


def test_production_requires_a_second_factor_for_administrators_and_supervisors(
    tmp_path: Path,
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "MFA_REQUIRED", "MFA_ROLES", "DATABASE_URL"}
    }
    env.update(
        TSUNAGARI_DATA_DIR=str(tmp_path),
        TSUNAGARI_MODE="production",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="ward.example",
        DJANGO_SETTINGS_MODULE="tsunagari.settings",
    )
    code = "from tsunagari import settings as s; print(s.MFA_REQUIRED, ','.join(s.MFA_ROLES))"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "administrator,supervisor"]


def _device_queries(client: Client, url: str = "/") -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum("otp_totp_totpdevice" in q["sql"] for q in ctx.captured_queries)


def test_staff_without_an_authenticator_are_asked_about_it_once_per_sign_in(
    personas: dict[str, Staff],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def signed_in() -> tuple[Client, int]:
        with CaptureQueriesContext(connection) as ctx:
            client = _password_only("consultant.elderly")
        return client, sum("otp_totp_totpdevice" in q["sql"] for q in ctx.captured_queries)

    # the sign-in asks once, while it writes the session anyway
    client, asked = signed_in()
    assert asked == 1
    # and no page of the sign-in asks again
    assert _device_queries(client) == 0
    assert _device_queries(client) == 0
    assert _device_queries(client, "/consultations/") == 0
    # a new sign-in asks again
    again, asked = signed_in()
    assert asked == 1 and _device_queries(again) == 0


def test_a_device_confirmed_elsewhere_is_asked_for_from_the_next_sign_in(
    personas: dict[str, Staff],
) -> None:
    client = _password_only("supervisor.elderly")
    assert client.get("/").status_code == 200  # no device yet: nothing holds them
    # set up in another browser (or after an administrator's reset, a new phone)
    _device(personas, "supervisor.elderly")
    # another browser's sign-in asks for the code
    assert _password_only("supervisor.elderly").get("/")["Location"] == VERIFY
    # and so does signing in again in this one, although its session was kept
    signed = client.post("/signin/", {"username": "supervisor.elderly", "password": DEMO_PASSWORD})
    assert signed.status_code == 302
    assert client.get("/")["Location"] == VERIFY


def test_setting_up_a_device_in_this_session_forgets_that_there_was_none(
    personas: dict[str, Staff], mfa_required: Any
) -> None:
    from tsunagari.accounts.mfa import NO_DEVICE_KEY

    client = _password_only("admin")
    assert client.get("/")["Location"] == SETUP
    assert NO_DEVICE_KEY in client.session
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=personas["admin"], confirmed=False)
    code = f"{_totp_at(device, int(time.time())):06d}"
    assert client.post(SETUP, {"code": code}).status_code == 302
    assert NO_DEVICE_KEY not in client.session
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "code",
    ["", "   ", "12345", "1234567", "abcdef", "１２３４５６", "9" * 10_000, "<script>1</script>",
     "123\x00456", "' OR 1=1 --"],
)  # fmt: skip
def test_a_code_that_is_empty_huge_or_hostile_is_refused_with_a_message(
    personas: dict[str, Staff], code: str
) -> None:
    device = _device(personas, "supervisor.elderly")
    client = _password_only("supervisor.elderly")
    response = client.post(VERIFY, {"code": code})
    # refused with a message, never an error page, and the password alone still opens nothing
    body = response.content.decode()
    assert response.status_code == 400
    assert "notice--error" in body or 'role="alert"' in body
    assert "<script>1</script>" not in body
    assert client.get("/")["Location"] == VERIFY
    device.refresh_from_db()
    assert device.confirmed
