"""Running the real ``tsunagari`` commands on a database file and data folder of their own."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def env_for(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        TSUNAGARI_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="tsunagari.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        LANG="C.UTF-8",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def tsunagari(
    data_dir: Path, *args: str, database_url: str = "", timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", *args],
        env=env_for(data_dir, database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(
    data_dir: Path, *args: str, database_url: str = "", timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=env_for(data_dir, database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        db.close()


def rewrite_archive(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
) -> None:
    """Copy an archive member by member; ``change`` returns new bytes, or None to drop one."""
    members: list[tuple[str, bytes]] = []
    with tarfile.open(source, "r:*") as tar:
        for member in tar:
            f = tar.extractfile(member)
            assert f is not None
            members.append((member.name, f.read()))
    with tarfile.open(target, "w:gz") as out:
        for name, body in [*members, *(extra or {}).items()]:
            new = change(name, body)
            if new is None:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(new)
            out.addfile(info, io.BytesIO(new))
