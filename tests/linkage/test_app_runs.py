"""Linkage runs in the application: legal basis first, uploads checked,
the run stores its summary, the records it linked and the candidates."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from tsunagari.audit.models import AuditEvent
from tsunagari.linkage.models import (
    BasisKind,
    Candidate,
    DataSource,
    LinkageRun,
    RecordLink,
    RunStatus,
)
from tsunagari.linkage.sources import ensure_default_sources

from .helpers import HARD

AS_OF = date(2026, 10, 1)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def record_all_bases(except_: tuple[str, ...] = ()) -> None:
    ensure_default_sources()
    for source in DataSource.objects.exclude(name__in=except_):
        source.basis_kind = BasisKind.ORDINANCE
        source.basis_text = "複合的な課題を抱える世帯の早期把握のための目的外利用"
        source.basis_reference = "江東区個人情報保護条例施行規則 第5条"
        source.save()


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = IMMEDIATE
    return settings.DATA_DIR


@pytest.fixture
def extracts(tmp_path: Path) -> Path:
    target = tmp_path / "extracts"
    shutil.copytree(HARD, target)
    return target


def uploads(folder: Path) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv")
        for p in sorted(folder.glob("*.csv"))
    ]


def test_it_refuses_a_run_with_a_source_without_legal_basis(
    db: None, data_dir: Path, extracts: Path
) -> None:
    # Given every source has a basis except the social welfare council's
    record_all_bases(except_=("csw",))
    # When an operator runs the extracts
    with pytest.raises(CommandError, match=r"csw\.csv: .*社会福祉協議会.*法的根拠"):
        call_command("linkage_run", str(extracts))
    # Then nothing was run or stored
    assert not LinkageRun.objects.exists()
    assert not (data_dir / "linkage").exists()


def test_it_refuses_an_upload_with_a_source_without_legal_basis_naming_the_file(
    client_for: Callable[[str], Client], data_dir: Path, extracts: Path
) -> None:
    # Given no source has a recorded basis
    ensure_default_sources()
    # When the administrator uploads the extracts
    response = client_for("admin").post(
        reverse("linkage:runs"), {"extracts": uploads(extracts)[:1]}
    )
    # Then the page says which file cannot be loaded, and nothing is stored
    assert response.status_code == 400
    assert "care.csv" in response.content.decode()
    assert "法的根拠" in response.content.decode()
    assert not LinkageRun.objects.exists()


def test_it_runs_uploaded_extracts_and_stores_summary_records_and_candidates(
    client_for: Callable[[str], Client], data_dir: Path, extracts: Path
) -> None:
    # Given every source has a recorded basis
    record_all_bases()
    # When the administrator uploads the six extracts (the task runs at once)
    response = client_for("admin").post(
        reverse("linkage:runs"), {"extracts": uploads(extracts), "as_of": AS_OF.isoformat()}
    )
    # Then the run is done with its summary
    assert response.status_code == 302, response.content.decode()[-3000:]
    run = LinkageRun.objects.get()
    assert response["Location"] == reverse("linkage:run", kwargs={"pk": run.pk})
    assert run.status == RunStatus.DONE, run.error
    assert (run.records, run.people, run.warnings) == (34, 20, 0)
    assert run.households and run.seconds is not None and run.progress == 1.0
    assert run.sources["registry"] == 18
    # and every record is stored with its person cluster
    assert RecordLink.objects.filter(run=run).count() == 34
    # and the 8050 household is a new candidate with its evidence
    hit = Candidate.objects.get(run=run, pattern="8050")
    assert hit.status == "new"
    assert set(hit.evidence) == {"parent", "child"}
    assert "care" in hit.evidence["parent"]["sources"]
    assert run.candidates == Candidate.objects.filter(run=run).count()
    # and the uploaded extracts are not kept once the results are stored
    assert not (Path(run.work_dir) / "extracts").exists()
    # and the run page shows the summary
    page = client_for("admin").get(reverse("linkage:run", kwargs={"pk": run.pk}))
    assert "完了" in page.content.decode()
    assert AuditEvent.objects.filter(action="create", object_type="linkage.linkagerun").exists()


def test_it_links_candidates_and_records_to_stored_people_by_resident_number(
    db: None, data_dir: Path, extracts: Path
) -> None:
    from tests.people.conftest import make_person

    # Given the ward has stored 鈴木 博 and 鈴木 浩 (resident numbers 1000005/6)
    record_all_bases()
    hiroshi = make_person(name="鈴木　博", kana="スズキ　ヒロシ", birth_date="1948-01-15",
                          address="東京都江東区亀戸二丁目3番4号", resident_id="1000005")  # fmt: skip
    son = make_person(name="鈴木　浩", kana="スズキ　ヒロシ", birth_date="1978-03-03",
                      address="東京都江東区亀戸二丁目3番4号", resident_id="1000006")  # fmt: skip
    # When the operator runs the extracts synchronously
    call_command("linkage_run", str(extracts), "--as-of", AS_OF.isoformat())
    # Then the 8050 candidate's members are those people
    hit = Candidate.objects.get(pattern="8050")
    assert set(hit.members.all()) == {hiroshi, son}
    # and the son's community-worker record (no resident number) is his too
    assert RecordLink.objects.filter(person=son, source="csw").exists()


def test_it_updates_progress_from_the_engine(
    db: None, data_dir: Path, extracts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tsunagari.linkage import runs

    # Given a queued run, and a record of what its row says after each call
    record_all_bases()
    run = runs.create_run_from_directory(extracts, as_of=AS_OF)
    seen: list[tuple[str, float]] = []
    original = runs._Progress.__call__

    def spy(self: Any, stage: str, done: float, share: float = 0.85) -> None:
        original(self, stage, done, share)
        row = LinkageRun.objects.get(pk=run.pk)
        seen.append((row.stage, row.progress))

    monkeypatch.setattr(runs._Progress, "__call__", spy)
    # When it executes
    runs.execute_run(run)
    # Then the engine's stages were written to the row, rising
    stages = [s for s, _ in seen]
    assert any(s.startswith("reading") for s in stages)
    assert "detecting patterns" in stages
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions)
    assert 0 < fractions[-1] < 1


def test_it_polls_progress_with_htmx_while_running(
    client_for: Callable[[str], Client], data_dir: Path
) -> None:
    # Given a queued run
    run = LinkageRun.objects.create(files=["care.csv"], stage="scoring pairs", progress=0.4)
    # When the administrator's page polls
    response = client_for("admin").get(
        reverse("linkage:run_progress", kwargs={"pk": run.pk}), HTTP_HX_REQUEST="true"
    )
    # Then the fragment shows the stage in Japanese and keeps polling
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "レコードの組み合わせの採点" in html
    assert 'value="40"' in html


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("care.xlsx", b"PK\x03\x04 binary", "CSV ファイル（拡張子 .csv）だけ"),
        ("care.csv", b"record_id,name_kanji\x00\x01\x02", "バイナリデータ"),
        ("care.csv", b"record_id,name_kanji,birth_date,address\nC1,\xff,1950-01-01,x\n", "UTF-8"),
        (
            "care.csv",
            "record_id,name_kanji,birth_date,address\nC1,<script>alert(1)</script>,1950-01-01,北砂1-1-1\n".encode(),
            "タグ",
        ),
        ("care.csv", b"record_id,name_kanji\nC1,x\n", "必須の列 birth_date, address"),
        ("Care Data.csv", b"record_id,name_kanji,birth_date,address\n", "ファイル名"),
        ("care.csv", b"", "空"),
    ],
)
def test_it_refuses_hostile_uploads_with_a_reason_and_stores_nothing(
    client_for: Callable[[str], Client], data_dir: Path, name: str, content: bytes, reason: str
) -> None:
    # Given every source has a basis
    record_all_bases()
    # When the administrator uploads a hostile file
    response = client_for("admin").post(
        reverse("linkage:runs"), {"extracts": [SimpleUploadedFile(name, content)]}
    )
    # Then it is refused with the reason, and nothing is stored
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not LinkageRun.objects.exists()
    assert not (data_dir / "linkage").exists()


def test_it_refuses_a_file_over_the_size_limit(
    client_for: Callable[[str], Client], data_dir: Path, settings: Any
) -> None:
    # Given a 1 KB limit
    record_all_bases()
    settings.LINKAGE_MAX_FILE_BYTES = 1024
    big = b"record_id,name_kanji,birth_date,address\n" + b"C1,x,1950-01-01,y\n" * 200
    # When a larger file is uploaded
    response = client_for("admin").post(
        reverse("linkage:runs"), {"extracts": [SimpleUploadedFile("care.csv", big)]}
    )
    # Then it is refused and nothing is stored
    assert response.status_code == 400
    assert "大きすぎます" in response.content.decode()
    assert not LinkageRun.objects.exists()


def test_it_records_a_legal_basis_from_the_sources_page(
    client_for: Callable[[str], Client], data_dir: Path
) -> None:
    # When the administrator records the basis of the care extract
    response = client_for("admin").post(
        reverse("linkage:source_edit", kwargs={"name": "care"}),
        {
            "basis_kind": "statute",
            "basis_text": "重層的支援体制整備事業のための情報の利用",
            "basis_reference": "社会福祉法 第106条の4",
        },
    )
    # Then it is stored with who recorded it, and audited
    assert response.status_code == 302
    care = DataSource.objects.get(name="care")
    assert care.has_basis and care.recorded_by is not None
    assert AuditEvent.objects.filter(action="update", object_type="linkage.datasource").exists()


@pytest.mark.parametrize("username", ["coordinator", "consultant.elderly", "council", "outsider"])
@pytest.mark.parametrize(
    ("url", "kwargs"),
    [
        ("linkage:runs", {}),
        ("linkage:run", {"pk": 1}),
        ("linkage:run_progress", {"pk": 1}),
        ("linkage:sources", {}),
        ("linkage:source_edit", {"name": "care"}),
    ],
)
def test_it_refuses_run_and_source_pages_to_anyone_but_the_administrator(
    client_for: Callable[[str], Client], data_dir: Path, username: str, url: str, kwargs: Any
) -> None:
    # Given a run exists
    LinkageRun.objects.create(pk=1, files=["care.csv"])
    # When someone other than the administrator opens a run or source page
    response = client_for(username).get(reverse(url, kwargs=kwargs))
    # Then it is refused
    assert response.status_code == 403


def test_it_marks_a_run_failed_with_the_reason_when_a_basis_is_gone_at_start(
    client_for: Callable[[str], Client], data_dir: Path, extracts: Path
) -> None:
    from tsunagari.linkage.runs import create_run_from_directory, execute_run

    # Given a run queued while every source had a basis
    record_all_bases()
    run = create_run_from_directory(extracts, as_of=AS_OF)
    # When the care basis is cleared before the worker starts it
    DataSource.objects.filter(name="care").update(basis_text="")
    run = execute_run(run)
    # Then the run failed, says why, stored nothing and kept no extracts
    assert run.status == RunStatus.FAILED
    assert "care.csv" in run.error
    assert not RecordLink.objects.exists() and not Candidate.objects.exists()
    assert not (Path(run.work_dir) / "extracts").exists()
    page = client_for("admin").get(reverse("linkage:run", kwargs={"pk": run.pk}))
    assert "care.csv" in page.content.decode() and "失敗" in page.content.decode()


def test_it_keeps_other_systems_numbers_out_of_a_candidates_evidence() -> None:
    from tsunagari.linkage.store import _minimal_evidence

    # Given evidence carrying a care insurance number and a handbook number
    evidence = {
        "parent": {"attributes": {"care_level": ["要介護3"], "insured_no": ["2381682206"]}},
        "child": {"attributes": {"handbook": ["精神"], "手帳番号": ["123"], "person_id": ["x"]}},
    }
    # When it is stored, only what made the members qualify remains
    kept = _minimal_evidence(evidence)
    assert kept["parent"]["attributes"] == {"care_level": ["要介護3"]}
    assert kept["child"]["attributes"] == {"handbook": ["精神"]}
