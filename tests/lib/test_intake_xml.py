"""Workbook XML is parsed with defusedxml (ASVS 5.5.2): a "billion laughs" or
an external entity inside an .xlsx is refused with its own message, never
expanded, and the intake does not read workbooks without it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tsunagari.lib import intake

LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    "<!DOCTYPE lolz [\n"
    ' <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)
EXTERNAL = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE x [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n'
)


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "町名"])
    sheet.append(["A1", "豊洲"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_dtd(data: bytes, member: str, prologue: str, entity: str) -> bytes:
    """The workbook with ``member`` given a DTD and one cell or name using its entity."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == member:
                text = body.decode("utf-8")
                if text.startswith("<?xml"):
                    text = text[text.index("?>") + 2 :].lstrip()  # the prologue brings its own
                text = text.replace("豊洲", f"&{entity};").replace(
                    'name="Sheet"', f'name="&{entity};"'
                )
                body = (prologue + text).encode("utf-8")
            target.writestr(info, body)
    return out.getvalue()


def _refusal(data: bytes) -> intake.Problem:
    with pytest.raises(intake.Rejected) as refused:
        intake.read_table(data, name="名簿.xlsx")
    return refused.value.problem


def test_an_ordinary_workbook_is_still_read() -> None:
    assert intake.read_table(_workbook(), name="名簿.xlsx").rows == [["A1", "豊洲"]]


@pytest.mark.parametrize(
    "member",
    ["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml", "xl/worksheets/sheet1.xml"],
)
def test_a_billion_laughs_workbook_is_refused_with_a_clear_message(member: str) -> None:
    data = _with_dtd(_workbook(), member, LAUGHS, "lol9")
    assert len(data) < 10_000  # a few kilobytes that would expand to a billion "lol"s
    started = time.monotonic()
    problem = _refusal(data)
    assert time.monotonic() - started < 5
    assert problem.file == "名簿.xlsx" and problem.row is None
    assert "エンティティ" in problem.reason_ja and "保存し直して" in problem.reason_ja
    assert "entity" in problem.reason and "possibly hostile" in problem.reason


def test_an_external_entity_is_refused_and_never_read() -> None:
    data = _with_dtd(_workbook(), "xl/worksheets/sheet1.xml", EXTERNAL, "secret")
    problem = _refusal(data)
    assert "エンティティ" in problem.reason_ja
    assert "root:" not in problem.reason + problem.reason_ja + problem.value


def test_workbooks_are_not_read_when_openpyxl_is_told_not_to_defuse(tmp_path: Path) -> None:
    # OPENPYXL_DEFUSEDXML=False makes openpyxl fall back to the standard parser
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    path = tmp_path / "a.xlsx"
    path.write_bytes(_workbook())
    code = (
        "import sys; from tsunagari.lib import intake\n"
        "try:\n"
        f"    intake.read_table(open({str(path)!r}, 'rb').read(), name='a.xlsx')\n"
        "except RuntimeError as e:\n"
        "    print(e); sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "defusedxml" in result.stdout


def test_workbooks_are_not_read_when_any_part_would_be_parsed_without_defusedxml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # lxml installed and OPENPYXL_LXML=True: openpyxl's fromstring is lxml's
    import xml.etree.ElementTree as ElementTree

    from openpyxl.xml import functions

    monkeypatch.setattr(functions, "fromstring", ElementTree.fromstring)
    with pytest.raises(RuntimeError, match="OPENPYXL_LXML"):
        intake.read_table(_workbook(), name="名簿.xlsx")


def test_openpyxl_is_kept_off_lxml_unless_told_otherwise() -> None:
    code = "import tsunagari, os; print(os.environ['OPENPYXL_LXML'])"
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.stdout.strip() == "False", done.stderr
    told = subprocess.run([sys.executable, "-c", code], env={**env, "OPENPYXL_LXML": "True"},
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert told.stdout.strip() == "True", told.stderr
