"""Importing responses through the pages: upload, mapping, checking, all-or-nothing import."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.surveys import test_web_fixtures as fixtures
from tests.surveys.test_web_fixtures import HEADER, csv_upload, synthetic_frame, xlsx_bytes
from tsunagari.accounts.models import Staff
from tsunagari.surveys import services
from tsunagari.surveys.models import ImportStatus, Response, ResponseImport, Survey

GOOD = (
    "回答者番号,年齢,性別,町名,問1,ucla1,ucla2,ucla3,世帯構成,自由記述\n"
    "A1,34,女,亀戸,5,4,4,3,1,\n"
    "A2,71,1,大島,2,1,1,1,2,\n"
    "A3,45,2,北砂,3,2,3,2,3,\n"
    "A4,19,男,亀戸,1,1,1,1,4,\n"
)

# The shared fixtures, made visible to pytest in this module.
analysed = fixtures.analysed
media = fixtures.media
planner = fixtures.planner
ward_survey = fixtures.ward_survey


def _upload(client: Client, survey: Survey, name: str, data: bytes) -> object:
    return client.post(f"/surveys/{survey.pk}/import/", {"file": SimpleUploadedFile(name, data)})


def _job() -> ResponseImport:
    job = ResponseImport.objects.order_by("-pk").first()
    assert job is not None
    return job


def _mapping_post(job: ResponseImport, **overrides: str) -> dict[str, str]:
    data = {f"map_{k}": v for k, v in job.mapping.items()}
    data.update({f"map_{k}": v for k, v in overrides.items()})
    return data


def test_it_proposes_a_mapping_from_the_files_column_names(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given a CSV whose headers are in Japanese
    client = client_for("planner")
    # when the planner uploads it
    response = _upload(client, ward_survey, "回答.csv", GOOD.encode("utf-8"))
    # then the mapping page proposes the columns it recognised and leaves the rest
    job = _job()
    assert response.status_code == 302
    assert job.mapping["respondent_id"] == "回答者番号"
    assert job.mapping["age"] == "年齢"
    assert job.mapping["household"] == "世帯構成"
    assert "direct" not in job.mapping
    page = client.get(f"/surveys/imports/{job.pk}/")
    assert "問1" in page.content.decode()
    assert job.samples["問1"] == ["5", "2", "3"]


def test_it_imports_a_csv_once_staff_confirm_the_mapping(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given an uploaded file whose direct question is in the column 問1
    client = client_for("planner")
    _upload(client, ward_survey, "回答.csv", GOOD.encode("utf-8"))
    job = _job()
    # when the planner maps 問1 to the direct question, checks, and imports
    checked = client.post(f"/surveys/imports/{job.pk}/", _mapping_post(job, direct="問1"))
    assert checked.status_code == 200
    assert "4 行を取り込めます" in checked.content.decode()
    ran = client.post(f"/surveys/imports/{job.pk}/run/")
    # then the four responses are stored with their codes and the survey is analysed
    assert ran.status_code == 302
    assert Response.objects.filter(survey=ward_survey).count() == 4
    a1 = Response.objects.get(survey=ward_survey, respondent_id="A1")
    assert (a1.age_band, a1.sex, a1.town, a1.direct, a1.ucla1, a1.household) == (
        "30-39", "2", "亀戸", 5, 4, 1,
    )  # fmt: skip
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    assert not job.file  # the raw file is not kept
    assert ward_survey.analysis.respondents == 4


def test_it_imports_an_excel_workbook(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given the same answers in an .xlsx, with numbers stored as numbers
    rows: list[list[object]] = [["ID", "age", "sex", "town", "direct", "ucla1", "ucla2", "ucla3"]]
    rows += [[f"X{i}", 30 + i, 1 + i % 2, "豊洲", 1 + i % 5, 1, 2, 3] for i in range(12)]
    client = client_for("planner")
    # when it is uploaded, checked with the proposed mapping and imported
    response = _upload(client, ward_survey, "回答.xlsx", xlsx_bytes(rows))
    assert response.status_code == 302
    job = _job()
    assert job.file_kind == "xlsx"
    client.post(f"/surveys/imports/{job.pk}/", _mapping_post(job))
    client.post(f"/surveys/imports/{job.pk}/run/")
    # then every row is stored with integer codes
    assert Response.objects.filter(survey=ward_survey).count() == 12
    assert Response.objects.get(survey=ward_survey, respondent_id="X3").direct == 4


def test_it_reports_out_of_range_answers_and_stores_nothing(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given a file with an answer 9 to the direct question and a text age
    bad = HEADER + "\nB1,34,2,亀戸,9,1,1,1,1\nB2,abc,1,大島,2,1,1,1,2\nB3,50,1,大島,2,1,5,1,2\n"
    client = client_for("planner")
    _upload(client, ward_survey, "bad.csv", bad.encode())
    job = _job()
    # when it is checked without accepting such values as no answer
    checked = client.post(f"/surveys/imports/{job.pk}/", _mapping_post(job))
    # then the report names each row, column and value, and nothing can be imported
    page = checked.content.decode()
    assert checked.status_code == 400
    assert "取り込めません" in page
    rows = {
        (p["row"], p["field"], p["value"])
        for p in job.__class__.objects.get(pk=job.pk).report["problems"]
    }
    assert rows == {(2, "direct", "9"), (3, "age", "abc"), (4, "ucla2", "5")}
    assert client.post(f"/surveys/imports/{job.pk}/run/").status_code == 302
    assert not Response.objects.filter(survey=ward_survey).exists()


def test_it_imports_out_of_range_answers_as_no_answer_when_staff_accept(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given the same file with an out-of-range answer
    bad = HEADER + "\nB1,34,2,亀戸,9,1,1,1,1\nB2,40,1,大島,2,1,1,1,2\n"
    client = client_for("planner")
    _upload(client, ward_survey, "bad.csv", bad.encode())
    job = _job()
    # when staff accept such values as no answer (the engine's rule)
    client.post(f"/surveys/imports/{job.pk}/", {**_mapping_post(job), "accept": "on"})
    client.post(f"/surveys/imports/{job.pk}/run/")
    # then the row is imported with no answer to that item
    assert Response.objects.get(survey=ward_survey, respondent_id="B1").direct is None


def test_it_refuses_duplicate_respondent_ids_even_when_accepting_no_answers(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given a file where respondent D1 appears twice
    dup = HEADER + "\nD1,34,2,亀戸,1,1,1,1,1\nD2,40,1,大島,2,1,1,1,2\nD1,50,1,大島,2,1,1,1,2\n"
    client = client_for("planner")
    _upload(client, ward_survey, "dup.csv", dup.encode())
    job = _job()
    # when it is checked
    checked = client.post(f"/surveys/imports/{job.pk}/", {**_mapping_post(job), "accept": "on"})
    # then the duplicate is reported with the row of its first appearance and nothing is stored
    assert "最初は2行目" in checked.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    client.post(f"/surveys/imports/{job.pk}/run/")
    assert not Response.objects.filter(survey=ward_survey).exists()


def test_it_refuses_a_mapping_missing_a_required_item(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given a file uploaded and a mapping that leaves out ucla3
    client = client_for("planner")
    _upload(client, ward_survey, "回答.csv", GOOD.encode("utf-8"))
    job = _job()
    # when it is checked
    checked = client.post(f"/surveys/imports/{job.pk}/", _mapping_post(job, direct="問1", ucla3=""))
    # then the page asks for the missing column
    assert checked.status_code == 400
    assert "UCLA孤独感尺度 3" in checked.content.decode()


def test_it_keeps_the_previous_responses_when_an_import_fails(
    client_for: Callable[[str], Client],
    ward_survey: Survey,
    planner: Staff,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a survey with four imported responses
    client = client_for("planner")
    _upload(client, ward_survey, "回答.csv", GOOD.encode("utf-8"))
    job = _job()
    client.post(f"/surveys/imports/{job.pk}/", _mapping_post(job, direct="問1"))
    client.post(f"/surveys/imports/{job.pk}/run/")
    # when a second import fails half-way through analysing
    second = HEADER + "\nN1,34,2,亀戸,1,1,1,1,1\nN2,40,1,大島,2,1,1,1,2\n"
    _upload(client, ward_survey, "second.csv", second.encode())
    job2 = _job()
    client.post(f"/surveys/imports/{job2.pk}/", _mapping_post(job2))

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "analyse_survey", boom)
    with pytest.raises(RuntimeError):
        services.run_import(planner, ResponseImport.objects.get(pk=job2.pk))
    # then the first file's responses are still the survey's responses
    assert sorted(Response.objects.filter(survey=ward_survey).values_list("respondent_id", flat=True)) == [
        "A1", "A2", "A3", "A4",
    ]  # fmt: skip
    assert ResponseImport.objects.get(pk=job2.pk).status == ImportStatus.FAILED


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("binary.csv", b"\x00\x01\x02\x03" * 100, "バイナリ"),
        (
            "fake.xlsx",
            b"<html><body>not excel</body></html>",
            "Excel（.xlsx）ファイルではありません",
        ),
        ("zip.xlsx", b"PK\x03\x04garbage" * 10, "壊れて"),
        ("empty.csv", b"   \n", "空です"),
        ("latin.csv", "respondent_id,age\n1,ü".encode("utf-16"), "バイナリ"),
        ("header.csv", b"a,a\n1,2\n", "2回"),
    ],
)
def test_it_refuses_files_it_cannot_read_and_stores_nothing(
    client_for: Callable[[str], Client], ward_survey: Survey, name: str, data: bytes, message: str
) -> None:
    # given a file that is not a usable CSV or workbook
    client = client_for("planner")
    # when it is uploaded
    response = _upload(client, ward_survey, name, data)
    # then the page says what is wrong and no import is started
    assert response.status_code == 400
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not ResponseImport.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(
    client_for: Callable[[str], Client], ward_survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a lower size limit and a file just over it
    from tsunagari.surveys import reading

    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    data = (HEADER + "\n" + "\n".join(f"R{i},34,2,亀戸,1,1,1,1,1" for i in range(100))).encode()
    # when it is uploaded
    response = _upload(client_for("planner"), ward_survey, "big.csv", data)
    # then it is refused before anything is read or stored
    assert response.status_code == 400
    assert "大きすぎます" in response.content.decode()  # type: ignore[attr-defined]
    assert not ResponseImport.objects.exists()


def test_it_shows_hostile_cell_values_as_text_and_never_runs_them(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given cells carrying HTML and spreadsheet formulas
    hostile = (
        HEADER
        + '\n"<script>alert(1)</script>",34,2,"<img src=x onerror=alert(1)>",1,1,1,1,1'
        + '\n"=HYPERLINK(""http://x"")",40,1,大島,"=1+1",1,1,1,2\n'
    )
    client = client_for("planner")
    _upload(client, ward_survey, "hostile.csv", hostile.encode())
    job = _job()
    # when it is checked
    page = client.post(
        f"/surveys/imports/{job.pk}/", {**_mapping_post(job), "accept": "on"}
    ).content.decode()
    # then the report shows the values escaped
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # and once imported, the ids are shown escaped to survey managers
    client.post(f"/surveys/imports/{job.pk}/run/")
    rows = client.get(f"/surveys/{ward_survey.pk}/responses/").content.decode()
    assert "<script>alert(1)</script>" not in rows
    assert "&lt;script&gt;" in rows
    # the unknown "town" and the formula answer were stored as no answer, never as text
    stored = Response.objects.get(survey=ward_survey, respondent_id='=HYPERLINK("http://x")')
    assert stored.direct is None
    assert (
        Response.objects.get(survey=ward_survey, respondent_id="<script>alert(1)</script>").town
        == ""
    )


def test_it_refuses_wrong_types_in_every_coded_column(ward_survey: Survey, planner: Staff) -> None:
    # given text, decimals and dates where codes are expected
    wrong = HEADER + "\nT1,34.5,x,亀戸,2.5,one,2026-01-01,1,-1\n"
    job = services.upload_responses(
        planner, ward_survey, SimpleUploadedFile("t.csv", wrong.encode())
    )
    # when it is checked
    result = services.check_import(planner, job, job.mapping)
    # then each bad value is an answer problem on row 2
    assert {(p.row, p.field) for p in result.problems} == {
        (2, "age"), (2, "sex"), (2, "direct"), (2, "ucla1"), (2, "ucla2"), (2, "household"),
    }  # fmt: skip
    assert job.status == ImportStatus.INVALID


def test_it_imports_ten_thousand_rows_quickly(ward_survey: Survey, planner: Staff) -> None:
    # given about 10,000 responses
    frame, _ = synthetic_frame(sample=22_000, seed=5)
    # when they are uploaded, checked and imported
    started = time.monotonic()
    job = services.upload_responses(planner, ward_survey, csv_upload(frame))
    services.check_import(planner, job, job.mapping)
    services.run_import(planner, job)
    seconds = time.monotonic() - started
    # then all are stored, and quickly enough that 100,000 take seconds, not minutes
    assert Response.objects.filter(survey=ward_survey).count() == len(frame)
    assert seconds < 15


@pytest.mark.slow
def test_it_imports_one_hundred_thousand_rows_within_seconds(
    ward_survey: Survey, planner: Staff
) -> None:
    # given 100,000 responses (the engine benchmark's size)
    frame, _ = synthetic_frame(sample=230_000, seed=9)
    frame = frame.iloc[:100_000]
    # when they go through the web import path
    started = time.monotonic()
    job = services.upload_responses(planner, ward_survey, csv_upload(frame))
    services.check_import(planner, job, job.mapping)
    services.run_import(planner, job)
    seconds = time.monotonic() - started
    # then they are stored within seconds
    assert Response.objects.filter(survey=ward_survey).count() == 100_000
    assert seconds < 30, seconds


def test_it_replaces_the_responses_when_the_same_file_is_imported_again(
    analysed: Survey, planner: Staff
) -> None:
    # given an analysed survey
    before = Response.objects.filter(survey=analysed).count()
    frame, _ = synthetic_frame()
    # when the same file is imported again
    job = services.upload_responses(planner, analysed, csv_upload(frame))
    services.check_import(planner, job, job.mapping)
    services.run_import(planner, job)
    # then the survey has the same responses, not twice as many
    assert Response.objects.filter(survey=analysed).count() == before == len(frame)


def test_it_deletes_the_stored_file_when_an_import_is_discarded(
    client_for: Callable[[str], Client], ward_survey: Survey, media: Path
) -> None:
    # given an uploaded file waiting for its mapping
    client = client_for("planner")
    _upload(client, ward_survey, "回答.csv", GOOD.encode("utf-8"))
    job = _job()
    stored = Path(job.file.path)
    assert stored.exists()
    # when staff abandon it
    client.post(f"/surveys/imports/{job.pk}/discard/")
    # then the file and the sample values are gone
    assert not stored.exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.DISCARDED
    assert job.samples == {}


def test_it_reads_shift_jis_csv_files(ward_survey: Survey, planner: Staff) -> None:
    # given a CSV saved by Excel in Shift_JIS
    data = GOOD.encode("cp932")
    # when it is uploaded
    job = services.upload_responses(planner, ward_survey, SimpleUploadedFile("sjis.csv", data))
    # then its Japanese headers are read
    assert "回答者番号" in job.columns


def test_it_answers_htmx_with_a_whole_page_redirect(
    client_for: Callable[[str], Client], ward_survey: Survey
) -> None:
    # given a checked file and the planner's browser using htmx
    client = client_for("planner")
    _upload(client, ward_survey, "回答.csv", GOOD.encode("utf-8"))
    job = _job()
    client.post(f"/surveys/imports/{job.pk}/", _mapping_post(job, direct="問1"))
    # when the import runs from the htmx button
    response = client.post(f"/surveys/imports/{job.pk}/run/", headers={"HX-Request": "true"})
    # then htmx is told to load the results page, not to swap it into the form
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/surveys/{ward_survey.pk}/"
    # and a second run (nothing left to import) sends it back to the mapping page
    again = client.post(f"/surveys/imports/{job.pk}/run/", headers={"HX-Request": "true"})
    assert again["HX-Redirect"] == f"/surveys/imports/{job.pk}/"
