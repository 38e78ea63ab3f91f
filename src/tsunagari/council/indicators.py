"""The plan's indicators of 3-1 (区民や地域活動団体等との連携・協働) from the
liaison council's workspace (tsunagari.plan.registry). Organisations and
actions, not people: nothing here is suppressed."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_noop

from tsunagari.council.models import ActionItem, ActionStatus, Organisation
from tsunagari.lib import clock
from tsunagari.plan import registry
from tsunagari.plan.registry import FiscalYear, Indicator, Measure, Unit, register_indicator


def member_organisations(fy: FiscalYear) -> Measure:
    # Membership has no history: the count is today's, for the year that is running.
    if not fy.contains(clock.today()):
        return Measure(None)
    return registry.counted(
        Organisation.objects.filter(is_active=True).filter(
            Q(joined_on__isnull=True) | Q(joined_on__lte=fy.last_day)
        ),
        "council.organisation",
    )


def actions_completed(fy: FiscalYear) -> Measure:
    return registry.counted(
        ActionItem.objects.filter(
            status=ActionStatus.DONE, done_on__gte=fy.first_day, done_on__lte=fy.last_day
        ),
        "council.actionitem",
    )


register_indicator(
    Indicator(
        code="3-1.council_organisations",
        direction="3-1",
        name=gettext_noop("孤独・孤立対策連携会議の参加団体数"),
        unit=Unit.ORGANISATIONS,
        definition=gettext_noop(
            "連携会議に参加中の団体の数（行政・社協・NPO・町会・企業など）。参加の履歴は"
            "残らないため、今の年度についてだけ現在の数を示します。"
        ),
        compute=member_organisations,
        sensitive=False,
        owner="地域福祉課",
    )
)
register_indicator(
    Indicator(
        code="3-1.council_actions_completed",
        direction="3-1",
        name=gettext_noop("連携会議で決めた取組の完了件数"),
        unit=Unit.CASES,
        definition=gettext_noop(
            "連携会議で担当団体と期限を決めた取組のうち、完了日がその年度にあるもの。"
        ),
        compute=actions_completed,
        sensitive=False,
        owner="地域福祉課",
    )
)
