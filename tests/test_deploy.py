"""The service unit shipped in deploy/ runs Tsunagari as its own unprivileged
account in systemd's sandbox (ASVS 1.2.1, 1.14.5), with the secret key as a
credential rather than in the environment (1.6.2)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNIT = DEPLOY / "tsunagari.service"


def _settings(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_unit_runs_an_unprivileged_account_that_may_write_only_its_data_folder() -> None:
    unit = _settings(UNIT.read_text(encoding="utf-8"))
    assert unit["User"] == ["tsunagari"] and unit["Group"] == ["tsunagari"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["CapabilityBoundingSet"] == [""]
    data = [e.split("=", 1)[1] for e in unit["Environment"] if e.startswith("TSUNAGARI_DATA_DIR=")]
    assert data == unit["ReadWritePaths"] == ["/var/lib/tsunagari"]
    assert "TSUNAGARI_MODE=production" in unit["Environment"]
    assert unit["ExecStart"][0].split()[1:3] == ["serve", "--host"]


def test_the_secret_key_is_a_credential_and_not_in_the_environment_file() -> None:
    unit = _settings(UNIT.read_text(encoding="utf-8"))
    assert unit["LoadCredential"] == ["secret_key:/etc/tsunagari/secret_key"]
    env = _settings((DEPLOY / "tsunagari.env").read_text(encoding="utf-8"))
    assert "SECRET_KEY" not in env and "SECRET_KEY" not in str(unit["Environment"])


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_accepts_the_unit_and_rates_its_exposure_low(tmp_path: Path) -> None:
    # ExecStart must name an executable file for verify: point it at this Python.
    unit = tmp_path / "tsunagari.service"
    text = UNIT.read_text(encoding="utf-8")
    unit.write_text(
        text.replace("/opt/tsunagari/.venv/bin/tsunagari", shutil.which("python3") or "/bin/true")
    )
    verify = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert verify.returncode == 0, verify.stderr
    security = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", "--no-pager", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    last = security.stdout.strip().splitlines()[-1]
    # "→ Overall exposure level for tsunagari.service: 1.7 OK"; 10 is unprotected.
    exposure = float(last.split(":")[1].split()[0])
    assert exposure < 2.5, last
