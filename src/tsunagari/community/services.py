"""The actions of community building, one function per domain verb.

Each checks ``Action.WORK_COMMUNITY``, runs in one transaction, validates its
input (``CommunityError`` says what to fix, nothing is written), writes a
named event (``COMMUNITY_ACTIVITY_CHANGED`` / ``COMMUNITY_ATTENDANCE_RECORDED``)
and the audit record, and reads the time from ``lib.clock``. Pages and the
demo call these; nothing else writes the models.

Attendance is counts only, and they must agree with each other: first-timers
and participants needing support are part of the total, the age bands add up
to the total, nothing is negative, and no session has more people than a
neighbourhood hall could hold (``MAX_ATTENDANCE``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.community.models import (
    AGE_BANDS,
    Activity,
    ActivityKind,
    ActivityStatus,
    Session,
    SessionStatus,
)
from tsunagari.community.versioned import VersionedEdits
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.resources.models import Location, Organization, Service, ServiceAtLocation

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

TITLE_MAX = 120
DESCRIPTION_MAX = 2000
SCHEDULE_MAX = 120
# More than a large community hall holds: a bigger number is a typing slip.
MAX_ATTENDANCE = 1000
MAX_VOLUNTEERS = 300
# Sessions are planned at most this far ahead, and this many at once.
PLAN_AHEAD_DAYS = 366
MAX_PLANNED_AT_ONCE = 60
# Activities cannot start further back than this (typing slips in the year).
EARLIEST_START = date(1990, 1, 1)


class CommunityError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


@dataclass
class ActivityInput:
    title: str = ""
    kind: str = ""
    location: str = ""  # resources.Location id
    service: str = ""  # resources.Service id (optional)
    organization: str = ""  # resources.Organization id (optional)
    description: str = ""
    schedule_note: str = ""
    volunteers: object = 0
    is_public: bool = True
    started_on: object = None  # date or "YYYY-MM-DD"; empty: today
    status: str = ActivityStatus.ACTIVE


@dataclass
class AttendanceInput:
    total: object = 0
    first_timers: object = 0
    bands: dict[str, object] = field(default_factory=dict)  # AGE_BANDS field name -> count
    with_support: object = 0
    volunteers: object = 0


# ── small checks ────────────────────────────────────────────────────────────


_read = Reader(gettext)
_text = _read.text


def _count(value: object, name: str, limit: int, errors: dict[str, str], label: str) -> int:
    return _read.count(value, name, errors, limit=limit, label=label)


def _time(value: object, name: str, errors: dict[str, str]) -> time | None:
    if value is None or value == "":
        return None
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip()[:5])
        except ValueError:
            pass
    errors[name] = gettext("時刻は 14:00 の形で入力してください。")
    return None


def _place(location_id: object, errors: dict[str, str]) -> Location | None:
    text = location_id.strip() if isinstance(location_id, str) else ""
    if not text:
        errors["location"] = gettext("場所を地域資源の一覧から選んでください。")
        return None
    location = Location.objects.filter(id=text[:64]).first()
    if location is None:
        errors["location"] = gettext(
            "その場所は地域資源にありません。先に地域資源に場所を登録してください。"
        )
        return None
    if location.x_confidential:
        errors["location"] = gettext(
            "所在地を公開しない場所には活動を登録できません。別の場所を選んでください。"
        )
        return None
    return location


# ── activities ──────────────────────────────────────────────────────────────


def _activity_fields(data: ActivityInput, errors: dict[str, str]) -> dict[str, object]:
    title = _text(
        data.title, "title", errors, limit=TITLE_MAX, required=gettext("入力してください。")
    )
    if data.kind not in ActivityKind.values:
        errors["kind"] = gettext("「定期的な活動」か「イベント」を選んでください。")
    if data.status not in ActivityStatus.values:
        errors["status"] = gettext("状態は 実施中・休止中・終了 から選んでください。")
    description = _text(data.description, "description", errors, limit=DESCRIPTION_MAX)
    schedule_note = _text(data.schedule_note, "schedule_note", errors, limit=SCHEDULE_MAX)
    volunteers = _count(data.volunteers, "volunteers", MAX_VOLUNTEERS, errors,
                        gettext("ボランティアの人数"))  # fmt: skip
    started_on = _read.date(data.started_on, "started_on", errors) or clock.today()
    if started_on is not None and not EARLIEST_START <= started_on <= clock.today() + timedelta(
        days=PLAN_AHEAD_DAYS
    ):
        errors["started_on"] = gettext("開始日は1990年以降、1年先までの日付にしてください。")
    location = _place(data.location, errors)
    service_id = data.service.strip()[:64] if isinstance(data.service, str) else ""
    if service_id:
        service = Service.objects.filter(id=service_id).first()
        if service is None:
            errors["service"] = gettext(
                "その資源は地域資源の一覧にありません。選び直してください。"
            )
        elif service.x_confidential:
            errors["service"] = gettext("非公開の資源には活動を結び付けられません。")
        elif (
            location is not None
            and not ServiceAtLocation.objects.filter(
                service_id=service_id, location_id=location.id
            ).exists()
        ):
            errors["service"] = gettext(
                "その資源は選んだ場所で行われていません。場所か資源を選び直してください。"
            )
    organization_id = data.organization.strip()[:64] if isinstance(data.organization, str) else ""
    if organization_id and not Organization.objects.filter(id=organization_id).exists():
        errors["organization"] = gettext(
            "その団体は地域資源にありません。先に地域資源に団体を登録してください。"
        )
    return {
        "title": title,
        "kind": data.kind,
        "status": data.status,
        "description": description,
        "schedule_note": schedule_note,
        "volunteers": volunteers,
        "is_public": bool(data.is_public),
        "started_on": started_on,
        "location_id": location.id if location else "",
        "town": location.x_town if location else "",
        "service_id": service_id,
        "organization_id": organization_id,
    }


def _facts(activity: Activity) -> dict[str, Any]:
    return {"activity_kind": activity.kind, "status": activity.status, "town": activity.town,
            "location": activity.location_id, "organization": activity.organization_id,
            "volunteers": activity.volunteers}  # fmt: skip


_edits = VersionedEdits(
    Activity, EventKind.COMMUNITY_ACTIVITY_CHANGED, CommunityError, facts=_facts, name="activity",
    missing=gettext_lazy("その活動はありません。"),
    stale=gettext_lazy(
        "ほかの職員がこの活動を先に保存しました。最新の内容を開き直してから変更してください。"),
)  # fmt: skip


def create_activity(actor: Staff | None, data: ActivityInput) -> Activity:
    """Register an activity at a place of the directory."""
    require_actor(actor, Action.WORK_COMMUNITY)
    return _edits.create(actor, lambda errors: _activity_fields(data, errors),
                         change="created", reason="community activity registered")  # fmt: skip


def update_activity(
    actor: Staff | None, activity_id: int, data: ActivityInput, *, version: int
) -> Activity:
    """Change an activity; refused when someone saved it since ``version`` was read."""
    require_actor(actor, Action.WORK_COMMUNITY)
    return _edits.correct(actor, activity_id, version, lambda errors: _activity_fields(data, errors),
                          change="updated", reason="community activity changed")  # fmt: skip


# ── sessions ────────────────────────────────────────────────────────────────


def plan_sessions(
    actor: Staff | None, activity_id: int, days: list[object], *,
    starts_at: object = None, ends_at: object = None,
) -> list[Session]:  # fmt: skip
    """Add planned sessions on ``days`` (past days may be added to record them)."""
    require_actor(actor, Action.WORK_COMMUNITY)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
        if activity is None:
            raise CommunityError({"activity": gettext("その活動はありません。")})
        errors: dict[str, str] = {}
        if activity.status == ActivityStatus.ENDED:
            errors["activity"] = gettext("終了した活動には開催回を追加できません。")
        start = _time(starts_at, "starts_at", errors)
        end = _time(ends_at, "ends_at", errors)
        if start and end and end <= start:
            errors["ends_at"] = gettext("終了時刻は開始時刻より後にしてください。")
        if not days:
            errors["on"] = gettext("開催日を1日以上入力してください。")
        elif len(days) > MAX_PLANNED_AT_ONCE:
            errors["on"] = gettext("一度に追加できる開催回は%(max)s回までです。") % {
                "max": MAX_PLANNED_AT_ONCE
            }
        dates: list[date] = []
        latest = clock.today() + timedelta(days=PLAN_AHEAD_DAYS)
        for raw in days[:MAX_PLANNED_AT_ONCE]:
            day = _read.date(raw, "on", errors, required=gettext("日付を入力してください。"))
            if day is None:
                break
            if not activity.started_on <= day <= latest:
                errors["on"] = gettext(
                    "開催日は活動の開始日（%(start)s）から1年先までの日付にしてください。"
                ) % {"start": activity.started_on.isoformat()}
                break
            if day in dates:
                errors["on"] = gettext("同じ日が2回入力されています。")
                break
            dates.append(day)
        taken = set(
            activity.sessions.filter(on__in=dates, starts_at=start).values_list("on", flat=True)
        )
        if taken and "on" not in errors:
            errors["on"] = gettext("すでに登録されている開催回があります: %(days)s") % {
                "days": "、".join(d.isoformat() for d in sorted(taken)[:5])
            }
        if errors:
            raise CommunityError(errors)
        sessions = [
            Session.objects.create(activity=activity, on=d, starts_at=start, ends_at=end)
            for d in sorted(dates)
        ]
        write_event(EventKind.COMMUNITY_ACTIVITY_CHANGED, activity, actor, change="sessions_planned",
                    days=[d.isoformat() for d in sorted(dates)])  # fmt: skip
        record(actor, AuditAction.CREATE, obj=activity, reason="community sessions planned",
               detail={"sessions": [s.pk for s in sessions]})  # fmt: skip
    return sessions


def _locked_session(session_id: int) -> Session:
    """The session with its activity, locked for the action's transaction."""
    session = (
        Session.objects.select_for_update().select_related("activity").filter(pk=session_id).first()
    )
    if session is None:
        raise CommunityError({"session": gettext("その開催回はありません。")})
    return session


def cancel_session(actor: Staff | None, session_id: int) -> Session:
    """Call a planned session off (it leaves the residents' list)."""
    require_actor(actor, Action.WORK_COMMUNITY)
    with transaction.atomic():
        session = _locked_session(session_id)
        if session.status != SessionStatus.PLANNED:
            raise CommunityError({"session": gettext("中止にできるのは予定の開催回だけです。")})
        session.status = SessionStatus.CANCELLED
        session.save(update_fields=["status"])
        write_event(EventKind.COMMUNITY_ACTIVITY_CHANGED, session.activity, actor,
                    change="session_cancelled", on=session.on.isoformat())  # fmt: skip
        record(actor, AuditAction.UPDATE, obj=session, reason="community session cancelled")
    return session


def check_attendance(data: AttendanceInput, errors: dict[str, str]) -> dict[str, int]:
    """The counts of ``data`` when they agree with each other; errors otherwise."""
    total = _count(data.total, "total", MAX_ATTENDANCE, errors, gettext("参加者数"))
    first = _count(data.first_timers, "first_timers", MAX_ATTENDANCE, errors,
                   gettext("初めての参加者"))  # fmt: skip
    support = _count(data.with_support, "with_support", MAX_ATTENDANCE, errors,
                     gettext("支援が必要な参加者"))  # fmt: skip
    volunteers = _count(data.volunteers, "volunteers", MAX_VOLUNTEERS, errors,
                        gettext("運営ボランティアの人数"))  # fmt: skip
    bands = {name: _count(data.bands.get(name), name, MAX_ATTENDANCE, errors, gettext(label))
             for name, label in AGE_BANDS}  # fmt: skip
    if "total" not in errors and "first_timers" not in errors and first > total:
        errors["first_timers"] = gettext(
            "初めての参加者（%(first)s人）が参加者数（%(total)s人）を超えています。"
        ) % {"first": first, "total": total}
    if "total" not in errors and "with_support" not in errors and support > total:
        errors["with_support"] = gettext(
            "支援が必要な参加者（%(n)s人）が参加者数（%(total)s人）を超えています。"
        ) % {"n": support, "total": total}
    if "total" not in errors and not any(name in errors for name, _label in AGE_BANDS):
        summed = sum(bands.values())
        if summed != total:
            errors["bands"] = gettext(
                "年齢区分の合計（%(sum)s人）が参加者数（%(total)s人）と合いません。"
                "わからない人は「年齢不明」に入れてください。"
            ) % {"sum": summed, "total": total}
    return {"total": total, "first_timers": first, "with_support": support,
            "volunteers": volunteers, **bands}  # fmt: skip


def record_attendance(actor: Staff | None, session_id: int, data: AttendanceInput) -> Session:
    """Record (or correct) how many came to a session that has taken place."""
    require_actor(actor, Action.WORK_COMMUNITY)
    with transaction.atomic():
        session = _locked_session(session_id)
        errors: dict[str, str] = {}
        if session.on > clock.today():
            errors["session"] = gettext("まだ開催日になっていない回の参加人数は記録できません。")
        if session.status == SessionStatus.CANCELLED:
            errors["session"] = gettext("中止した回の参加人数は記録できません。")
        counts = check_attendance(data, errors)
        if errors:
            raise CommunityError(errors)
        correction = session.status == SessionStatus.HELD
        for name, value in counts.items():
            setattr(session, name, value)
        session.status = SessionStatus.HELD
        session.recorded_at = clock.now()
        session.recorded_by = actor
        session.save()
        write_event(EventKind.COMMUNITY_ATTENDANCE_RECORDED, session.activity, actor,
                    session=session.pk, on=session.on.isoformat(), correction=correction or None,
                    total=session.total, first_timers=session.first_timers)  # fmt: skip
        record(actor, AuditAction.UPDATE if correction else AuditAction.CREATE, obj=session,
               reason="community attendance recorded", detail=counts)  # fmt: skip
    return session
