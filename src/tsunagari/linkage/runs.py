"""Linkage runs: checking uploaded extracts, queuing a run, running the
engine (link, then detect) and storing what it found.

The engine (``tsunagari.linkage.engine``) knows nothing of Django; this
module is the only place that calls it for the application.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock, intake, quota
from tsunagari.linkage.models import LinkageRun, RecordLink, RunStatus, source_label, source_order
from tsunagari.linkage.review import write_decisions
from tsunagari.linkage.sources import LinkageError, check_sources
from tsunagari.linkage.store import store_results

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from tsunagari.accounts.models import Staff
    from tsunagari.people.models import Person

log = logging.getLogger(__name__)

#: Largest extract file accepted from the upload page (override with the
#: LINKAGE_MAX_FILE_BYTES setting).
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILES = 20
REQUIRED_COLUMNS = ("record_id", "name_kanji", "birth_date", "address")
_SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Markup in a cell: a tag opening, closing or a comment/doctype.
_MARKUP = re.compile(r"<\s*[A-Za-z!/?]")

# Fractions of the run given to each step (the engine reports 0..1 for link).
_LINK_SHARE = 0.85
_DETECT_AT = 0.88
_STORE_AT = 0.93

_STAGES: tuple[tuple[str, Any], ...] = (
    ("reading", gettext_lazy("抽出ファイルの読み込み")),
    ("estimating", gettext_lazy("照合モデルの推定")),
    ("scoring", gettext_lazy("レコードの組み合わせの採点")),
    ("clustering", gettext_lazy("同一人物のまとめ")),
    ("finding households", gettext_lazy("世帯の推定")),
    ("writing", gettext_lazy("結果の書き出し")),
    ("detecting", gettext_lazy("複合課題パターンの検出")),
    ("storing", gettext_lazy("結果の保存")),
    ("done", gettext_lazy("完了")),
)


def stage_label(stage: str) -> str:
    """The Japanese name of an engine stage ("reading care.csv" …)."""
    for prefix, label in _STAGES:
        if stage.startswith(prefix):
            return str(label)
    return stage


def max_file_bytes() -> int:
    return int(settings.LINKAGE_MAX_FILE_BYTES)


def runs_dir() -> Path:
    return Path(settings.DATA_DIR) / "linkage" / "runs"


# --- checking uploaded files ----------------------------------------------------


def check_extract(name: str, handle: IO[bytes], size: int) -> None:
    """Refuse a file that is not a CSV extract, with the reason.

    Checks the name (``<source>.csv``) and the size; the file intake
    (``tsunagari.lib.intake``) checks the text (UTF-8 or Shift_JIS, no NUL
    bytes) and the required header columns; no cell may hold markup (HTML or
    script).
    """
    if not name.lower().endswith(".csv"):
        raise LinkageError(
            _("%(file)s: CSV ファイル（拡張子 .csv）だけを受け付けます。") % {"file": name}
        )
    stem = Path(name).stem
    if not _SOURCE_NAME.match(stem):
        raise LinkageError(
            _(
                "%(file)s: ファイル名はデータ元の名前（半角英小文字・数字・_、例: care.csv）にしてください。"
            )
            % {"file": name}
        )
    limit = max_file_bytes()
    if size > limit:
        raise LinkageError(
            _("%(file)s: ファイルが大きすぎます（上限 %(limit)s MB）。")
            % {"file": name, "limit": f"{limit / 1024 / 1024:g}"}
        )
    if size == 0:
        raise LinkageError(_("%(file)s: ファイルが空です。") % {"file": name})
    try:
        # The one file intake: UTF-8 or Shift_JIS, no binary data, the header.
        text = intake.decode(handle.read(limit + 1), name).text
        intake.read_header(text, name, required=REQUIRED_COLUMNS)
    except intake.Rejected as refused:
        raise LinkageError(refused.problem.text(get_language() or "ja")) from None
    markup = _MARKUP.search(text)
    if markup is not None:
        row_number = intake.locate(text[: markup.start()])[0]
        raise LinkageError(
            _(
                "%(file)s, %(row)s 行目: HTML やスクリプトのようなタグ（<…>）が含まれています。"
                "抽出データにタグは含まれないはずです。元のシステムの出力を確認してください。"
            )
            % {"file": name, "row": row_number}
        )


def check_uploads(files: list[UploadedFile[Any]]) -> list[str]:
    """Check every uploaded file before anything is stored; return source names."""
    if not files:
        raise LinkageError(_("抽出ファイル（.csv）を選んでください。"))
    if len(files) > MAX_FILES:
        raise LinkageError(_("一度に読み込めるファイルは %(n)s 個までです。") % {"n": MAX_FILES})
    seen: set[str] = set()
    for upload in files:
        name = Path(upload.name or "").name
        if name in seen:
            raise LinkageError(_("%(file)s: 同じ名前のファイルが 2 つあります。") % {"file": name})
        seen.add(name)
        upload.seek(0)
        check_extract(name, upload, upload.size or 0)
        upload.seek(0)
    return check_sources(Path(u.name or "").name for u in files)


# --- runs -----------------------------------------------------------------------


@contextmanager
def _new_run(staff: Staff | None, names: list[str], as_of: date | None) -> Iterator[LinkageRun]:
    """A new run, its work folder and its audit record, in one transaction
    with the files the caller copies in: if copying fails, neither the run
    nor its audit record stays, and its folder is removed."""
    work: Path | None = None
    try:
        with transaction.atomic():
            run = LinkageRun.objects.create(created_by=staff, files=names, as_of=as_of)
            work = runs_dir() / str(run.pk)
            (work / "extracts").mkdir(parents=True, exist_ok=True)
            run.work_dir = str(work)
            run.save(update_fields=["work_dir"])
            write_event(EventKind.LINKAGE_RUN_STARTED, run, staff, files=run.files)
            record(staff, AuditAction.CREATE, obj=run, detail={"files": run.files})
            yield run
    except BaseException:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        raise


def stored_extracts(staff_id: int) -> quota.Stored:
    """Extracts a member of staff uploaded that a run still holds (a finished
    run deletes them), for their share of the data folder."""
    files, size = 0, 0
    for work_dir in LinkageRun.objects.filter(created_by_id=staff_id).values_list(
        "work_dir", flat=True
    ):
        extracts = Path(work_dir) / "extracts" if work_dir else None
        if extracts is None or not extracts.is_dir():
            continue
        for path in extracts.iterdir():
            try:
                size += path.stat().st_size
            except OSError:
                continue
            files += 1
    return quota.Stored(files, size)


def create_run_from_uploads(
    staff: Staff, files: list[UploadedFile[Any]], as_of: date | None = None
) -> LinkageRun:
    """Check the uploads, save them in the run's work folder and queue the run.

    Raises:
        PermissionDenied: ``staff`` may not run imports.
        LinkageError: a file is refused (nothing is stored then).
    """
    require_actor(staff, Action.RUN_IMPORTS)
    check_uploads(files)
    try:
        quota.check(staff.pk, sum(f.size or 0 for f in files), len(files))
    except quota.QuotaExceeded as exc:
        raise LinkageError(str(exc)) from None
    names = [Path(f.name or "").name for f in files]
    with _new_run(staff, names, as_of) as run:
        extracts = Path(run.work_dir) / "extracts"
        for upload in files:
            upload.seek(0)
            with (extracts / Path(upload.name or "").name).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
    # After the commit: a worker must find the run it is given.
    enqueue(run)
    return run


def create_run_from_directory(
    input_dir: Path, staff: Staff | None = None, as_of: date | None = None
) -> LinkageRun:
    """Check a directory of extracts and copy them into a new run's work folder.

    ``staff`` None is the operator at the server (the command, the demo).
    """
    require_actor(staff, Action.RUN_IMPORTS)
    paths = sorted(p for p in input_dir.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not paths:
        raise LinkageError(_("%(dir)s に .csv ファイルがありません。") % {"dir": input_dir})
    for path in paths:
        with path.open("rb") as handle:
            check_extract(path.name, handle, path.stat().st_size)
    check_sources(p.name for p in paths)
    with _new_run(staff, [p.name for p in paths], as_of) as run:
        for path in paths:
            shutil.copyfile(path, Path(run.work_dir) / "extracts" / path.name)
    return run


def enqueue(run: LinkageRun) -> None:
    from tsunagari.linkage.tasks import run_linkage

    run_linkage.enqueue(run.pk)


class _Progress:
    """The engine's progress callback: writes the stage and fraction, at most
    every half second (the last call of a stage always lands)."""

    def __init__(self, run: LinkageRun) -> None:
        self.run = run
        self.last = 0.0

    def __call__(self, stage: str, done: float, share: float = _LINK_SHARE) -> None:
        now = time.monotonic()
        fraction = max(self.run.progress, min(1.0, done * share))
        if stage == self.run.stage and now - self.last < 0.5:
            return
        self.last = now
        LinkageRun.objects.filter(pk=self.run.pk).update(stage=stage[:100], progress=fraction)
        self.run.stage, self.run.progress = stage[:100], fraction


def execute_run(run: LinkageRun) -> LinkageRun:
    """Link, detect and store one run (what the task and the command call)."""
    from tsunagari.linkage.engine import InputError, LinkOptions, detect_directory, link_directory

    work = Path(run.work_dir)
    extracts, out = work / "extracts", work / "out"
    run.status, run.started, run.error = RunStatus.RUNNING, clock.now(), ""
    run.save(update_fields=["status", "started", "error"])
    progress = _Progress(run)
    started = time.perf_counter()
    try:
        check_sources(run.files)
        decisions = write_decisions(work / "decisions.csv")
        summary = link_directory(
            extracts,
            out,
            # One thread, one process: the web server shares the machine.
            LinkOptions(threads=1, workers=1, as_of=run.as_of, decisions=decisions),
            progress=progress,
        )
        progress("detecting patterns", _DETECT_AT, share=1.0)
        candidates = detect_directory(out, as_of=run.as_of)
        progress("storing results", _STORE_AT, share=1.0)
        with transaction.atomic():
            stored = store_results(run, out, candidates)
    except (LinkageError, InputError) as exc:
        return _fail(run, str(exc))
    except Exception as exc:  # the run row must say it failed, whatever happened
        log.exception("linkage run %s failed", run.pk)
        return _fail(run, _("予期しないエラーで中断しました: %(error)s") % {"error": exc})
    run.status, run.stage, run.progress = RunStatus.DONE, "done", 1.0
    run.finished = clock.now()
    run.records, run.people, run.households = summary.records, summary.people, summary.households
    run.warnings, run.sources = summary.warnings, dict(summary.sources)
    run.candidates = stored
    run.seconds = round(time.perf_counter() - started, 2)
    with transaction.atomic():
        run.save()
        write_event(EventKind.LINKAGE_RUN_FINISHED, run, None, status=run.status,
                    records=run.records, people=run.people, candidates=run.candidates)  # fmt: skip
    _minimise(work)
    return run


def _fail(run: LinkageRun, message: str) -> LinkageRun:
    run.status, run.error, run.finished = RunStatus.FAILED, message[:2000], clock.now()
    with transaction.atomic():
        run.save(update_fields=["status", "error", "finished"])
        write_event(EventKind.LINKAGE_RUN_FINISHED, run, None, status=run.status)
    _minimise(Path(run.work_dir))
    return run


def _minimise(work: Path) -> None:
    """Only the minimum data stays: the uploaded extracts, the normalised
    records and the pairs for review are removed once the run's results are
    stored (the pairs a person should look at are in the database)."""
    shutil.rmtree(work / "extracts", ignore_errors=True)
    for name in ("records.parquet", "review.csv", "decisions.csv"):
        (work / "out" / name).unlink(missing_ok=True)
    (work / "decisions.csv").unlink(missing_ok=True)


# --- which departments know a person ---------------------------------------------


@dataclass(frozen=True)
class DepartmentSeen:
    source: str
    label: str
    last_seen: datetime


def departments_for(person: Person) -> list[DepartmentSeen]:
    """The department extracts in which completed runs found the person, with
    the date of the last run that saw them there; the registry first."""
    rows = (
        RecordLink.objects.filter(person=person, run__status=RunStatus.DONE)
        .values("source")
        .annotate(last=Max("run__finished"))
    )
    found = [
        DepartmentSeen(source=r["source"], label=source_label(r["source"]), last_seen=r["last"])
        for r in rows
        if r["last"] is not None
    ]
    return sorted(found, key=lambda d: source_order(d.source))


def latest_run() -> LinkageRun | None:
    return LinkageRun.objects.filter(status=RunStatus.DONE).order_by("-finished").first()


def summary_of(run: LinkageRun) -> dict[str, Any]:
    return {
        "records": run.records,
        "people": run.people,
        "households": run.households,
        "warnings": run.warnings,
        "candidates": run.candidates,
        "seconds": run.seconds,
    }
