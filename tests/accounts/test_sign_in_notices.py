"""At sign-in a member of staff is told of the previous sign-in, wrong
passwords tried since and changes to how the account signs in (ASVS 2.2.3, 2.5.5)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.test import Client

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD
from tsunagari.audit.models import AuditEvent

USER = "consultant.disability"
NEW = "川沿いの道を自転車で走る朝"


def _sign_in(password: str = DEMO_PASSWORD) -> tuple[Client, int]:
    client = Client()
    response = client.post("/signin/", {"username": USER, "password": password})
    return client, response.status_code


def _home_after_sign_in(password: str = DEMO_PASSWORD) -> tuple[Client, str]:
    client, status = _sign_in(password)
    assert status == 302
    return client, client.get("/").content.decode()


def _age_sign_ins() -> None:
    # everything so far happened an hour earlier (the notice ignores the last two seconds)
    AuditEvent.objects.update(at=F("at") - timedelta(hours=1))


def test_the_first_sign_in_has_no_notice_and_the_next_names_the_previous(
    personas: dict[str, Staff],
) -> None:
    _client, first = _home_after_sign_in()
    assert "前回のサインイン" not in first
    _age_sign_ins()
    _client, second = _home_after_sign_in()
    assert "前回のサインイン:" in second
    assert "誤り" not in second and "設定が変わりました" not in second


def test_wrong_passwords_since_the_previous_sign_in_are_told(personas: dict[str, Staff]) -> None:
    _home_after_sign_in()
    _age_sign_ins()
    for _ in range(2):
        assert _sign_in("someone guessing it")[1] == 200
    _client, home = _home_after_sign_in()
    assert "誤りが2回ありました" in home
    # told once: the sign-in after that has nothing new to tell
    _age_sign_ins()
    _client, later = _home_after_sign_in()
    assert "誤りが" not in later


def test_a_password_change_since_the_previous_sign_in_is_told(personas: dict[str, Staff]) -> None:
    here, _home = _home_after_sign_in()
    _age_sign_ins()
    changed = here.post(
        "/password/",
        {"current_password": DEMO_PASSWORD, "new_password": NEW, "new_password_again": NEW},
    )
    assert changed.status_code == 302
    # signing in elsewhere afterwards tells of the change, and when
    _client, home = _home_after_sign_in(NEW)
    assert "サインインの設定が変わりました（本人によるパスワード変更）" in home
