"""Passwords (ASVS V2.1, V2.4): what the validators accept and refuse, that
sign-in does not truncate, and the hasher's strength in the real settings."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tsunagari import settings as real_settings
from tsunagari.accounts.models import Staff


@pytest.mark.parametrize(
    "password",
    [
        "  区役所の 窓口で  使う合言葉  ",  # spaces and Japanese
        "correct horse battery staple 🐴🔋",  # emoji
        "x" * 64 + " and then some more words",  # long passphrases
        "ねこがすきなうさぎですよ",  # twelve characters, no digits or capitals required
    ],
)
def test_it_accepts_long_or_unicode_passwords_without_composition_rules(
    db: None, password: str
) -> None:
    validate_password(password, Staff(username="someone"))


@pytest.mark.parametrize(
    "password",
    ["password1", "qwertyuiop", "1234567890123", "short", "someone2026x", "kqzvbnrtwyl"],
)
def test_it_refuses_common_short_numeric_or_username_like_passwords(
    db: None, password: str
) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, Staff(username="someone2026"))


def test_sign_in_compares_the_whole_password(db: None) -> None:
    password = "長い合言葉 " * 20  # 120 characters
    staff = Staff.objects.create(username="long.passphrase", roles=["planner"])
    staff.set_password(password)
    staff.save()
    assert (
        Client()
        .post("/signin/", {"username": staff.username, "password": password[:-1]})
        .status_code
        == 200
    )
    assert (
        Client().post("/signin/", {"username": staff.username, "password": password}).status_code
        == 302
    )


def test_the_settings_hash_passwords_with_argon2id_above_the_asvs_minimum() -> None:
    # the real settings module (tests swap in a fast hasher)
    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert Argon2PasswordHasher.memory_cost >= 15 * 1024  # KiB
    assert Argon2PasswordHasher.time_cost >= 2
    assert Argon2PasswordHasher.parallelism >= 1
    # the fallback, for hashes made before: PBKDF2-SHA256 over 310,000 rounds
    assert PBKDF2PasswordHasher.iterations >= 310_000
    hashed = Argon2PasswordHasher().encode("a passphrase", Argon2PasswordHasher().salt())
    assert hashed.startswith("argon2$argon2id$")
