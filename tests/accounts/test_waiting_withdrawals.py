"""The header badge counts unseen consent withdrawals without loading a row
(one COUNT in the badge's one statement), and gives the same number as the
worklist's list of notices: recorded by the agency or naming it, recorded by
another agency, within the notice period, the newest ones the list shows,
less those the agency has taken note of. Counted once per request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.tally import NOTICE_ROWS
from tsunagari.accounts.waiting import _unseen_withdrawals, waiting_for
from tsunagari.consent.models import Consent, WithdrawalSeen
from tsunagari.consent.services import NOTICE_DAYS
from tsunagari.lib import clock

pytestmark = pytest.mark.django_db


def _withdrawal(
    n: int,
    *,
    recorded: str,
    withdrawn: str,
    named: tuple[str, ...] = (),
    days_ago: float = 1,
) -> Consent:
    person = make_person(name="試験　花子", kana="シケン　ハナコ",
                         birth_date=f"1960-02-{n % 28 + 1:02d}", sex="2")  # fmt: skip
    agency = {a.code: a for a in Agency.objects.filter(code__in=[recorded, withdrawn, *named])}
    at = clock.now() - timedelta(days=days_ago)
    consent = Consent.objects.create(
        person=person, form="with", given_on=(at - timedelta(days=10)).date(),
        recorded_agency=agency[recorded], withdrawn_on=at.date(), withdrawn_at=at,
        withdrawn_agency=agency[withdrawn],
    )  # fmt: skip
    consent.agencies.set([agency[c] for c in named])
    return consent


def _seen(consent: Consent, staff: Staff) -> None:
    WithdrawalSeen.objects.create(consent=consent, agency=staff.agency, seen_by=staff)


def _both(staff: Staff) -> tuple[int, int]:
    return waiting_for(staff, None).withdrawals, len(_unseen_withdrawals(staff))


def test_it_counts_the_same_unseen_withdrawals_as_the_list(personas: dict[str, Staff]) -> None:
    kitasuna, self_centre = personas["consultant.elderly"], personas["consultant.self"]
    assert kitasuna.agency.code == "lsc-16" and self_centre.agency.code == "srs-01"
    # recorded by Kitasuna, withdrawn at the self-reliance centre: Kitasuna's to notice
    a = _withdrawal(1, recorded="lsc-16", withdrawn="srs-01")
    # recorded by the centre and naming Kitasuna (and Kitasuna twice over: recorded and named)
    b = _withdrawal(2, recorded="srs-01", withdrawn="srs-01", named=("lsc-16",))
    c = _withdrawal(3, recorded="lsc-16", withdrawn="srs-01", named=("lsc-16", "lsc-08"))
    # withdrawn at Kitasuna itself: nothing to notice there
    _withdrawal(4, recorded="lsc-16", withdrawn="lsc-16", named=("srs-01",))
    # older than the notice period
    _withdrawal(5, recorded="lsc-16", withdrawn="srs-01", days_ago=NOTICE_DAYS + 1)
    assert _both(kitasuna) == (3, 3)
    assert _both(self_centre) == (1, 1)  # the one withdrawn at Kitasuna naming the centre
    assert _both(personas["consultant.toyosu"]) == (1, 1)  # named in c
    # taken note of by Kitasuna: no longer counted there, still elsewhere
    _seen(a, kitasuna)
    _seen(c, kitasuna)
    assert _both(kitasuna) == (1, 1)
    assert _both(personas["consultant.toyosu"]) == (1, 1)
    _seen(b, kitasuna)
    assert _both(kitasuna) == (0, 0)


def test_it_counts_among_the_newest_the_list_shows(personas: dict[str, Staff]) -> None:
    kitasuna = personas["consultant.elderly"]
    rows = [
        _withdrawal(i, recorded="lsc-16", withdrawn="srs-01", days_ago=1 + i / 100)
        for i in range(NOTICE_ROWS + 3)
    ]
    _seen(rows[0], kitasuna)  # the newest, seen
    _seen(rows[-1], kitasuna)  # the oldest, beyond the list anyway
    assert _both(kitasuna) == (NOTICE_ROWS - 1, NOTICE_ROWS - 1)


def test_it_counts_with_one_query_once_per_request(personas: dict[str, Staff]) -> None:
    kitasuna = personas["consultant.elderly"]
    for i in range(5):
        _withdrawal(i, recorded="lsc-16", withdrawn="srs-01", named=("lsc-16",))
    request: Any = RequestFactory().get("/consultations/")
    with CaptureQueriesContext(connection) as ctx:
        assert waiting_for(kitasuna, None, request=request).withdrawals == 5
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert waiting_for(kitasuna, None, request=request).withdrawals == 5
    assert len(ctx.captured_queries) == 0
    # another request counts afresh
    _withdrawal(9, recorded="lsc-16", withdrawn="srs-01")
    assert waiting_for(kitasuna, None, request=RequestFactory().get("/")).withdrawals == 6


def test_the_badge_counts_without_loading_the_withdrawals(personas: dict[str, Staff]) -> None:
    kitasuna = personas["consultant.elderly"]
    for i in range(3):
        _withdrawal(i, recorded="lsc-16", withdrawn="srs-01")
    with CaptureQueriesContext(connection) as ctx:
        assert waiting_for(kitasuna, None).withdrawals == 3
    consents = [q["sql"] for q in ctx.captured_queries if "consent_consent" in q["sql"]]
    assert len(consents) == 1 and "COUNT(" in consents[0], consents
