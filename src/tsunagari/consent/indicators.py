"""The plan's indicator of 8-2 (関係者間での情報の共有) from consent records and
support-meeting decisions (tsunagari.plan.registry). Raw counts; the plan app
suppresses small ones."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from tsunagari.consent.models import Consent, DecisionStatus, SupportMeeting
from tsunagari.plan import registry
from tsunagari.plan.registry import FiscalYear, Indicator, Measure, Unit, register_indicator


def consents_recorded(fy: FiscalYear) -> Measure:
    return registry.counted(Consent.objects.filter(**fy.during("recorded_at")), "consent.consent")


def support_meetings_confirmed(fy: FiscalYear) -> Measure:
    return registry.counted(
        SupportMeeting.objects.filter(status=DecisionStatus.CONFIRMED, **fy.during("confirmed_at")),
        "consent.supportmeeting",
    )


register_indicator(
    Indicator(
        code="8-2.consents_recorded",
        direction="8-2",
        name=gettext_noop("情報共有の同意を記録した件数"),
        unit=Unit.CASES,
        definition=gettext_noop(
            "記録日時がその年度（4月1日〜3月31日）にある情報共有の同意（同意あり・同意なしの"
            "様式とも）。後で撤回されたものも、記録した年度に数えます。"
        ),
        compute=consents_recorded,
        owner="福祉課",
    )
)
register_indicator(
    Indicator(
        code="8-2.support_meetings_confirmed",
        direction="8-2",
        name=gettext_noop("支援会議の対象とする決定の確定件数"),
        unit=Unit.CASES,
        definition=gettext_noop(
            "支援会議（社会福祉法第106条の6）の対象とする決定のうち、別の職員が確認して"
            "確定した日時がその年度にあるもの。差し戻されたものは数えません。"
        ),
        compute=support_meetings_confirmed,
        owner="福祉課",
    )
)
