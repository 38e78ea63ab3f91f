"""The home page's waiting section and the header badge in a browser, with
axe-core at desk and phone widths."""

# ruff: noqa: F811  (the fixtures imported below are test parameters of the same name)
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.consultations.conftest import consent, consultation, intake  # noqa: F401  (fixtures)
from tests.people.conftest import residents  # noqa: F401  (fixture)
from tsunagari.consent.models import Consent
from tsunagari.consultations.models import Consultation
from tsunagari.consultations.services import (
    accept_referral,
    record_referral_outcome,
    save_consultation,
    send_referral,
)

pytestmark = pytest.mark.e2e


def test_it_has_no_accessibility_violations_on_the_home_and_its_badge(
    page: Any,
    phone_page: Any,
    sign_in: Any,
    personas: Any,
    consultation: Consultation,
    consent: Consent,
    axe_check: Any,
) -> None:
    # given a referral waiting at the receiver and a draft of its own
    referral = send_referral(
        personas["consultant.elderly"], consultation.pk, to_agency="srs-01", summary="家計の相談"
    )
    save_consultation(
        personas["consultant.self"], intake(None, service="self_reliance"), final=False
    )
    sign_in(page, "consultant.self")
    page.goto("/")
    expect(page.get_by_role("link", name="対応待ち 2件")).to_be_visible()
    assert axe_check(page) == []
    # and after it is accepted and closed, the sender's home and worklist
    accept_referral(personas["consultant.self"], referral.pk)
    record_referral_outcome(personas["consultant.self"], referral.pk, outcome="connected")
    sign_in(phone_page, "consultant.elderly")
    for url in ("/", "/consultations/"):
        phone_page.goto(url)
        assert axe_check(phone_page) == [], url
