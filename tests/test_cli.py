from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_it_prints_a_help_page_a_new_user_can_follow() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("migrate", "demo", "serve", "link", "survey analyse", "audit verify"):
        assert command in result.stdout


def test_it_lists_every_command_with_help_all() -> None:
    result = run("help", "--all")
    assert result.returncode == 0
    assert "[audit]" in result.stdout
    assert "serve" in result.stdout


def test_it_rejects_an_unknown_command_with_a_hint() -> None:
    result = run("frobnicate")
    assert result.returncode != 0
    assert "Unknown command" in result.stderr


def test_it_names_every_token_subcommand_in_the_help() -> None:
    # the help page and the command's own help agree on issue, list and revoke
    page = run("--help").stdout
    own = run("token", "--help")
    assert own.returncode == 0
    for sub in ("issue", "list", "revoke"):
        assert f"token {sub}" in page
        assert sub in own.stdout
    assert "token" in run("help", "--all").stdout


def test_it_says_where_the_data_folder_is(tmp_path: Path) -> None:
    # given no TSUNAGARI_DATA_DIR and a home folder of its own
    env = {k: v for k, v in os.environ.items() if k not in {"TSUNAGARI_DATA_DIR", "XDG_DATA_HOME"}}
    env["HOME"] = str(tmp_path)
    # when the help page is shown
    result = subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then it names the per-user folder, and showing help creates nothing
    assert (
        f"Data folder (database, secret key, uploads): {tmp_path.resolve()}/.local/share/tsunagari"
        in result.stdout
    )
    assert list(tmp_path.iterdir()) == []


def test_it_prints_each_demo_account_with_its_agency(
    personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the personas and their agencies (the ward itself is not loaded here)
    from django.core.management import call_command

    from tsunagari.demo.management.commands import demo

    monkeypatch.setattr(demo, "load_demo", lambda **_: "Demo ward loaded.")
    out = io.StringIO()
    # when the demo command prints the sign-in accounts
    call_command("demo", "--people", "0", stdout=out)
    # then each line names the account's agency
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line.startswith("  ")}
    assert lines["consultant.elderly"].endswith("長寿サポートセンター北砂")
    assert lines["outsider"].endswith("no agency")
    assert len(lines) == len(personas)
