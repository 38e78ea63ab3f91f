"""The restore drill on SQLite: the real commands, on database files and data folders of
their own (the in-memory test database is not what a ward backs up)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.backup.helpers import env_for, ok, python, rewrite_archive, sqlite_counts, tsunagari
from tsunagari.audit.backup import verify_archive

DB = "tsunagari.sqlite3"
PDF = "media/council/documents/議事録.pdf"
RUN = "linkage/runs/1/clusters.csv"


def _copy_db(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        if (source / (DB + suffix)).exists():
            shutil.copy2(source / (DB + suffix), target / (DB + suffix))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly migrated, empty database (made once, copied where needed)."""
    folder = tmp_path_factory.mktemp("migrated")
    ok(tsunagari(folder, "migrate", "-v0"))
    return folder


@pytest.fixture(scope="module")
def source(migrated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ward's data folder in use: staff, persons, audit events, an upload, a linkage output."""
    folder = tmp_path_factory.mktemp("source")
    _copy_db(migrated, folder)
    ok(python(folder, "-m", "tests.backup.populate"))
    return folder


@pytest.fixture(scope="module")
def archive(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archives") / "ward.tar.gz"
    out = ok(tsunagari(source, "backup", str(path)))
    assert "SHA-256 of the archive" in out
    return path


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        f = tar.extractfile("manifest.json")
        assert f is not None
        return json.loads(f.read())


def _nothing_restored(folder: Path) -> None:
    if (folder / DB).exists():
        assert not [t for t, n in sqlite_counts(folder / DB).items() if n]
    assert not (folder / PDF).exists()
    assert not (folder / RUN).exists()


def test_the_manifest_records_time_version_migrations_rows_and_every_part(
    archive: Path, source: Path
) -> None:
    m = _manifest(archive)
    assert m["format"] == "tsunagari-backup"
    assert m["created_at"] and m["tsunagari_version"]
    assert m["database"]["vendor"] == "sqlite"
    assert ["people", "0001_initial"] in m["migrations"]
    assert m["row_counts"]["people_person"] == 12
    assert m["row_counts"] == sqlite_counts(source / DB)
    names = {p["name"]: p for p in m["parts"]}
    assert set(names) == {"database/tsunagari.sqlite3", f"data/{PDF}", f"data/{RUN}"}
    # What is rebuilt or kept apart is not backed up.
    assert not any("secret_key" in n or "/static/" in n for n in names)
    assert all(len(p["sha256"]) == 64 for p in m["parts"])
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner only


def test_verify_accepts_the_archive_as_written(archive: Path, tmp_path: Path) -> None:
    out = ok(tsunagari(tmp_path, "backup", "--verify", str(archive)))
    assert "OK:" in out and "3 parts" in out


def test_round_trip_into_a_new_data_folder_keeps_every_row_file_and_the_audit_chain(
    archive: Path, source: Path, tmp_path: Path
) -> None:
    target = tmp_path / "restored"
    out = ok(tsunagari(target, "restore", str(archive)))
    assert "the chain is intact" in out
    assert sqlite_counts(target / DB) == sqlite_counts(source / DB)
    for name in (PDF, RUN):
        assert (target / name).read_bytes() == (source / name).read_bytes()
    # The restored ward works on: a new registration continues the same chain.
    ok(python(target, "-m", "tests.backup.populate"))
    verified = ok(tsunagari(target, "audit", "verify"))
    assert "the chain is intact" in verified
    assert sqlite_counts(target / DB)["people_person"] == 24


def test_restore_goes_into_a_freshly_migrated_database(
    archive: Path, source: Path, migrated: Path, tmp_path: Path
) -> None:
    target = tmp_path / "migrated-empty"
    _copy_db(migrated, target)
    ok(tsunagari(target, "restore", str(archive)))
    assert sqlite_counts(target / DB) == sqlite_counts(source / DB)


def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(
    archive: Path, source: Path
) -> None:
    before = sqlite_counts(source / DB)
    done = tsunagari(source, "restore", str(archive))
    assert done.returncode == 1
    assert "already holds data" in done.stderr
    assert "empty" in done.stderr and "Nothing was changed" in done.stderr
    assert sqlite_counts(source / DB) == before


def test_restore_refuses_a_data_folder_holding_other_versions_of_its_files(
    archive: Path, tmp_path: Path
) -> None:
    target = tmp_path / "other-files"
    (target / RUN).parent.mkdir(parents=True)
    (target / RUN).write_text("someone else's run\n", encoding="utf-8")
    done = tsunagari(target, "restore", str(archive))
    assert done.returncode == 1
    assert "already holds 1 of the archive's files" in done.stderr
    assert (target / RUN).read_text(encoding="utf-8") == "someone else's run\n"
    assert not [t for t, n in sqlite_counts(target / DB).items() if n]


def _flip_last_byte(body: bytes) -> bytes:
    return body[:-1] + bytes([body[-1] ^ 0x01])


def _fewer_people(body: bytes) -> bytes:
    m = json.loads(body)
    m["row_counts"]["people_person"] -= 1
    return json.dumps(m).encode()


TAMPERINGS = {
    "a data file changed": (
        lambda n, b: _flip_last_byte(b) if n == f"data/{RUN}" else b,
        None,
        "was changed after the backup",
    ),
    "the database changed": (
        lambda n, b: _flip_last_byte(b) if n.startswith("database/") else b,
        None,
        "database/tsunagari.sqlite3 was changed after the backup",
    ),
    "a file removed": (
        lambda n, b: None if n == f"data/{PDF}" else b,
        None,
        "listed in the manifest but missing",
    ),
    "a file added": (lambda n, b: b, {"data/extra.txt": b"x"}, "not in the manifest"),
    "the manifest's counts edited": (
        lambda n, b: _fewer_people(b) if n == "manifest.json" else b,
        None,
        "the manifest counts 11",
    ),
    "the manifest removed": (
        lambda n, b: None if n == "manifest.json" else b,
        None,
        "has no manifest.json",
    ),
    "a path outside the data folder": (
        lambda n, b: b,
        {"../../etc/evil": b"x"},
        "unexpected entry",
    ),
}


@pytest.mark.parametrize("kind", list(TAMPERINGS))
def test_the_check_finds_each_kind_of_tampering(kind: str, archive: Path, tmp_path: Path) -> None:
    change, extra, message = TAMPERINGS[kind]
    bad = tmp_path / "tampered.tar.gz"
    rewrite_archive(archive, bad, change, extra)
    check = verify_archive(bad)
    assert not check.ok
    assert any(message in p for p in check.problems), check.problems
    # The same rewriting with no change passes: the check reacts to the change only.
    same = tmp_path / "same.tar.gz"
    rewrite_archive(archive, same, lambda n, b: b)
    assert verify_archive(same).ok


@pytest.mark.parametrize("kind", ["a data file changed", "the manifest's counts edited"])
def test_a_tampered_archive_is_refused_with_what_changed(
    kind: str, archive: Path, tmp_path: Path
) -> None:
    change, extra, message = TAMPERINGS[kind]
    bad = tmp_path / "tampered.tar.gz"
    rewrite_archive(archive, bad, change, extra)

    checked = tsunagari(tmp_path / "checker", "backup", "--verify", str(bad))
    assert checked.returncode == 1
    assert message in checked.stderr, checked.stderr
    assert "do not restore from it" in checked.stderr

    target = tmp_path / "restore-target"
    done = tsunagari(target, "restore", str(bad))
    assert done.returncode == 1
    assert "nothing was restored" in done.stderr and message in done.stderr
    _nothing_restored(target)


def test_a_cut_short_archive_is_refused(archive: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cut.tar.gz"
    bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    done = tsunagari(tmp_path / "t", "restore", str(bad))
    assert done.returncode == 1
    assert "damaged or cut short" in done.stderr
    _nothing_restored(tmp_path / "t")


def test_an_audit_log_edited_before_the_backup_is_reported_after_restore(
    source: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "edited"
    _copy_db(source, edited)
    db = sqlite3.connect(edited / DB)
    db.execute("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE seq = 3")
    db.commit()
    db.close()
    path = tmp_path / "edited.tar"
    ok(tsunagari(edited, "backup", str(path)))
    done = tsunagari(tmp_path / "restored", "restore", str(path))
    assert done.returncode == 1
    assert "audit log fails its verification" in done.stderr
    assert "#3" in done.stderr


def test_a_backup_never_overwrites_an_archive(source: Path, archive: Path) -> None:
    before = archive.read_bytes()
    done = tsunagari(source, "backup", str(archive))
    assert done.returncode == 1 and "already exists" in done.stderr
    assert archive.read_bytes() == before


WRITER = """
import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")
django.setup()
from django.db import transaction
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
end = time.monotonic() + float(sys.argv[1])
n = 0
while time.monotonic() < end:
    with transaction.atomic():
        record(None, AuditAction.VIEW, object_type="drill", object_id=str(n))
    n += 1
print(n)
"""


def test_a_backup_taken_while_the_server_writes_is_consistent(source: Path, tmp_path: Path) -> None:
    live = tmp_path / "live"
    _copy_db(source, live)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, "6"],
        env=env_for(live),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)  # the writer is under way
        path = tmp_path / "live.tar.gz"
        ok(tsunagari(live, "backup", str(path)))
    finally:
        written = int((writer.communicate(timeout=60)[0] or "0").strip() or 0)
    assert written > 0
    events = _manifest(path)["row_counts"]["audit_auditevent"]
    # Taken in the middle: some of the writer's events are in it, not all.
    assert 13 < events < 13 + written
    out = ok(tsunagari(tmp_path / "restored", "restore", str(path)))
    assert f"Audit log verified: {events} events, the chain is intact" in out
