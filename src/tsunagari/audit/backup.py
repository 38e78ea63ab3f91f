"""Backups of the database and the data folder, their check, and restoring one.

An archive is a tar file (gzip-compressed when its name ends in ``.gz`` or
``.tgz``) holding:

* ``database/tsunagari.sqlite3``: a copy made with SQLite's online backup
  API (one consistent snapshot while the server keeps running; never a file
  copy of a live database, which can catch a half-written page or miss the
  WAL), or ``database/tsunagari.pgdump``: ``pg_dump`` in its custom format,
  taken in an exported snapshot so that the row counts in the manifest are
  those of the dump;
* ``data/…``: the data folder (``TSUNAGARI_DATA_DIR``: linkage run outputs,
  uploaded files), without the database file, collected static files
  (rebuilt by ``collectstatic``) and the secret key (keep it apart, see
  docs/operations.md);
* ``manifest.json`` (last): when, which version, the applied migrations,
  the rows of every table, and the size and SHA-256 of every part.

The database is copied first and the files after: files written meanwhile
may be in the archive without a row naming them (harmless), but every file a
row of the copy names was there before it, so none is missing.

``restore`` goes into an empty database only (a freshly created or freshly
migrated one), checks the archive before it touches anything, compares the
restored rows with the manifest and then verifies the audit chain.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.crypto import salted_hmac

import tsunagari

__all__ = [
    "FORMAT",
    "ArchiveCheck",
    "BackupError",
    "RestoreResult",
    "create_backup",
    "database_rows",
    "default_archive_name",
    "restore_backup",
    "verify_archive",
]

FORMAT = "tsunagari-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_PART = "database/tsunagari.sqlite3"
PG_PART = "database/tsunagari.pgdump"

#: Tables a fresh ``migrate`` fills by itself: rows there do not make a database "in use".
MIGRATION_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
)
#: The audit head row exists from the first migration; it counts only once it has moved.
AUDIT_HEAD_TABLE = "audit_audithead"

#: Data-folder entries that are not backed up (the database goes in as its own part).
SKIPPED_TOP = frozenset({"static", "secret_key"})
_ARCHIVE_NAME = re.compile(r"^tsunagari-backup-.*\.tar(\.gz)?(\.partial)?$|\.tgz$")

PG_CLIENT_HINT = (
    "install the PostgreSQL client tools of the server's major version or newer "
    "(Debian/Ubuntu: apt-get install postgresql-client, or postgresql-client-16 from the "
    "PostgreSQL apt repository for a newer server; RHEL: dnf install postgresql; macOS: "
    "brew install libpq) so that pg_dump and pg_restore are on the PATH"
)

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do. Nothing was changed
    (for a backup: no archive was left behind)."""


def _quiet(_: str) -> None:
    return None


# --- the database -----------------------------------------------------------------


def _db(alias: str = "default") -> BaseDatabaseWrapper:
    return connections[alias]


def _quote(conn: BaseDatabaseWrapper, name: str) -> str:
    return conn.ops.quote_name(name)


def database_rows(alias: str = "default") -> dict[str, int]:
    """Rows in every table of the database Django is configured for, by table name."""
    conn = _db(alias)
    with conn.cursor() as cursor:
        tables = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(conn, table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def tables_in_use(alias: str = "default") -> dict[str, int]:
    """Tables holding data that ``migrate`` did not put there (empty dict: an empty database)."""
    conn = _db(alias)
    used = {
        table: rows
        for table, rows in database_rows(alias).items()
        if rows and table not in MIGRATION_TABLES and table != AUDIT_HEAD_TABLE
    }
    if AUDIT_HEAD_TABLE in conn.introspection.table_names():
        with conn.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {_quote(conn, AUDIT_HEAD_TABLE)} WHERE seq > 0"  # noqa: S608
            )
            if int(cursor.fetchone()[0]):
                used[AUDIT_HEAD_TABLE] = 1
    return used


def _sqlite_counts(db: sqlite3.Connection) -> tuple[dict[str, int], list[list[str]]]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {t: int(db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]) for t in tables}  # noqa: S608
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        migrations = [
            [app, name]
            for app, name in db.execute(
                "SELECT app, name FROM django_migrations ORDER BY app, name"
            )
        ]
    return counts, migrations


def _sqlite_copy(target: Path) -> tuple[dict[str, int], list[list[str]], dict[str, Any]]:
    """Copy the live SQLite database to ``target`` with the online backup API."""
    conn = _db()
    conn.ensure_connection()
    raw = conn.connection
    if conn.in_atomic_block:
        raise BackupError("a backup cannot be taken inside a transaction")
    dest = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, under one read lock: a consistent
        # snapshot even while the server writes (writers queue for that moment).
        raw.backup(dest, pages=-1)
        dest.commit()
        counts, migrations = _sqlite_counts(dest)
        check = dest.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        dest.close()
    if check != "ok":
        raise BackupError(f"the database copy failed SQLite's check ({check}); nothing was saved")
    info = {
        "vendor": "sqlite",
        "method": "sqlite3 online backup API",
        "sqlite_version": sqlite3.sqlite_version,
    }
    return counts, migrations, info


def _pg_env(alias: str = "default") -> dict[str, str]:
    """libpq's environment for the configured database (no password on a command line)."""
    s = _db(alias).settings_dict
    env = dict(os.environ)
    pairs = {
        "PGHOST": s.get("HOST"),
        "PGPORT": s.get("PORT"),
        "PGUSER": s.get("USER"),
        "PGPASSWORD": s.get("PASSWORD"),
        "PGDATABASE": s.get("NAME"),
    }
    options = s.get("OPTIONS") or {}
    if options.get("sslmode"):
        pairs["PGSSLMODE"] = options["sslmode"]
    for key, value in pairs.items():
        if value:
            env[key] = str(value)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found: {PG_CLIENT_HINT}.")
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = done.stderr.strip()[-1500:]
        hint = ""
        if "version mismatch" in message or "aborting because of server version" in message:
            hint = f" ({what} is older than the server: {PG_CLIENT_HINT})"
        raise BackupError(f"{what} failed{hint}: {message}")
    return done.stdout


def _pg_dump(target: Path) -> tuple[dict[str, int], list[list[str]], dict[str, Any]]:
    """``pg_dump -Fc`` in a snapshot this connection exports, and the row counts of that snapshot."""
    pg_dump = _pg_tool("pg_dump")
    env = _pg_env()
    version = _run([pg_dump, "--version"], env, "pg_dump").strip()
    conn = _db()
    with transaction.atomic():
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "-f",
                    str(target),
                ],
                env,
                "pg_dump",
            )
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {_quote(conn, table)}")  # noqa: S608
                counts[table] = int(cursor.fetchone()[0])
            migrations: list[list[str]] = []
            if "django_migrations" in counts:
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
                migrations = [[app, name] for app, name in cursor.fetchall()]
    info = {
        "vendor": "postgresql",
        "method": "pg_dump custom format, exported snapshot",
        "pg_dump": version,
        "server_version": server_version,
    }
    return counts, migrations, info


# --- the data folder --------------------------------------------------------------


def _data_dir() -> Path:
    return Path(settings.DATA_DIR)


def _database_file() -> Path | None:
    conn = _db()
    if conn.vendor != "sqlite":
        return None
    return Path(str(conn.settings_dict["NAME"])).resolve()


def _data_files(skip: set[Path]) -> Iterator[tuple[Path, str]]:
    """Every regular file of the data folder to back up, with its name in the archive."""
    root = _data_dir()
    if not root.is_dir():
        return
    db_file = _database_file()
    db_names = set()
    if db_file is not None:
        db_names = {db_file.name + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [
                d for d in dirnames if d not in SKIPPED_TOP and not d.startswith(".restore-")
            ]
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if here == root and (name in SKIPPED_TOP or name in db_names):
                continue
            if _ARCHIVE_NAME.search(name) or path.resolve() in skip or path.is_symlink():
                continue
            if not path.is_file():
                continue
            yield path, "data/" + path.relative_to(root).as_posix()


# --- writing an archive -----------------------------------------------------------


class _HashingReader(io.RawIOBase):
    """Hands a file to tarfile and hashes exactly the bytes that went into the archive."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.raw.read(-1 if size is None else size)
        self.sha.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as raw:
        size = os.fstat(raw.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(path.stat().st_mtime)
        info.mode = 0o600
        reader = _HashingReader(raw)
        try:
            tar.addfile(info, reader)
        except OSError as exc:
            raise BackupError(
                f"{path} changed while it was being copied ({exc}): run the backup again"
            ) from None
    return {"name": name, "bytes": reader.size, "sha256": reader.sha.hexdigest()}


def _tar_mode(path: Path, write: bool) -> str:
    gz = path.name.endswith((".gz", ".tgz")) or path.name.endswith((".gz.partial", ".tgz.partial"))
    if write:
        return "w:gz" if gz else "w"
    return "r:*"


def default_archive_name(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"tsunagari-backup-{stamp}.tar.gz"


def secret_key_fingerprint() -> str:
    """A value that tells whether two servers share the secret key, and nothing about the key."""
    return salted_hmac("tsunagari.backup.secret-key-check", "", algorithm="sha256").hexdigest()[:16]


def create_backup(archive: Path, *, progress: Progress = _quiet) -> dict[str, Any]:
    """Write the database and the data folder to ``archive``; return its manifest.

    The archive is written under a temporary name and renamed when complete,
    readable by its owner only (it holds personal data); an existing file is
    never overwritten.
    """
    archive = archive.expanduser().resolve()
    if archive.exists():
        raise BackupError(
            f"{archive} already exists: choose a new name (backups are never overwritten)"
        )
    if not archive.parent.is_dir():
        raise BackupError(f"the folder {archive.parent} does not exist: create it first")
    partial = archive.with_name(archive.name + ".partial")
    vendor = _db().vendor
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="tsunagari-backup.", dir=archive.parent) as tmp:
        if vendor == "sqlite":
            part, db_copy = SQLITE_PART, Path(tmp) / "tsunagari.sqlite3"
            progress("copying the SQLite database (online backup API)")
            counts, migrations, db_info = _sqlite_copy(db_copy)
        elif vendor == "postgresql":
            part, db_copy = PG_PART, Path(tmp) / "tsunagari.pgdump"
            progress("dumping the PostgreSQL database (pg_dump, custom format)")
            counts, migrations, db_info = _pg_dump(db_copy)
        else:  # pragma: no cover - settings refuse other databases
            raise BackupError(f"backups of {vendor} databases are not supported")
        parts: list[dict[str, Any]] = []
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                mode = _tar_mode(partial, write=True)
                kwargs: dict[str, Any] = {"compresslevel": 6} if mode == "w:gz" else {}
                with tarfile.open(fileobj=out, mode=mode, **kwargs) as tar:  # type: ignore[call-overload]
                    parts.append(_add_file(tar, db_copy, part))
                    progress("copying the data folder")
                    for path, name in _data_files(skip={archive, partial}):
                        parts.append(_add_file(tar, path, name))
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": started.isoformat(timespec="seconds"),
                        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "tsunagari_version": tsunagari.__version__,
                        "database": db_info,
                        "migrations": migrations,
                        "row_counts": counts,
                        "data_folder": str(_data_dir()),
                        "secret_key_fingerprint": secret_key_fingerprint(),
                        "parts": parts,
                    }
                    body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(body)
                    info.mtime = int(started.timestamp())
                    info.mode = 0o600
                    tar.addfile(info, io.BytesIO(body))
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, archive)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- checking an archive ----------------------------------------------------------


@dataclass
class ArchiveCheck:
    archive: Path
    manifest: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    parts: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name or not pure.parts:
        return False
    return name == MANIFEST or (len(pure.parts) >= 2 and pure.parts[0] in {"database", "data"})


def _read_archive(archive: Path, extract_to: Path | None) -> tuple[ArchiveCheck, dict[str, Path]]:
    """One pass over the archive: hash every member, read the manifest, and (with
    ``extract_to``) stage every part there. Returns the check and the staged paths."""
    check = ArchiveCheck(archive=archive)
    seen: dict[str, tuple[int, str]] = {}
    staged: dict[str, Path] = {}
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            for member in tar:
                if not _safe_name(member.name):
                    check.problems.append(
                        f"unexpected entry {member.name!r} (not made by tsunagari backup)"
                    )
                    continue
                if not member.isfile():
                    check.problems.append(f"{member.name} is not a regular file")
                    continue
                if member.name in seen:
                    check.problems.append(f"{member.name} is in the archive twice")
                    continue
                source = tar.extractfile(member)
                assert source is not None
                if member.name == MANIFEST:
                    body = source.read(16 * 1024 * 1024 + 1)
                    try:
                        check.manifest = json.loads(body.decode("utf-8"))
                    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                        check.problems.append(f"the manifest cannot be read ({exc})")
                    seen[member.name] = (len(body), "")
                    continue
                digest = hashlib.sha256()
                size = 0
                out: IO[bytes] | None = None
                if extract_to is not None:
                    target = extract_to / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    out = target.open("wb")
                    staged[member.name] = target
                try:
                    for block in iter(lambda s=source: s.read(1 << 20), b""):  # type: ignore[misc]
                        digest.update(block)
                        size += len(block)
                        if out is not None:
                            out.write(block)
                finally:
                    if out is not None:
                        out.close()
                seen[member.name] = (size, digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError) as exc:
        check.problems.append(
            f"the archive cannot be read to its end ({exc}): it is damaged or cut short"
        )
        return check, staged
    manifest = check.manifest
    if not manifest:
        if not any("manifest" in p for p in check.problems):
            check.problems.append(
                "the archive has no manifest.json: it was not made by tsunagari backup, or was cut short"
            )
        return check, staged
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        check.problems.append(
            f"the manifest is of format {manifest.get('format')!r} version "
            f"{manifest.get('format_version')!r}; this version reads {FORMAT!r} version {FORMAT_VERSION}"
        )
        return check, staged
    listed = {
        p["name"]: p for p in manifest.get("parts", []) if isinstance(p, dict) and "name" in p
    }
    for name, part in listed.items():
        if name not in seen:
            check.problems.append(f"{name} is listed in the manifest but missing from the archive")
            continue
        size, sha = seen[name]
        if sha != part.get("sha256") or size != part.get("bytes"):
            check.problems.append(
                f"{name} was changed after the backup: SHA-256 {sha[:16]}… ({size} bytes), "
                f"the manifest says {str(part.get('sha256'))[:16]}… ({part.get('bytes')} bytes)"
            )
    for name in seen:
        if name != MANIFEST and name not in listed:
            check.problems.append(
                f"{name} is in the archive but not in the manifest (added afterwards)"
            )
    db_parts = [n for n in listed if n.startswith("database/")]
    if db_parts != [SQLITE_PART] and db_parts != [PG_PART]:
        check.problems.append(f"the manifest lists database parts {db_parts}, expected exactly one")
    check.parts = len(listed)
    check.bytes = sum(int(p.get("bytes") or 0) for p in listed.values())
    return check, staged


def _check_sqlite_copy(path: Path, check: ArchiveCheck) -> None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            check.problems.append(f"the database copy fails SQLite's check: {result}")
            return
        counts, migrations = _sqlite_counts(db)
    finally:
        db.close()
    _compare_counts(
        check.manifest.get("row_counts") or {}, counts, check.problems, "the database copy"
    )
    if migrations != check.manifest.get("migrations"):
        check.problems.append("the database copy's applied migrations differ from the manifest")


def _compare_counts(
    expected: dict[str, int], actual: dict[str, int], problems: list[str], where: str
) -> None:
    for table, rows in sorted(expected.items()):
        if table not in actual:
            problems.append(f"{where} has no table {table} (the manifest counts {rows} rows)")
        elif actual[table] != rows:
            problems.append(
                f"{where} has {actual[table]} rows in {table}, the manifest counts {rows}"
            )


def _check_pg_dump(path: Path, check: ArchiveCheck) -> None:
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        check.notes.append(
            f"pg_restore not found, the dump's table of contents was not read ({PG_CLIENT_HINT})"
        )
        return
    done = subprocess.run(
        [pg_restore, "--list", str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        check.problems.append(f"pg_restore cannot read the dump: {done.stderr.strip()[-500:]}")
        return
    tables = set(re.findall(r"TABLE DATA \S+ (\S+) ", done.stdout))
    missing = sorted(set(check.manifest.get("row_counts") or {}) - tables)
    if missing:
        check.problems.append(
            f"the dump holds no data for tables {missing[:5]} counted in the manifest"
        )


def verify_archive(archive: Path, *, progress: Progress = _quiet) -> ArchiveCheck:
    """Check every part against the manifest (size and SHA-256), that nothing was added or
    removed, and that the database part opens and holds the rows the manifest counts."""
    archive = archive.expanduser().resolve()
    if not archive.is_file():
        check = ArchiveCheck(archive=archive)
        check.problems.append(f"{archive} does not exist")
        return check
    with tempfile.TemporaryDirectory(prefix="tsunagari-verify.") as tmp:
        progress("reading every part and its SHA-256")
        check, staged = _read_archive(archive, Path(tmp))
        if check.ok:
            _check_database_part(check, staged)
    return check


def _check_database_part(check: ArchiveCheck, staged: dict[str, Path]) -> None:
    if SQLITE_PART in staged:
        _check_sqlite_copy(staged[SQLITE_PART], check)
    elif PG_PART in staged:
        _check_pg_dump(staged[PG_PART], check)


# --- restoring --------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int = 0
    files_already_there: int = 0
    tables: int = 0
    rows: int = 0
    sealed: int = 0
    audit_checked: int = 0
    audit_problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pending_migrations: list[str] = field(default_factory=list)


def _refuse_if_in_use() -> None:
    conn = _db()
    used = tables_in_use()
    if not used:
        return
    where = (
        f"the SQLite file {conn.settings_dict['NAME']}"
        if conn.vendor == "sqlite"
        else f"the PostgreSQL database {conn.settings_dict['NAME']!r}"
    )
    sample = ", ".join(f"{t} ({n} rows)" for t, n in sorted(used.items())[:4])
    what = (
        "point TSUNAGARI_DATA_DIR (or DATABASE_URL=sqlite:///NEW/FILE) at a new, empty place"
        if conn.vendor == "sqlite"
        else "create an empty database (createdb NEWNAME) and point DATABASE_URL at it"
    )
    raise BackupError(
        f"{where} already holds data ({len(used)} tables with rows, e.g. {sample}). "
        f"A restore goes into an empty database only, so that nothing is mixed or overwritten: "
        f"{what}, then run the restore again. Nothing was changed."
    )


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def _staged_data_conflicts(staged: dict[str, Path]) -> tuple[list[str], int]:
    root = _data_dir()
    conflicts: list[str] = []
    same = 0
    for name, path in staged.items():
        if not name.startswith("data/"):
            continue
        target = root / name[len("data/") :]
        if target.exists():
            if target.is_file() and sha256_file(target) == sha256_file(path):
                same += 1
            else:
                conflicts.append(str(target))
    return conflicts, same


def _restore_sqlite(copy: Path) -> None:
    conn = _db()
    connections.close_all()
    name = Path(str(conn.settings_dict["NAME"]))
    name.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    dest = sqlite3.connect(name, timeout=30)
    try:
        # The backup API replaces the whole destination at once (and waits
        # for any reader): no one sees a half-restored database.
        source.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode=WAL")
    finally:
        dest.close()
        source.close()


def _restore_postgres(dump: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    connections.close_all()
    _run(
        [
            pg_restore,
            "--single-transaction",  # all or nothing
            "--exit-on-error",
            "--clean",  # drops the empty tables a migrate made, so the dump's replace them
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            _pg_env()["PGDATABASE"],
            str(dump),
        ],
        _pg_env(),
        "pg_restore",
    )


@contextmanager
def _staging_dir() -> Iterator[Path]:
    root = _data_dir()
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def restore_backup(archive: Path, *, progress: Progress = _quiet) -> RestoreResult:
    """Restore ``archive`` into the configured (empty) database and data folder.

    Refuses, changing nothing, when the database holds data, the archive
    fails its check, was made from the other kind of database or by a newer
    version, or a file it holds is already in the data folder with other
    content. Afterwards compares the rows with the manifest, seals any audit
    event the backup caught unsealed and verifies the audit chain (both in
    the result; the caller decides how to report them).
    """
    from tsunagari.audit.services import seal, verify

    archive = archive.expanduser().resolve()
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist")
    _refuse_if_in_use()
    vendor = _db().vendor
    with _staging_dir() as staging:
        progress("checking the archive (every part's SHA-256)")
        check, staged = _read_archive(archive, staging)
        if check.ok:
            _check_database_part(check, staged)
        if not check.ok:
            raise BackupError(
                "the archive was changed or damaged since it was made, so nothing was restored:\n  "
                + "\n  ".join(check.problems[:20])
                + "\nRestore from another backup (and keep the archives where they cannot be changed)."
            )
        manifest = check.manifest
        made_on = manifest["database"]["vendor"]
        if made_on != vendor:
            raise BackupError(
                f"the archive holds a {made_on} database but DATABASE_URL names a {vendor} one: "
                f"restore into a {made_on} database (a move between the two is not a restore). "
                "Nothing was changed."
            )
        archived = {(app, name) for app, name in manifest.get("migrations", [])}
        known = _known_migrations()
        newer = sorted(archived - known)
        if newer:
            raise BackupError(
                f"the backup was made by a newer Tsunagari ({manifest.get('tsunagari_version')}, "
                f"migrations this one does not know: "
                f"{', '.join(f'{a}.{n}' for a, n in newer[:5])}): install that version and restore "
                "again. Nothing was changed."
            )
        conflicts, same = _staged_data_conflicts(staged)
        if conflicts:
            raise BackupError(
                f"the data folder {_data_dir()} already holds {len(conflicts)} of the archive's files "
                f"with other content (e.g. {conflicts[0]}): restore into an empty data folder. "
                "Nothing was changed."
            )
        _refuse_if_in_use()  # again, right before writing: no one started meanwhile
        progress("restoring the database")
        if vendor == "sqlite":
            _restore_sqlite(staged[SQLITE_PART])
        else:
            _restore_postgres(staged[PG_PART])
        progress("restoring the data folder")
        result = RestoreResult(manifest=manifest, files_already_there=same)
        root = _data_dir()
        for name, path in staged.items():
            if not name.startswith("data/"):
                continue
            target = root / name[len("data/") :]
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            result.files += 1
    progress("comparing the rows with the manifest")
    connections.close_all()
    counts = database_rows()
    problems: list[str] = []
    _compare_counts(manifest.get("row_counts") or {}, counts, problems, "the restored database")
    if problems:
        raise BackupError(
            "the restored database does not hold what the backup counted:\n  "
            + "\n  ".join(problems[:20])
        )
    result.tables = len(manifest.get("row_counts") or {})
    result.rows = sum((manifest.get("row_counts") or {}).values())
    result.pending_migrations = [f"{a}.{n}" for a, n in sorted(known - archived)]
    if manifest.get("secret_key_fingerprint") != secret_key_fingerprint():
        result.warnings.append(
            "this server's SECRET_KEY is not the one the backup was made with: everything works, "
            "but the audit log's digests of searched values made before cannot be matched. "
            "Use the old SECRET_KEY (or the old data folder's secret_key file) to keep them."
        )
    progress("verifying the audit chain")
    result.sealed = seal(wait=True).sealed
    report = verify()
    result.audit_checked = report.checked
    result.audit_problems = list(report.problems)
    return result
