"""Imports that must be refused whole, with a reason, changing nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tsunagari.resources.hsds.files import escape_cell, unescape_cell
from tsunagari.resources.models import Organization, Service
from tsunagari.resources.services import export_directory, import_file
from tsunagari.resources.store import export_tables

from .conftest import org_document


def _state() -> dict[str, list[dict[str, Any]]]:
    return export_tables(public=False)


@pytest.mark.parametrize(
    "override,reason",
    [
        ({"minimum_age": "twelve"}, "is not of type 'number'"),
        ({"status": "maybe"}, "is not one of"),
        ({"x_capacity": -3}, "less than the minimum"),
        ({"id": None}, "is not of type 'string'"),
        ({"email": "not-an-email"}, "is not a 'email'"),
    ],
)
def test_it_refuses_a_file_with_a_wrongly_typed_record(
    demo_directory: int, write_json: Any, override: dict[str, Any], reason: str
) -> None:
    # given the demo directory and a file with one bad service among good records
    before = _state()
    path = write_json(org_document(**override))
    # when it is imported
    report = import_file(path, actor=None)
    # then it is refused with the reason and nothing changed
    assert report.refused
    assert any(reason in r.reason for r in report.rejections), report.lines()
    assert _state() == before


def test_it_refuses_records_without_an_id(db: None, write_json: Any) -> None:
    # given a service without an id
    document = org_document()
    del document["services"][0]["id"]
    # when it is imported
    report = import_file(write_json(document), actor=None)
    # then the missing id is the reason and no organisation was stored
    assert any("'id' is a required property" in r.reason for r in report.rejections)
    assert not Organization.objects.exists()


def test_it_refuses_duplicate_ids_in_a_table(db: None, write_json: Any) -> None:
    # given the tabular form with the same service id twice
    row = {"id": "0b4c5a3e-1111-4c1b-9a51-0000000000aa", "name": "A", "status": "active"}
    document = {"services.csv": [row, {**row, "name": "B"}]}
    # when it is imported
    report = import_file(write_json(document), actor=None)
    # then the duplicate is named and nothing is stored
    assert any("duplicate id" in r.reason for r in report.rejections)
    assert not Service.objects.exists()


def test_it_refuses_a_nested_duplicate_id_with_different_content(db: None, write_json: Any) -> None:
    # given two different phones sharing one id
    document = org_document()
    phone = document["services"][0]["phones"][0]
    document["phones"] = [{**phone, "number": "03-9999-9999"}]
    # when it is imported
    report = import_file(write_json(document), actor=None)
    # then it is refused
    assert any("duplicate id with a different 'number'" in r.reason for r in report.rejections)
    assert not Service.objects.exists()


def test_it_refuses_a_file_over_the_size_limit_with_a_clear_message(
    db: None, tmp_path: Path
) -> None:
    # given a file larger than the limit
    path = tmp_path / "huge.json"
    path.write_text(json.dumps([org_document()] * 50), encoding="utf-8")
    # when it is imported with a 1 kB limit
    report = import_file(path, actor=None, max_bytes=1024)
    # then the message names the size and the limit, and what to do
    message = report.rejections[0].reason
    assert "limit" in message and "Split it" in message
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    "content", [b"not json at all", b"\xff\xfe\x00garbage", b"<html><script>x</script>", b"[1, 2"]
)
def test_it_refuses_a_file_that_is_not_json(db: None, tmp_path: Path, content: bytes) -> None:
    # given a file that is not JSON
    path = tmp_path / "upload.json"
    path.write_bytes(content)
    # when it is imported
    report = import_file(path, actor=None)
    # then it is refused with a reason
    assert report.refused
    assert "JSON" in report.rejections[0].reason or "UTF-8" in report.rejections[0].reason


def test_it_refuses_json_that_is_not_hsds(db: None, write_json: Any) -> None:
    # given JSON of the wrong shape
    report = import_file(write_json([1, "two", None]), actor=None)
    # then every item is reported
    assert len(report.rejections) == 3


def test_it_stores_html_in_names_as_text_and_escapes_it_on_pages(
    db: None, write_json: Any, client: Client
) -> None:
    # given a service whose name holds a script
    name = '<script>alert("x")</script>サロン'
    report = import_file(write_json(org_document(name=name)), actor=None)
    assert not report.refused
    service = Service.objects.get()
    # when its public page is shown
    response = client.get(f"/public/basho/{service.id}/")
    # then the name is stored as typed and shown escaped
    assert service.name == name
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_it_neutralises_formulas_in_csv_exports(db: None, write_json: Any, tmp_path: Path) -> None:
    # given a service whose text would run as a spreadsheet formula
    formula = '=HYPERLINK("http://evil.example","click")'
    import_file(
        write_json(org_document(name=formula, description="+cmd|' /C calc'!A0")), actor=None
    )
    # when the directory is exported as CSV
    export_directory(tmp_path / "out", fmt="csv", public=True, actor=None)
    # then the cells start with a quote, and import reads the text back unchanged
    rows = list(
        csv.DictReader(io.StringIO((tmp_path / "out" / "services.csv").read_text(encoding="utf-8")))
    )
    assert rows[0]["name"].startswith("'=")
    assert rows[0]["description"].startswith("'+")
    Service.objects.all().delete()
    assert not import_file(tmp_path / "out", actor=None).refused
    assert Service.objects.get().name == formula


@pytest.mark.parametrize(
    "value", ["=1+1", "+81 3", "-x", "@SUM(A1)", "'=already", "plain", "-12.5", "\tx"]
)
def test_it_escapes_and_unescapes_csv_cells_losslessly(value: str) -> None:
    # given a cell value; when escaped and read back; then it is unchanged
    escaped = escape_cell(value)
    assert not escaped.startswith(("=", "+", "@", "\t")) or escaped == value
    assert unescape_cell(escaped) == value
