"""Import and export of HSDS files: the official examples, round trips,
idempotence and schema-valid exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tsunagari.resources.hsds import read_file
from tsunagari.resources.models import MODELS, HsdsRecord, Service
from tsunagari.resources.services import export_directory, import_file
from tsunagari.resources.store import export_tables, validate_tables

from .conftest import FIXTURES

EXAMPLES = sorted(p.name for p in FIXTURES.glob("*.json"))


def _snapshot() -> dict[str, list[dict[str, object]]]:
    return export_tables(public=False)


def _wipe() -> None:
    for model in MODELS.values():
        model._default_manager.all().delete()
    HsdsRecord.objects.all().delete()


@pytest.mark.parametrize("name", EXAMPLES)
def test_it_imports_every_official_example(db: None, name: str) -> None:
    # given an official HSDS 3.0 example
    path = FIXTURES / name
    # when it is imported
    report = import_file(path, actor=None)
    # then nothing is rejected
    assert not report.refused, report.lines()


def test_it_imports_the_official_csv_package(db: None) -> None:
    # given the tabular example as a directory of CSV files
    # when it is imported
    report = import_file(FIXTURES / "csv", actor=None)
    # then every table is stored
    assert not report.refused, report.lines()
    assert Service.objects.count() == 1
    assert HsdsRecord.objects.filter(table="funding").count() == 1


def test_it_changes_nothing_when_the_same_file_is_imported_again(db: None) -> None:
    # given an imported example
    import_file(FIXTURES / "organization_full.json", actor=None)
    before = _snapshot()
    # when it is imported again
    report = import_file(FIXTURES / "organization_full.json", actor=None)
    # then nothing is created or updated
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert _snapshot() == before


@pytest.mark.parametrize("fmt,out", [("json", "out.json"), ("csv", "out"), ("csv", "out.zip")])
def test_it_round_trips_the_directory_through_an_export(
    demo_directory: int, tmp_path: Path, fmt: str, out: str
) -> None:
    # given the demo directory and the official examples
    import_file(FIXTURES / "organization_full.json", actor=None)
    before = _snapshot()
    # when it is exported, the database emptied and the export imported
    result = export_directory(tmp_path / out, fmt=fmt, public=False, actor=None)
    _wipe()
    report = import_file(tmp_path / out, actor=None)
    # then the directory is the same
    assert not report.refused, report.lines()[:5]
    assert result.problems == []
    assert _snapshot() == before


def test_it_exports_records_that_validate_against_the_schemas(
    demo_directory: int, tmp_path: Path
) -> None:
    # given the demo directory plus every official example
    for name in EXAMPLES:
        import_file(FIXTURES / name, actor=None)
    # when the directory is exported
    tables = export_tables(public=False)
    # then every record is valid HSDS 3.0
    assert validate_tables(tables) == []


def test_it_writes_a_datapackage_beside_the_csv_tables(demo_directory: int, tmp_path: Path) -> None:
    # given the demo directory
    # when it is exported as CSV
    export_directory(tmp_path / "pkg", fmt="csv", public=True, actor=None)
    # then a datapackage lists every table with its extension columns
    package = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    services = next(r for r in package["resources"] if r["path"] == "services.csv")
    assert "x_kind" in {f["name"] for f in services["schema"]["fields"]}
    assert read_file(tmp_path / "pkg").ok


def test_it_loads_the_full_demo_directory_with_hundreds_of_entries(
    full_demo_directory: int,
) -> None:
    # given the demo loader; when it runs; then the ward has hundreds of entries
    assert full_demo_directory > 300
    assert Service.objects.filter(x_kind="longevity_centre").count() == 21
    assert Service.objects.filter(x_confidential=True).count() == 2


ORGANIZATIONS = (
    "id,name,description\n0b4c5a3e-1111-4c1b-9a51-000000000000,砂町ふれあいの会,高齢者の集いの場\n"
)


def test_it_imports_a_csv_table_saved_in_shift_jis(db: None, tmp_path: Path) -> None:
    # given an organizations table saved as CSV from Japanese Excel (CP932)
    path = tmp_path / "organizations.csv"
    path.write_bytes(ORGANIZATIONS.encode("cp932"))
    # when it is imported
    report = import_file(path, actor=None)
    # then the Japanese name is stored as written
    assert not report.refused, report.lines()
    assert _snapshot()["organizations"][0]["name"] == "砂町ふれあいの会"


def test_it_imports_an_excel_workbook_with_one_sheet_per_table(db: None, tmp_path: Path) -> None:
    # given a workbook whose sheet "organizations" holds the table, beside a notes sheet
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "メモ"
    notes.append(["この表は区の担当者が更新します"])
    sheet = book.create_sheet("organizations")
    for line in ORGANIZATIONS.splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "directory.xlsx"
    book.save(path)
    # when it is imported
    report = import_file(path, actor=None)
    # then the organisation is stored and the notes sheet ignored
    assert not report.refused, report.lines()
    assert _snapshot()["organizations"][0]["name"] == "砂町ふれあいの会"


def test_it_names_the_row_and_column_of_unreadable_bytes_in_a_table(
    db: None, tmp_path: Path
) -> None:
    # given a Shift_JIS table with a byte that is no character on row 3
    path = tmp_path / "organizations.csv"
    path.write_bytes(ORGANIZATIONS.encode("cp932") + b"x2,\xff,y\n")
    # when it is imported
    report = import_file(path, actor=None)
    # then it is refused, naming row 3 and the name column
    assert report.refused
    assert "row 3, column name" in report.rejections[0].reason
    assert not _snapshot().get("organizations")


# --- crashes found by fuzzing (tests/fuzz/test_readers.py), each with its minimal input ---


def test_it_refuses_a_package_of_an_unknown_zip_version(tmp_path: Path) -> None:
    import io
    import zipfile

    from tsunagari.resources.hsds.files import ImportFileError

    # given a package whose zip directory names version 6.4 (once a NotImplementedError)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("organizations.csv", "id,name\no1,NPO\n")
    damaged = bytearray(out.getvalue())
    entry = damaged.index(b"PK\x01\x02")
    damaged[entry + 6] = 64
    path = tmp_path / "hsds.zip"
    path.write_bytes(bytes(damaged))
    # when it is read, then it is refused as a damaged package
    with pytest.raises(ImportFileError, match="not a valid zip file"):
        read_file(path)


def test_it_refuses_a_package_whose_table_cannot_be_unpacked(tmp_path: Path) -> None:
    import io
    import zipfile

    from tsunagari.resources.hsds.files import ImportFileError

    # given a deflated package whose compressed table is overwritten (CRC and size intact)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("organizations.csv", "id,name\n" + "o1,NPO\n" * 200)
    damaged = bytearray(out.getvalue())
    start = damaged.index(b"organizations.csv") + len("organizations.csv")
    damaged[start : start + 8] = b"\xff" * 8
    path = tmp_path / "hsds.zip"
    path.write_bytes(bytes(damaged))
    # when it is read, then it is refused naming the file, not crashed on
    with pytest.raises(ImportFileError, match=r"hsds\.zip"):
        read_file(path)
