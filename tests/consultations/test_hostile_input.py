"""Hostile input on the referral, consent and support-meeting forms and
endpoints: a clear message, nothing stored half-way."""

from __future__ import annotations

from typing import Any

import pytest

from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.consultations.models import Consultation, Referral, ReferralEvent
from tsunagari.consultations.services import send_referral
from tsunagari.people.models import AgencyLink, Person

JSON = "application/json"
SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_agency": "", "summary": "要約"}, "つなぐ先の機関が見つかりません"),
        ({"to_agency": SCRIPT, "summary": "要約"}, "つなぐ先の機関が見つかりません"),
        ({"to_agency": "srs-01", "summary": ""}, "要約"),
        ({"to_agency": "srs-01", "summary": "あ" * 2001}, "2,000文字以内"),
        ({"to_agency": "srs-01", "summary": "要約\x00"}, "制御文字"),
        ({"to_agency": "lsc-16", "summary": "要約"}, "自分の機関"),
        ({"to_agency": "msd-08", "summary": "要約"}, "つなぐ先の機関が見つかりません"),
    ],
)
def test_it_refuses_hostile_input_on_the_referral_form(
    client_for: Any,
    consultation: Consultation,
    consent: Consent,
    data: dict[str, str],
    message: str,
) -> None:
    response = client_for("consultant.elderly").post(
        f"/consultations/{consultation.pk}/refer/", data
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and SCRIPT not in body
    assert Referral.objects.count() == 0 and ReferralEvent.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"consultation_id": "x", "to_agency": "srs-01", "summary": "s"},
        {"consultation_id": 1, "to_agency": ["srs-01"], "summary": "s"},
        {"consultation_id": 1, "to_agency": "s" * 65, "summary": "s"},
    ],
)
def test_it_refuses_wrong_types_on_the_referral_api(
    client_for: Any, consultation: Consultation, consent: Consent, body: dict[str, Any]
) -> None:
    response = client_for("consultant.elderly").post("/api/referrals", body, content_type=JSON)
    assert response.status_code == 422
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("decline", {"reason": "x" * 501}),
        ("decline", {"reason": 5}),
        ("outcome", {"outcome": SCRIPT}),
        ("outcome", {"outcome": ""}),
        ("accept", {"note": "x" * 501}),
    ],
)
def test_it_refuses_hostile_input_on_referral_actions(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent, action: str,
    body: dict[str, Any],
) -> None:  # fmt: skip
    referral = send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                             summary="要約")  # fmt: skip
    response = client_for("consultant.self").post(
        f"/api/referrals/{referral.pk}/{action}", body, content_type=JSON
    )
    assert response.status_code in {409, 422}
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.events.count() == 1


def test_it_answers_not_found_to_an_unknown_referral_action(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                             summary="要約")  # fmt: skip
    response = client_for("consultant.self").post(f"/consultations/referrals/{referral.pk}/delete/")
    assert response.status_code == 404
    assert Referral.objects.get().status == "sent"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"form": SCRIPT},
        {"form": "with", "given_on": "x" * 100, "agencies": ["srs-01"], "categories": ["basic"]},
        {"form": "with", "given_on": "2020-01-01", "expires_on": "2099-01-01",
         "agencies": ["srs-01"], "categories": ["basic"]},
        {"form": "with", "given_on": "2026-01-01", "expires_on": "2026-12-31",
         "agencies": [SCRIPT], "categories": ["basic"]},
    ],
)  # fmt: skip
def test_it_refuses_hostile_input_on_the_consent_form(
    client_for: Any, residents: dict[str, Person], data: dict[str, Any]
) -> None:
    taro = residents["taro"]
    links = AgencyLink.objects.count()
    response = client_for("consultant.elderly").post(
        f"/consent/new/?person={taro.pk}", {"person": taro.pk, **data}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "記録できませんでした" in body and SCRIPT not in body
    assert Consent.objects.count() == 0 and AgencyLink.objects.count() == links


def test_it_refuses_the_consent_form_for_an_unknown_person(client_for: Any, personas: Any) -> None:
    for query in ("?person=999999", "?person=abc", ""):
        assert client_for("consultant.elderly").get(f"/consent/new/{query}").status_code == 404


def test_it_refuses_hostile_input_on_the_support_meeting_form(
    client_for: Any, residents: dict[str, Person]
) -> None:
    jiro = residents["jiro"]
    client = client_for("coordinator")
    response = client.post(f"/consent/support-meeting/new/?person={jiro.pk}",
                           {"person": jiro.pk, "decided_on": SCRIPT, "agencies": ["srs-01", "mac-01"],
                            "reason": "x" * 600})  # fmt: skip
    assert response.status_code == 400
    assert SCRIPT not in response.content.decode()
    assert SupportMeeting.objects.count() == 0
    assert (
        client_for("consultant.elderly")
        .get(f"/consent/support-meeting/new/?person={jiro.pk}")
        .status_code
        == 403
    )


def test_it_refuses_huge_notes_on_autosave_and_stores_nothing(
    client_for: Any, personas: Any
) -> None:
    response = client_for("consultant.elderly").post(
        "/consultations/autosave/", {"notes": "あ" * 10_001, "version": "0"}, HTTP_HX_REQUEST="true"
    )
    assert "下書きを保存できませんでした" in response.content.decode()
    assert Consultation.objects.count() == 0


def test_it_truncates_a_huge_lookup_query(client_for: Any, residents: Any) -> None:
    response = client_for("consultant.elderly").get(
        "/consultations/lookup/", {"q": "ヤマダ " * 500}
    )
    assert response.status_code == 200
