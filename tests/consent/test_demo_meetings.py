"""The demo ward's support-meeting decisions go through the four-eyes services."""

from __future__ import annotations

from tsunagari.audit.models import AuditEvent
from tsunagari.consent.models import DecisionStatus, SupportMeeting
from tsunagari.people.models import AgencyLink


def test_it_shows_confirmed_and_pending_decisions_of_two_or_more_agencies(
    demo_ward: str, db: None
) -> None:
    # given the demo ward
    summary = demo_ward
    meetings = list(SupportMeeting.objects.prefetch_related("agencies"))
    # then every decision names at least two agencies, the recorder's among them
    assert meetings and "pending" in summary
    assert all(m.agencies.count() >= 2 for m in meetings)
    assert all(m.recorded_agency_id in {a.pk for a in m.agencies.all()} for m in meetings)
    # and confirmed ones were confirmed by another agency, through the service (audited)
    confirmed = [m for m in meetings if m.status == DecisionStatus.CONFIRMED]
    pending = [m for m in meetings if m.status == DecisionStatus.PENDING]
    assert confirmed and len(pending) == 1
    for m in confirmed:
        assert m.confirmed_agency_id not in {None, m.recorded_agency_id}
        assert AuditEvent.objects.filter(object_type="consent.supportmeeting",
                                         object_id=str(m.pk), action="release").exists()  # fmt: skip
    # and the pending one opened nothing
    assert not AgencyLink.objects.filter(note=f"support_meeting:{pending[0].pk}").exists()
