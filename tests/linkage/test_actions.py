"""Linkage's write functions own their write: they refuse whoever may not do
it (not only the pages do), and a write and its audit record land together
or not at all."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.lib import clock
from tsunagari.linkage import candidates, review, runs, sources
from tsunagari.linkage.models import (
    BasisKind,
    Candidate,
    CandidateStatus,
    DataSource,
    LinkageRun,
    LinkDecision,
    ReviewPair,
    RunStatus,
)
from tsunagari.linkage.sources import LinkageError

from .helpers import HARD
from .test_app_runs import IMMEDIATE, record_all_bases, uploads


class _DiskFullUpload(SimpleUploadedFile):
    """An upload whose bytes check out but cannot be saved: the disk fills up
    after the first chunk."""

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield self.read(16)
        raise OSError(28, "No space left on device")


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = IMMEDIATE
    return Path(settings.DATA_DIR)


@pytest.fixture
def extracts(tmp_path: Path) -> Path:
    target = tmp_path / "extracts"
    shutil.copytree(HARD, target)
    return target


def _audited(object_type: str) -> int:
    return AuditEvent.objects.filter(object_type=object_type).count()


@pytest.fixture
def pair(db: None) -> ReviewPair:
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    return ReviewPair.objects.create(
        run=run, source_l="csw", record_id_l="CW1", source_r="registry", record_id_r="RG1",
        probability=0.8, linked=False, comparison={}, left={}, right={}, rank=0,
    )  # fmt: skip


@pytest.fixture
def candidate(db: None) -> Candidate:
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    return Candidate.objects.create(
        run=run, pattern="8050", pattern_ja="8050問題", household_key="H1",
        member_keys=["P1"], sources=["care"], evidence={},
    )  # fmt: skip


# --- a failing write leaves no audit record ------------------------------------


def test_it_leaves_no_run_and_no_audit_record_when_saving_an_upload_fails(
    personas: dict[str, Staff], data_dir: Path, extracts: Path
) -> None:
    # Given extracts that pass every check, the last of which cannot be saved
    record_all_bases()
    files: list[Any] = uploads(extracts)
    last = files[-1]
    files[-1] = _DiskFullUpload(last.name, last.read(), content_type="text/csv")
    # When the administrator starts a run with them
    with pytest.raises(OSError, match="No space left"):
        runs.create_run_from_uploads(personas["admin"], files)
    # Then neither the run nor its audit record was kept, nor its work folder
    assert not LinkageRun.objects.exists()
    assert _audited("linkage.linkagerun") == 0
    assert not list(runs.runs_dir().glob("*/extracts"))


def test_it_keeps_no_pair_decision_when_its_audit_record_cannot_be_written(
    personas: dict[str, Staff], pair: ReviewPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the audit log cannot be written
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(review, "record", broken)
    # When the administrator decides a pair
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        review.decide_pair(personas["admin"], pair, "same", "住民票で確認")
    # Then the decision was not kept either
    assert not LinkDecision.objects.exists()
    pair.refresh_from_db()
    assert pair.decision_id is None


def test_it_keeps_no_candidate_decision_when_its_audit_record_cannot_be_written(
    personas: dict[str, Staff], candidate: Candidate, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(candidates, "record", broken)
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        candidates.decide(personas["coordinator"], candidate, CandidateStatus.REFERRED, "訪問")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.NEW and candidate.decided_by is None


# --- refused at the service, not only the page ------------------------------------


def test_it_refuses_an_upload_at_the_service_to_someone_who_may_not_run_imports(
    personas: dict[str, Staff], data_dir: Path, extracts: Path
) -> None:
    record_all_bases()
    with pytest.raises(PermissionDenied):
        runs.create_run_from_uploads(personas["consultant.self"], uploads(extracts))
    assert not LinkageRun.objects.exists()
    assert _audited("linkage.linkagerun") == 0


def test_it_refuses_a_directory_run_at_the_service_to_someone_who_may_not_run_imports(
    personas: dict[str, Staff], data_dir: Path, extracts: Path
) -> None:
    record_all_bases()
    with pytest.raises(PermissionDenied):
        runs.create_run_from_directory(extracts, staff=personas["planner"])
    assert not LinkageRun.objects.exists()


def test_it_audits_a_run_in_the_same_step_as_it_creates_it(
    personas: dict[str, Staff], data_dir: Path, extracts: Path
) -> None:
    # Given every basis is recorded; when the operator's command creates a run
    record_all_bases()
    run = runs.create_run_from_directory(extracts)
    # Then the run is audited with its files, by nobody signed in
    event = AuditEvent.objects.get(object_type="linkage.linkagerun", object_id=str(run.pk))
    assert event.action == "create" and event.actor_id is None
    assert sorted(event.detail["files"]) == sorted(run.files)


def test_it_refuses_a_legal_basis_at_the_service_to_someone_who_may_not_run_imports(
    personas: dict[str, Staff],
) -> None:
    sources.ensure_default_sources()
    source = DataSource.objects.get(name="care")
    with pytest.raises(PermissionDenied):
        sources.record_basis(
            personas["coordinator"], source, BasisKind.STATUTE, "理由", "介護保険法"
        )
    source.refresh_from_db()
    assert not source.has_basis
    assert _audited("linkage.datasource") == 0


def test_it_refuses_a_pair_decision_at_the_service_to_someone_who_may_not_review(
    personas: dict[str, Staff], pair: ReviewPair
) -> None:
    # Given a coordinator (designated for flags, but no reviewer of links)
    with pytest.raises(PermissionDenied):
        review.decide_pair(personas["coordinator"], pair, "same", "")
    assert not LinkDecision.objects.exists()
    assert _audited("linkage.linkdecision") == 0


def test_it_refuses_a_decision_on_a_pair_of_a_run_that_did_not_finish(
    personas: dict[str, Staff], pair: ReviewPair
) -> None:
    # Given the pair's run failed
    LinkageRun.objects.filter(pk=pair.run_id).update(status=RunStatus.FAILED)
    # When the administrator decides it, the policy's object rule refuses, naming why
    with pytest.raises(PermissionDenied, match="完了していない"):
        review.decide_pair(personas["admin"], pair, "different", "")
    assert not LinkDecision.objects.exists()


def test_it_refuses_a_candidate_decision_at_the_service_without_the_designation(
    personas: dict[str, Staff], candidate: Candidate
) -> None:
    # Given a consultant who is not designated to see flags
    with pytest.raises(PermissionDenied):
        candidates.decide(personas["consultant.self"], candidate, CandidateStatus.REFERRED, "")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.NEW
    assert _audited("linkage.candidate") == 0


# --- hostile input --------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["", "SAME", "<script>alert(1)</script>", "same" * 5000])
def test_it_refuses_a_pair_decision_that_is_not_one_of_the_two(
    personas: dict[str, Staff], pair: ReviewPair, decision: str
) -> None:
    with pytest.raises(LinkageError, match="同一人物"):
        review.decide_pair(personas["admin"], pair, decision, "")
    assert not LinkDecision.objects.exists()
    assert _audited("linkage.linkdecision") == 0


@pytest.mark.parametrize("status", ["", "closed", "new\x00", "x" * 100_000])
def test_it_refuses_a_candidate_decision_that_is_not_one_of_the_choices(
    personas: dict[str, Staff], candidate: Candidate, status: str
) -> None:
    with pytest.raises(LinkageError, match="判断を選んでください"):
        candidates.decide(personas["coordinator"], candidate, status, "")
    assert _audited("linkage.candidate") == 0


def test_it_keeps_a_huge_note_to_its_limit_with_the_decision(
    personas: dict[str, Staff], pair: ReviewPair
) -> None:
    kept = review.decide_pair(personas["admin"], pair, "same", "確認" * 100_000)
    assert len(kept.note) == 2000
    assert AuditEvent.objects.get(object_type="linkage.linkdecision").detail["decision"] == "same"


def test_it_dates_a_decision_by_the_actions_clock(
    personas: dict[str, Staff], pair: ReviewPair, candidate: Candidate
) -> None:
    at = datetime(2026, 12, 28, 10, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    with clock.frozen(at):
        kept = review.decide_pair(personas["admin"], pair, "same", "")
        decided = candidates.decide(personas["coordinator"], candidate, "referred", "")
    assert kept.decided_at == at and decided.decided_at == at


# --- a member of staff's share of the data folder ---------------------------------


def test_it_refuses_extracts_over_the_staff_members_share_and_keeps_nothing(
    personas: dict[str, Staff], data_dir: Path, extracts: Path, settings: Any
) -> None:
    # Given a share smaller than the extracts (lib.quota)
    record_all_bases()
    files: list[Any] = uploads(extracts)
    settings.UPLOAD_QUOTA_FILES = len(files) - 1
    # When the administrator starts a run with them
    with pytest.raises(LinkageError, match="上限"):
        runs.create_run_from_uploads(personas["admin"], files)
    # Then nothing was kept
    assert not LinkageRun.objects.exists()
    assert not list(runs.runs_dir().glob("*/extracts"))
    # With room for them the run goes ahead; once done it deletes its extracts,
    # which then take none of the share
    settings.UPLOAD_QUOTA_FILES = len(files)
    for f in files:
        f.seek(0)
    runs.create_run_from_uploads(personas["admin"], files)
    assert LinkageRun.objects.count() == 1
    assert runs.stored_extracts(personas["admin"].pk).files == 0
