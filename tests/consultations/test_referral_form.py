"""The referral form: urgency, how the person wants to be contacted, what they
were told, the consent relied on and the due date shown before sending."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tsunagari.consent.models import Consent
from tsunagari.consultations.models import Consultation, Referral
from tsunagari.consultations.services import ReferralError, send_referral
from tsunagari.lib import clock


def test_it_shows_the_consent_and_the_due_date_before_sending(
    client_for: Any, consultation: Consultation, consent: Consent
) -> None:
    # given a Monday morning: an answer from the self-reliance centre is due in working days
    with clock.frozen(datetime(2026, 12, 28, 10, tzinfo=ZoneInfo("Asia/Tokyo"))):
        body = (
            client_for("consultant.elderly")
            .get(f"/consultations/{consultation.pk}/refer/")
            .content.decode()
        )
    # then the option names the consent it relies on and the due date, skipping 年末年始
    assert f"本人同意 {consent.given_on:%Y-%m-%d}" in body
    assert "回答期限 1月" in body


def test_it_sends_urgency_contact_preference_and_what_was_explained(
    client_for: Any, consultation: Consultation, consent: Consent
) -> None:
    client = client_for("consultant.elderly")
    response = client.post(f"/consultations/{consultation.pk}/refer/", {
        "to_agency": "srs-01", "summary": "家賃の滞納", "urgency": "urgent",
        "contact_preference": "平日午前に携帯へ。郵便は不可。", "explained": "センターから電話が来ること"})  # fmt: skip
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.urgency == "urgent" and referral.contact_preference.startswith("平日午前")
    page = client_for("consultant.self").get(f"/consultations/referrals/{referral.pk}/")
    body = page.content.decode()
    assert "至急" in body and "郵便は不可" in body and "センターから電話が来ること" in body
    api = client_for("consultant.self").get(f"/api/referrals/{referral.pk}").json()
    assert api["urgency"] == "urgent" and api["explained"] == "センターから電話が来ること"


@pytest.mark.parametrize(
    ("field", "value"),
    [("urgency", "immediately"), ("urgency", ""), ("contact_preference", "x" * 201),
     ("explained", "y" * 501), ("explained", "a\x00b")],
)  # fmt: skip
def test_it_refuses_bad_referral_details_and_sends_nothing(
    personas: Any, consultation: Consultation, consent: Consent, field: str, value: str
) -> None:
    values = {"urgency": "normal", "contact_preference": "", "explained": "", field: value}
    with pytest.raises(ReferralError) as exc:
        send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                      summary="要約", **values)  # fmt: skip
    assert field in exc.value.errors
    assert not Referral.objects.exists()


def test_it_counts_a_referral_sent_on_28_december_past_the_new_year_break(
    personas: Any, consultation: Consultation
) -> None:
    # given Taro's consent recorded on Monday 28 December 2026
    from datetime import date

    from tsunagari.consent.services import ConsentInput, record_consent

    monday = datetime(2026, 12, 28, 10, tzinfo=ZoneInfo("Asia/Tokyo"))
    with clock.frozen(monday):
        record_consent(personas["consultant.elderly"], consultation.person_id, ConsentInput(
            form="with", given_on="2026-12-28", expires_on="2027-06-30", agencies=["srs-01"],
            categories=["basic"]))  # fmt: skip
        # when the referral is sent that morning to a centre with 3 working days
        referral = send_referral(personas["consultant.elderly"], consultation.pk,
                                 to_agency="srs-01", summary="家計の相談")  # fmt: skip
    # then 12/29–1/3 and the weekend after do not count: due Wednesday 6 January
    assert referral.sent_at == monday
    assert referral.due_at.astimezone(ZoneInfo("Asia/Tokyo")).date() == date(2027, 1, 6)
