"""Direction 6-1 (災害時要配慮者対策の推進): of the people on the roster at the
end of the fiscal year (or today, for the current year), the share with an
individual evacuation plan made, and the share whose entry may be shared
before a disaster (agreed, or presumed under the ordinance and not opted out).

Counted from the roster as it stands: a person counts for a year when they
were on the roster on its last day (or now); a plan counts when it was made
(状況「作成済み」) by then.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from tsunagari.disaster.models import (
    RELEASABLE,
    EvacuationPlan,
    PlanStatus,
    RosterConsent,
    RosterEntry,
)
from tsunagari.lib import clock
from tsunagari.plan.registry import FiscalYear, Indicator, Measure, Unit, register_indicator, share


def _cut(fy: FiscalYear) -> datetime:
    end = datetime.combine(fy.last_day, time.max, tzinfo=timezone.get_current_timezone())
    return min(end, clock.now())


def _roster_at(fy: FiscalYear) -> list[int]:
    """People on the roster at the year's end (or now, within the year)."""
    cut = _cut(fy)
    if fy.first_day > clock.today():
        return []
    return list(
        RosterEntry.objects.filter(since__lte=cut)
        .filter(Q(on_roster=True) | Q(removed_at__gt=cut))
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )


def plan_share(fy: FiscalYear) -> Measure:
    roster = _roster_at(fy)
    if not roster:
        return Measure(None, numerator=0, denominator=0)
    with_plan = EvacuationPlan.objects.filter(
        person_id__in=roster, status=PlanStatus.DONE, updated__lte=_cut(fy)
    ).values_list("person_id", flat=True)
    return share("people.person", with_plan, len(roster))


def consent_share(fy: FiscalYear) -> Measure:
    roster = _roster_at(fy)
    if not roster:
        return Measure(None, numerator=0, denominator=0)
    cut = _cut(fy)
    state: dict[int, str] = {}
    # The answer in force at the cut: the last one recorded by then.
    for pid, status in (
        RosterConsent.objects.filter(entry__person_id__in=roster, recorded_at__lte=cut)
        .order_by("recorded_at", "pk")
        .values_list("entry__person_id", "status")
    ):
        state[pid] = status
    agreed = [pid for pid, status in state.items() if status in RELEASABLE]
    return share("people.person", agreed, len(roster))


register_indicator(
    Indicator(
        code="6-1.roster_plan_share",
        direction="6-1",
        name=gettext_noop("避難行動要支援者のうち個別避難計画を作成した人の割合"),
        unit=Unit.PERCENT,
        definition=gettext_noop(
            "年度末（当年度は今日）に避難行動要支援者名簿に載っている人のうち、"
            "個別避難計画が「作成済み」の人の割合。"
        ),
        compute=plan_share,
        owner="防災課",
    )
)
register_indicator(
    Indicator(
        code="6-1.roster_consent_share",
        direction="6-1",
        name=gettext_noop("避難行動要支援者のうち平常時の名簿提供に同意している人の割合"),
        unit=Unit.PERCENT,
        definition=gettext_noop(
            "年度末（当年度は今日）に名簿に載っている人のうち、その時点の回答が「同意」"
            "または「条例による同意推定」（提供拒否の申出なし）の人の割合。"
        ),
        compute=consent_share,
        owner="防災課",
    )
)
