"""The plan's actions, one function per domain verb: targets, baselines,
hand-entered values with evidence, yearly evaluations and the plan
committee's comments.

Each checks ``MANAGE_PLAN`` (``require_actor``; ``None`` is the operator or
the demo loader), runs in one transaction, writes its named event and the
audit record, and reads the time from ``lib.clock``. Pages, the demo and
tests call these; nothing else writes the plan's models.
"""

from __future__ import annotations

import math
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock, quota
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.plan.figures import direction_figures
from tsunagari.plan.models import (
    CommitteeComment,
    Direction,
    EnteredValue,
    Evaluation,
    IndicatorDefinition,
    Rating,
    Source,
    Target,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from tsunagari.accounts.models import Staff

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "PlanError",
    "add_committee_comment",
    "enter_value",
    "record_evaluation",
    "set_baseline",
    "set_target",
]

TEXT_MAX = 2000
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
YEAR_MIN, YEAR_MAX = 2000, 2100
VALUE_MAX = 1e12


def stored_evidence(staff_id: int) -> quota.Stored:
    """The evidence files a member of staff attached, for their share of the data folder."""
    files, size = 0, 0
    for row in EnteredValue.objects.filter(entered_by_id=staff_id).exclude(evidence=""):
        files += 1
        try:
            size += row.evidence.size
        except OSError:
            pass  # gone from the folder: takes no room
    return quota.Stored(files, size)


class PlanError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


def _year(value: object, errors: dict[str, str], name: str = "fiscal_year") -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        errors[name] = gettext("年度は4桁の西暦で入力してください（例: 2026）。")
        return 0
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors[name] = gettext("年度は%(min)s〜%(max)sの西暦で入力してください。") % {
            "min": YEAR_MIN,
            "max": YEAR_MAX,
        }
    return year


def _number(value: object, unit: str, errors: dict[str, str], name: str = "value") -> float:
    text = str(value if value is not None else "").strip().replace(",", "").replace("%", "")
    try:
        number = float(text)
    except ValueError:
        errors[name] = gettext("数値で入力してください（例: 120 や 45.5）。")
        return 0.0
    if not math.isfinite(number) or number < 0 or number > VALUE_MAX:
        errors[name] = gettext("0以上の数値で入力してください。")
    elif unit == "%" and number > 100:
        errors[name] = gettext("割合は0〜100の範囲で入力してください。")
    return number


_read = Reader(gettext)


def _text(value: object, name: str, errors: dict[str, str]) -> str:
    return _read.text(value, name, errors, limit=TEXT_MAX, required=gettext("入力してください。"))


def _indicator(indicator_id: int) -> IndicatorDefinition:
    found = IndicatorDefinition.objects.select_related("direction", "period").filter(
        pk=indicator_id
    )
    defn = found.first()
    if defn is None:
        raise PlanError({"indicator": gettext("指標が見つかりません。")})
    return defn


def _in_period(defn: IndicatorDefinition, year: int, errors: dict[str, str]) -> None:
    period = defn.period
    # The baseline may lie before the plan; targets and values within it (or one year before).
    if year and not period.first_year - 1 <= year <= period.last_year:
        errors["fiscal_year"] = gettext(
            "この計画の年度（%(first)s〜%(last)s年度）を入力してください。"
        ) % {"first": period.first_year - 1, "last": period.last_year}


def _yearly_value(
    indicator_id: int, fiscal_year: object, value: object, *, in_period: bool
) -> tuple[IndicatorDefinition, int, float]:
    """The indicator, a fiscal year and a value in its unit, checked (a target's
    year within the plan when ``in_period``); raises PlanError with what to fix."""
    defn = _indicator(indicator_id)
    errors: dict[str, str] = {}
    year = _year(fiscal_year, errors)
    number = _number(value, defn.unit, errors)
    if in_period and not errors:
        _in_period(defn, year, errors)
    if errors:
        raise PlanError(errors)
    return defn, year, number


def set_target(
    actor: Staff | None, indicator_id: int, fiscal_year: object, value: object
) -> Target:
    """Set (or change) the target of an indicator for one fiscal year."""
    require_actor(actor, Action.MANAGE_PLAN)
    with transaction.atomic():
        defn, year, number = _yearly_value(indicator_id, fiscal_year, value, in_period=True)
        previous = Target.objects.filter(indicator=defn, fiscal_year=year).first()
        target, _created = Target.objects.update_or_create(
            indicator=defn,
            fiscal_year=year,
            defaults={"value": number, "set_by": actor, "set_at": clock.now()},
        )
        facts: dict[str, Any] = {"indicator": defn.code, "fiscal_year": year, "value": number}
        if previous is not None:
            facts["previous"] = previous.value
        # A target changed after it was set is a revision of the plan mid-period.
        kind = EventKind.PLAN_REVISED if previous is not None else EventKind.PLAN_TARGET_SET
        write_event(kind, target, actor, **facts)
        record(
            actor,
            AuditAction.UPDATE if previous else AuditAction.CREATE,
            obj=target,
            reason="plan target set",
            detail=facts,
        )
    return target


def set_baseline(
    actor: Staff | None, indicator_id: int, fiscal_year: object, value: object
) -> IndicatorDefinition:
    """Record the indicator's baseline (基準値) and the fiscal year it was measured in."""
    require_actor(actor, Action.MANAGE_PLAN)
    with transaction.atomic():
        defn, year, number = _yearly_value(indicator_id, fiscal_year, value, in_period=False)
        facts: dict[str, Any] = {"indicator": defn.code, "baseline_year": year, "baseline": number}
        defn.baseline_year, defn.baseline_value = year, number
        defn.save(update_fields=["baseline_year", "baseline_value"])
        write_event(EventKind.PLAN_BASELINE_SET, defn, actor, **facts)
        record(actor, AuditAction.UPDATE, obj=defn, reason="plan baseline set", detail=facts)
    return defn


def _evidence(upload: UploadedFile[bytes], errors: dict[str, str]) -> tuple[bytes, str, str]:
    from tsunagari.council.services import CouncilError, check_document

    name = Path(upload.name or "evidence").name[:200]
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    try:
        kind = check_document(name, data[:4096], len(data))
    except CouncilError as exc:
        errors["evidence"] = str(exc)
        return b"", "", ""
    if len(data) > MAX_EVIDENCE_BYTES:
        errors["evidence"] = gettext("ファイルが大きすぎます（上限 10 MB）。")
    return data, name, kind.content_type


def enter_value(
    actor: Staff | None,
    indicator_id: int,
    fiscal_year: object,
    value: object,
    note: object,
    evidence: UploadedFile[bytes] | None = None,
) -> EnteredValue:
    """Enter (or correct) a hand-entered indicator's value for a year, with its evidence.

    The note says where the figure comes from; a file (PDF, Excel, Word,
    image, text) may be attached and is kept in the data folder. A
    correction without a new file keeps the file already attached.
    """
    require_actor(actor, Action.MANAGE_PLAN)
    errors: dict[str, str] = {}
    defn = _indicator(indicator_id)
    if defn.source != Source.ENTERED:
        raise PlanError(
            {"indicator": gettext("この指標はシステムの記録から集計するため、入力できません。")}
        )
    year = _year(fiscal_year, errors)
    number = _number(value, defn.unit, errors)
    text = _text(note, "note", errors)
    if not errors:
        _in_period(defn, year, errors)
    data, name, content_type = (b"", "", "")
    if evidence is not None:
        data, name, content_type = _evidence(evidence, errors)
    if data and "evidence" not in errors:
        try:
            quota.check(actor.pk if actor is not None else None, len(data))
        except quota.QuotaExceeded as exc:
            errors["evidence"] = str(exc)
    if errors:
        raise PlanError(errors)
    stored_name = ""
    row: EnteredValue | None = None
    try:
        with transaction.atomic():
            # Two planners entering the year's first value at once: the second
            # waits here and then corrects the first one's row (no duplicate).
            IndicatorDefinition.objects.select_for_update().filter(pk=defn.pk).first()
            row = EnteredValue.objects.filter(indicator=defn, fiscal_year=year).first()
            previous = row.value if row else None
            row = row or EnteredValue(indicator=defn, fiscal_year=year)
            row.value, row.note, row.entered_by, row.entered_at = number, text, actor, clock.now()
            old_file = row.evidence.name if row.evidence else ""
            if data:
                stored_name = f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
                row.evidence.save(stored_name, ContentFile(data), save=False)
                row.evidence_name, row.evidence_type = name, content_type
            row.save()
            facts: dict[str, Any] = {
                "indicator": defn.code, "fiscal_year": year, "value": number,
                "evidence": bool(row.evidence),
            }  # fmt: skip
            if previous is not None:
                facts["previous"] = previous
            write_event(EventKind.PLAN_VALUE_ENTERED, row, actor, **facts)
            record(actor, AuditAction.CREATE if previous is None else AuditAction.UPDATE,
                   obj=row, reason="plan value entered", detail=facts)  # fmt: skip
    except Exception:
        if stored_name and row is not None:
            row.evidence.delete(save=False)  # no stored file without its record
        raise
    if stored_name and old_file:
        row.evidence.storage.delete(old_file)
    return row


def record_evaluation(
    actor: Staff | None,
    direction_id: int,
    fiscal_year: object,
    rating: object,
    comment: object,
    next_steps: object,
) -> Evaluation:
    """The owning department's evaluation of a direction for a year.

    The indicator rows as they stand now are frozen into the evaluation; a
    second evaluation of the same year replaces the first (and freezes again).
    """
    require_actor(actor, Action.MANAGE_PLAN)
    with transaction.atomic():
        direction = Direction.objects.select_related("period").filter(pk=direction_id).first()
        if direction is None:
            raise PlanError({"direction": gettext("施策の方向性が見つかりません。")})
        errors: dict[str, str] = {}
        year = _year(fiscal_year, errors)
        if rating not in Rating.values:
            errors["rating"] = gettext("評価をA〜Dから選んでください。")
        comment_text = _text(comment, "comment", errors)
        steps_text = _text(next_steps, "next_steps", errors)
        if year and not errors and not direction.period.covers(year):
            errors["fiscal_year"] = gettext("この計画の期間内の年度を入力してください。")
        if errors:
            raise PlanError(errors)
        figures = direction_figures(year, direction.period)
        frozen = next(
            [r.as_dict() for r in f.rows] for f in figures if f.direction.pk == direction.pk
        )
        evaluation, created = Evaluation.objects.update_or_create(
            direction=direction,
            fiscal_year=year,
            defaults={
                "rating": str(rating), "comment": comment_text, "next_steps": steps_text,
                "values": frozen, "evaluated_by": actor, "evaluated_at": clock.now(),
            },
        )  # fmt: skip
        facts: dict[str, Any] = {
            "direction": direction.code,
            "fiscal_year": year,
            "rating": str(rating),
        }
        write_event(EventKind.PLAN_EVALUATED, evaluation, actor, **facts)
        record(actor, AuditAction.CREATE if created else AuditAction.UPDATE, obj=evaluation,
               reason="plan direction evaluated", detail=facts)  # fmt: skip
    return evaluation


def add_committee_comment(
    actor: Staff | None, evaluation_id: int, text: object
) -> CommitteeComment:
    """Record the plan committee's comment on an evaluation (the secretariat enters it)."""
    require_actor(actor, Action.MANAGE_PLAN)
    with transaction.atomic():
        evaluation = Evaluation.objects.select_related("direction").filter(pk=evaluation_id).first()
        if evaluation is None:
            raise PlanError({"evaluation": gettext("評価が見つかりません。")})
        errors: dict[str, str] = {}
        body = _text(text, "text", errors)
        if errors:
            raise PlanError(errors)
        comment = CommitteeComment.objects.create(
            evaluation=evaluation, text=body, recorded_by=actor, recorded_at=clock.now()
        )
        facts: dict[str, Any] = {
            "direction": evaluation.direction.code,
            "fiscal_year": evaluation.fiscal_year,
        }
        write_event(EventKind.PLAN_COMMITTEE_COMMENTED, comment, actor, **facts)
        record(actor, AuditAction.CREATE, obj=comment, reason="plan committee comment",
               detail=facts)  # fmt: skip
    return comment
