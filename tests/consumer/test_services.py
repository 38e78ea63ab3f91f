"""Alerts: writing, issuing, sending by area, the visit-task rule, sealed
persons, idempotence, withdrawal and the watch network's report."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.consumer.conftest import alert_input
from tsunagari.accounts.models import Staff
from tsunagari.consumer import services
from tsunagari.consumer.models import Alert, AlertStatus, Delivery, Reason, VisitTask
from tsunagari.consumer.services import (
    AlertError,
    acknowledge,
    create_alert,
    end_alert,
    inbox,
    issue_alert,
    send_alert,
    update_alert,
    withdraw_alert,
)
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.outreach.access import get_target_for
from tsunagari.outreach.models import OutreachTarget, Source


def _issued(staff: Staff, **kwargs: Any) -> Alert:
    alert = create_alert(staff, alert_input(**kwargs))
    return issue_alert(staff, alert.pk)


def _tasked(alert: Alert) -> dict[int, list[str]]:
    return {v.person_id: v.reasons for v in VisitTask.objects.filter(alert=alert)}


def test_it_drafts_an_alert_with_a_reference_and_the_towns_in_the_wards_order(
    personas: dict[str, Staff],
) -> None:
    alert = create_alert(personas["consumer"], alert_input(areas=["南砂", "北砂"]))
    assert alert.status == AlertStatus.DRAFT
    assert alert.reference.startswith("CA") and alert.areas == ["北砂", "南砂"]
    assert not Delivery.objects.exists() and not VisitTask.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("kind", "scam"), ("title", ""), ("advice", " "), ("areas", []), ("areas", ["銀座"]),
    ("police_station", ""),
])  # fmt: skip
def test_it_refuses_an_alert_that_misses_what_residents_need(
    personas: dict[str, Staff], field: str, value: object
) -> None:
    with pytest.raises(AlertError) as exc:
        create_alert(personas["consumer"], alert_input(**{field: value}))
    assert field in exc.value.errors
    assert not Alert.objects.exists()


def test_only_the_centres_designated_staff_write_and_issue_alerts(
    personas: dict[str, Staff],
) -> None:
    for name in ("commissioner", "consultant.elderly", "outreach", "planner", "outsider"):
        with pytest.raises(PermissionDenied):
            create_alert(personas[name], alert_input())
    alert = create_alert(personas["consumer"], alert_input())
    with pytest.raises(PermissionDenied):
        issue_alert(personas["commissioner"], alert.pk)
    # the designation is what counts: the same role without it is refused
    personas["consumer"].consumer_affairs = False
    personas["consumer"].save()
    with pytest.raises(PermissionDenied):
        issue_alert(personas["consumer"], alert.pk)
    assert Alert.objects.get().status == AlertStatus.DRAFT


def test_issuing_sends_to_the_watch_network_of_the_alerts_towns_only(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = _issued(personas["consumer"])
    codes = sorted(Delivery.objects.filter(alert=alert).values_list("agency__code", flat=True))
    # 砂町 and 北砂 commissioners' councils? only those located in 北砂/南砂; lsc-08 (豊洲)
    # and the NPO in 北砂 (not a watch kind) get nothing
    assert codes == ["lsc-16", "msd-08", "msd-10"]
    assert DomainEvent.objects.filter(kind=EventKind.CONSUMER_ALERT_ISSUED).count() == 1
    assert DomainEvent.objects.filter(kind=EventKind.CONSUMER_ALERT_SENT).count() == 1


def test_an_alert_creates_visit_tasks_only_for_people_at_risk_in_its_towns(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = _issued(personas["consumer"])
    tasked = _tasked(alert)
    assert tasked == {
        ward["alone"].pk: [Reason.ALONE_75],
        ward["on_case"].pk: [Reason.CASE],
        ward["on_outreach"].pk: [Reason.OUTREACH],
    }
    # the older woman living alone in 豊洲 is outside the alert's towns
    assert ward["outside"].pk not in tasked
    # a couple is not alone; a man of 56 is not 75
    assert not {ward["husband"].pk, ward["wife"].pk, ward["young"].pk} & set(tasked)


def test_the_same_person_gets_a_task_when_the_alert_covers_their_town(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = _issued(personas["consumer"], areas=["豊洲"])
    assert _tasked(alert) == {ward["outside"].pk: [Reason.ALONE_75]}


def test_a_visit_task_is_an_outreach_target_carrying_the_alert(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = _issued(personas["consumer"])
    task = VisitTask.objects.get(alert=alert, person=ward["alone"])
    target = task.target
    assert target.person_id == ward["alone"].pk and target.town == "北砂"
    assert target.worker_id is None and target.source == Source.ALERT
    assert alert.reference in target.description and alert.title in target.description
    assert "75歳以上の一人暮らし" in target.description
    assert target.household_id is not None
    event = DomainEvent.objects.get(
        kind=EventKind.CONSUMER_VISIT_TASKED, person_id=ward["alone"].pk
    )
    assert event.data["target"] == target.pk
    # the outreach team sees it
    assert get_target_for(personas["outreach"], target.pk) == target


def test_a_sealed_person_gets_no_task_and_is_left_to_designated_staff(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = _issued(personas["consumer"])
    assert ward["sealed"].pk not in _tasked(alert)
    assert not OutreachTarget.objects.filter(person=ward["sealed"]).exists()
    assert alert.sealed_withheld == 1
    # switch the seal off: the same woman is at risk and gets a task
    ward["sealed"].sealed = False
    ward["sealed"].save()
    send_alert(personas["consumer"], alert.pk)
    alert.refresh_from_db()
    assert _tasked(alert)[ward["sealed"].pk] == [Reason.ALONE_75]
    assert alert.sealed_withheld == 0


def test_a_household_member_of_a_sealed_person_gets_no_task(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    # the sealed woman moves in with the young woman on a case: one shared, sealed address
    from tsunagari.people.models import Membership

    Membership.objects.filter(person=ward["sealed"]).update(until="2026-01-01")
    home = Membership.objects.get(person=ward["on_case"]).household
    Membership.objects.create(household=home, person=ward["sealed"], relation="同居人")
    alert = _issued(personas["consumer"])
    tasked = _tasked(alert)
    # the case member is at risk but shares a sealed address: no task, counted instead
    assert ward["on_case"].pk not in tasked and ward["sealed"].pk not in tasked
    assert not OutreachTarget.objects.filter(person=ward["on_case"]).exists()
    assert alert.sealed_withheld == 1
    assert set(tasked) == {ward["alone"].pk, ward["on_outreach"].pk}
    # once the household no longer includes a sealed person, the case member gets a task
    Membership.objects.filter(person=ward["sealed"], until__isnull=True).update(until="2026-02-01")
    send_alert(personas["consumer"], alert.pk)
    assert _tasked(alert)[ward["on_case"].pk] == [Reason.CASE]


def test_community_recipients_never_see_a_visit_task(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = _issued(personas["consumer"])
    for task in VisitTask.objects.filter(alert=alert):
        for name in ("commissioner", "consultant.elderly", "community", "consumer"):
            with pytest.raises(PermissionDenied):
                get_target_for(personas[name], task.target_id)


def test_sending_again_adds_nothing_one_task_per_person_per_alert(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = _issued(personas["consumer"])
    before = (Delivery.objects.count(), VisitTask.objects.count(), OutreachTarget.objects.count())
    send_alert(personas["consumer"], alert.pk)
    send_alert(None, alert.pk)
    after = (Delivery.objects.count(), VisitTask.objects.count(), OutreachTarget.objects.count())
    assert after == before
    # a second alert on the same towns is a new visit for the same people
    second = _issued(personas["consumer"], title="点検商法の訪問が増えています", kind="inspection")
    assert set(_tasked(second)) == set(_tasked(alert))


def test_a_person_tasked_by_an_alert_is_not_on_the_outreach_list_for_the_next(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    _issued(personas["consumer"])
    # the alert's own task does not make the case member an "outreach" person too
    second = _issued(personas["consumer"], title="架空請求のはがき", kind="fake_billing")
    assert _tasked(second)[ward["on_case"].pk] == [Reason.CASE]


def test_only_drafts_are_edited_and_a_stale_edit_is_refused(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    staff = personas["consumer"]
    alert = create_alert(staff, alert_input())
    update_alert(staff, alert.pk, alert_input(title="新しい件名"), version=alert.version)
    with pytest.raises(AlertError) as exc:
        update_alert(staff, alert.pk, alert_input(title="古い版から"), version=alert.version)
    assert "version" in exc.value.errors
    issue_alert(staff, alert.pk)
    with pytest.raises(AlertError):
        update_alert(staff, alert.pk, alert_input(title="発信後"))
    with pytest.raises(AlertError):
        issue_alert(staff, alert.pk)
    assert Alert.objects.get().title == "新しい件名"


def test_withdrawing_needs_a_reason_and_ending_keeps_the_record(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    staff = personas["consumer"]
    alert = _issued(staff)
    with pytest.raises(AlertError) as exc:
        withdraw_alert(staff, alert.pk, "")
    assert "note" in exc.value.errors
    withdrawn = withdraw_alert(staff, alert.pk, "別の区の情報を誤って発信した")
    assert withdrawn.status == AlertStatus.WITHDRAWN
    with pytest.raises(AlertError):
        end_alert(staff, alert.pk)
    with pytest.raises(AlertError):
        send_alert(staff, alert.pk)
    other = _issued(staff, title="点検商法")
    assert end_alert(staff, other.pk).status == AlertStatus.ENDED
    # each change has its own named event, so a timeline says which it was
    assert DomainEvent.objects.get(kind=EventKind.CONSUMER_ALERT_WITHDRAWN).object_id == str(
        alert.pk
    )
    assert DomainEvent.objects.get(kind=EventKind.CONSUMER_ALERT_ENDED).object_id == str(other.pk)
    # recipients still see both, with their status
    assert {d.alert.status for d in inbox(personas["commissioner"])} == {
        AlertStatus.WITHDRAWN, AlertStatus.ENDED}  # fmt: skip


def test_the_watch_network_reports_a_count_for_its_own_delivery_only(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = _issued(personas["consumer"])
    mine = Delivery.objects.get(alert=alert, agency__code="msd-08")
    theirs = Delivery.objects.get(alert=alert, agency__code="lsc-16")
    done = acknowledge(personas["commissioner"], mine.pk, "１２", "サロンで説明")
    assert (done.spoke_to, done.acknowledged_by) == (12, personas["commissioner"])
    with pytest.raises(PermissionDenied):
        acknowledge(personas["commissioner"], theirs.pk, 3)
    for bad in ("", "たくさん", "-1", "100000"):
        with pytest.raises(AlertError):
            acknowledge(personas["commissioner"], mine.pk, bad)
    acknowledge(personas["commissioner"], mine.pk, 15)
    mine.refresh_from_db()
    assert mine.spoke_to == 15
    events = DomainEvent.objects.filter(kind=EventKind.CONSUMER_ALERT_ACKNOWLEDGED)
    assert [e.data.get("spoke_to") for e in events.order_by("pk")] == [12, 15]


def test_the_inbox_shows_sent_alerts_of_the_agency_and_never_drafts(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    create_alert(personas["consumer"], alert_input(title="下書き"))
    sent = _issued(personas["consumer"])
    elsewhere = _issued(personas["consumer"], areas=["豊洲"], title="豊洲の件")
    assert [d.alert for d in inbox(personas["commissioner"])] == [sent]
    assert [d.alert for d in inbox(personas["consultant.toyosu"])] == [elsewhere]
    assert inbox(personas["outreach"]) == []  # 社協 is not in the watch network's towns
    with pytest.raises(PermissionDenied):
        inbox(personas["council"])


def test_the_alone_rule_reads_age_on_the_issue_day(
    personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    from datetime import date

    # born 1944-05-05: 74 the day before the 75th birthday, 75 on it
    assert ward["alone"].pk not in services.people_at_risk(["北砂"], date(2019, 5, 4))
    assert services.people_at_risk(["北砂"], date(2019, 5, 5))[ward["alone"].pk] == [
        Reason.ALONE_75]  # fmt: skip
