"""The actions of the workforce register, one function per domain verb.

Each checks ``Action.MANAGE_WORKFORCE`` on the agency or on every worker it
touches (``access``: a supervisor keeps only their own agency's register),
runs in one transaction, validates its input (``WorkforceError`` says what to
fix, nothing is written), writes a named event and the audit record, and
reads the time from ``lib.clock``. Pages and the demo call these.

Events carry ids, codes, dates and hours, never a worker's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext

from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.workforce.access import sees_every_agency
from tsunagari.workforce.models import (
    Attendance,
    Qualification,
    QualificationKind,
    Supervision,
    SupervisionFormat,
    Training,
    Worker,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

NAME_MAX = 100
JOB_MAX = 60
TITLE_MAX = 120
ORGANISER_MAX = 120
OTHER_NAME_MAX = 60
# A course longer than this on one day is a typing slip (hours are per course).
TRAINING_HOURS_MAX = Decimal(100)
SUPERVISION_HOURS_MAX = Decimal(8)
EARLIEST_QUALIFICATION = date(1950, 1, 1)
EARLIEST_RECORD = date(2000, 1, 1)
# One attendance list holds at most this many people (a large hall).
MAX_ATTENDEES = 500


class WorkforceError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


@dataclass
class WorkerInput:
    name: str = ""
    job: str = ""
    staff: object = None  # a Staff id (optional): the worker's sign-in account


@dataclass
class TrainingInput:
    title: str = ""
    held_on: object = None  # date or "YYYY-MM-DD"
    hours: object = ""
    organiser: str = ""
    cross_agency: bool = False


@dataclass
class SupervisionInput:
    held_on: object = None
    supervisor: str = ""
    format: str = ""
    hours: object = ""
    workers: list[object] = field(default_factory=list)


# ── small checks ────────────────────────────────────────────────────────────


_read = Reader(gettext)


def _text(
    value: object, name: str, limit: int, errors: dict[str, str], *, needed: bool = False
) -> str:
    required = gettext("入力してください。") if needed else ""
    return _read.text(value, name, errors, limit=limit, required=required)


def _day(value: object, name: str, errors: dict[str, str], earliest: date) -> date | None:
    """A day on which something took place (not in the future, not before ``earliest``)."""
    return _read.past_date(value, name, errors, today=clock.today(), earliest=earliest,
                           required=gettext("日付を入力してください。"))  # fmt: skip


def _hours(value: object, name: str, errors: dict[str, str], limit: Decimal) -> Decimal:
    text = str(value).strip() if value is not None else ""
    if not text:
        errors[name] = gettext("時間数を入力してください（例: 1.5）。")
        return Decimal(0)
    try:
        hours = Decimal(text)
    except InvalidOperation:
        errors[name] = gettext("時間数は半角の数字で入力してください（例: 1.5）。")
        return Decimal(0)
    if not hours.is_finite() or hours <= 0:
        errors[name] = gettext("時間数は0より大きい数にしてください。")
        return Decimal(0)
    if hours > limit:
        errors[name] = gettext(
            "時間数が%(limit)s時間を超えています。入力の誤りがないか確かめてください。"
        ) % {"limit": limit}
        return Decimal(0)
    if hours != hours.quantize(Decimal("0.1")):
        errors[name] = gettext("時間数は0.1時間単位で入力してください。")
        return Decimal(0)
    return hours


def _ids(values: Iterable[object]) -> list[int]:
    out: list[int] = []
    for v in values:
        text = str(v).strip()
        if text.isascii() and text.isdigit() and len(text) < 18 and int(text) not in out:
            out.append(int(text))
    return out


def _workers(
    actor: Staff | None, ids: Iterable[object], errors: dict[str, str], name: str = "workers"
) -> list[Worker]:
    """The workers of ``ids``, each checked against the actor's register (refusal raises)."""
    wanted = _ids(ids)
    if len(wanted) > MAX_ATTENDEES:
        errors[name] = gettext("一度に記録できるのは%(n)s人までです。") % {"n": MAX_ATTENDEES}
        return []
    found = {w.pk: w for w in Worker.objects.filter(pk__in=wanted).select_related("agency")}
    missing = [i for i in wanted if i not in found]
    if missing:
        errors[name] = gettext("名簿にない人が選ばれています。選び直してください。")
        return []
    workers = [found[i] for i in wanted]
    for worker in workers:
        require_actor(actor, Action.MANAGE_WORKFORCE, worker)
    return workers


def _worker(actor: Staff | None, worker_id: int) -> Worker:
    worker = Worker.objects.select_related("agency").filter(pk=worker_id).first()
    if worker is None:
        raise WorkforceError({"worker": gettext("その人は名簿にいません。")})
    require_actor(actor, Action.MANAGE_WORKFORCE, worker)
    return worker


# ── the register ────────────────────────────────────────────────────────────


def add_worker(actor: Staff | None, agency: Agency, data: WorkerInput) -> Worker:
    """Put a worker on an agency's register."""
    require_actor(actor, Action.MANAGE_WORKFORCE, agency)
    with transaction.atomic():
        errors: dict[str, str] = {}
        name = _text(data.name, "name", NAME_MAX, errors, needed=True)
        job = _text(data.job, "job", JOB_MAX, errors)
        staff = None
        staff_id = _ids([data.staff]) if data.staff not in (None, "") else []
        if data.staff not in (None, "") and not staff_id:
            errors["staff"] = gettext("職員アカウントを一覧から選んでください。")
        elif staff_id:
            staff = Staff.objects.filter(pk=staff_id[0]).first()
            if staff is None:
                errors["staff"] = gettext("その職員アカウントはありません。")
            elif staff.agency_id != agency.pk:
                errors["staff"] = gettext("この機関に所属する職員アカウントを選んでください。")
            elif Worker.objects.filter(staff=staff).exists():
                errors["staff"] = gettext("その職員アカウントはすでに名簿に登録されています。")
        if errors:
            raise WorkforceError(errors)
        worker = Worker.objects.create(agency=agency, name=name, job=job, staff=staff,
                                       created=clock.now(), created_by=actor)  # fmt: skip
        facts: dict[str, Any] = {
            "agency": agency.code,
            "worker": worker.pk,
            "has_account": staff is not None,
        }
        write_event(EventKind.WORKER_REGISTERED, worker, actor, change="worker_registered",
                    **facts)  # fmt: skip
        record(actor, AuditAction.CREATE, obj=worker, reason="workforce worker registered",
               detail=facts)  # fmt: skip
    return worker


def set_worker_active(actor: Staff | None, worker_id: int, *, active: bool) -> Worker:
    """Mark a worker as having left the agency (or back); their records stay."""
    with transaction.atomic():
        worker = _worker(actor, worker_id)
        if worker.is_active == active:
            return worker
        worker.is_active = active
        worker.save(update_fields=["is_active"])
        facts: dict[str, Any] = {
            "agency": worker.agency.code,
            "worker": worker.pk,
            "active": active,
        }
        write_event(EventKind.WORKER_STATUS_CHANGED, worker, actor, change="worker_status",
                    **facts)  # fmt: skip
        record(actor, AuditAction.UPDATE, obj=worker, reason="workforce worker status",
               detail=facts)  # fmt: skip
    return worker


def record_qualification(
    actor: Staff | None, worker_id: int, kind: str, obtained_on: object, other_name: str = ""
) -> Qualification:
    """Record that a worker holds a qualification, with the date obtained."""
    with transaction.atomic():
        worker = _worker(actor, worker_id)
        errors: dict[str, str] = {}
        if kind not in QualificationKind.values:
            errors["kind"] = gettext("資格を一覧から選んでください。")
        other = _text(other_name, "other_name", OTHER_NAME_MAX, errors,
                      needed=kind == QualificationKind.OTHER)  # fmt: skip
        if kind != QualificationKind.OTHER:
            other = ""
        day = _day(obtained_on, "obtained_on", errors, EARLIEST_QUALIFICATION)
        if not errors and worker.qualifications.filter(kind=kind, other_name=other).exists():
            errors["kind"] = gettext("この資格はすでに記録されています。")
        if errors:
            raise WorkforceError(errors)
        assert day is not None
        qualification = Qualification.objects.create(
            worker=worker, kind=kind, other_name=other, obtained_on=day,
            recorded_at=clock.now(), recorded_by=actor,
        )  # fmt: skip
        facts: dict[str, Any] = {"agency": worker.agency.code, "worker": worker.pk, "qualification": kind,
                 "obtained_on": day.isoformat()}  # fmt: skip
        write_event(EventKind.QUALIFICATION_RECORDED, worker, actor, change="qualification",
                    **facts)  # fmt: skip
        record(actor, AuditAction.CREATE, obj=qualification,
               reason="workforce qualification recorded", detail=facts)  # fmt: skip
    return qualification


# ── training ────────────────────────────────────────────────────────────────


def _attend(training: Training, workers: list[Worker], actor: Staff | None) -> list[Attendance]:
    already = set(training.attendances.values_list("worker_id", flat=True))
    now = clock.now()
    return [
        Attendance.objects.create(training=training, worker=w, recorded_at=now, recorded_by=actor)
        for w in workers
        if w.pk not in already
    ]


def _per_agency(workers: list[Worker]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in workers:
        counts[w.agency.code] = counts.get(w.agency.code, 0) + 1
    return dict(sorted(counts.items()))


def record_training(
    actor: Staff | None, data: TrainingInput, worker_ids: list[object], *,
    agency: Agency | None = None,
) -> Training:  # fmt: skip
    """Record a course and who attended it, in one go.

    An agency's own course (``agency`` given) lists only that agency's workers;
    the ward's cross-agency course (``data.cross_agency``) lists workers of many
    agencies and is entered by those who keep every register.
    """
    if agency is not None:
        require_actor(actor, Action.MANAGE_WORKFORCE, agency)
    else:
        require_actor(actor, Action.MANAGE_WORKFORCE)
    with transaction.atomic():
        errors: dict[str, str] = {}
        title = _text(data.title, "title", TITLE_MAX, errors, needed=True)
        organiser = _text(data.organiser, "organiser", ORGANISER_MAX, errors, needed=True)
        day = _day(data.held_on, "held_on", errors, EARLIEST_RECORD)
        hours = _hours(data.hours, "hours", errors, TRAINING_HOURS_MAX)
        cross = bool(data.cross_agency)
        if cross and actor is not None and not sees_every_agency(actor):
            errors["cross_agency"] = gettext(
                "重層的支援体制の合同研修は、区（管理者・計画担当）が参加機関をまとめて記録します。"
                "自分の機関の受講者は、記録された研修に追加してください。"
            )
        if agency is None and not cross:
            errors["agency"] = gettext("研修を記録する機関を選んでください。")
        workers = _workers(actor, worker_ids, errors)
        if not workers and "workers" not in errors:
            errors["workers"] = gettext("受講した人を1人以上選んでください。")
        if agency is not None and any(w.agency_id != agency.pk for w in workers):
            errors["workers"] = gettext("この機関の名簿の人だけを選んでください。")
        if errors:
            raise WorkforceError(errors)
        assert day is not None
        training = Training.objects.create(
            title=title, held_on=day, hours=hours, organiser=organiser, cross_agency=cross,
            agency=agency, created=clock.now(), created_by=actor,
        )  # fmt: skip
        _attend(training, workers, actor)
        facts: dict[str, Any] = {"held_on": day.isoformat(), "hours": str(hours), "cross_agency": cross,
                 "agency": agency.code if agency else "", "attendees": len(workers),
                 "per_agency": _per_agency(workers)}  # fmt: skip
        write_event(EventKind.TRAINING_RECORDED, training, actor, change="recorded", **facts)
        record(actor, AuditAction.CREATE, obj=training, reason="workforce training recorded",
               detail={**facts, "workers": [w.pk for w in workers]})  # fmt: skip
    return training


def add_attendance(
    actor: Staff | None, training_id: int, worker_ids: list[object]
) -> list[Attendance]:
    """Add attendees to a recorded course (a supervisor adds their own agency's)."""
    require_actor(actor, Action.MANAGE_WORKFORCE)
    with transaction.atomic():
        training = Training.objects.select_for_update().filter(pk=training_id).first()
        if training is None:
            raise WorkforceError({"training": gettext("その研修はありません。")})
        if training.agency_id is not None:
            require_actor(actor, Action.MANAGE_WORKFORCE, training.agency)
        errors: dict[str, str] = {}
        workers = _workers(actor, worker_ids, errors)
        if not workers and "workers" not in errors:
            errors["workers"] = gettext("受講した人を1人以上選んでください。")
        if training.agency_id is not None and any(
            w.agency_id != training.agency_id for w in workers
        ):
            errors["workers"] = gettext(
                "この研修に追加できるのは、研修を記録した機関の名簿の人だけです。"
            )
        if errors:
            raise WorkforceError(errors)
        added = _attend(training, workers, actor)
        facts: dict[str, Any] = {
            "added": len(added),
            "per_agency": _per_agency([a.worker for a in added]),
        }
        write_event(
            EventKind.TRAINING_RECORDED, training, actor, change="attendance_added", **facts
        )
        record(actor, AuditAction.UPDATE, obj=training, reason="workforce attendance added",
               detail={**facts, "workers": [a.worker_id for a in added]})  # fmt: skip
    return added


# ── supervision ─────────────────────────────────────────────────────────────


def record_supervision(actor: Staff | None, agency: Agency, data: SupervisionInput) -> Supervision:
    """Record a supervision session of an agency (who, when, how long; no case content)."""
    require_actor(actor, Action.MANAGE_WORKFORCE, agency)
    with transaction.atomic():
        errors: dict[str, str] = {}
        day = _day(data.held_on, "held_on", errors, EARLIEST_RECORD)
        supervisor = _text(data.supervisor, "supervisor", NAME_MAX, errors, needed=True)
        if data.format not in SupervisionFormat.values:
            errors["format"] = gettext("形式は「個別」か「グループ」を選んでください。")
        hours = _hours(data.hours, "hours", errors, SUPERVISION_HOURS_MAX)
        workers = _workers(actor, data.workers, errors)
        if not workers and "workers" not in errors:
            errors["workers"] = gettext("スーパービジョンを受けた人を1人以上選んでください。")
        elif any(w.agency_id != agency.pk for w in workers):
            errors["workers"] = gettext("この機関の名簿の人だけを選んでください。")
        elif data.format == SupervisionFormat.INDIVIDUAL and len(workers) != 1:
            errors["workers"] = gettext("個別のスーパービジョンでは1人を選んでください。")
        elif data.format == SupervisionFormat.GROUP and len(workers) < 2:
            errors["workers"] = gettext("グループのスーパービジョンでは2人以上を選んでください。")
        if errors:
            raise WorkforceError(errors)
        assert day is not None
        session = Supervision.objects.create(
            agency=agency, held_on=day, supervisor=supervisor, format=data.format, hours=hours,
            created=clock.now(), created_by=actor,
        )  # fmt: skip
        session.workers.set(workers)
        facts: dict[str, Any] = {"agency": agency.code, "held_on": day.isoformat(), "format": data.format,
                 "hours": str(hours), "workers": len(workers)}  # fmt: skip
        write_event(EventKind.SUPERVISION_RECORDED, session, actor, **facts)
        record(actor, AuditAction.CREATE, obj=session, reason="workforce supervision recorded",
               detail={**facts, "worker_ids": [w.pk for w in workers]})  # fmt: skip
    return session
