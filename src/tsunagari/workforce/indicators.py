"""The workforce's figures for direction 9-1 (福祉人材の確保・育成).

* people trained: workers (counted once) who attended a training held in
  the fiscal year;
* cross-agency participants: workers (counted once) who attended the ward's
  cross-agency training of the layered support system in the year, and the
  agencies they came from;
* qualified workers: workers on a register in the year who hold a listed
  qualification obtained by the year's end; per agency for the pages.

Raw counts: the plan app suppresses small ones.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_noop

from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    Unit,
    listed,
    register_indicator,
    register_record_page,
)
from tsunagari.workforce.models import Attendance, Qualification, QualificationKind

OWNER = "福祉課"


def _attendances(fy: FiscalYear, *, cross_only: bool = False) -> list[tuple[int, int]]:
    rows = Attendance.objects.filter(**fy.days("training__held_on"))
    if cross_only:
        rows = rows.filter(training__cross_agency=True)
    return list(rows.values_list("worker_id", "worker__agency_id").distinct())


def people_trained(fy: FiscalYear) -> Measure:
    return listed("workforce.worker", (w for w, _a in _attendances(fy)))


def cross_agency_participants(fy: FiscalYear) -> Measure:
    return listed("workforce.worker", (w for w, _a in _attendances(fy, cross_only=True)))


def cross_agency_agencies(fy: FiscalYear) -> Measure:
    return Measure(len({a for _w, a in _attendances(fy, cross_only=True)}))


def _qualified(fy: FiscalYear) -> list[tuple[int, int]]:
    """(worker, agency) of workers holding a listed qualification by the year's end.

    A worker counts for the year if still on the register, or if they took
    part in the year's training or supervision (they worked there that year).
    """
    listed = [k for k in QualificationKind.values if k != QualificationKind.OTHER]
    worked = (
        Q(worker__is_active=True)
        | Q(**fy.days("worker__attendances__training__held_on"))
        | Q(**fy.days("worker__supervisions__held_on"))
    )
    rows = Qualification.objects.filter(
        worked, kind__in=listed, obtained_on__lte=fy.last_day
    ).values_list("worker_id", "worker__agency_id")
    return sorted(set(rows))


def qualified_workers(fy: FiscalYear) -> Measure:
    return listed("workforce.worker", (w for w, _a in _qualified(fy)))


def qualified_by_agency(fy: FiscalYear) -> dict[int, int]:
    """Agency id -> qualified workers (counts only; pages keep them to register keepers)."""
    counts: dict[int, int] = {}
    for _w, agency in _qualified(fy):
        counts[agency] = counts.get(agency, 0) + 1
    return counts


register_record_page("workforce.worker", "workforce:worker", "福祉人材の名簿")

register_indicator(
    Indicator(
        code="9-1.workforce_people_trained",
        direction="9-1",
        name=gettext_noop("研修を受講した福祉人材の数（実人数）"),
        unit=Unit.PEOPLE,
        definition=gettext_noop(
            "年度内に実施された研修（各機関の研修と区の合同研修）の受講者を、"
            "1人1回として数えた人数。福祉人材の名簿の受講記録から数えます。"
        ),
        compute=people_trained,
        sensitive=True,
        owner=OWNER,
    )
)
register_indicator(
    Indicator(
        code="9-1.workforce_cross_agency_participants",
        direction="9-1",
        name=gettext_noop("重層的支援体制の合同研修の受講者数（実人数）"),
        unit=Unit.PEOPLE,
        definition=gettext_noop(
            "年度内に区が複数の機関を対象に開いた重層的支援体制の合同研修の受講者を、"
            "1人1回として数えた人数。"
        ),
        compute=cross_agency_participants,
        sensitive=True,
        owner=OWNER,
    )
)
register_indicator(
    Indicator(
        code="9-1.workforce_cross_agency_agencies",
        direction="9-1",
        name=gettext_noop("重層的支援体制の合同研修に参加した機関の数"),
        unit=Unit.ORGANISATIONS,
        definition=gettext_noop(
            "年度内の重層的支援体制の合同研修に、1人以上の受講者がいた機関の数。"
        ),
        compute=cross_agency_agencies,
        sensitive=False,
        owner=OWNER,
    )
)
register_indicator(
    Indicator(
        code="9-1.workforce_qualified_workers",
        direction="9-1",
        name=gettext_noop("専門資格をもつ福祉人材の数"),
        unit=Unit.PEOPLE,
        definition=gettext_noop(
            "福祉人材の名簿のうち、年度末までに社会福祉士・精神保健福祉士・介護福祉士・"
            "主任介護支援専門員・介護支援専門員・相談支援専門員・保健師・公認心理師の"
            "いずれかを取得していた人の数（在籍中の人と、年度内に研修・スーパービジョンの記録がある人）。"
        ),
        compute=qualified_workers,
        sensitive=True,
        owner=OWNER,
    )
)
