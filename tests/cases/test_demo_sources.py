"""The demo ward's cases from the other sources: a consultation, a referral, an
outreach target and a candidate, each opened through the action after its source."""

from __future__ import annotations

from django.utils import timezone

from tsunagari.cases.demo import load_demo_case_sources
from tsunagari.cases.models import Case, Regime, SourceKind
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.outreach.models import OutreachTarget, State


def test_the_demo_opens_a_case_from_every_source(demo_ward: str, db: None) -> None:
    summary = load_demo_case_sources(7)
    cases = {c.source_kind: c for c in Case.objects.exclude(source_kind=SourceKind.NEED)}
    assert set(cases) == {"consultation", "referral", "outreach", "candidate"}, summary
    now = timezone.now()
    for case in cases.values():
        assert case.regime == Regime.SUPPORT_MEETING and case.source_id is not None
        opened = DomainEvent.objects.get(kind=EventKind.CASE_OPENED, object_id=str(case.pk),
                                         person_id=case.person_id)  # fmt: skip
        assert opened.data["source"] == case.source_kind and opened.at <= now
        # the other agencies' workers were named, as the named event
        assert DomainEvent.objects.filter(kind=EventKind.CASE_WORKER_ASSIGNED,
                                          object_id=str(case.pk), data__role="agency").exists()  # fmt: skip
    # the outreach target was connected to the coordinating agency before its case opened
    target = OutreachTarget.objects.get(pk=cases["outreach"].source_id)
    assert target.state == State.CONNECTED and target.handover_agency.code == "mac-01"  # type: ignore[union-attr]
    assert target.connected_at is not None and target.connected_at < cases["outreach"].opened_at
    # a second run adds nothing
    assert "already present" in load_demo_case_sources(7)
    assert Case.objects.exclude(source_kind=SourceKind.NEED).count() == 4
