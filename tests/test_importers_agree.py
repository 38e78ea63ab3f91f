"""Every importer reads files through the one intake: the same Shift_JIS CSV is
accepted by each, and the same broken file gets the same reject report (row,
column and message) from each.

Importers: survey upload (page service), survey command, registry import,
HSDS import, linkage upload check and linkage engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.linkage.test_app_runs import record_all_bases
from tests.surveys.test_web_fixtures import media, planner, ward_survey  # noqa: F401  (fixtures)
from tsunagari.accounts.models import Staff
from tsunagari.lib.intake import Problem
from tsunagari.linkage.engine.errors import InputError
from tsunagari.linkage.engine.reader import read_extract
from tsunagari.linkage.runs import check_uploads
from tsunagari.linkage.sources import LinkageError
from tsunagari.people.importer import ImportFileError, import_registry
from tsunagari.people.models import Person
from tsunagari.resources.services import import_file
from tsunagari.resources.store import export_tables
from tsunagari.surveys import services as surveys
from tsunagari.surveys.models import Survey

# One tiny file per importer's format, each with a free-text "memo" column last.
SURVEY = (
    "respondent_id,age,sex,town,direct,ucla1,ucla2,ucla3,memo\nA1,34,女,豊洲,5,4,4,3,電話で回答\n"
)
REGISTRY = (
    "record_id,resident_id,name_kanji,name_kana,birth_date,sex,address,memo\n"
    "R1,1000000011,髙橋　一郎,タカハシ　イチロウ,1948-03-05,1,江東区北砂3-12-5,転入\n"
)
HSDS = "id,name,description,memo\n0b4c5a3e-1111-4c1b-9a51-000000000000,砂町ふれあいの会,集いの場,メモ\n"
LINKAGE = (
    "record_id,name_kanji,birth_date,address,memo\nC1,髙橋　一郎,1948-03-05,江東区北砂3-12-5,転入\n"
)
# Row 3: a byte that is a character in neither UTF-8 nor Shift_JIS, in the memo.
BROKEN_ROW = {
    "survey": b"A2,71,1,\x8b\x54\x8c\xcb,2,1,1,1,\xff\n",
    "registry": b"R2,1000000029,x,x,1950-06-01,2,x,\xff\n",
    "hsds": b"x2,y,z,\xff\n",
    "linkage": b"C2,x,1950-06-01,x,\xff\n",
}


def cp932(text: str) -> bytes:
    return text.encode("cp932")


def broken(kind: str, text: str) -> bytes:
    return cp932(text) + BROKEN_ROW[kind]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ── the same Shift_JIS file is accepted ─────────────────────────────────────


def test_it_accepts_a_shift_jis_survey_file_in_the_upload_and_the_command(
    ward_survey: Survey,  # noqa: F811
    planner: Staff,  # noqa: F811
    tmp_path: Path,
) -> None:
    # given a responses file saved as CSV from Japanese Excel
    data = cp932(SURVEY + "A2,71,男,亀戸,2,1,1,1,\n")
    # when it is uploaded and when the command analyses it
    job = surveys.upload_responses(planner, ward_survey, SimpleUploadedFile("r.csv", data))
    call_command("survey", "analyse", str(write(tmp_path, "r.csv", data)), "--out", str(tmp_path / "out"), "--min-cell", "1")  # fmt: skip
    # then both read the Japanese as written
    assert job.samples["town"] == ["豊洲", "亀戸"]
    estimates = (tmp_path / "out" / "estimates.csv").read_text(encoding="utf-8")
    assert "豊洲" in estimates and "亀戸" in estimates


def test_it_accepts_a_shift_jis_registry_extract(db: None, tmp_path: Path) -> None:
    # given a registry extract in Shift_JIS, with 髙 (an IBM extension character)
    path = write(tmp_path, "registry.csv", cp932(REGISTRY))
    # when imported / then the name is stored as written
    assert import_registry(path).written
    assert Person.objects.get(resident_id="1000000011").surname == "髙橋"


def test_it_accepts_a_shift_jis_hsds_table(db: None, tmp_path: Path) -> None:
    # given an organizations table in Shift_JIS
    path = write(
        tmp_path, "organizations.csv", cp932(HSDS.replace(",memo", "").replace(",メモ", ""))
    )
    # when imported / then the organisation is stored with its Japanese name
    report = import_file(path, actor=None)
    assert not report.refused, report.lines()
    assert export_tables(public=False)["organizations"][0]["name"] == "砂町ふれあいの会"


def test_it_accepts_a_shift_jis_linkage_extract_in_the_upload_and_the_engine(
    db: None, tmp_path: Path
) -> None:
    # given a care extract in Shift_JIS, and a recorded legal basis
    record_all_bases()
    data = cp932(LINKAGE)
    # when the upload is checked and the engine reads it
    names = check_uploads([SimpleUploadedFile("care.csv", data)])
    extract = read_extract(write(tmp_path, "care.csv", data))
    # then both accept it, and the engine reads the kanji
    assert names == ["care"]
    assert extract.frame["name_kanji"].tolist() == ["髙橋　一郎"]


# ── the same broken file gets the same report ───────────────────────────────


def _same(problem: Problem) -> tuple[int | None, str, str, str]:
    return (problem.row, problem.column, problem.reason, problem.reason_ja)


def test_every_importer_names_the_same_row_column_and_fix_for_the_same_broken_file(
    ward_survey: Survey,  # noqa: F811
    planner: Staff,  # noqa: F811
    tmp_path: Path,
) -> None:
    # given each importer's file in Shift_JIS, with a byte on row 3 that is no character
    record_all_bases()
    reports: dict[str, tuple[int | None, str, str, str]] = {}
    texts: dict[str, tuple[str, str]] = {}
    # when each importer reads its file
    with translation.override("ja"):
        with pytest.raises(CommandError) as command:
            call_command("survey", "analyse", str(write(tmp_path, "r.csv", broken("survey", SURVEY))), "--out", str(tmp_path / "out"))  # fmt: skip
        cause = command.value.__cause__
        assert cause is not None
        reports["survey command"] = _same(cause.problems[0])  # type: ignore[attr-defined]

        with pytest.raises(ImportFileError) as registry:
            import_registry(write(tmp_path, "registry.csv", broken("registry", REGISTRY)))
        reports["registry"] = _same(registry.value.problems[0])

        with pytest.raises(InputError) as engine:
            read_extract(write(tmp_path, "care.csv", broken("linkage", LINKAGE)))
        reports["linkage engine"] = _same(engine.value.problems[0])

        with pytest.raises(surveys.SurveyError) as upload:
            surveys.upload_responses(planner, ward_survey, SimpleUploadedFile("r.csv", broken("survey", SURVEY)))  # fmt: skip
        texts["survey upload"] = ("r.csv", str(upload.value))

        with pytest.raises(LinkageError) as linkage_upload:
            check_uploads([SimpleUploadedFile("care.csv", broken("linkage", LINKAGE))])
        texts["linkage upload"] = ("care.csv", str(linkage_upload.value))

        hsds = import_file(write(tmp_path, "organizations.csv", broken("hsds", HSDS)), actor=None)
        texts["hsds"] = ("organizations.csv", hsds.rejections[0].reason)

    # then the structured reports are identical: row 3, column memo, one reason
    assert len(set(reports.values())) == 1, reports
    row, column, reason, reason_ja = next(iter(reports.values()))
    assert (row, column) == (3, "memo")
    assert "neither UTF-8 nor Shift_JIS" in reason
    # and the importers that show a message show exactly that report's line
    for importer, (file, shown) in texts.items():
        expected = Problem(file, row, column, "", reason, reason_ja)
        assert shown in (expected.text("ja"), expected.text("en")), importer
    assert Person.objects.count() == 0
    assert not export_tables(public=False).get("organizations")
    assert not (tmp_path / "out").exists()
