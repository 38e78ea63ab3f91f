"""``bases_holding`` (the cases list's one-pass check) agrees with
``basis_holds`` (the one-case rule) for every agency, before and after the
basis ends, under both regimes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cases.conftest import consent_for, meeting_for, open_for
from tsunagari.accounts.models import Agency, Staff
from tsunagari.cases.access import bases_holding, basis_holds
from tsunagari.cases.models import Case, Regime
from tsunagari.consent.services import WithdrawalInput, end_support_meeting, withdraw_consent

pytestmark = pytest.mark.django_db

TEAM = ("mac-01", "srs-01", "lsc-16")


def _agree(cases: list[Case]) -> set[int]:
    """The agencies checked, and the cases each sees; asserts the two rules agree."""
    seen = set()
    for agency in Agency.objects.all():
        one_by_one = {c.pk for c in cases if basis_holds(agency.pk, c)}
        assert bases_holding(agency.pk, cases) == one_by_one, agency.code
        seen |= {agency.pk} if one_by_one else set()
    return seen


def test_under_consent_before_and_after_the_withdrawal(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    consent = consent_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.LAYERED, TEAM)
    assert len(_agree([case])) == 3  # the agencies the consent names
    withdraw_consent(personas["consultant.self"], consent.pk,
                     WithdrawalInput(said_on=consent.given_on.isoformat(), channel="phone",
                                     told_to="自立"))  # fmt: skip
    assert _agree([case]) == set()


def test_under_a_support_meeting_before_and_after_it_ends(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting = meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)
    assert len(_agree([case])) == 3
    end_support_meeting(personas["coordinator"], meeting.pk, reason="終了")
    assert _agree([case]) == set()
