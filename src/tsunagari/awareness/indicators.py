"""Awareness's figures for direction 10-1 (地域共生社会への意識醸成).

* participants: people who took part in talks, trainings and education
  (every kind but campaigns, whose reach is an estimate), summed over the
  activities held in the fiscal year (one person at two talks counts twice);
* activities held: every kind, campaigns included;
* gatekeepers trained: participants of ゲートキーパー研修.

Raw counts: the plan app suppresses small ones.
"""

from __future__ import annotations

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_noop

from tsunagari.awareness.models import PARTICIPANT_KINDS, Activity, ActivityKind
from tsunagari.awareness.summary import activities
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    Unit,
    counted,
    register_indicator,
    register_record_page,
)

OWNER = "地域福祉課"

register_record_page("awareness.activity", "awareness:detail", "啓発活動")


def _people(rows: QuerySet[Activity]) -> Measure:
    return Measure(int(rows.aggregate(n=Sum("participants"))["n"] or 0))


def participants(fy: FiscalYear) -> Measure:
    return _people(activities(fy).filter(kind__in=PARTICIPANT_KINDS))


def activities_held(fy: FiscalYear) -> Measure:
    return counted(activities(fy), "awareness.activity")


def gatekeepers_trained(fy: FiscalYear) -> Measure:
    return _people(activities(fy).filter(kind=ActivityKind.GATEKEEPER))


register_indicator(
    Indicator(
        code="10-1.awareness_reach_participants",
        direction="10-1",
        name=gettext_noop("啓発活動（講演会・研修・福祉教育）の参加者数（延べ）"),
        unit=Unit.PEOPLE,
        definition=gettext_noop(
            "年度内に実施した福祉教育（学校）・ゲートキーパー研修・講演会・出前講座・その他の"
            "啓発活動の参加者数の合計（延べ人数）。キャンペーンの推計の到達数は含みません。"
        ),
        compute=participants,
        sensitive=True,
        owner=OWNER,
    )
)
register_indicator(
    Indicator(
        code="10-1.awareness_activities_held",
        direction="10-1",
        name=gettext_noop("啓発活動の実施回数"),
        unit=Unit.TIMES,
        definition=gettext_noop("年度内に実施した啓発活動（キャンペーンを含む）の数。"),
        compute=activities_held,
        sensitive=False,
        owner=OWNER,
    )
)
register_indicator(
    Indicator(
        code="10-1.awareness_gatekeepers_trained",
        direction="10-1",
        name=gettext_noop("ゲートキーパー研修の修了者数"),
        unit=Unit.PEOPLE,
        definition=gettext_noop("年度内に実施したゲートキーパー研修の参加者数の合計。"),
        compute=gatekeepers_trained,
        sensitive=True,
        owner=OWNER,
    )
)
