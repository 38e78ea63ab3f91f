"""Community building's figures for the plan (``tsunagari.plan.registry``).

Programme items of 地域づくり事業 for the yearly report, and indicators of
directions 1-1 (気軽に集える場の創設) and 1-2 (地域で活動する団体への支援).
All count sessions held in the fiscal year with their attendance recorded;
participants are attendances (one person coming three times counts three).
Raw counts: the plan app suppresses small ones.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from tsunagari.community.aggregates import totals
from tsunagari.community.models import Activity, ActivityKind, Session, SessionStatus
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    ProgrammeItem,
    Unit,
    listed,
    register_indicator,
    register_programme_item,
)

OWNER = "地域福祉課"


def _held(fy: FiscalYear) -> list[Activity]:
    ids = Session.objects.filter(status=SessionStatus.HELD, **fy.days("on")).values("activity_id")
    return list(Activity.objects.filter(pk__in=ids).order_by("pk"))


def regular_places(fy: FiscalYear) -> Measure:
    """Places of the directory where a regular activity met in the year."""
    places = (a.location_id for a in _held(fy) if a.kind == ActivityKind.REGULAR)
    return listed("resources.location", places)


def participants(fy: FiscalYear) -> Measure:
    return Measure(totals(fy.first_day, fy.last_day).participants)


def active_groups(fy: FiscalYear) -> Measure:
    """Groups of the directory (organisations) that ran an activity that met in the year."""
    groups = (a.organization_id for a in _held(fy) if a.organization_id)
    return listed("resources.organization", groups)


register_indicator(
    Indicator(
        code="1-1.community_regular_places",
        direction="1-1",
        name=gettext_noop("定期的な活動が開かれた集いの場の数"),
        unit=Unit.PLACES,
        definition=gettext_noop(
            "年度内に参加人数が記録された回のある「定期的な活動」の場所（地域資源の場所）の数。"
        ),
        compute=regular_places,
        sensitive=False,
        owner=OWNER,
    )
)
register_indicator(
    Indicator(
        code="1-1.community_participants",
        direction="1-1",
        name=gettext_noop("地域の活動の参加者数（延べ）"),
        unit=Unit.PEOPLE,
        definition=gettext_noop(
            "年度内に開かれた地域の活動の回に記録された参加者数の合計（延べ人数。"
            "運営ボランティアは含まない）。"
        ),
        compute=participants,
        sensitive=True,
        owner=OWNER,
    )
)
register_indicator(
    Indicator(
        code="1-2.community_active_groups",
        direction="1-2",
        name=gettext_noop("地域の活動を運営した団体の数"),
        unit=Unit.ORGANISATIONS,
        definition=gettext_noop(
            "年度内に参加人数が記録された回のある活動を運営した団体（地域資源の団体）の数。"
        ),
        compute=active_groups,
        sensitive=False,
        owner=OWNER,
    )
)


def _item(item: str, label: str, order: int, *, sensitive: bool, notes: str = "") -> None:
    def compute(fy: FiscalYear) -> int:
        return int(getattr(totals(fy.first_day, fy.last_day), item))

    register_programme_item(
        ProgrammeItem(
            programme="community",
            item=item,
            label=label,
            compute=compute,
            sensitive=sensitive,
            order=order,
            notes=notes,
        )
    )


_item("places", "拠点数（活動のあった集いの場）", 10, sensitive=False,
      notes="年度内に参加人数が記録された回のある場所の数")  # fmt: skip
_item("activities", "活動数", 20, sensitive=False)
_item("sessions", "開催回数", 30, sensitive=False)
_item("participants", "参加者数（延べ）", 40, sensitive=True)
_item("first_timers", "初めての参加者数", 50, sensitive=True)
_item("organisations", "参加団体数（運営団体）", 60, sensitive=False)
_item("volunteers", "運営ボランティア数", 70, sensitive=True,
      notes="年度内に開かれた活動に登録されたボランティアの人数の合計")  # fmt: skip
