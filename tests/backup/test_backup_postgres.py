"""The restore drill on PostgreSQL, when the tests run against a server (DATABASE_URL).

Two throwaway databases on that server: one migrated and filled, backed up
with pg_dump; the archive restored into the other, and refused by the first.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from tests.backup.helpers import ok, python, tsunagari

pytestmark = pytest.mark.django_db


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "DATABASE_URL does not name a PostgreSQL server (the SQLite drill runs instead)"
        )
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip(
            "pg_dump/pg_restore are not installed (Debian: apt-get install postgresql-client)"
        )
    return url


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    url = _server_url()
    assert connection.vendor == "postgresql"
    tag = uuid.uuid4().hex[:8]
    names = [f"tsunagari_bk_{tag}_src", f"tsunagari_bk_{tag}_dst"]
    # CREATE DATABASE cannot run in the test's transaction: a connection of its own.
    with psycopg.connect(url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield _with_db(url, names[0]), _with_db(url, names[1])
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _counts(url: str, folder: Path) -> str:
    code = (
        "import django,json;django.setup();"
        "from tsunagari.audit.backup import database_rows;print(json.dumps(database_rows()))"
    )
    return ok(python(folder, "-c", code, database_url=url)).strip()


def test_round_trip_on_postgresql(databases: tuple[str, str], tmp_path: Path) -> None:
    src, dst = databases
    ok(tsunagari(tmp_path / "a", "migrate", "-v0", database_url=src, timeout=600))
    ok(python(tmp_path / "a", "-m", "tests.backup.populate", database_url=src))
    archive = tmp_path / "ward.tar.gz"
    ok(tsunagari(tmp_path / "a", "backup", str(archive), database_url=src))
    assert "postgresql database" in ok(
        tsunagari(tmp_path / "c", "backup", "--verify", str(archive))
    )

    out = ok(tsunagari(tmp_path / "b", "restore", str(archive), database_url=dst))
    assert "the chain is intact" in out
    assert _counts(dst, tmp_path / "b") == _counts(src, tmp_path / "a")
    assert (tmp_path / "b" / "linkage/runs/1/clusters.csv").exists()

    refused = tsunagari(tmp_path / "a", "restore", str(archive), database_url=src)
    assert refused.returncode == 1
    assert "already holds data" in refused.stderr and "createdb" in refused.stderr
