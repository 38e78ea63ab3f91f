"""The actions of awareness activities: record one, correct one.

Each checks ``Action.WORK_AWARENESS``, runs in one transaction, validates its
input (``AwarenessError`` says what to fix, nothing is written), writes the
``AWARENESS_RECORDED`` event and the audit record, and reads the time from
``lib.clock``. Pages and the demo call these.

Reach is counts only, and they must agree: every count is a whole number of
0 or more, the age bands add up to the participants, the feedback tally is
at most the participants, a campaign gives its estimated reach, any other
activity at least one participant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, gettext_lazy

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.awareness.models import AGE_BANDS, Activity, ActivityKind, Theme
from tsunagari.community.versioned import VersionedEdits
from tsunagari.events.models import EventKind
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

TITLE_MAX = 120
PLACE_MAX = 120
ORGANISER_MAX = 120
TOWN_MAX = 40
# More than a large hall holds in one activity: a bigger number is a typing slip.
MAX_PARTICIPANTS = 5000
# A ward-wide campaign reaches at most about everyone in the ward.
MAX_REACH = 600_000
EARLIEST = date(2000, 1, 1)


class AwarenessError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


@dataclass
class ActivityInput:
    title: str = ""
    kind: str = ""
    held_on: object = None  # date or "YYYY-MM-DD"
    town: str = ""
    place: str = ""
    organiser: str = ""
    themes: list[str] = field(default_factory=list)
    participants: object = 0
    bands: dict[str, object] = field(default_factory=dict)  # AGE_BANDS field name -> count
    estimated_reach: object = 0
    understood: object = 0
    partly: object = 0
    not_understood: object = 0


_read = Reader(gettext)


def _count(value: object, name: str, limit: int, errors: dict[str, str], label: str) -> int:
    return _read.count(value, name, errors, limit=limit, label=label)


def check_activity(data: ActivityInput, errors: dict[str, str]) -> dict[str, Any]:
    """The values of ``data`` when they agree with each other; errors otherwise."""
    needed = gettext("入力してください。")
    title = _read.text(data.title, "title", errors, limit=TITLE_MAX, required=needed)
    if data.kind not in ActivityKind.values:
        errors["kind"] = gettext("種類を一覧から選んでください。")
    held_on = _read.past_date(data.held_on, "held_on", errors, today=clock.today(),
                              earliest=EARLIEST, required=gettext("実施日を入力してください。"))  # fmt: skip
    town = _read.text(data.town, "town", errors, limit=TOWN_MAX)
    place = _read.text(data.place, "place", errors, limit=PLACE_MAX)
    organiser = _read.text(
        data.organiser, "organiser", errors, limit=ORGANISER_MAX, required=needed
    )
    themes = [t for t in dict.fromkeys(data.themes or []) if isinstance(t, str)]
    if not themes:
        errors["themes"] = gettext("テーマを1つ以上選んでください。")
    elif any(t not in Theme.values for t in themes):
        errors["themes"] = gettext("テーマは一覧から選んでください。")
    participants = _count(data.participants, "participants", MAX_PARTICIPANTS, errors,
                          gettext("参加者数"))  # fmt: skip
    bands = {name: _count(data.bands.get(name), name, MAX_PARTICIPANTS, errors, gettext(label))
             for name, label in AGE_BANDS}  # fmt: skip
    reach = _count(data.estimated_reach, "estimated_reach", MAX_REACH, errors,
                   gettext("推計の到達数"))  # fmt: skip
    feedback = {
        "understood": _count(data.understood, "understood", MAX_PARTICIPANTS, errors,
                             gettext("「理解できた」の数")),
        "partly": _count(data.partly, "partly", MAX_PARTICIPANTS, errors,
                         gettext("「少し理解できた」の数")),
        "not_understood": _count(data.not_understood, "not_understood", MAX_PARTICIPANTS, errors,
                                 gettext("「理解できなかった」の数")),
    }  # fmt: skip
    counts_ok = "participants" not in errors and not any(n in errors for n, _l in AGE_BANDS)
    if counts_ok and sum(bands.values()) != participants:
        errors["bands"] = gettext(
            "年齢区分の合計（%(sum)s人）が参加者数（%(total)s人）と合いません。"
            "年齢がわからない人は「年齢不明」に入れてください。"
        ) % {"sum": sum(bands.values()), "total": participants}
    if (
        counts_ok
        and not any(k in errors for k in feedback)
        and sum(feedback.values()) > participants
    ):
        errors["feedback"] = gettext(
            "感想の数の合計（%(sum)s人）が参加者数（%(total)s人）を超えています。"
        ) % {"sum": sum(feedback.values()), "total": participants}
    if data.kind == ActivityKind.CAMPAIGN:
        if "estimated_reach" not in errors and reach == 0:
            errors["estimated_reach"] = gettext(
                "キャンペーンは推計の到達数（配布したチラシの数、投稿の表示数など）を入力してください。"
            )
    elif data.kind in ActivityKind.values:
        if "participants" not in errors and participants == 0:
            errors["participants"] = gettext("参加者数を入力してください（1人以上）。")
        if "estimated_reach" not in errors and reach:
            errors["estimated_reach"] = gettext(
                "推計の到達数はキャンペーンのときだけ入力します。参加者数に入れてください。"
            )
    return {
        "title": title, "kind": data.kind, "held_on": held_on, "town": town, "place": place,
        "organiser": organiser, "themes": themes, "participants": participants, **bands,
        "estimated_reach": reach, **feedback,
    }  # fmt: skip


def _facts(activity: Activity) -> dict[str, Any]:
    return {"activity_kind": activity.kind, "held_on": activity.held_on.isoformat(),
            "town": activity.town, "themes": activity.themes,
            "participants": activity.participants, "estimated_reach": activity.estimated_reach}  # fmt: skip


_edits = VersionedEdits(
    Activity, EventKind.AWARENESS_RECORDED, AwarenessError, facts=_facts, name="activity",
    missing=gettext_lazy("その活動はありません。"),
    stale=gettext_lazy(
        "ほかの職員がこの活動を先に保存しました。最新の内容を開き直してから直してください。"),
)  # fmt: skip


def record_activity(actor: Staff | None, data: ActivityInput) -> Activity:
    """Record an awareness activity that took place, with its reach."""
    require_actor(actor, Action.WORK_AWARENESS)
    return _edits.create(actor, lambda errors: check_activity(data, errors),
                         change="recorded", reason="awareness activity recorded")  # fmt: skip


def correct_activity(
    actor: Staff | None, activity_id: int, data: ActivityInput, *, version: int
) -> Activity:
    """Correct a recorded activity; refused when someone saved it since ``version`` was read."""
    require_actor(actor, Action.WORK_AWARENESS)
    return _edits.correct(actor, activity_id, version, lambda errors: check_activity(data, errors),
                          change="corrected", reason="awareness activity corrected")  # fmt: skip
