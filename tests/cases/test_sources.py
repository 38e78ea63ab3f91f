"""Opening a case from each source the issue names: a consultation, a referral the
coordinating agency received, an outreach target being connected, an
early-detection candidate (and the need, as before). Each source is kept on the
case, once; the coordinator must be allowed to see the source record; the regime
is checked as for any case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import ADDRESS, consent_for, meeting_for, team
from tsunagari.accounts.models import Agency, Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.cases.models import Case, Regime, SourceKind
from tsunagari.cases.services import CaseError, CaseInput, CaseSource, open_case
from tsunagari.consultations.models import Consultation, Referral, ReferralStatus
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.linkage.models import Candidate, CandidateStatus, LinkageRun, RunStatus
from tsunagari.outreach.models import OutreachTarget, Source, State, TargetKind

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16")


def _data(**extra: Any) -> CaseInput:
    return CaseInput(regime=Regime.SUPPORT_MEETING, team=team(*TEAM), **extra)


@pytest.fixture
def mac_consultation(ward: dict[str, Any], personas: dict[str, Staff]) -> Consultation:
    """The coordinating agency's own consultation about the mother."""
    return Consultation.objects.create(
        agency=Agency.objects.get(code="mac-01"), received_by=personas["coordinator"],
        person=ward["mother"], notes="来所相談。", status="recorded",
    )  # fmt: skip


def _referral(ward: dict[str, Any], personas: dict[str, Staff], to: str, status: str) -> Referral:
    return Referral.objects.create(
        consultation=ward["consultation"], person=ward["mother"],
        from_agency=Agency.objects.get(code="srs-01"), to_agency=Agency.objects.get(code=to),
        sent_by=personas["consultant.self"], due_at=timezone.now() + timedelta(days=3),
        summary="母と息子の世帯。多機関での支援をお願いします。", status=status,
    )  # fmt: skip


def _target(ward: dict[str, Any], personas: dict[str, Staff], **fields: Any) -> OutreachTarget:
    return OutreachTarget.objects.create(
        kind=TargetKind.PERSON, person=ward["mother"], source=Source.TIP,
        created_by=personas["outreach"], **fields,
    )  # fmt: skip


def _candidate(ward: dict[str, Any], status: str = CandidateStatus.NEW) -> Candidate:
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    candidate = Candidate.objects.create(run=run, pattern="8050", pattern_ja="8050世帯",
                                         household_key="HH-1", status=status)  # fmt: skip
    candidate.members.set([ward["mother"], ward["son"]])
    return candidate


def test_a_consultation_opens_a_case_that_keeps_its_source(
    ward: dict[str, Any], personas: dict[str, Staff], mac_consultation: Consultation
) -> None:
    meeting_for(ward, personas, list(TEAM))
    source = CaseSource(SourceKind.CONSULTATION, mac_consultation.pk)
    case = open_case(personas["coordinator"], source, _data(members=[str(ward["son"].pk)]))
    assert (case.source_kind, case.source_id, case.need) == (
        "consultation",
        mac_consultation.pk,
        None,
    )
    assert case.person == ward["mother"] and case.members.count() == 1
    opened = DomainEvent.objects.filter(kind=EventKind.CASE_OPENED, person_id=ward["mother"].pk)
    assert opened.get().data["source"] == "consultation"
    assert opened.get().data["source_id"] == mac_consultation.pk
    # one case per source: a second opening is refused with the reason
    with pytest.raises(CaseError) as refused:
        open_case(personas["coordinator"], source, _data())
    assert "すでに事例" in refused.value.errors["source"]


def test_the_regime_still_decides_for_every_source(
    ward: dict[str, Any], personas: dict[str, Staff], mac_consultation: Consultation
) -> None:
    source = CaseSource(SourceKind.CONSULTATION, mac_consultation.pk)
    with pytest.raises(CaseError) as refused:
        open_case(personas["coordinator"], source, _data())
    assert "支援会議の決定がありません" in refused.value.errors["regime"]
    consent_for(ward, personas, ["mac-01", "srs-01"])
    with pytest.raises(CaseError) as refused:
        open_case(personas["coordinator"], source,
                  CaseInput(regime=Regime.LAYERED, team=team(*TEAM)))  # fmt: skip
    assert "長寿サポートセンター" in refused.value.errors["team"]
    assert not Case.objects.exists()


def test_a_consultation_the_coordinator_may_not_read_is_refused_and_audited(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    srs = Consultation.objects.create(
        agency=Agency.objects.get(code="srs-01"), received_by=personas["consultant.self"],
        person=ward["mother"], status="recorded")  # fmt: skip
    with pytest.raises(PermissionDenied):
        open_case(personas["coordinator"], CaseSource(SourceKind.CONSULTATION, srs.pk), _data())
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_id=str(srs.pk)).exists()
    # a draft of the coordinator's own agency opens nothing either
    draft = Consultation.objects.create(
        agency=Agency.objects.get(code="mac-01"), received_by=personas["coordinator"],
        person=ward["mother"], status="draft")  # fmt: skip
    with pytest.raises(CaseError):
        open_case(personas["coordinator"], CaseSource(SourceKind.CONSULTATION, draft.pk), _data())
    # and only the coordinating role opens cases
    with pytest.raises(PermissionDenied):
        open_case(personas["consultant.self"], CaseSource(SourceKind.CONSULTATION, srs.pk),
                  _data())  # fmt: skip


def test_a_referral_received_by_the_coordinating_agency_opens_a_case(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    received = _referral(ward, personas, "mac-01", ReferralStatus.RECEIVED)
    case = open_case(personas["coordinator"], CaseSource(SourceKind.REFERRAL, received.pk), _data())
    assert (case.source_kind, case.source_id) == ("referral", received.pk)
    # a referral to another agency is not the coordinator's to open
    elsewhere = _referral(ward, personas, "lsc-16", ReferralStatus.RECEIVED)
    with pytest.raises(PermissionDenied):
        open_case(personas["coordinator"], CaseSource(SourceKind.REFERRAL, elsewhere.pk), _data())
    # nor one the agency declined
    declined = _referral(ward, personas, "mac-01", ReferralStatus.DECLINED)
    with pytest.raises(CaseError) as refused:
        open_case(personas["coordinator"], CaseSource(SourceKind.REFERRAL, declined.pk), _data())
    assert "辞退" in refused.value.errors["source"]


def test_an_outreach_target_handed_to_the_coordinating_agency_opens_a_case(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    mac = Agency.objects.get(code="mac-01")
    # met, but not handed over: the coordinator may not see the target
    met = _target(ward, personas, state=State.IN_CONTACT)
    with pytest.raises(PermissionDenied):
        open_case(personas["coordinator"], CaseSource(SourceKind.OUTREACH, met.pk), _data())
    handed = _target(ward, personas, state=State.CONNECTED, handover_agency=mac,
                     connected_at=timezone.now(), handover_note="訪問を重ねて会えた。")  # fmt: skip
    case = open_case(personas["coordinator"], CaseSource(SourceKind.OUTREACH, handed.pk), _data())
    assert (case.source_kind, case.source_id) == ("outreach", handed.pk)
    # a target not yet tied to a person opens nothing
    unknown = _target(ward, personas, state=State.CONNECTED, handover_agency=mac,
                      connected_at=timezone.now())  # fmt: skip
    unknown.person = None
    unknown.save(update_fields=["person"])
    with pytest.raises(CaseError) as refused:
        open_case(personas["coordinator"], CaseSource(SourceKind.OUTREACH, unknown.pk), _data())
    assert "本人確認" in refused.value.errors["source"]


def test_a_candidate_opens_a_case_for_the_member_chosen(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    candidate = _candidate(ward)
    source = CaseSource(SourceKind.CANDIDATE, candidate.pk)
    with pytest.raises(CaseError) as refused:
        open_case(personas["coordinator"], source, _data())
    assert "person" in refused.value.errors
    # staff without the flags designation may not use candidates
    with pytest.raises(PermissionDenied):
        open_case(ward["srs_coordinator"], source, _data())
    case = open_case(personas["coordinator"], source,
                     _data(person=str(ward["mother"].pk), members=[str(ward["son"].pk)]))  # fmt: skip
    assert case.person == ward["mother"] and (case.source_kind, case.source_id) == (
        "candidate", candidate.pk)  # fmt: skip
    # a candidate decided "not needed" is refused with what to do
    with pytest.raises(CaseError) as refused:
        open_case(personas["coordinator"],
                  CaseSource(SourceKind.CANDIDATE, _candidate(ward, CandidateStatus.NOT_NEEDED).pk),
                  _data(person=str(ward["mother"].pk)))  # fmt: skip
    assert "対応不要" in refused.value.errors["source"]


def test_the_need_path_goes_through_the_same_opening(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_case(personas["coordinator"], CaseSource(SourceKind.NEED, ward["need"].pk), _data())
    assert (case.source_kind, case.source_id, case.need) == ("need", ward["need"].pk, ward["need"])


# ── pages ──


def test_the_consultation_page_offers_a_case_to_the_coordinator_only(
    ward: dict[str, Any], personas: dict[str, Staff], mac_consultation: Consultation,
    client_for: Clients,
) -> None:  # fmt: skip
    meeting_for(ward, personas, list(TEAM))
    url, new = f"/consultations/{mac_consultation.pk}/", f"?consultation={mac_consultation.pk}"
    client = client_for("coordinator")
    assert new in client.get(url).content.decode()
    # the form names its source, with the way back
    form = client.get(f"/cases/new/{new}").content.decode()
    assert f'href="{url}"' in form and "相談 #" in form
    response = client.post("/cases/new/", {
        "consultation": mac_consultation.pk, "regime": "support_meeting", "lead": "coordinator",
        "agency": list(TEAM), "role": ["調整", "生活費", "介護"]})  # fmt: skip
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    # the case page shows where it came from, and the consultation leads to the case
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="{url}"' in page and ADDRESS not in page
    assert f"/cases/{case.pk}/" in client.get(url).content.decode()
    # opening the same source again leads to the case
    assert client.get(f"/cases/new/{new}")["Location"] == f"/cases/{case.pk}/"


def test_other_roles_see_no_offer_and_the_form_is_refused(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    srs = Consultation.objects.create(
        agency=Agency.objects.get(code="srs-01"), received_by=personas["consultant.self"],
        person=ward["mother"], status="recorded")  # fmt: skip
    client = client_for("consultant.self")
    assert f"?consultation={srs.pk}" not in client.get(f"/consultations/{srs.pk}/").content.decode()
    assert client.get(f"/cases/new/?consultation={srs.pk}").status_code == 403
    # the coordinator may not open another agency's consultation as a source
    assert client_for("coordinator").get(f"/cases/new/?consultation={srs.pk}").status_code == 403


def test_the_list_shows_referrals_and_handovers_waiting_for_a_case(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    received = _referral(ward, personas, "mac-01", ReferralStatus.ACCEPTED)
    handed = _target(ward, personas, state=State.CONNECTED,
                     handover_agency=Agency.objects.get(code="mac-01"), connected_at=timezone.now())  # fmt: skip
    listing = client_for("coordinator").get("/cases/").content.decode()
    assert f"/cases/new/?referral={received.pk}" in listing
    assert f"/cases/new/?outreach={handed.pk}" in listing
    # no person's name is listed there
    assert "高橋" not in listing
    assert "?referral=" not in client_for("consultant.elderly").get("/cases/").content.decode()


def test_the_outreach_and_candidate_pages_offer_a_case(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    meeting_for(ward, personas, list(TEAM))
    handed = _target(ward, personas, state=State.CONNECTED,
                     handover_agency=Agency.objects.get(code="mac-01"), connected_at=timezone.now())  # fmt: skip
    client = client_for("coordinator")
    assert (
        f"/cases/new/?outreach={handed.pk}"
        in client.get(f"/outreach/{handed.pk}/").content.decode()
    )
    candidate = _candidate(ward)
    page = client.get(f"/linkage/candidates/{candidate.pk}/").content.decode()
    assert f"/cases/new/?candidate={candidate.pk}" in page
    # the outreach worker (no case role) is not offered one
    outreach = client_for("outreach")
    assert "/cases/new/" not in outreach.get(f"/outreach/{handed.pk}/").content.decode()
    # the candidate form lists its members to choose the case's person from
    form = client.get(f"/cases/new/?candidate={candidate.pk}").content.decode()
    assert "高橋　ふみ" in form and 'name="person"' in form
    response = client.post("/cases/new/", {
        "candidate": candidate.pk, "person": ward["mother"].pk, "regime": "support_meeting",
        "lead": "coordinator", "agency": list(TEAM), "role": ["調整", "", ""]})  # fmt: skip
    assert response.status_code == 302
    assert Case.objects.get().source_kind == "candidate"
