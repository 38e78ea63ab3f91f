"""Household-level consent and support meetings: the 8050 case.

An 81-year-old mother (supported by 生活サポートセンター, srs-01) lives with
her unemployed 51-year-old son. The coordinator (多機関協働事業, mac-01) sees
the son only if a consent covers him with his own agreement, or a
support-meeting decision naming him has been confirmed by a second agency.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Staff
from tsunagari.consent.models import ConsentMember, MemberAgreement
from tsunagari.consent.services import (
    ConsentError,
    ConsentInput,
    MemberInput,
    SupportMeetingInput,
    WithdrawalInput,
    confirm_support_meeting,
    consent_covering,
    end_support_meeting,
    place_under_support_meeting,
    record_consent,
    withdraw_consent,
    withdraw_member_consent,
)
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.people.access import is_entitled
from tsunagari.people.models import AgencyLink, Household, LinkBasis, Membership, Person

TODAY = timezone.localdate().isoformat()
NEXT_YEAR = (timezone.localdate() + timedelta(days=365)).isoformat()
SON_ADDRESS = "江東区北砂七丁目3番2号 北砂ハイツ101"


@pytest.fixture
def home(personas: dict[str, Staff]) -> dict[str, Person]:
    mother = make_person(
        name="高橋　ふみ",
        kana="タカハシ　フミ",
        birth_date="1945-02-10",
        sex="2",
        address=SON_ADDRESS,
        phone="03-3640-9876",
    )
    son = make_person(
        name="高橋　健二",
        kana="タカハシ　ケンジ",
        birth_date="1974-06-01",
        sex="1",
        address=SON_ADDRESS,
        phone="090-5555-6666",
    )
    grandchild = make_person(
        name="高橋　陽太",
        kana="タカハシ　ヨウタ",
        birth_date="2016-04-01",
        sex="1",
        address=SON_ADDRESS,
    )
    stranger = make_person(name="田中　一郎", kana="タナカ　イチロウ", birth_date="1950-01-01", sex="1",
                           address="江東区東砂1-1-1")  # fmt: skip
    house = Household.objects.create(number="H-8050", address=SON_ADDRESS)
    Membership.objects.create(household=house, person=mother, relation="世帯主")
    Membership.objects.create(household=house, person=son, relation="子")
    Membership.objects.create(household=house, person=grandchild, relation="孫")
    other = Household.objects.create(number="H-9", address="江東区東砂1-1-1")
    Membership.objects.create(household=other, person=stranger, relation="世帯主")
    srs = Agency.objects.get(code="srs-01")
    AgencyLink.objects.create(person=mother, agency=srs, basis=LinkBasis.CASE)
    return {"mother": mother, "son": son, "grandchild": grandchild, "stranger": stranger}


@pytest.fixture
def srs_coordinator(personas: dict[str, Staff]) -> Staff:
    return Staff.objects.create(username="coordinator.srs", display_name="協働 生活",
                                agency=Agency.objects.get(code="srs-01"), roles=["coordinator"])  # fmt: skip


def _consent(members: list[MemberInput], **overrides: Any) -> ConsentInput:
    values: dict[str, Any] = {"form": "with", "given_on": TODAY, "expires_on": NEXT_YEAR,
                              "agencies": ["mac-01"], "categories": ["basic", "consultation", "family"], "members": members}  # fmt: skip
    values.update(overrides)
    return ConsentInput(**values)


def _meeting(members: list[str]) -> SupportMeetingInput:
    return SupportMeetingInput(decided_on=TODAY, agencies=["srs-01", "mac-01"],
                               reason="8050世帯。息子の同意が得られない。", members=members)  # fmt: skip


def _statement() -> WithdrawalInput:
    return WithdrawalInput(said_on=TODAY, channel="phone", told_to="生活サポートセンター 自立")


def test_it_covers_the_son_who_agreed_himself_for_the_named_agencies(
    personas: dict[str, Staff], home: dict[str, Person]
) -> None:
    # given the mother's consent naming the son, with his own agreement
    consent = record_consent(personas["consultant.self"], home["mother"].pk,
                             _consent([MemberInput(str(home["son"].pk), "self")]))  # fmt: skip
    # then the coordinator sees both, another agency neither
    assert is_entitled(personas["coordinator"], home["mother"])
    assert is_entitled(personas["coordinator"], home["son"])
    assert not is_entitled(personas["consultant.disability"], home["son"])
    assert consent_covering(home["son"].pk, Agency.objects.get(code="mac-01").pk) == consent
    # and the links share the consent's one source note
    notes = set(AgencyLink.objects.filter(basis=LinkBasis.CONSENT).values_list("note", flat=True))
    assert notes == {f"consent:{consent.pk}"}
    # and each person covered has their own named event
    given = DomainEvent.objects.filter(kind=EventKind.CONSENT_GIVEN)
    assert set(given.values_list("person_id", flat=True)) == {home["mother"].pk, home["son"].pk}


def test_it_leaves_the_son_hidden_without_his_own_agreement(
    personas: dict[str, Staff], home: dict[str, Person]
) -> None:
    # given the son was named but did not agree
    record_consent(personas["consultant.self"], home["mother"].pk,
                   _consent([MemberInput(str(home["son"].pk), "not_agreed")]))  # fmt: skip
    # then only the mother is covered; his answer is recorded as his refusal
    assert is_entitled(personas["coordinator"], home["mother"])
    assert not is_entitled(personas["coordinator"], home["son"])
    assert ConsentMember.objects.get().agreement == MemberAgreement.NOT_AGREED
    assert DomainEvent.objects.filter(kind=EventKind.CONSENT_REFUSED,
                                      person=home["son"]).exists()  # fmt: skip


def test_it_leaves_the_son_hidden_when_the_consent_does_not_name_him(
    personas: dict[str, Staff], home: dict[str, Person]
) -> None:
    record_consent(personas["consultant.self"], home["mother"].pk, _consent([]))
    assert is_entitled(personas["coordinator"], home["mother"])
    assert not is_entitled(personas["coordinator"], home["son"])


def test_it_requires_who_agreed_for_a_child_and_on_what_basis(
    personas: dict[str, Staff], home: dict[str, Person]
) -> None:
    child = str(home["grandchild"].pk)
    # when the proxy is not named
    with pytest.raises(ConsentError) as exc:
        record_consent(personas["consultant.self"], home["mother"].pk,
                       _consent([MemberInput(child, "proxy", proxy_basis="parent")]))  # fmt: skip
    assert "代わりに同意した人" in exc.value.errors[f"member-{child}"]
    # when a parent's authority is claimed for an adult son
    with pytest.raises(ConsentError) as exc:
        record_consent(personas["consultant.self"], home["mother"].pk,
                       _consent([MemberInput(str(home["son"].pk), "proxy", proxy_name="高橋ふみ（母）",
                                             proxy_basis="parent")]))  # fmt: skip
    assert "18歳以上" in exc.value.errors[f"member-{home['son'].pk}"]
    assert not AgencyLink.objects.filter(basis=LinkBasis.CONSENT).exists()
    # then with the parent named, the child is covered
    record_consent(personas["consultant.self"], home["mother"].pk,
                   _consent([MemberInput(child, "proxy", proxy_name="高橋健二（父）",
                                         proxy_basis="parent")]))  # fmt: skip
    assert is_entitled(personas["coordinator"], home["grandchild"])
    assert ConsentMember.objects.get().proxy_name == "高橋健二（父）"


@pytest.mark.parametrize(
    "members",
    [
        ["stranger"],  # another household's person
        ["mother"],  # the person herself
        ["999999"],  # nobody
        ["son", "son"],  # twice
        ["-1"],
        ["１２"],  # full-width digits
        ["x" * 5000],
        [str(i) for i in range(500)],  # a huge list
    ],
)
def test_it_refuses_members_not_in_the_household(
    personas: dict[str, Staff],
    home: dict[str, Person],
    members: list[str],
    srs_coordinator: Staff,
) -> None:
    ids = [str(home[m].pk) if m in home else m for m in members]
    for make in (
        lambda: record_consent(personas["consultant.self"], home["mother"].pk,
                               _consent([MemberInput(i, "self") for i in ids])),
        lambda: place_under_support_meeting(srs_coordinator, home["mother"].pk, _meeting(ids)),
    ):  # fmt: skip
        with pytest.raises(ConsentError) as exc:
            make()
        assert "members" in exc.value.errors
    assert not AgencyLink.objects.filter(basis=LinkBasis.CONSENT).exists()
    assert not ConsentMember.objects.exists()


def test_it_refuses_to_name_members_when_the_household_is_not_open_to_the_recorder(
    personas: dict[str, Staff], home: dict[str, Person]
) -> None:
    # given the coordinator's agency has no basis for the mother (nor picked up a need)
    son = str(home["son"].pk)
    # then naming her son gets the same answer as naming a stranger (no oracle)
    with pytest.raises(ConsentError) as exc:
        place_under_support_meeting(personas["coordinator"], home["mother"].pk, _meeting([son]))
    with pytest.raises(ConsentError) as other:
        place_under_support_meeting(personas["coordinator"], home["mother"].pk,
                                    _meeting([str(home["stranger"].pk)]))  # fmt: skip
    assert exc.value.errors == other.value.errors


def test_it_opens_the_named_members_only_after_a_second_agency_confirms(
    personas: dict[str, Staff], home: dict[str, Person], srs_coordinator: Staff
) -> None:
    # given the centre, which has the household open, records through its coordinator
    meeting = place_under_support_meeting(srs_coordinator, home["mother"].pk,
                                          _meeting([str(home["son"].pk)]))  # fmt: skip
    # then while pending nobody at the coordinator's agency sees either of them
    assert not is_entitled(personas["coordinator"], home["mother"])
    assert not is_entitled(personas["coordinator"], home["son"])
    # when the second agency confirms
    confirm_support_meeting(personas["coordinator"], meeting.pk)
    # then both are open to the member agencies, on the decision's one source note
    assert is_entitled(personas["coordinator"], home["mother"])
    assert is_entitled(personas["coordinator"], home["son"])
    assert not is_entitled(personas["coordinator"], home["grandchild"])
    confirmed = DomainEvent.objects.filter(kind=EventKind.MEETING_CONFIRMED)
    assert set(confirmed.values_list("person_id", flat=True)) == {home["mother"].pk,
                                                                  home["son"].pk}  # fmt: skip
    # when the meeting's handling ends, every link it opened ends
    end_support_meeting(personas["coordinator"], meeting.pk, reason="支援が終わった")
    assert not is_entitled(personas["coordinator"], home["mother"])
    assert not is_entitled(personas["coordinator"], home["son"])


def test_it_ends_only_the_sons_coverage_when_he_withdraws(
    personas: dict[str, Staff], home: dict[str, Person]
) -> None:
    consent = record_consent(personas["consultant.self"], home["mother"].pk,
                             _consent([MemberInput(str(home["son"].pk), "self")]))  # fmt: skip
    # when the son tells the coordinator (who now sees him) he withdraws
    withdraw_member_consent(personas["coordinator"], consent.pk, home["son"].pk, _statement())
    # then only his coverage ends
    assert not is_entitled(personas["coordinator"], home["son"])
    assert is_entitled(personas["coordinator"], home["mother"])
    assert consent_covering(home["son"].pk, Agency.objects.get(code="mac-01").pk) is None
    assert DomainEvent.objects.filter(kind=EventKind.CONSENT_WITHDRAWN,
                                      person=home["son"]).exists()  # fmt: skip
    # and he cannot withdraw twice (told to an agency that serves him)
    AgencyLink.objects.create(person=home["son"], agency=Agency.objects.get(code="lsc-16"),
                              basis=LinkBasis.SERVICE)  # fmt: skip
    with pytest.raises(ConsentError):
        withdraw_member_consent(personas["consultant.elderly"], consent.pk, home["son"].pk,
                                _statement())  # fmt: skip


def test_it_keeps_the_sons_coverage_when_his_mother_withdraws(
    personas: dict[str, Staff], home: dict[str, Person]
) -> None:
    consent = record_consent(personas["consultant.self"], home["mother"].pk,
                             _consent([MemberInput(str(home["son"].pk), "self")]))  # fmt: skip
    # when the mother withdraws her own consent
    withdraw_consent(personas["consultant.self"], consent.pk, _statement())
    # then her statement ends her coverage; the son's own agreement stands
    assert not is_entitled(personas["coordinator"], home["mother"])
    assert is_entitled(personas["coordinator"], home["son"])


def test_it_refuses_a_member_withdrawal_from_an_agency_that_cannot_see_the_member(
    personas: dict[str, Staff], home: dict[str, Person]
) -> None:
    consent = record_consent(personas["consultant.self"], home["mother"].pk,
                             _consent([MemberInput(str(home["son"].pk), "self")]))  # fmt: skip
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        withdraw_member_consent(personas["consultant.disability"], consent.pk, home["son"].pk,
                                _statement())  # fmt: skip
    assert is_entitled(personas["coordinator"], home["son"])


def test_it_lists_the_household_on_the_form_without_a_sealed_members_address(
    personas: dict[str, Staff], home: dict[str, Person], client_for: Callable[[str], Client]
) -> None:
    # given the son is sealed (DV) and the consultant is not designated staff
    Person.objects.filter(pk=home["son"].pk).update(sealed=True)
    client = client_for("consultant.self")
    for url in (f"/consent/new/?person={home['mother'].pk}",):
        # when the consent form is shown
        page = client.get(url).content.decode()
        # then the members are listed by name, and no address or phone of the household shows
        assert "高橋　健二" in page and "高橋　陽太" in page
        assert f'name="members" value="{home["son"].pk}"' in page
        assert SON_ADDRESS not in page and "090-5555-6666" not in page
        assert "田中" not in page
    # and a refused save shows the same
    page = client.post("/consent/new/", {"person": home["mother"].pk, "form": "with",
                                         "given_on": TODAY, "expires_on": NEXT_YEAR, "agencies": ["mac-01"],
                                         "categories": ["basic"], "members": [home["son"].pk],
                                         f"agreement-{home['son'].pk}": "proxy"})  # fmt: skip
    assert page.status_code == 400
    assert SON_ADDRESS not in page.content.decode()


def test_it_records_a_household_consent_from_the_form(
    personas: dict[str, Staff], home: dict[str, Person], client_for: Callable[[str], Client]
) -> None:
    son = home["son"].pk
    response = client_for("consultant.self").post("/consent/new/", {
        "person": home["mother"].pk, "form": "with", "given_on": TODAY, "expires_on": NEXT_YEAR, "agencies": ["mac-01"],
        "categories": ["basic", "family"], "members": [son], f"agreement-{son}": "self"})  # fmt: skip
    assert response.status_code == 302
    assert is_entitled(personas["coordinator"], home["son"])


def test_it_refuses_a_huge_member_list_posted_to_the_form(
    personas: dict[str, Staff], home: dict[str, Person], client_for: Callable[[str], Client]
) -> None:
    response = client_for("consultant.self").post("/consent/new/", {
        "person": home["mother"].pk, "form": "with", "given_on": TODAY, "expires_on": NEXT_YEAR, "agencies": ["mac-01"],
        "categories": ["basic"], "members": [str(i) for i in range(900)]})  # fmt: skip
    assert response.status_code == 400
    assert not AgencyLink.objects.filter(basis=LinkBasis.CONSENT).exists()
