"""The demo ward's consumer alerts: played through the actions at past moments,
with reports, visits and referrals, and idempotent. (One test: the ward takes a while.)"""

from __future__ import annotations

from tsunagari.consultations.models import Referral
from tsunagari.consumer.demo import load_demo_consumer
from tsunagari.consumer.models import Alert, AlertStatus, Delivery, VisitTask
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.outreach.models import Contact


def test_the_demo_ward_gets_past_alerts_reports_visits_and_referrals(
    demo_ward: str, db: None
) -> None:
    summary = load_demo_consumer(7)
    alerts = list(Alert.objects.all())
    assert {a.status for a in alerts} == set(AlertStatus.values), summary
    assert all(a.issued_at is None or a.issued_at < clock.now() for a in alerts)
    sunamachi = Alert.objects.get(title__startswith="還付金詐欺")
    assert sunamachi.areas == ["北砂", "南砂", "東砂", "新砂"]
    assert Delivery.objects.filter(alert=sunamachi, agency__code="msd-08").exists()
    assert Delivery.objects.filter(acknowledged_at__isnull=False, spoke_to__gt=0).exists(), summary
    tasks = VisitTask.objects.all()
    assert tasks.exists(), summary
    assert all(t.person.town in t.alert.areas for t in tasks.select_related("person", "alert"))
    assert not tasks.filter(person__sealed=True).exists()
    assert Contact.objects.filter(target__consumer_visit__isnull=False).exists(), summary
    assert Referral.objects.filter(
        to_agency__code="dept-16", consultation__main_problem="consumer_damage"
    ).exists(), summary
    acked = DomainEvent.objects.filter(kind=EventKind.CONSUMER_ALERT_ACKNOWLEDGED)
    assert acked.exists() and all(e.at < clock.now() for e in acked)
    before = (Alert.objects.count(), Delivery.objects.count(), VisitTask.objects.count(),
              Referral.objects.count())  # fmt: skip
    assert "already present" in load_demo_consumer(7)
    after = (Alert.objects.count(), Delivery.objects.count(), VisitTask.objects.count(),
             Referral.objects.count())  # fmt: skip
    assert after == before
