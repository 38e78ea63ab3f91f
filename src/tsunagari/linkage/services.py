"""Linkage runs in the application: checking extracts and their legal basis,
running the engine (link, then detect), storing what it found.

The engine (``tsunagari.linkage.engine``) knows nothing of Django; this
module is the only place that calls it for the application.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagari.linkage.models import (
    SOURCE_LABELS,
    Candidate,
    CandidateStatus,
    DataSource,
    LinkageRun,
    LinkDecision,
    PairDecision,
    RecordLink,
    ReviewPair,
    RunStatus,
    source_label,
    source_order,
)
from tsunagari.people.access import active_links
from tsunagari.people.models import Person
from tsunagari.people.presenter import sealed_contacts

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from tsunagari.accounts.models import Staff

log = logging.getLogger(__name__)

#: Largest extract file accepted from the upload page (override with the
#: LINKAGE_MAX_FILE_BYTES setting).
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILES = 20
REQUIRED_COLUMNS = ("record_id", "name_kanji", "birth_date", "address")
_SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Markup in a cell: a tag opening, closing or a comment/doctype.
_MARKUP = re.compile(r"<\s*[A-Za-z!/?]")
_BATCH = 2000
# Source attributes that identify a person in another system (被保険者番号,
# 手帳番号 …): not needed as evidence, so not stored with a candidate.
_IDENTIFIER = re.compile(r"(^|_)(no|id|number|num)$|番号$", re.IGNORECASE)

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


class LinkageError(Exception):
    """A run cannot start or failed; the message is for the ward officer."""


def stage_label(stage: str) -> str:
    """The Japanese name of an engine stage ("reading care.csv" …)."""
    for prefix, label in _STAGES:
        if stage.startswith(prefix):
            return str(label)
    return stage


def max_file_bytes() -> int:
    return int(getattr(settings, "LINKAGE_MAX_FILE_BYTES", MAX_FILE_BYTES))


def runs_dir() -> Path:
    return Path(settings.DATA_DIR) / "linkage" / "runs"


# --- sources and their legal basis -------------------------------------------


def ensure_default_sources() -> list[DataSource]:
    """The ward's usual extracts, listed even before a basis is recorded."""
    for name, label in SOURCE_LABELS.items():
        DataSource.objects.get_or_create(name=name, defaults={"label": str(label)})
    return sorted(DataSource.objects.all(), key=lambda s: source_order(s.name))


def source_labels(names: Iterable[str]) -> list[str]:
    """Japanese names of sources, in display order (registry first)."""
    return [source_label(n) for n in sorted(set(names), key=source_order)]


def record_basis(
    staff: Staff | None, source: DataSource, kind: str, text: str, reference: str
) -> DataSource:
    source.basis_kind = kind
    source.basis_text = text.strip()
    source.basis_reference = reference.strip()
    source.recorded_by = staff
    source.recorded_at = timezone.now()
    source.save()
    return source


def check_sources(file_names: Iterable[str]) -> list[str]:
    """Source names of the files, refusing any without a recorded legal basis.

    Raises:
        LinkageError: naming the first file whose source is unknown or has
            no recorded basis.
    """
    names: list[str] = []
    known = {s.name: s for s in DataSource.objects.all()}
    for file_name in file_names:
        stem = Path(file_name).stem
        source = known.get(stem)
        if source is None or not source.has_basis:
            raise LinkageError(
                _(
                    "%(file)s: データ元「%(source)s」の目的外利用の法的根拠（条例・法令・本人同意）"
                    "が記録されていないため、読み込めません。先に「データ元と法的根拠」で記録してください。"
                )
                % {"file": file_name, "source": source_label(stem)}
            )
        names.append(stem)
    return names


# --- checking uploaded files ----------------------------------------------------


def _lines(handle: IO[bytes]) -> Iterator[bytes]:
    yield from handle


def check_extract(name: str, handle: IO[bytes], size: int) -> None:
    """Refuse a file that is not a plain UTF-8 CSV extract, with the reason.

    Checks the name (``<source>.csv``), the size, that the bytes are UTF-8
    text without NUL bytes, the required header columns, and that no cell
    holds markup (HTML or script).
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
    header: list[str] | None = None
    for row_number, raw in enumerate(_lines(handle), start=1):
        if b"\x00" in raw:
            raise LinkageError(
                _(
                    "%(file)s, %(row)s 行目: バイナリデータが含まれています。CSV テキストではありません。"
                )
                % {"file": name, "row": row_number}
            )
        try:
            text = raw.decode("utf-8-sig" if row_number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise LinkageError(
                _("%(file)s, %(row)s 行目: UTF-8 ではありません。UTF-8 で保存し直してください。")
                % {"file": name, "row": row_number}
            ) from None
        if header is None:
            header = [c.strip() for c in next(csv.reader(io.StringIO(text)), [])]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise LinkageError(
                    _("%(file)s, 1 行目: 必須の列 %(columns)s が見出しにありません。")
                    % {"file": name, "columns": ", ".join(missing)}
                )
        if _MARKUP.search(text):
            raise LinkageError(
                _(
                    "%(file)s, %(row)s 行目: HTML やスクリプトのようなタグ（<…>）が含まれています。"
                    "抽出データにタグは含まれないはずです。元のシステムの出力を確認してください。"
                )
                % {"file": name, "row": row_number}
            )
    if header is None:
        raise LinkageError(_("%(file)s: ファイルが空です。") % {"file": name})


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


def _new_run(staff: Staff | None, names: list[str], as_of: date | None) -> LinkageRun:
    run = LinkageRun.objects.create(created_by=staff, files=names, as_of=as_of)
    work = runs_dir() / str(run.pk)
    (work / "extracts").mkdir(parents=True, exist_ok=True)
    run.work_dir = str(work)
    run.save(update_fields=["work_dir"])
    return run


def create_run_from_uploads(
    staff: Staff, files: list[UploadedFile[Any]], as_of: date | None = None
) -> LinkageRun:
    """Check the uploads, save them in the run's work folder and queue the run."""
    check_uploads(files)
    names = [Path(f.name or "").name for f in files]
    run = _new_run(staff, names, as_of)
    extracts = Path(run.work_dir) / "extracts"
    for upload in files:
        upload.seek(0)
        with (extracts / Path(upload.name or "").name).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    enqueue(run)
    return run


def create_run_from_directory(
    input_dir: Path, staff: Staff | None = None, as_of: date | None = None
) -> LinkageRun:
    """Check a directory of extracts and copy them into a new run's work folder."""
    paths = sorted(p for p in input_dir.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not paths:
        raise LinkageError(_("%(dir)s に .csv ファイルがありません。") % {"dir": input_dir})
    for path in paths:
        with path.open("rb") as handle:
            check_extract(path.name, handle, path.stat().st_size)
    check_sources(p.name for p in paths)
    run = _new_run(staff, [p.name for p in paths], as_of)
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
    run.status, run.started, run.error = RunStatus.RUNNING, timezone.now(), ""
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
            stored = _store(run, out, candidates)
    except (LinkageError, InputError) as exc:
        return _fail(run, str(exc))
    except Exception as exc:  # the run row must say it failed, whatever happened
        log.exception("linkage run %s failed", run.pk)
        return _fail(run, _("予期しないエラーで中断しました: %(error)s") % {"error": exc})
    run.status, run.stage, run.progress = RunStatus.DONE, "done", 1.0
    run.finished = timezone.now()
    run.records, run.people, run.households = summary.records, summary.people, summary.households
    run.warnings, run.sources = summary.warnings, dict(summary.sources)
    run.candidates = stored
    run.seconds = round(time.perf_counter() - started, 2)
    run.save()
    _minimise(work)
    return run


def _fail(run: LinkageRun, message: str) -> LinkageRun:
    run.status, run.error, run.finished = RunStatus.FAILED, message[:2000], timezone.now()
    run.save(update_fields=["status", "error", "finished"])
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


def _store(run: LinkageRun, out: Path, candidates: pd.DataFrame) -> int:
    records = pd.read_parquet(
        out / "records.parquet",
        columns=["source", "record_id", "resident_id", "person_id", "household_id"],
    )
    resident = records["resident_id"].fillna("").astype(str)
    numbers = sorted(set(resident) - {""})
    person_of_number: dict[str, int] = {}
    for chunk in range(0, len(numbers), 500):
        for stored_pk, stored_number in Person.objects.filter(
            resident_id__in=numbers[chunk : chunk + 500]
        ).values_list("pk", "resident_id"):
            person_of_number.setdefault(stored_number, stored_pk)
    # A cluster is a stored person when its records' numbers name exactly one.
    found: dict[str, set[int]] = {}
    for cluster, number in zip(records["person_id"].astype(str), resident, strict=True):
        matched = person_of_number.get(number)
        if matched is not None:
            found.setdefault(cluster, set()).add(matched)
    person_of_cluster = {c: next(iter(p)) for c, p in found.items() if len(p) == 1}
    sealed = _sealed_clusters(out, records, found)
    # The stored person behind each record of the review queue, so that the
    # queue can read their seal (and their household's) as it is now.
    review_keys = _review_keys(out)
    person_of_record: dict[tuple[str, str], int] = {}

    batch: list[RecordLink] = []
    for source, record_id, number, cluster, household in zip(
        records["source"].astype(str),
        records["record_id"].astype(str),
        resident,
        records["person_id"].astype(str),
        records["household_id"].astype(str),
        strict=True,
    ):
        person_pk = person_of_number.get(number) or person_of_cluster.get(cluster)
        if person_pk is not None and (source[:40], record_id[:100]) in review_keys:
            person_of_record[(source[:40], record_id[:100])] = person_pk
        batch.append(
            RecordLink(
                run=run,
                source=source[:40],
                record_id=record_id[:100],
                cluster=cluster[:40],
                household=household[:40],
                resident_id=number[:20],
                person_id=person_pk,
            )
        )
        if len(batch) >= _BATCH:
            RecordLink.objects.bulk_create(batch)
            batch = []
    RecordLink.objects.bulk_create(batch)

    count = 0
    for row in candidates.itertuples(index=False):
        keys = [k for k in str(row.members).split(";") if k]
        candidate = Candidate.objects.create(
            run=run,
            pattern=str(row.pattern)[:40],
            pattern_ja=str(row.pattern_ja)[:60],
            household_key=str(row.household_id)[:40],
            member_keys=keys,
            sources=[s for s in str(row.sources).split(";") if s],
            reason=str(row.reason),
            evidence=_minimal_evidence(json.loads(str(row.evidence))),
        )
        people = {person_of_cluster[k] for k in keys if k in person_of_cluster}
        if people:
            candidate.members.set(people)
        count += 1
    _store_review(run, out, sealed, person_of_record)
    return count


def _sealed_clusters(out: Path, records: pd.DataFrame, found: dict[str, set[int]]) -> set[str]:
    """Clusters of a person whose address is restricted (閲覧制限): a stored
    sealed person, or a record an extract marks as sealed."""
    stored = {pk for pks in found.values() for pk in pks}
    sealed_pks: set[int] = set()
    ordered = sorted(stored)
    for chunk in range(0, len(ordered), 500):
        sealed_pks.update(
            Person.objects.filter(pk__in=ordered[chunk : chunk + 500], sealed=True).values_list(
                "pk", flat=True
            )
        )
    clusters = {c for c, pks in found.items() if pks & sealed_pks}
    try:
        marks = pd.read_parquet(out / "records.parquet", columns=["person_id", "attr.sealed"])
    except (KeyError, ValueError, OSError):  # no extract has a sealed column
        return clusters
    flag = marks["attr.sealed"].fillna("").astype(str).str.strip().str.lower()
    marked = flag.isin({"1", "true", "yes", "y", "有", "あり", "○", "閲覧制限"})
    clusters.update(marks.loc[marked, "person_id"].astype(str))
    return clusters


#: At most this many uncertain pairs of a run are kept for review (the most
#: uncertain first); the rest wait for the next run.
MAX_REVIEW_PAIRS = 500
_SIDE = ("name", "kana", "birth_date", "sex", "address", "phone", "resident_id")
_COMPARED = ("surname", "given", "birth_date", "address", "phone", "resident_id")


def _review_keys(out: Path) -> set[tuple[str, str]]:
    """The (source, record id) of both sides of the pairs kept for review."""
    path = out / "review.csv"
    if not path.exists():
        return set()
    sides = ["source_l", "record_id_l", "source_r", "record_id_r"]
    pairs = pd.read_csv(
        path, dtype=str, keep_default_na=False, nrows=MAX_REVIEW_PAIRS, usecols=sides
    )
    keys: set[tuple[str, str]] = set()
    for side in ("l", "r"):
        keys.update(
            zip(
                pairs[f"source_{side}"].str[:40],
                pairs[f"record_id_{side}"].str[:100],
                strict=True,
            )
        )
    return keys


def _store_review(
    run: LinkageRun, out: Path, sealed: set[str], person_of_record: dict[tuple[str, str], int]
) -> int:
    path = out / "review.csv"
    if not path.exists():
        return 0
    pairs = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=MAX_REVIEW_PAIRS)
    rows = []
    for rank, row in enumerate(pairs.to_dict("records")):
        left = (row["source_l"][:40], row["record_id_l"][:100])
        right = (row["source_r"][:40], row["record_id_r"][:100])
        rows.append(
            ReviewPair(
                run=run,
                source_l=row["source_l"][:40],
                record_id_l=row["record_id_l"][:100],
                source_r=row["source_r"][:40],
                record_id_r=row["record_id_r"][:100],
                probability=float(row["match_probability"] or 0),
                linked=row["linked"] == "yes",
                comparison={k: row[f"cmp_{k}"] for k in _COMPARED},
                left={k: row[f"{k}_l"][:200] for k in _SIDE},
                right={k: row[f"{k}_r"][:200] for k in _SIDE},
                sealed=row["person_id_l"] in sealed or row["person_id_r"] in sealed,
                person_l_id=person_of_record.get(left),
                person_r_id=person_of_record.get(right),
                rank=rank,
            )
        )
    ReviewPair.objects.bulk_create(rows, batch_size=_BATCH)
    return len(rows)


def _minimal_evidence(evidence: dict[str, Any]) -> dict[str, Any]:
    for fact in evidence.values():
        if isinstance(fact, dict) and isinstance(fact.get("attributes"), dict):
            fact["attributes"] = {
                k: v for k, v in fact["attributes"].items() if not _IDENTIFIER.search(str(k))
            }
    return evidence


# --- candidates -------------------------------------------------------------------


def candidates_queryset(
    known: str = "", pattern: str = "", status: str = "", run: LinkageRun | None = None
) -> QuerySet[Candidate]:
    """Candidates, optionally only those known / not known to any agency.

    ``known="no"``: no member has an active agency link (flagged but not
    known to any agency); ``known="yes"``: some member has one (flagged and
    already on a case). ``run``: only that run's candidates.
    """
    qs = Candidate.objects.select_related("run", "decided_by")
    if run is not None:
        qs = qs.filter(run=run)
    linked = active_links().values("person_id")
    on_case = Q(members__in=linked)
    if known == "yes":
        qs = qs.filter(pk__in=Candidate.objects.filter(on_case).values("pk"))
    elif known == "no":
        qs = qs.exclude(pk__in=Candidate.objects.filter(on_case).values("pk"))
    if pattern:
        qs = qs.filter(pattern=pattern)
    if status in CandidateStatus.values:
        qs = qs.filter(status=status)
    return qs


def earlier_decisions(candidate: Candidate) -> QuerySet[Candidate]:
    """Decisions already made, in other runs, on the same pattern for any of
    the same people: shown next to a new candidate, never applied to it."""
    people = candidate.members.values("pk")
    return (
        Candidate.objects.filter(pattern=candidate.pattern, members__in=people)
        .exclude(pk=candidate.pk)
        .exclude(status=CandidateStatus.NEW)
        .select_related("run", "decided_by")
        .distinct()
        .order_by("-decided_at")[:10]
    )


def known_candidate_ids(candidate_ids: list[int]) -> set[int]:
    return set(
        Candidate.objects.filter(
            pk__in=candidate_ids, members__in=active_links().values("person_id")
        ).values_list("pk", flat=True)
    )


def decide(staff: Staff, candidate: Candidate, status: str, note: str) -> Candidate:
    if status not in CandidateStatus.values:
        raise LinkageError(_("判断を選んでください。"))
    candidate.status = status
    candidate.note = note.strip()
    candidate.decided_by = staff
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return candidate


_ROLE_LABELS = {
    "parent": gettext_lazy("親"),
    "child": gettext_lazy("子"),
    "elder": gettext_lazy("介護を受ける家族"),
    "carer": gettext_lazy("介護する人"),
    "cared": gettext_lazy("ケアを受ける家族"),
    "young": gettext_lazy("若い世帯員"),
    "person": gettext_lazy("本人"),
    "poor": gettext_lazy("生活支援を受ける人"),
}


@dataclass(frozen=True)
class EvidenceRow:
    role: str
    key: str
    person: Person | None
    age: int | None
    sources: list[str]
    attributes: list[tuple[str, str]]


def evidence_rows(candidate: Candidate) -> list[EvidenceRow]:
    """The candidate's evidence, one row per role, in Japanese."""
    keys = [str(f.get("person_id", "")) for f in candidate.evidence.values() if isinstance(f, dict)]
    people: dict[str, Person] = {}
    for link in RecordLink.objects.filter(
        run_id=candidate.run_id, cluster__in=keys, person__isnull=False
    ).select_related("person"):
        if link.person is not None:
            people.setdefault(link.cluster, link.person)
    rows = []
    for role, fact in candidate.evidence.items():
        if not isinstance(fact, dict):
            continue
        key = str(fact.get("person_id", ""))
        attributes = fact.get("attributes") or {}
        rows.append(
            EvidenceRow(
                role=str(_ROLE_LABELS.get(role, role)),
                key=key,
                person=people.get(key),
                age=fact.get("age"),
                sources=source_labels(str(s) for s in fact.get("sources", [])),
                attributes=[
                    (str(k), "、".join(str(v) for v in vs))
                    for k, vs in attributes.items()
                    if k != "relation" and not _IDENTIFIER.search(str(k))
                ],
            )
        )
    return rows


# --- uncertain pairs and people's decisions -----------------------------------------


def write_decisions(path: Path) -> Path | None:
    """Every decision so far, as the engine's decisions file (None if none)."""
    decided = LinkDecision.objects.order_by("pk").values_list(
        "source_l", "record_id_l", "source_r", "record_id_r", "decision"
    )
    if not decided.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source_l", "record_id_l", "source_r", "record_id_r", "decision"])
        writer.writerows(decided.iterator())
    return path


def review_queryset(run: LinkageRun | None, state: str = "open") -> QuerySet[ReviewPair]:
    """A run's pairs for review: ``open`` (undecided), ``decided`` or all."""
    if run is None:
        return ReviewPair.objects.none()
    qs = ReviewPair.objects.filter(run=run).select_related("decision", "decision__decided_by")
    if state == "open":
        qs = qs.filter(decision__isnull=True)
    elif state == "decided":
        qs = qs.filter(decision__isnull=False)
    return qs.order_by("rank")


def masked_pair_ids(pairs: Iterable[ReviewPair]) -> set[int]:
    """The pairs whose address and phone are shown to designated staff only.

    Read live, not from the run: a pair is masked when a stored person a
    side was matched to (``person_l``/``person_r``) is sealed now, or
    anyone in that person's current household is (a household shares the
    address), or when the snapshot taken at the run said so. A side not
    matched to a stored person has no seal to read now; for it the
    snapshot stays the only knowledge (the extract's own 閲覧制限 mark, or
    its cluster's stored person at the time), so it is kept, never cleared.
    """
    listed = list(pairs)
    people = {pk for p in listed for pk in (p.person_l_id, p.person_r_id) if pk is not None}
    sealed = sealed_contacts(people)
    return {p.pk for p in listed if p.sealed or p.person_l_id in sealed or p.person_r_id in sealed}


def decide_pair(staff: Staff, pair: ReviewPair, decision: str, note: str) -> LinkDecision:
    """Record (or change) the decision on a pair; the next run applies it.

    Raises:
        LinkageError: the decision is not "same" or "different".
    """
    from tsunagari.linkage.engine.review import pair_key

    if decision not in PairDecision.values:
        raise LinkageError(_("「同一人物」か「別人」かを選んでください。"))
    key = pair_key(pair.source_l, pair.record_id_l, pair.source_r, pair.record_id_r)
    with transaction.atomic():
        kept, _created = LinkDecision.objects.update_or_create(
            source_l=key[0],
            record_id_l=key[1],
            source_r=key[2],
            record_id_r=key[3],
            defaults={
                "decision": decision,
                "note": note.strip()[:2000],
                "decided_by": staff,
                "decided_at": timezone.now(),
                "run": pair.run,
            },
        )
        # The same pair may wait in other runs' queues too.
        ReviewPair.objects.filter(
            Q(source_l=key[0], record_id_l=key[1], source_r=key[2], record_id_r=key[3])
            | Q(source_l=key[2], record_id_l=key[3], source_r=key[0], record_id_r=key[1])
        ).update(decision=kept)
    return kept


def next_open_pair(pair: ReviewPair) -> ReviewPair | None:
    """The next undecided pair of the same run, after this one."""
    return (
        ReviewPair.objects.filter(run_id=pair.run_id, decision__isnull=True, rank__gt=pair.rank)
        .order_by("rank")
        .first()
        or ReviewPair.objects.filter(run_id=pair.run_id, decision__isnull=True)
        .exclude(pk=pair.pk)
        .order_by("rank")
        .first()
    )


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
