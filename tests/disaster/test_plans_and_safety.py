"""Individual plans (with consent, shared on the release's rules), progress by
area, safety checks in disaster mode, and the 6-1 indicators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tsunagari.accounts.models import Agency, Staff
from tsunagari.disaster import selection, services
from tsunagari.disaster.indicators import consent_share, plan_share
from tsunagari.disaster.models import ConsentStatus, PlanStatus, SafetyStatus
from tsunagari.disaster.progress import area_progress, safety_board
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.plan.registry import FiscalYear

TODAY = "2026-01-10"


def plan_input(**kwargs: Any) -> services.PlanInput:
    values: dict[str, Any] = {
        "status": PlanStatus.DONE, "place": "北砂小学校", "route": "明治通りを北へ",
        "helpers": [services.HelperInput("近所　太郎", "隣人", "北砂3-1-2", "03-0000-0000")],
        "medication": "降圧剤", "consent_on": TODAY,
    }  # fmt: skip
    values.update(kwargs)
    return services.PlanInput(**values)


def test_a_plan_needs_the_persons_agreement(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    oyama = roster["people"]["oyama"]
    with pytest.raises(services.DisasterError) as refused:
        services.record_plan(personas["disaster"], oyama.pk, plan_input())
    assert "consent" in refused.value.errors
    services.record_roster_consent(personas["disaster"], oyama.pk, ConsentStatus.AGREED, TODAY)
    plan = services.record_plan(personas["disaster"], oyama.pk, plan_input())
    assert plan.status == PlanStatus.DONE and plan.helpers[0]["name"] == "近所　太郎"
    assert DomainEvent.objects.filter(kind=EventKind.EVACUATION_PLAN_RECORDED).count() == 1
    # an edit opened at an older version is refused, not silently overwritten
    with pytest.raises(services.DisasterError) as stale:
        services.record_plan(personas["disaster"], oyama.pk, plan_input(version=0))
    assert "version" in stale.value.errors


@pytest.mark.parametrize(
    ("on", "says"),
    [("", "日付を入力"), ("tomorrow", "未来の日付"), ("1989-12-31", "1990年より前"),
     ("1月10日", "2026-04-01 の形")],
)  # fmt: skip
def test_a_consent_date_must_have_been_given_already(
    roster: dict[str, Any], personas: dict[str, Staff], on: str, says: str
) -> None:
    oyama = roster["people"]["oyama"]
    if on == "tomorrow":
        on = (clock.today() + timedelta(days=1)).isoformat()
    with pytest.raises(services.DisasterError) as refused:
        services.record_roster_consent(personas["disaster"], oyama.pk, ConsentStatus.AGREED, on)
    assert says in refused.value.errors["on"]


def test_a_made_plan_needs_a_helper_and_a_place(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    oyama = roster["people"]["oyama"]
    services.record_roster_consent(personas["disaster"], oyama.pk, ConsentStatus.AGREED, TODAY)
    with pytest.raises(services.DisasterError) as refused:
        services.record_plan(personas["disaster"], oyama.pk, plan_input(helpers=[], place=""))
    assert "status" in refused.value.errors
    draft = services.record_plan(personas["disaster"], oyama.pk,
                                 plan_input(status=PlanStatus.DRAFT, helpers=[], place=""))  # fmt: skip
    assert draft.status == PlanStatus.DRAFT


def test_plans_are_released_with_the_person_on_the_same_rules(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    officer, people = personas["disaster"], roster["people"]
    services.record_roster_consent(officer, people["oyama"].pk, ConsentStatus.AGREED, TODAY)
    plan = services.record_plan(officer, people["oyama"].pk, plan_input())
    release, _ = services.release_roster(officer, roster["kita"].pk, "xlsx")
    assert release.plans == [plan.pk]
    # the other area's recipient never gets it
    other, _ = services.release_roster(officer, roster["toyo"].pk, "xlsx")
    assert other.plans == []


def test_progress_is_by_area_with_high_risk_towns_first(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    officer, people = personas["disaster"], roster["people"]
    services.record_roster_consent(officer, people["oyama"].pk, ConsentStatus.AGREED, TODAY)
    services.record_plan(officer, people["oyama"].pk, plan_input())
    areas = area_progress()
    # 北砂 is a zero-metre town (priority 1); 豊洲 is not listed (priority 3)
    assert [(a.town, a.priority) for a in areas] == [("北砂", 1), ("豊洲", 3)]
    kita = areas[0]
    assert (kita.roster, kita.consenting, kita.plans_done, kita.plan_percent) == (4, 1, 1, 25)


def test_the_indicators_give_numerator_and_denominator(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    officer, people = personas["disaster"], roster["people"]
    services.record_roster_consent(officer, people["oyama"].pk, ConsentStatus.AGREED, TODAY)
    services.record_roster_consent(officer, people["ueda"].pk, ConsentStatus.PRESUMED, TODAY)
    services.record_roster_consent(officer, people["nishi"].pk, ConsentStatus.REFUSED, TODAY)
    services.record_plan(officer, people["oyama"].pk, plan_input())
    fy = FiscalYear.of(clock.today())
    plans, consents = plan_share(fy), consent_share(fy)
    assert (plans.numerator, plans.denominator) == (1, 7)
    assert (consents.numerator, consents.denominator) == (2, 7)
    # a year before the roster existed has no data (not zero)
    assert plan_share(FiscalYear(fy.year - 5)).value is None


@pytest.fixture
def commissioner_recipient(roster: dict[str, Any], personas: dict[str, Staff]) -> Any:
    recipient = roster["toyo"]
    recipient.agency = Agency.objects.get(code=personas["commissioner"].agency.code)  # type: ignore[union-attr]
    recipient.save()
    return recipient


def test_a_recipient_checks_only_its_declared_area_and_never_a_sealed_person(
    roster: dict[str, Any], personas: dict[str, Staff], commissioner_recipient: Any
) -> None:
    people = roster["people"]
    # before a declaration, nobody is to be checked
    assert selection.check_scope(personas["commissioner"]).person_ids == []
    services.declare_disaster(personas["disaster"], ["豊洲", "北砂"], "大地震")
    scope = selection.check_scope(personas["commissioner"])
    assert set(scope.person_ids) == {people["ueda"].pk, people["nishi"].pk}
    check = services.record_safety_check(personas["commissioner"], people["ueda"].pk,
                                         SafetyStatus.EVACUATED, "北砂小学校へ")  # fmt: skip
    assert check.recipient == commissioner_recipient
    for outside in ("oyama", "sato"):
        with pytest.raises(PermissionDenied, match="対象になっていません"):
            services.record_safety_check(
                personas["commissioner"], people[outside].pk, SafetyStatus.SAFE
            )
    # the ward's staff check everyone in the declared towns, the sealed person too
    services.record_safety_check(personas["disaster"], people["sato"].pk, SafetyStatus.NEEDS_HELP)
    board = {row.town: row for row in safety_board()}
    assert board["豊洲"].total == 3 and board["豊洲"].counts[SafetyStatus.EVACUATED] == 1
    assert board["豊洲"].counts[SafetyStatus.NEEDS_HELP] == 1 and board["豊洲"].unchecked == 1
    assert board["北砂"].unchecked == 4


def test_staff_of_an_agency_that_is_no_recipient_check_nobody(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    services.declare_disaster(personas["disaster"], ["北砂"], "大地震")
    assert selection.check_scope(personas["consultant.elderly"]).person_ids == []
    with pytest.raises(PermissionDenied):
        services.record_safety_check(personas["council"], roster["people"]["oyama"].pk, "safe")
