"""A wrong setting value stops start-up with a message that names it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# Read from the environment by the tests below, never inherited from the shell.
CLEARED = {
    "DATABASE_URL", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "CREDENTIALS_DIRECTORY", "TSUNAGARI_MODE",
}  # fmt: skip


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base.update(
        {"TSUNAGARI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tsunagari.settings"}
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", "check"],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "mysql://u:p@localhost/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url at all"}, "DATABASE_URL"),
        ({"TSUNAGARI_MODE": "staging"}, "TSUNAGARI_MODE"),
        ({"TSUNAGARI_MODE": "production", "ALLOWED_HOSTS": "ward.example"}, "SECRET_KEY"),
        ({"TSUNAGARI_MODE": "production", "SECRET_KEY": "x" * 40}, "ALLOWED_HOSTS"),
        (
            {
                "TSUNAGARI_MODE": "production",
                "SECRET_KEY": "x" * 40,
                "ALLOWED_HOSTS": "a",
                "DEBUG": "1",
            },
            "DEBUG",
        ),
        ({"SESSION_MINUTES": "ten"}, "SESSION_MINUTES"),
        ({"SMALL_CELL_MIN": "0"}, "SMALL_CELL_MIN"),
        ({"LINKAGE_MAX_FILE_BYTES": "200MB"}, "LINKAGE_MAX_FILE_BYTES"),
        (
            {"DATABASE_URL": "postgres://u@127.0.0.1/db", "DATABASE_PREPARED_STATEMENTS": "often"},
            "DATABASE_PREPARED_STATEMENTS",
        ),
    ],
)
def test_it_refuses_to_start_with_a_bad_setting_and_names_it(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    # given a wrong value, when the command starts
    result = run_check(tmp_path, **env)
    # then it stops with one line naming the variable, not a traceback
    assert result.returncode != 0
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_it_starts_with_defaults_and_keeps_the_generated_secret_key(tmp_path: Path) -> None:
    first = run_check(tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    second = run_check(tmp_path)
    assert second.returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_it_uses_sqlite_in_wal_mode_by_default(tmp_path: Path) -> None:
    # given no DATABASE_URL, when the database is created
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TSUNAGARI_DATA_DIR"] = str(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", "migrate", "-v0"], env=env, check=True, timeout=300
    )
    # then it is a SQLite file in the data folder, in write-ahead-log mode
    import sqlite3

    with sqlite3.connect(tmp_path / "tsunagari.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def settings_in(workdir: Path, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter started in ``workdir``, with
    no TSUNAGARI_DATA_DIR, and print DATA_DIR."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TSUNAGARI_DATA_DIR", "XDG_DATA_HOME", "DATABASE_URL", "STATIC_ROOT"}
    }
    base.update({"HOME": str(home), "DJANGO_SETTINGS_MODULE": "tsunagari.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DATA_DIR)"],
        cwd=workdir,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_keeps_data_in_the_per_user_folder_when_no_data_dir_is_set(tmp_path: Path) -> None:
    # given an analyst's folder and a home without XDG_DATA_HOME
    workdir, home = tmp_path / "analysis", tmp_path / "home"
    workdir.mkdir()
    home.mkdir()
    # when the settings are loaded there
    result = settings_in(workdir, home)
    # then the data (and the generated secret key) go to ~/.local/share/tsunagari
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == (home / ".local" / "share" / "tsunagari").resolve()
    assert (home / ".local" / "share" / "tsunagari" / "secret_key").exists()
    assert list(workdir.iterdir()) == []


def test_it_follows_xdg_data_home(tmp_path: Path) -> None:
    # given XDG_DATA_HOME set to an absolute folder
    workdir, home, xdg = tmp_path / "w", tmp_path / "home", tmp_path / "xdg"
    for folder in (workdir, home, xdg):
        folder.mkdir()
    # when
    result = settings_in(workdir, home, XDG_DATA_HOME=str(xdg))
    # then
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == (xdg / "tsunagari").resolve()
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("xdg", ["relative/share", ""])
def test_it_ignores_a_relative_or_empty_xdg_data_home(tmp_path: Path, xdg: str) -> None:
    # given a hostile or empty XDG_DATA_HOME, which the XDG rule says to ignore
    workdir, home = tmp_path / "w", tmp_path / "home"
    workdir.mkdir()
    home.mkdir()
    # when
    result = settings_in(workdir, home, XDG_DATA_HOME=xdg, TSUNAGARI_DATA_DIR="")
    # then the home folder's default is used and nothing is written in the working folder
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == (home / ".local" / "share" / "tsunagari").resolve()
    assert list(workdir.iterdir()) == []


def test_it_still_takes_tsunagari_data_dir_first(tmp_path: Path) -> None:
    workdir, home, data = tmp_path / "w", tmp_path / "home", tmp_path / "data"
    workdir.mkdir()
    home.mkdir()
    result = settings_in(workdir, home, TSUNAGARI_DATA_DIR=str(data))
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == data.resolve()
    assert not (home / ".local").exists()


def test_it_reads_the_secret_key_from_a_file_or_a_systemd_credential(tmp_path: Path) -> None:
    production = {"TSUNAGARI_MODE": "production", "ALLOWED_HOSTS": "ward.example"}
    key = tmp_path / "key"
    key.write_text("k" * 40 + "\n")
    assert run_check(tmp_path, **production, SECRET_KEY_FILE=str(key)).returncode == 0
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "secret_key").write_text("c" * 40)
    found = run_check(tmp_path, **production, CREDENTIALS_DIRECTORY=str(credentials))
    assert found.returncode == 0, found.stderr
    # A credentials folder without the key is not a key.
    (credentials / "secret_key").unlink()
    missing = run_check(tmp_path, **production, CREDENTIALS_DIRECTORY=str(credentials))
    assert missing.returncode != 0 and "SECRET_KEY is not set" in missing.stderr


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: None, "cannot be read"),
        (lambda p: p.write_text("  \n"), "is empty"),
        (lambda p: p.write_text("short"), "too short"),
        (lambda p: p.write_bytes(b"\xff\xfe" * 30), "cannot be read"),
    ],
)
def test_a_bad_secret_key_file_stops_start_up_and_says_why(
    tmp_path: Path, make: Any, said: str
) -> None:
    key = tmp_path / "key"
    make(key)
    result = run_check(
        tmp_path,
        TSUNAGARI_MODE="production",
        ALLOWED_HOSTS="ward.example",
        SECRET_KEY_FILE=str(key),
    )
    assert result.returncode != 0
    assert said in result.stderr
    assert "Traceback" not in result.stderr


def test_it_refuses_a_key_given_twice(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("k" * 40)
    result = run_check(tmp_path, SECRET_KEY="x" * 40, SECRET_KEY_FILE=str(key))
    assert result.returncode != 0
    assert "SECRET_KEY and SECRET_KEY_FILE" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://u@127.0.0.1/db"}, {"server_side_binding": True, "prepare_threshold": 2}),
        ({"DATABASE_URL": "postgres://u@127.0.0.1/db?sslmode=require"},
         {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 2}),
        ({"DATABASE_URL": "postgres://u@127.0.0.1/db", "DATABASE_PREPARED_STATEMENTS": "off"}, {}),
    ],
)  # fmt: skip
def test_postgresql_prepares_statements_unless_told_not_to(
    tmp_path: Path, env: dict[str, str], expected: dict[str, Any]
) -> None:
    # (the live server's side: tests/test_database_prepared.py)
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base.update(
        {"TSUNAGARI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tsunagari.settings", **env}
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json; from django.conf import settings; "
         "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"],
        env=base, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected
