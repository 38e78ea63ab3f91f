"""The shared steps of a meeting record: minutes with a version check, actions
with a due date on the ward's working-day calendar, and an agency's worklist.

These are the inner steps of the apps' own verbs (``council.services``,
``cases.services``): the app checks the permission, opens the transaction,
writes its named event and the audit record, and calls these for the part
every meeting shares. They take the app's concrete model (a subclass of the
abstract models in ``meetings.models``), so one function serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext

from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.meetings.models import ActionItemBase, ActionStatus, MinutesBase

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from tsunagari.accounts.models import Staff
    from tsunagari.lib.calendar import WorkingCalendar

M = TypeVar("M", bound=MinutesBase)
A = TypeVar("A", bound=ActionItemBase)

MINUTES_MAX = 100_000
TITLE_MAX = 300


class MeetingInputError(FieldErrors):
    """Minutes or an action that cannot be saved; ``errors`` says what to fix."""


class MinutesConflict(FieldErrors):
    """Minutes saved against an older version: refused, nothing written.

    ``yours`` is the text that was refused, ``theirs`` the text saved since
    (with its ``version``), so the page can show both side by side.
    """

    def __init__(self, errors: dict[str, str], *, yours: str, theirs: str, version: int) -> None:
        super().__init__(errors)
        self.yours = yours
        self.theirs = theirs
        self.version = version


# ── the working-day calendar ──


def _calendar() -> WorkingCalendar:
    from tsunagari.consultations.limits import working_calendar

    return working_calendar()


def overdue_days(due_on: date, today: date | None = None) -> int:
    """Working days of the ward after ``due_on`` up to ``today``; 0 when none has passed.

    An action due on the Friday before a holiday weekend, or on 28 December,
    is not overdue until the next working day comes.
    """
    today = today or clock.today()
    if due_on >= today:
        return 0
    try:
        return max(0, _calendar().working_days_between(due_on, today))
    except ValueError:  # outside the years the calendar knows: count calendar days
        return (today - due_on).days


def overdue_cutoff(today: date | None = None) -> date:
    """The last working day on or before ``today``: an open action due before it is overdue."""
    today = today or clock.today()
    calendar = _calendar()
    day = today
    try:
        for _ in range(60):
            if calendar.is_working_day(day):
                return day
            day -= timedelta(days=1)
    except ValueError:
        pass
    return today


def overdue(rows: QuerySet[A], today: date | None = None) -> QuerySet[A]:
    """The open actions of ``rows`` that are overdue on the working-day calendar."""
    return rows.filter(status=ActionStatus.OPEN, due_on__lt=overdue_cutoff(today))


def agency_open_actions(model: type[A], agency_id: int) -> QuerySet[A]:
    """The open actions an agency is responsible for, soonest due first: its worklist."""
    lookup = f"{model.AGENCY_FIELD}_id"
    return model._default_manager.filter(status=ActionStatus.OPEN, **{lookup: agency_id}).order_by(
        "due_on", "pk"
    )


# ── minutes ──


@dataclass(frozen=True)
class SavedMinutes:
    minutes: MinutesBase
    created: bool


def save_minutes(
    model: type[M],
    meeting: Model,
    text: str,
    *,
    staff: Staff | None,
    version: int | None,
    conflict: type[MinutesConflict] = MinutesConflict,
    limit: int = MINUTES_MAX,
) -> SavedMinutes:
    """Write or rewrite a meeting's minutes.

    ``version`` is the version the writer started from (0: there were no
    minutes yet). When someone saved since, the save is refused with
    ``conflict`` (a ``MinutesConflict``), carrying both texts. ``None`` skips
    the check (a first recording by the app itself, such as at a conference).
    """
    clean = text.strip() if isinstance(text, str) else ""
    if not clean:
        raise MeetingInputError({"text": gettext("議事録を入力してください。")})
    if len(clean) > limit or "\x00" in clean:
        raise MeetingInputError(
            {
                "text": gettext("議事録は%(limit)s文字以内の文字で入力してください。")
                % {"limit": limit}
            }
        )
    with transaction.atomic():
        current = model._default_manager.select_for_update().filter(meeting=meeting).first()
        have = current.version if current is not None else 0
        if version is not None and version != have:
            raise conflict(
                {"version": gettext(
                    "ほかの人が先に議事録を保存しました（第%(version)s版）。"
                    "下の二つの内容を見比べ、最新の内容に直してから保存してください。"
                ) % {"version": have}},
                yours=clean, theirs=current.text if current is not None else "", version=have,
            )  # fmt: skip
        if current is None:
            made = model._default_manager.create(
                meeting=meeting, text=clean, recorded_by=staff, updated=clock.now()
            )
            return SavedMinutes(made, created=True)
        current.text = clean
        current.recorded_by = staff
        current.updated = clock.now()
        current.version += 1
        current.save(update_fields=["text", "recorded_by", "updated", "version"])
    return SavedMinutes(current, created=False)


# ── actions ──


def clean_action(title: object, due_on: object) -> tuple[str, date]:
    """The action's title and due date, or ``MeetingInputError`` saying what to fix."""
    errors: dict[str, str] = {}
    text = title.strip() if isinstance(title, str) else ""
    if not text:
        errors["title"] = gettext("取り組み事項の内容を入力してください。")
    elif len(text) > TITLE_MAX or "\x00" in text:
        errors["title"] = gettext("内容は%(limit)s文字以内で入力してください。") % {
            "limit": TITLE_MAX
        }
    if not isinstance(due_on, date):
        errors["due_on"] = gettext("期限の日付を入力してください。")
    if errors or not isinstance(due_on, date):
        raise MeetingInputError(errors)
    return text, due_on


def add_action(model: type[A], *, title: object, due_on: object, **fields: Any) -> A:
    """Create an open action of ``model`` (its meeting and owner in ``fields``)."""
    text, due = clean_action(title, due_on)
    return model._default_manager.create(title=text, due_on=due, created=clock.now(), **fields)


def complete_action(item: ActionItemBase, *, on: date | None = None) -> bool:
    """Mark an action done (on ``on``, today by default); False when it already was."""
    if item.status == ActionStatus.DONE:
        return False
    item.status = ActionStatus.DONE
    item.done_on = on or clock.today()
    item.save(update_fields=["status", "done_on"])
    return True
