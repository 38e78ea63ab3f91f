"""Every change to surveys goes through one function here, used by pages, API, commands and demo."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import quota
from tsunagari.surveys import importing, reading
from tsunagari.surveys.engine.instruments import KOTO_TOWNS, QUESTIONNAIRE
from tsunagari.surveys.engine.io import SurveyInputError, read_margins
from tsunagari.surveys.models import (
    Analysis,
    Estimate,
    ImportStatus,
    Question,
    Response,
    ResponseImport,
    Survey,
)
from tsunagari.surveys.tabulate import (
    reference_date,
    registry_margins,
    responses_frame,
    tabulate,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from tsunagari.accounts.models import Staff

AGE_ITEM = {"column": "age", "text": "あなたの年齢をお答えください。", "kind": "number"}


def stored_imports(staff_id: int) -> quota.Stored:
    """Response files a member of staff uploaded that wait to be imported
    (an imported or discarded file is deleted), for their share of the data folder."""
    found = (
        ResponseImport.objects.filter(created_by_id=staff_id)
        .exclude(file="")
        .aggregate(n=Count("pk"), b=Sum("size"))
    )
    return quota.Stored(found["n"] or 0, found["b"] or 0)


class SurveyError(Exception):
    """A request the service refuses; the message says what to change."""


def min_cell() -> int:
    return int(settings.SMALL_CELL_MIN)


def create_survey(
    staff: Staff,
    *,
    fiscal_year: int,
    title: str,
    wave: int = 1,
    fieldwork_start: date | None = None,
    fieldwork_end: date | None = None,
    sample_design: str = "",
    sample_size: int | None = None,
) -> Survey:
    """Define a survey round with the national questions word for word and the ward's items."""
    require(staff, Action.MANAGE_SURVEYS)
    if not 2000 <= fiscal_year <= 2100:
        raise SurveyError(_("年度は西暦で入力してください（例: 2026）。"))
    if not title.strip():
        raise SurveyError(_("調査名を入力してください。"))
    if fieldwork_start and fieldwork_end and fieldwork_end < fieldwork_start:
        raise SurveyError(_("調査期間の終了日が開始日より前です。"))
    if Survey.objects.filter(fiscal_year=fiscal_year, wave=wave).exists():
        raise SurveyError(
            _("%(year)s年度 第%(wave)s回の調査はすでにあります。")
            % {"year": fiscal_year, "wave": wave}
        )
    with transaction.atomic():
        survey = Survey.objects.create(
            fiscal_year=fiscal_year,
            wave=wave,
            title=title.strip()[:200],
            fieldwork_start=fieldwork_start,
            fieldwork_end=fieldwork_end,
            sample_design=sample_design.strip(),
            sample_size=sample_size,
        )
        items: list[Question] = [
            Question(survey=survey, order=0, source=Question.Source.WARD, choices=[], **AGE_ITEM)
        ]
        for order, item in enumerate(QUESTIONNAIRE, start=1):
            items.append(
                Question(
                    survey=survey,
                    column=item.column,
                    text=item.question,
                    kind=item.kind,
                    choices=[{"code": c.code, "label": c.label} for c in item.choices],
                    source=Question.Source.NATIONAL
                    if item.source == "national"
                    else Question.Source.WARD,
                    order=order,
                )
            )
        Question.objects.bulk_create(items)
        write_event(EventKind.SURVEY_DEFINED, survey, staff, fiscal_year=fiscal_year)
        record(staff, AuditAction.CREATE, obj=survey, detail={"fiscal_year": fiscal_year})
    return survey


def ward_towns() -> set[str]:
    """The ward's town names: Koto City's list and any town in the people registry."""
    from tsunagari.people.models import Person

    towns = set(KOTO_TOWNS)
    towns.update(
        t for t in Person.objects.exclude(town="").values_list("town", flat=True).distinct()
    )
    return towns


def upload_responses(staff: Staff, survey: Survey, upload: UploadedFile[bytes]) -> ResponseImport:
    """Store an uploaded responses file and propose which column is which item.

    Raises:
        SurveyError: the file cannot be read (the message says why); nothing is stored.
    """
    require(staff, Action.MANAGE_SURVEYS)
    name = Path(upload.name or "responses.csv").name[:200]
    if (upload.size or 0) > reading.MAX_BYTES:
        raise SurveyError(
            _("ファイルが大きすぎます（上限 %(max_mb)s MB）。")
            % {"max_mb": reading.MAX_BYTES // 1024 // 1024}
        )
    data = upload.read(reading.MAX_BYTES + 1)
    try:
        table = reading.read_upload(data, name)
    except reading.FileProblem as exc:
        record(staff, AuditAction.CREATE, obj=survey, reason="import refused", detail={"file": name, "problem": str(exc)})  # fmt: skip
        raise SurveyError(str(exc)) from None
    kind = reading.file_kind(name)
    try:
        quota.check(staff.pk, len(data))
    except quota.QuotaExceeded as exc:
        raise SurveyError(str(exc)) from None
    job = ResponseImport(
        survey=survey,
        original_name=name,
        file_kind=kind,
        size=len(data),
        columns=table.header,
        mapping=importing.propose_mapping(table.header),
        samples=importing.samples(table),
        rows_total=len(table.frame),
        created_by=staff,
    )
    # A random stored name: the uploaded one may carry a person's name or a path.
    job.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(data), save=False)
    job.save()
    write_event(EventKind.SURVEY_FILE_UPLOADED, job, staff, rows=len(table.frame))
    record(staff, AuditAction.CREATE, obj=job, detail={"file": name, "rows": len(table.frame)})
    return job


def _read_job(job: ResponseImport) -> reading.Table:
    if not job.file:
        raise SurveyError(
            _("この取り込みのファイルはもうありません。もう一度アップロードしてください。")
        )
    with job.file.open("rb") as fh:
        data = fh.read()
    try:
        return reading.read_upload(data, job.original_name)
    except reading.FileProblem as exc:
        raise SurveyError(str(exc)) from None


def check_import(
    staff: Staff, job: ResponseImport, mapping: dict[str, str], *, accept_no_answer: bool = False
) -> importing.CheckResult:
    """Check the whole file with the confirmed mapping; keep the report on the job."""
    require(staff, Action.MANAGE_SURVEYS)
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.INVALID, ImportStatus.VALID):
        raise SurveyError(_("この取り込みはもう確認できません。"))
    table = _read_job(job)
    clean_mapping = {k: v for k, v in mapping.items() if k in importing.FIELD_KEYS and v}
    result = importing.check(table, clean_mapping, ward_towns())
    job.mapping = clean_mapping
    job.accept_no_answer = accept_no_answer
    job.report = result.report()
    job.rows_total = result.rows
    job.status = ImportStatus.VALID if result.can_import(accept_no_answer) else ImportStatus.INVALID
    job.save(update_fields=["mapping", "accept_no_answer", "report", "rows_total", "status"])
    return result


def run_import(staff: Staff, job: ResponseImport) -> Analysis:
    """Replace the survey's responses with the file's rows, all or nothing, then analyse.

    The file is checked again inside the transaction, so a file that changed
    or a mapping that no longer fits is refused rather than half-imported.
    """
    require(staff, Action.MANAGE_SURVEYS)
    if job.status != ImportStatus.VALID:
        raise SurveyError(
            _("確認が済んでいないか、問題が残っています。列の対応を確認してください。")
        )
    table = _read_job(job)
    result = importing.check(table, job.mapping, ward_towns())
    if not result.can_import(job.accept_no_answer) or result.clean is None:
        job.status = ImportStatus.INVALID
        job.report = result.report()
        job.save(update_fields=["status", "report"])
        raise SurveyError(
            _("ファイルに問題があるため取り込みませんでした。確認結果を見てください。")
        )
    survey = job.survey
    ResponseImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, rows_done=0)
    try:
        with transaction.atomic():
            Response.objects.filter(survey=survey).delete()
            _store_rows(survey, job, result.clean)
            analysis = analyse_survey(staff, survey)
            job.status = ImportStatus.IMPORTED
            job.rows_done = len(result.clean)
            job.finished = timezone.now()
            job.report = result.report()
            job.save(update_fields=["status", "rows_done", "finished", "report"])
            write_event(EventKind.SURVEY_RESPONSES_IMPORTED, job, staff, imported=len(result.clean))
            record(staff, AuditAction.CREATE, obj=job, detail={"imported": len(result.clean)})
    except Exception:
        ResponseImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, message="取り込みに失敗し、すべて取り消しました。"
        )
        raise
    # Raw files hold more than the survey needs; keep only the stored codes.
    _delete_file(job)
    return analysis


def _store_rows(survey: Survey, job: ResponseImport, clean: pd.DataFrame) -> None:
    def codes(column: str) -> list[int | None]:
        values = clean[column].to_numpy(dtype=np.float64)
        return [None if np.isnan(v) else int(v) for v in values]

    coded = {c: codes(c) for c in importing.CODED}
    ids = clean["respondent_id"].tolist()
    bands = clean["age_band"].tolist()
    sexes = clean["sex"].tolist()
    towns = clean["town"].tolist()
    places = clean["places"].tolist()
    table = Response._meta.db_table
    columns = ["survey_id", "source_import_id", "respondent_id", "age_band", "sex", "town", "places", *importing.CODED]  # fmt: skip
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Table and column names come from the model; every value is a bound parameter.
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
    rows = zip(
        [survey.pk] * len(ids), [job.pk] * len(ids), ids, bands, sexes, towns, places,
        *(coded[c] for c in importing.CODED), strict=True,
    )  # fmt: skip
    # One multi-row executemany: bulk_create on SQLite splits 100,000 rows into
    # thousands of small statements and takes ten times as long.
    batch = 20_000
    pending = list(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(pending), batch):
            cursor.executemany(sql, pending[start : start + batch])
            ResponseImport.objects.filter(pk=job.pk).update(
                rows_done=min(start + batch, len(pending))
            )


def discard_import(staff: Staff, job: ResponseImport) -> None:
    """Abandon an import that was not run; its stored file is deleted."""
    require(staff, Action.MANAGE_SURVEYS)
    if job.status in (ImportStatus.IMPORTED, ImportStatus.RUNNING):
        raise SurveyError(_("取り込み済みのものは取り消せません。"))
    job.status = ImportStatus.DISCARDED
    job.save(update_fields=["status"])
    _delete_file(job)
    write_event(EventKind.SURVEY_FILE_DISCARDED, job, staff)
    record(staff, AuditAction.DELETE, obj=job)


def _delete_file(job: ResponseImport) -> None:
    if job.file:
        job.file.delete(save=False)
    ResponseImport.objects.filter(pk=job.pk).update(file="", samples={})


def use_margins_file(staff: Staff, survey: Survey, upload: UploadedFile[bytes]) -> Analysis:
    """Weight the survey to an uploaded MARGINS.csv (dimension, level, population)."""
    require(staff, Action.MANAGE_SURVEYS)
    data = upload.read(2 * 1024 * 1024 + 1)
    if len(data) > 2 * 1024 * 1024:
        raise SurveyError(_("母集団ファイルが大きすぎます（上限 2 MB）。"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "MARGINS.csv"
        path.write_bytes(data)
        try:
            margins = read_margins(path).margins
        except SurveyInputError as exc:
            raise SurveyError(
                _("母集団ファイルを読み取れません: %(problem)s（%(row)s行目 %(column)s列）")
                % {"problem": exc.problem, "row": exc.row, "column": exc.column}
            ) from None
    return analyse_survey(staff, survey, margins=margins, source="file")


def analyse_survey(
    staff: Staff,
    survey: Survey,
    *,
    margins: dict[str, dict[str, float]] | None = None,
    source: str = "registry",
) -> Analysis:
    """Score, rake and tabulate the stored responses; replace the survey's stored results.

    Weighted estimates are raked to ``margins`` (by default the registry's
    residents aged 16+ on the reference date); unweighted estimates are kept
    beside them. When the margins cannot be met (a town in the responses that
    the margins lack, say) the results are unweighted and the note says why.
    """
    require(staff, Action.MANAGE_SURVEYS)
    frame = responses_frame(survey)
    if margins is None and source == "registry":
        margins = registry_margins(reference_date(survey))
    cell = min_cell()
    tab = tabulate(frame, margins, source=source, min_cell=cell)
    with transaction.atomic():
        Analysis.objects.filter(survey=survey).delete()
        analysis = Analysis.objects.create(
            survey=survey,
            respondents=len(frame),
            weighted=tab.weighted,
            margins_source=source if tab.weighted else "",
            margins=margins or {},
            weighting_note=tab.note,
            direct=tab.direct,
            items=tab.items,
            min_cell=cell,
        )
        stored = []
        for is_weighted, rows in (
            (False, tab.unweighted),
            (True, tab.weighted_rows),
        ):
            for order, e in enumerate(rows):
                stored.append(
                    Estimate(
                        analysis=analysis, weighted=is_weighted, measure=e.measure, group=e.group,
                        level=e.level, order=order, n=e.n, estimate=e.estimate, ci_low=e.ci_low,
                        ci_high=e.ci_high, suppressed=e.suppressed,
                    )
                )  # fmt: skip
        Estimate.objects.bulk_create(stored, batch_size=2000)
        write_event(
            EventKind.SURVEY_ANALYSED, survey, staff, analysed=len(frame), weighted=tab.weighted
        )
        record(staff, AuditAction.UPDATE, obj=survey, detail={"analysed": len(frame), "weighted": tab.weighted})  # fmt: skip
    return analysis
