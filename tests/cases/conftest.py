"""An 8050 household picked up by the coordinator, and helpers to put it under
a 支援会議 decision or a consent, and to open a case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Role, Staff
from tsunagari.cases.models import Case
from tsunagari.cases.services import CaseInput, TeamInput, open_case
from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.consent.services import (
    ConsentInput,
    MemberInput,
    SupportMeetingInput,
    confirm_support_meeting,
    place_under_support_meeting,
    record_consent,
)
from tsunagari.consultations.models import Consultation, Need, NeedKind
from tsunagari.consultations.services import pick_up_need
from tsunagari.people.models import AgencyLink, Household, LinkBasis, Membership

ADDRESS = "江東区北砂七丁目3番2号 北砂ハイツ101"
PHONE = "090-5555-6666"
TODAY = timezone.localdate().isoformat()
NEXT_YEAR = (timezone.localdate() + timedelta(days=365)).isoformat()


@pytest.fixture
def ward(personas: dict[str, Staff]) -> dict[str, Any]:
    """高橋 ふみ (81) and her son 健二 (51, sealed: the household's address and
    phone are hidden from undesignated staff), known to the self-reliance
    centre; a multi-agency need picked up by the coordinator (mac-01)."""
    mother = make_person(name="高橋　ふみ", kana="タカハシ　フミ", birth_date="1945-02-10", sex="2",
                         address=ADDRESS, phone="03-3640-9876")  # fmt: skip
    son = make_person(name="高橋　健二", kana="タカハシ　ケンジ", birth_date="1974-06-01", sex="1",
                      address=ADDRESS, phone=PHONE, sealed=True)  # fmt: skip
    house = Household.objects.create(number="H-8050", address=ADDRESS)
    Membership.objects.create(household=house, person=mother, relation="世帯主")
    Membership.objects.create(household=house, person=son, relation="子")
    srs = Agency.objects.get(code="srs-01")
    AgencyLink.objects.create(person=mother, agency=srs, basis=LinkBasis.CASE)
    consultation = Consultation.objects.create(
        agency=srs, received_by=personas["consultant.self"], person=mother,
        notes="81歳の母と51歳の息子。", outcome="escalation", status="recorded",
    )  # fmt: skip
    need = Need.objects.create(consultation=consultation, person=mother, kind=NeedKind.MULTI_AGENCY,
                               raised_by=personas["consultant.self"], raised_agency=srs)  # fmt: skip
    pick_up_need(personas["coordinator"], need.pk)
    srs_coordinator = Staff.objects.create(username="coordinator.srs", display_name="協働 生活",
                                           agency=srs, roles=[Role.COORDINATOR])  # fmt: skip
    return {"mother": mother, "son": son, "need": need, "consultation": consultation,
            "srs_coordinator": srs_coordinator}  # fmt: skip


def meeting_for(
    ward: dict[str, Any], personas: dict[str, Staff], agencies: list[str], members: bool = True
) -> SupportMeeting:
    """A confirmed 支援会議 decision: recorded by the coordinator, confirmed by the centre."""
    meeting = place_under_support_meeting(personas["coordinator"], ward["mother"].pk,
        SupportMeetingInput(decided_on=TODAY, agencies=agencies, reason="8050世帯。",
                            members=[str(ward["son"].pk)] if members else []))  # fmt: skip
    return confirm_support_meeting(ward["srs_coordinator"], meeting.pk)


def consent_for(
    ward: dict[str, Any], personas: dict[str, Staff], agencies: list[str], son: bool = True,
    categories: tuple[str, ...] = ("basic", "consultation", "family", "support"),
) -> Consent:  # fmt: skip
    """The mother's consent naming ``agencies`` (and her son, who agreed himself)."""
    return record_consent(personas["coordinator"], ward["mother"].pk, ConsentInput(
        form="with", given_on=TODAY, expires_on=NEXT_YEAR, agencies=agencies,
        categories=list(categories),
        members=[MemberInput(person=str(ward["son"].pk), agreement="self")] if son else []))  # fmt: skip


def team(*codes: str) -> list[TeamInput]:
    return [TeamInput(agency=c, role=f"{c}の役割") for c in codes]


def open_for(
    ward: dict[str, Any], personas: dict[str, Staff], regime: str, codes: tuple[str, ...],
    members: bool = True,
) -> Case:  # fmt: skip
    return open_case(personas["coordinator"], ward["need"].pk, CaseInput(
        regime=regime, team=team(*codes), lead="consultant.elderly",
        members=[str(ward["son"].pk)] if members else []))  # fmt: skip
