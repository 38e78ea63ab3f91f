"""Reading and writing HSDS files: JSON, CSV tables, Excel workbooks, datapackage
(directory or zip). Tables are read through the one file intake
(``tsunagari.lib.intake``)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tsunagari.lib import intake
from tsunagari.lib.intake.excel import DAMAGED_ZIP
from tsunagari.resources.hsds.convert import Bundle, bundle_from_json, bundle_from_tables
from tsunagari.resources.hsds.schemas import ENTITY_OF_TABLE, SCHEMA_DIR, fields_of

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Cells a spreadsheet would run as a formula. Plain numbers are left alone.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


class ImportFileError(ValueError):
    """The file cannot be read at all (too big, not JSON, not a package).

    ``problems`` is the file intake's reject report when a table could not be read.
    """

    def __init__(self, message: str, problems: list[intake.Problem] | None = None) -> None:
        self.problems = problems or []
        super().__init__(message)


def _refused(refused: intake.Rejected) -> ImportFileError:
    return ImportFileError(str(refused.problem), refused.problems)


def _too_big(size: int, limit: int) -> ImportFileError:
    return ImportFileError(
        f"The file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB. "
        "Split it into smaller files (one organisation or one table group each) and import them one by one."
    )


def _decode(data: bytes, name: str) -> str:
    """JSON is UTF-8 by definition (RFC 8259); tables go through the intake instead."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is not UTF-8 text (byte {exc.start}): save it as UTF-8 and try again."
        ) from None


def _rows(table: intake.Table) -> list[dict[str, str]]:
    return [{k: unescape_cell(v) for k, v in row.items()} for row in table.dicts()]


def _tables_from_csv_files(files: Mapping[str, bytes], max_bytes: int) -> Bundle:
    tables: dict[str, Any] = {}
    for name, data in sorted(files.items()):
        stem = Path(name).stem
        try:
            table = intake.read_table(
                data, name=Path(name).name, max_bytes=max_bytes, allow_excel=False, empty_ok=True
            )
        except intake.Rejected as refused:
            raise _refused(refused) from None
        tables[stem] = _rows(table)
    return bundle_from_tables(tables, from_csv=True)


def _tables_from_workbook(data: bytes, name: str, max_bytes: int) -> Bundle:
    """One sheet per HSDS table, named like the CSV files (``organizations``, ``services`` …)."""
    try:
        sheets = intake.sheet_names(data, name)
        tables: dict[str, Any] = {}
        for sheet in sheets:
            if sheet.strip() in ENTITY_OF_TABLE:
                table = intake.read_table(
                    data, name=name, sheet=sheet, max_bytes=max_bytes, empty_ok=True
                )
                tables[sheet.strip()] = _rows(table)
    except intake.Rejected as refused:
        raise _refused(refused) from None
    if not tables:
        raise ImportFileError(
            f"{name} has no sheet named after an HSDS table (organizations, services, locations …); "
            f"its sheets are {', '.join(sheets)}."
        )
    return bundle_from_tables(tables, from_csv=True)


def read_file(path: Path, *, max_bytes: int = MAX_IMPORT_BYTES) -> Bundle:
    """Read an HSDS file: ``.json``, a ``.csv`` table, an ``.xlsx`` workbook
    (one sheet per table), a ``.zip`` package, a datapackage directory or its
    ``datapackage.json``. Tables may be UTF-8 or Shift_JIS (as Excel saves CSV).

    Raises:
        ImportFileError: the file is too big, unreadable or not HSDS at all.
    """
    if path.is_dir() or path.name == "datapackage.json":
        folder = path if path.is_dir() else path.parent
        csvs = sorted(folder.glob("*.csv"))
        total = sum(p.stat().st_size for p in csvs)
        if total > max_bytes:
            raise _too_big(total, max_bytes)
        if not csvs:
            raise ImportFileError(f"{folder} holds no .csv tables.")
        return _tables_from_csv_files({p.name: p.read_bytes() for p in csvs}, max_bytes)
    if not path.exists():
        raise ImportFileError(f"{path} does not exist.")
    size = path.stat().st_size
    if size > max_bytes:
        raise _too_big(size, max_bytes)
    data = path.read_bytes()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _tables_from_workbook(data, path.name, max_bytes)
    if path.suffix.lower() == ".zip" or data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = [i for i in archive.infolist() if i.filename.endswith(".csv")]
                unpacked = sum(i.file_size for i in infos)
                if unpacked > max_bytes:
                    raise _too_big(unpacked, max_bytes)
                files = {i.filename: archive.read(i) for i in infos}
        except ImportFileError:
            raise  # too big unpacked (an ImportFileError is a ValueError too)
        except DAMAGED_ZIP:
            raise ImportFileError(
                f"{path.name} is not a valid zip file (it is damaged or encrypted); "
                "make the package again."
            ) from None
        except zlib.error:
            raise ImportFileError(
                f"{path.name} is damaged (a table in it cannot be unpacked); make the package again."
            ) from None
        if not files:
            raise ImportFileError(f"{path.name} holds no .csv tables.")
        return _tables_from_csv_files(files, max_bytes)
    if path.suffix.lower() in (".csv", ".tsv"):
        return _tables_from_csv_files({path.name: data}, max_bytes)
    return read_json_bytes(data, path.name)


def read_json_bytes(
    data: bytes, name: str = "upload", *, max_bytes: int = MAX_IMPORT_BYTES
) -> Bundle:
    if len(data) > max_bytes:
        raise _too_big(len(data), max_bytes)
    text = _decode(data, name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{name} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "Export it again as HSDS JSON, or give a .csv/.zip datapackage."
        ) from None
    except RecursionError:
        raise ImportFileError(f"{name} is nested too deeply to be an HSDS document.") from None
    return bundle_from_json(document)


def escape_cell(value: Any) -> str:
    """A CSV cell that spreadsheets show as text, never run as a formula
    (OWASP CSV injection): risky leading characters get a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text


def _columns(table: str, rows: list[dict[str, Any]]) -> list[str]:
    entity = ENTITY_OF_TABLE[table]
    columns = list(fields_of(entity))
    seen = set(columns)
    for row in rows:
        for key in row:
            if key not in seen and not isinstance(row[key], (list, dict)):
                seen.add(key)
                columns.append(key)
    return columns


def write_json(tables: Mapping[str, list[dict[str, Any]]], out: Path) -> None:
    """Write the HSDS tabular JSON form (``{"services.csv": [...], ...}``)."""
    document = {f"{table}.csv": rows for table, rows in tables.items()}
    out.write_text(
        json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8"
    )


def write_csv_package(tables: Mapping[str, list[dict[str, Any]]], out: Path) -> list[Path]:
    """Write one CSV per table and a datapackage.json into ``out`` (a
    directory), or a zip of them when ``out`` ends in .zip."""
    files: dict[str, bytes] = {}
    official = json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resources = []
    for table, rows in tables.items():
        columns = _columns(table, rows)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([escape_cell(row.get(c)) for c in columns])
        files[f"{table}.csv"] = buffer.getvalue().encode("utf-8")
        for resource in official["resources"]:
            if resource.get("path") == f"{table}.csv":
                resource = json.loads(json.dumps(resource))
                known = {f["name"] for f in resource["schema"]["fields"]}
                for column in columns:
                    if column not in known:
                        resource["schema"]["fields"].append(
                            {"name": column, "type": "string", "title": column}
                        )
                resources.append(resource)
    package = {k: v for k, v in official.items() if k != "resources"}
    package["resources"] = resources
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode(
        "utf-8"
    )
    if out.suffix.lower() == ".zip":
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written
