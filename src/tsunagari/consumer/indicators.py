"""Direction 6-2 (防犯対策と消費者保護の充実): three counts from the consumer records.

Per fiscal year (April–March, by the local date of each record):

* ``6-2.consumer_alerts_issued``: alerts issued in the year (a withdrawn
  alert, issued by mistake, does not count);
* ``6-2.consumer_people_reached``: residents the watch network reported
  speaking to (the latest count of each delivery acknowledged in the year)
  plus the alerts' visit tasks met in the year (a contact 「会えた」 or
  「本人以外に会えた」 dated in the year, on or after the task);
* ``6-2.consumer_centre_referrals``: referrals sent in the year to the
  consumer affairs centre from consultations with the 消費者被害 area.

Nothing here suppresses small cells (the plan app does) or returns names.
"""

from __future__ import annotations

from django.db.models import Min, Sum
from django.utils import timezone

from tsunagari.consultations.models import ProblemArea, Referral
from tsunagari.consumer.models import Alert, AlertStatus, Delivery, VisitTask
from tsunagari.consumer.services import CONSUMER_CENTRE
from tsunagari.outreach.models import Contact, Result
from tsunagari.plan.registry import (
    FiscalYear,
    Indicator,
    Measure,
    Unit,
    counted,
    listed,
    register_indicator,
    register_record_page,
)

DIRECTION = "6-2"
OWNER = "地域振興部 消費者センター"


def alerts_issued(fy: FiscalYear) -> Measure:
    alerts = Alert.objects.filter(**fy.days("issued_on")).exclude(
        status__in=[AlertStatus.DRAFT, AlertStatus.WITHDRAWN]
    )
    return counted(alerts, "consumer.alert")


def spoken_to(fy: FiscalYear) -> int:
    total = (
        Delivery.objects.filter(**fy.during("acknowledged_at"))
        .exclude(alert__status=AlertStatus.WITHDRAWN)
        .aggregate(n=Sum("spoke_to"))["n"]
    )
    return int(total or 0)


def visits_met(fy: FiscalYear) -> list[int]:
    """Visit tasks whose first meeting on or after the task fell in the year."""
    met: list[int] = []
    tasks = VisitTask.objects.exclude(alert__status=AlertStatus.WITHDRAWN).values_list(
        "pk", "target_id", "created_at"
    )
    for pk, target_id, created in tasks:
        first = Contact.objects.filter(
            target_id=target_id,
            result__in=[Result.MET, Result.MET_OTHER],
            on__gte=timezone.localdate(created),
        ).aggregate(first=Min("on"))["first"]
        if first is not None and fy.contains(first):
            met.append(pk)
    return met


def people_reached(fy: FiscalYear) -> Measure:
    met = visits_met(fy)
    return Measure(
        spoken_to(fy) + len(met),
        records=tuple(("consumer.visittask", str(pk)) for pk in met),
    )


def centre_referrals(fy: FiscalYear) -> Measure:
    referrals = (
        Referral.objects.filter(to_agency__code=CONSUMER_CENTRE, **fy.during("sent_at"))
        .select_related("consultation")
        .order_by("pk")
    )
    # JSON list containment is not portable to SQLite: read the areas here.
    ids = [
        r.pk
        for r in referrals
        if ProblemArea.CONSUMER_DAMAGE in (r.consultation.problems or [])
        or r.consultation.main_problem == ProblemArea.CONSUMER_DAMAGE
    ]
    return listed("consultations.referral", ids)


register_indicator(Indicator(
    code="6-2.consumer_alerts_issued", direction=DIRECTION,
    name="消費者被害の注意情報の発信件数", unit=Unit.CASES,
    definition="年度内に消費者センターが発信し、見守りネットワーク（民生委員協議会・長寿サポート"
    "センター）へ送った特殊詐欺・悪質商法などの注意情報の件数（誤って発信し取り下げたものを除く）",
    compute=alerts_issued, sensitive=False, owner=OWNER,
))  # fmt: skip
register_indicator(Indicator(
    code="6-2.consumer_people_reached", direction=DIRECTION,
    name="注意情報を直接伝えた住民の数", unit=Unit.PEOPLE,
    definition="年度内に見守りネットワークが報告した声かけ人数（送付ごとの最新の報告）と、注意情報に"
    "よる訪問の依頼のうち年度内に会えた人数の合計",
    compute=people_reached, owner=OWNER,
))  # fmt: skip
register_indicator(Indicator(
    code="6-2.consumer_centre_referrals", direction=DIRECTION,
    name="相談窓口から消費者センターへつないだ件数", unit=Unit.CASES,
    definition="年度内に、相談の分野に「消費者被害」がある相談から消費者センターへ送ったつなぎの件数",
    compute=centre_referrals, owner=OWNER,
))  # fmt: skip
register_record_page("consumer.alert", "consumer:detail", "消費者被害の注意情報")
