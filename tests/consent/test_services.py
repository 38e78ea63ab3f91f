from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.consent.services import (
    ConsentError,
    ConsentInput,
    SupportMeetingInput,
    WithdrawalInput,
    confirm_support_meeting,
    consent_covering,
    end_support_meeting,
    place_under_support_meeting,
    record_consent,
    withdraw_consent,
)
from tsunagari.people.access import is_entitled
from tsunagari.people.models import AgencyLink, Person


def _days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def _with(**overrides: Any) -> ConsentInput:
    values: dict[str, Any] = {"form": "with", "given_on": _days(-1), "expires_on": _days(364),
                              "agencies": ["srs-01", "dis-02"], "categories": ["basic", "health"]}  # fmt: skip
    values.update(overrides)
    return ConsentInput(**values)


def test_it_links_the_named_agencies_until_the_consent_expires(
    personas: Any, residents: dict[str, Person]
) -> None:
    consent = record_consent(personas["consultant.elderly"], residents["taro"].pk, _with())
    links = AgencyLink.objects.filter(person=residents["taro"], basis="consent")
    assert sorted(links.values_list("agency__code", flat=True)) == ["dis-02", "srs-01"]
    assert {link.until for link in links} == {consent.expires_on}
    assert is_entitled(personas["consultant.self"], residents["taro"])
    assert consent_covering(residents["taro"].pk, personas["consultant.self"].agency_id) == consent


def test_it_records_a_refusal_without_linking_anyone(
    personas: Any, residents: dict[str, Person]
) -> None:
    consent = record_consent(personas["consultant.elderly"], residents["taro"].pk,
                             ConsentInput(form="without", given_on=_days(0)))  # fmt: skip
    assert consent.form == "without" and not consent.in_force()
    assert not AgencyLink.objects.filter(basis="consent", person=residents["taro"]).exists()


def test_it_stops_covering_when_a_consent_expires(
    personas: Any, residents: dict[str, Person]
) -> None:
    consent = record_consent(personas["consultant.elderly"], residents["taro"].pk,
                             _with(given_on=_days(-30), expires_on=_days(-1)))  # fmt: skip
    assert not consent.in_force()
    assert not is_entitled(personas["consultant.self"], residents["taro"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"form": "maybe"}, "form"),
        ({"given_on": ""}, "given_on"),
        ({"given_on": _days(3)}, "given_on"),
        ({"expires_on": ""}, "expires_on"),
        ({"expires_on": _days(365 * 4)}, "expires_on"),
        ({"expires_on": _days(-5)}, "expires_on"),
        ({"agencies": []}, "agencies"),
        ({"agencies": ["nope-99"]}, "agencies"),
        ({"agencies": "srs-01"}, "agencies"),
        ({"categories": ["<script>"]}, "categories"),
        ({"categories": []}, "categories"),
        ({"note": "x" * 501}, "note"),
        ({"note": 5}, "note"),
        ({"form": "without"}, "form"),
    ],
)
def test_it_refuses_bad_consent_input_naming_the_field_and_stores_nothing(
    personas: Any, residents: dict[str, Person], overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ConsentError) as exc:
        record_consent(personas["consultant.elderly"], residents["taro"].pk, _with(**overrides))
    assert field in exc.value.errors
    assert (
        Consent.objects.count() == 0
        and not AgencyLink.objects.filter(basis="consent", person=residents["taro"]).exists()
    )


def test_it_refuses_an_agency_with_no_basis_to_record_consent(
    personas: Any, residents: dict[str, Person]
) -> None:
    with pytest.raises(PermissionDenied):
        record_consent(personas["consultant.toyosu"], residents["taro"].pk, _with())
    with pytest.raises(PermissionDenied):
        record_consent(personas["council"], residents["taro"].pk, _with())
    assert Consent.objects.count() == 0


def test_it_ends_the_links_of_a_withdrawn_consent_at_once_and_only_its_own(
    personas: Any, residents: dict[str, Person]
) -> None:
    first = record_consent(personas["consultant.elderly"], residents["taro"].pk, _with())
    record_consent(personas["consultant.elderly"], residents["taro"].pk, _with(agencies=["dis-02"]))
    statement = WithdrawalInput(said_on=_days(0), channel="desk", told_to="北砂 長寿",
                                note="本人の申し出")  # fmt: skip
    withdraw_consent(personas["consultant.elderly"], first.pk, statement)
    assert not is_entitled(personas["consultant.self"], residents["taro"])
    # dis-02 is still covered by the second consent
    assert is_entitled(personas["consultant.disability"], residents["taro"])
    with pytest.raises(ConsentError):
        withdraw_consent(personas["consultant.elderly"], first.pk, statement)


def test_it_places_a_person_under_the_support_meeting_regime(
    personas: Any, residents: dict[str, Person], deciders: dict[str, Staff]
) -> None:
    # given a consultant may not decide it
    data = SupportMeetingInput(decided_on=_days(0), agencies=["srs-01", "mac-01"],
                               reason="8050世帯。本人の同意が得られないが支援が必要。")  # fmt: skip
    with pytest.raises(PermissionDenied):
        place_under_support_meeting(personas["consultant.elderly"], residents["jiro"].pk, data)
    # when the coordinator records the ward's decision and another member confirms it
    meeting = place_under_support_meeting(personas["coordinator"], residents["jiro"].pk, data)
    confirm_support_meeting(deciders["other_member"], meeting.pk)
    # then the members are linked and who decided is kept
    assert meeting.decided_by == personas["coordinator"]
    assert is_entitled(personas["consultant.self"], residents["jiro"])
    assert AgencyLink.objects.filter(person=residents["jiro"], basis="support_meeting").count() == 2
    with pytest.raises(ConsentError):
        place_under_support_meeting(personas["coordinator"], residents["jiro"].pk, data)
    end_support_meeting(personas["coordinator"], meeting.pk, reason="支援が安定")
    assert not is_entitled(personas["consultant.self"], residents["jiro"])
    assert SupportMeeting.objects.get().ended_on == timezone.localdate()


def test_it_refuses_a_support_meeting_without_reason(personas: Any, residents: Any) -> None:
    with pytest.raises(ConsentError) as exc:
        place_under_support_meeting(personas["coordinator"], residents["jiro"].pk,
                                    SupportMeetingInput(decided_on=_days(0), agencies=["srs-01", "mac-01"]))  # fmt: skip
    assert "reason" in exc.value.errors
    assert SupportMeeting.objects.count() == 0


def test_it_tells_the_recording_and_named_agencies_of_a_withdrawal_recorded_elsewhere(
    personas: Any, residents: dict[str, Person]
) -> None:
    # given 北砂 recorded a consent naming srs-01 and dis-02
    from tsunagari.consent.services import withdrawals_to_notice

    consent = record_consent(personas["consultant.elderly"], residents["taro"].pk, _with())
    agency = {s: personas[s].agency for s in ("consultant.elderly", "consultant.self",
                                               "consultant.disability", "consultant.toyosu")}  # fmt: skip
    # when Taro tells 生活サポートセンター (srs-01) he withdraws it
    withdraw_consent(personas["consultant.self"], consent.pk,
                     WithdrawalInput(said_on=_days(0), channel="other_agency", told_to="自立 太郎"))  # fmt: skip
    # then the recording agency and the other named agency are told; srs-01 and outsiders not
    told = {k: [n.consent for n in withdrawals_to_notice(a)] for k, a in agency.items()}
    assert told == {"consultant.elderly": [consent], "consultant.disability": [consent],
                    "consultant.self": [], "consultant.toyosu": []}  # fmt: skip
    assert withdrawals_to_notice(agency["consultant.elderly"])[0].recorded_by_agency
    assert withdrawals_to_notice(None) == []
    # and a withdrawal older than the window is no longer shown
    later = timezone.now() + timedelta(minutes=1)
    assert withdrawals_to_notice(agency["consultant.elderly"], since=later) == []
