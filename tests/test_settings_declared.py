"""Every setting the code reads is declared in settings.py, with its default there."""

from __future__ import annotations

import re
from pathlib import Path

import tsunagari

SRC = Path(tsunagari.__file__).resolve().parent
# A default next to the read hides a setting settings.py never declares.
GETATTR_DEFAULT = re.compile(r"getattr\(\s*settings\s*,\s*[\"'](\w+)[\"']\s*,")


def test_it_reads_no_setting_with_a_default_of_its_own() -> None:
    # given every module outside the migrations (frozen history)
    found = [
        f"{path.relative_to(SRC)}: {match.group(1)}"
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
        for match in GETATTR_DEFAULT.finditer(path.read_text(encoding="utf-8"))
    ]
    # then none reads a setting with getattr and a default
    assert found == [], "declare these in settings.py and read settings.X: " + ", ".join(found)


def test_it_declares_the_settings_the_apps_read(settings: object) -> None:
    for name in ("SMALL_CELL_MIN", "LINKAGE_MAX_FILE_BYTES", "API_TOKEN_DAYS"):
        assert isinstance(getattr(settings, name), int), name
