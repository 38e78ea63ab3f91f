"""The outreach programme's yearly counts (アウトリーチ等を通じた継続的支援事業)
and its indicator for direction 4-3 (多様な課題を抱えた人への支援の促進).

Per fiscal year (April–March, by the local date of each record):

* targets: targets added in the year;
* contacts by method: contacts dated in the year, one item per method;
* people reached: targets met (a contact with the result 「会えた」) in the year;
* connections made: targets connected to an agency or a case in the year;
* median days from the first attempt to the first meeting, over the targets
  whose first meeting fell in the year.

Indicator 4-3 ``outreach_connected_share``: of the targets met in the year,
the share connected to support by the year's end. Why 4-3: outreach serves
people whose several problems keep them from reaching help themselves; its
outcome is that they are connected to the agencies that can help.

Nothing here suppresses small cells (the plan app does) or returns names.
"""

from __future__ import annotations

from statistics import median

from django.db.models import Min, QuerySet

from tsunagari.outreach.models import Contact, Method, OutreachTarget, Result
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    ProgrammeItem,
    Unit,
    register_indicator,
    register_programme_item,
)

PROGRAMME = "outreach"


def _added(fy: FiscalYear) -> QuerySet[OutreachTarget]:
    return OutreachTarget.objects.filter(**fy.during("created_at"))


def targets_added(fy: FiscalYear) -> int:
    return _added(fy).count()


def _contacts(fy: FiscalYear) -> QuerySet[Contact]:
    return Contact.objects.filter(**fy.days("on"))


def contacts_by(method: str) -> ProgrammeItem:
    def compute(fy: FiscalYear) -> int:
        return _contacts(fy).filter(method=method).count()

    compute.__name__ = f"contacts_{method}"
    return ProgrammeItem(
        programme=PROGRAMME, item=f"outreach_contacts_{method}",
        label=f"訪問・連絡の件数（{Method(method).label}）", compute=compute,
        order=20 + Method.values.index(method),
    )  # fmt: skip


def reached_ids(fy: FiscalYear) -> set[int]:
    return set(_contacts(fy).filter(result=Result.MET).values_list("target_id", flat=True))


def people_reached(fy: FiscalYear) -> int:
    return len(reached_ids(fy))


def _connected(fy: FiscalYear) -> QuerySet[OutreachTarget]:
    return OutreachTarget.objects.filter(**fy.during("connected_at"))


def connections_made(fy: FiscalYear) -> int:
    return _connected(fy).count()


def days_to_first_meeting(fy: FiscalYear) -> list[int]:
    """For each target first met in the year: days from its first attempt to that meeting."""
    firsts = dict(
        Contact.objects.values("target_id")
        .annotate(first=Min("on"))
        .values_list("target_id", "first")
    )
    met = (
        Contact.objects.filter(result=Result.MET)
        .values("target_id")
        .annotate(first=Min("on"))
        .values_list("target_id", "first")
    )
    return [(day - firsts[t]).days for t, day in met if fy.contains(day)]


def median_days_to_meeting(fy: FiscalYear) -> int:
    days = days_to_first_meeting(fy)
    return round(median(days)) if days else 0


def connected_share(fy: FiscalYear) -> Measure:
    reached = reached_ids(fy)
    if not reached:
        return Measure(None, 0, 0)
    _start, end = fy.bounds()
    connected = list(
        OutreachTarget.objects.filter(pk__in=reached, connected_at__lt=end).values_list(
            "pk", flat=True
        )
    )
    return Measure(
        value=round(100 * len(connected) / len(reached), 1),
        numerator=len(connected),
        denominator=len(reached),
        records=tuple(("outreach.outreachtarget", str(pk)) for pk in sorted(connected)),
    )


register_programme_item(ProgrammeItem(PROGRAMME, "outreach_targets", "アウトリーチの対象の数（新規）",
                                      targets_added, order=10))  # fmt: skip
for _method in Method.values:
    register_programme_item(contacts_by(_method))
register_programme_item(ProgrammeItem(PROGRAMME, "outreach_people_reached",
                                      "会えた人（対象）の数", people_reached, order=30))  # fmt: skip
register_programme_item(ProgrammeItem(PROGRAMME, "outreach_connections",
                                      "支援につないだ数", connections_made, order=40))  # fmt: skip
register_programme_item(ProgrammeItem(
    PROGRAMME, "outreach_median_days_to_meeting", "初回の接触の試みから初めて会えるまでの日数（中央値）",
    median_days_to_meeting, sensitive=False, order=50,
    notes="その年度に初めて会えた対象について。日数であり人数ではないため、小さな値も伏せない。",
))  # fmt: skip
register_indicator(Indicator(
    code="4-3.outreach_connected_share", direction="4-3",
    name="アウトリーチで会えた人のうち支援につながった割合", unit=Unit.PERCENT,
    definition="年度内に会えたアウトリーチの対象のうち、年度末までに支援機関または"
    "多機関協働の事例へつないだ対象の割合",
    compute=connected_share,
))  # fmt: skip
