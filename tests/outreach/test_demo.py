"""The demo ward's outreach: every state from every source, played through the
actions at past moments, and idempotent. (One test: the ward takes a while.)"""

from __future__ import annotations

from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.outreach.demo import load_demo_outreach
from tsunagari.outreach.models import Contact, OutreachTarget, Source, State


def test_the_demo_ward_gets_targets_in_every_state_from_every_source(
    demo_ward: str, db: None
) -> None:
    summary = load_demo_outreach(7)
    targets = list(OutreachTarget.objects.all())
    assert {t.state for t in targets} == set(State.values), summary
    assert {t.source for t in targets} == set(Source.values), summary
    tips = [t for t in targets if t.source == Source.TIP]
    assert {t.state for t in tips} == set(State.values), summary
    assert any(t.person_id for t in tips)  # tied to a person through the look-up
    # contacts in the past weeks, through the action; one sign of immediate risk escalated
    contacts = list(Contact.objects.all())
    assert contacts and all(c.on <= clock.today() for c in contacts)
    logged = DomainEvent.objects.filter(kind=EventKind.OUTREACH_CONTACT_LOGGED)
    assert logged.count() == len(contacts) and all(e.at < clock.now() for e in logged)
    assert DomainEvent.objects.filter(kind=EventKind.OUTREACH_RISK_ESCALATED).count() == 1
    connected = [t for t in targets if t.state == State.CONNECTED]
    assert all(t.handover_note and t.connected_at for t in connected)
    # a second run adds nothing
    before = (len(targets), len(contacts))
    assert "already present" in load_demo_outreach(7)
    assert (OutreachTarget.objects.count(), Contact.objects.count()) == before
