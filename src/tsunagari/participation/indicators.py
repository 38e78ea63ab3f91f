"""The participation programme's yearly counts (参加支援事業) and its indicator for
direction 5-1 (誰もが活躍できる場づくり).

Per fiscal year (April–March, by the date each step was recorded):

* people supported: persons with a profile recorded or a placement active at
  any time in the year (proposed before the year's end, not ended before it
  began);
* placements: placements proposed in the year;
* trial visits: placements whose trial visit fell in the year;
* settled: placements that settled in (定着) in the year;
* stopped: placements stopped in the year;
* cooperating hosts: host organisations that received someone (a trial
  visit, participation or settling in the year) or created an opportunity
  with us in the year;
* opportunities created (メニュー創出) in the year;
* host support notes (受入先支援) in the year.

Indicator 5-1 ``participation_settled``: people who settled in a placement in
the year. Why 5-1: the direction is about places where everyone can take
part; a person settled in a place of their own is its outcome, where a
proposal is only a step.

Nothing here suppresses small cells (the plan app does) or returns names.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tsunagari.participation.models import (
    HostSupportNote,
    Opportunity,
    ParticipationProfile,
    Placement,
    PlacementState,
)
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    ProgrammeItem,
    Unit,
    register_indicator,
    register_programme_item,
)

PROGRAMME = "participation"


def people_supported(fy: FiscalYear) -> int:
    profiled = set(
        ParticipationProfile.objects.filter(**fy.during("updated_at")).values_list(
            "person_id", flat=True
        )
    )
    active = set(
        Placement.objects.filter(proposed_on__lte=fy.last_day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=fy.first_day))
        .values_list("person_id", flat=True)
    )
    return len(profiled | active)


def placements_proposed(fy: FiscalYear) -> int:
    return Placement.objects.filter(Q(**fy.days("proposed_on"))).count()


def trial_visits(fy: FiscalYear) -> int:
    return Placement.objects.filter(Q(**fy.days("trial_on"))).count()


def _ended(fy: FiscalYear, state: str) -> QuerySet[Placement]:
    return Placement.objects.filter(Q(**fy.days("ended_on")), state=state)


def settled(fy: FiscalYear) -> int:
    return _ended(fy, PlacementState.SETTLED).count()


def stopped(fy: FiscalYear) -> int:
    return _ended(fy, PlacementState.STOPPED).count()


def cooperating_host_ids(fy: FiscalYear) -> set[str]:
    received = Placement.objects.filter(
        Q(**fy.days("trial_on"))
        | Q(**fy.days("started_on"))
        | (Q(**fy.days("ended_on")) & Q(state="settled"))
    ).exclude(host_id="")
    created = Opportunity.objects.filter(Q(**fy.days("created_on")))
    return set(received.values_list("host_id", flat=True)) | set(
        created.values_list("host_id", flat=True)
    )


def cooperating_hosts(fy: FiscalYear) -> int:
    return len(cooperating_host_ids(fy))


def opportunities_created(fy: FiscalYear) -> int:
    return Opportunity.objects.filter(Q(**fy.days("created_on"))).count()


def host_support_notes(fy: FiscalYear) -> int:
    return HostSupportNote.objects.filter(Q(**fy.days("on"))).count()


def people_settled(fy: FiscalYear) -> Measure:
    rows = list(_ended(fy, PlacementState.SETTLED).order_by("pk").values_list("pk", "person_id"))
    return Measure(
        value=len({person for _pk, person in rows}),
        records=tuple(("participation.placement", str(pk)) for pk, _person in rows),
    )


register_programme_item(ProgrammeItem(PROGRAMME, "participation_people_supported",
                                      "参加支援を受けた人の数", people_supported, order=10))  # fmt: skip
register_programme_item(ProgrammeItem(PROGRAMME, "participation_placements",
                                      "参加先の提案の件数", placements_proposed, order=20))  # fmt: skip
register_programme_item(ProgrammeItem(PROGRAMME, "participation_trial_visits",
                                      "見学・体験の件数", trial_visits, order=30))  # fmt: skip
register_programme_item(ProgrammeItem(PROGRAMME, "participation_settled",
                                      "定着した件数", settled, order=40))  # fmt: skip
register_programme_item(ProgrammeItem(PROGRAMME, "participation_stopped",
                                      "中止した件数", stopped, order=50))  # fmt: skip
register_programme_item(ProgrammeItem(
    PROGRAMME, "participation_cooperating_hosts", "協力した受入先の数", cooperating_hosts,
    sensitive=False, order=60,
    notes="人を受け入れた（見学・体験、参加開始、定着）か、参加の場をともに創出した団体の数。団体の数であり人数ではない。",
))  # fmt: skip
register_programme_item(ProgrammeItem(
    PROGRAMME, "participation_opportunities_created", "創出した参加の場の数（メニュー創出）",
    opportunities_created, sensitive=False, order=70,
))  # fmt: skip
register_programme_item(ProgrammeItem(
    PROGRAMME, "participation_host_support", "受入先への支援の件数", host_support_notes,
    sensitive=False, order=80,
))  # fmt: skip
register_indicator(Indicator(
    code="5-1.participation_settled", direction="5-1",
    name="参加支援で参加先に定着した人数", unit=Unit.PEOPLE,
    definition="年度内に、参加支援の参加先で「定着」を記録した人の数（同じ人は1人と数える）",
    compute=people_settled,
))  # fmt: skip
