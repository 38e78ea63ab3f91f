"""A shared or lost outreach phone (threat model): a note written offline by
one worker whose session ended without signing out is neither shown to nor
sent by the next worker who signs in on that phone; it is sent when its own
author signs in again. A browser test (Debian's Chromium), run with the e2e
tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_outreach import fill_contact, need, stored  # noqa: F401 (fixture)
from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD
from tsunagari.consultations.models import Need
from tsunagari.outreach.models import Contact
from tsunagari.outreach.services import create_target_from_need

pytestmark = pytest.mark.e2e


def test_an_unsent_note_is_not_shown_to_or_sent_by_the_next_worker_on_the_phone(
    page: Any,
    sign_in: Any,
    need: Need,  # noqa: F811
    personas: Any,
) -> None:
    target = create_target_from_need(personas["outreach"], need.pk)
    colleague = Staff.objects.create(
        username="outreach.colleague",
        agency=personas["outreach"].agency,
        roles=["outreach"],
    )
    colleague.set_password(DEMO_PASSWORD)
    colleague.save()
    # the worker writes a note where there is no signal
    sign_in(page, "outreach")
    page.goto("/outreach/visits/")
    page.route("**/contact/", lambda route: route.abort())
    visit = page.locator(f"#visit-{target.pk} form.contact-form")
    fill_contact(page, visit, "応答なし")
    visit.get_by_role("button", name="記録する").click()
    page.locator("[data-note-status=pending]").wait_for()
    # and the session ends without signing out (idle time, browser closed)
    page.context.clear_cookies()
    page.unroute("**/contact/")
    # a colleague signs in on the same phone, with the signal back
    sign_in(page, "outreach.colleague")
    page.goto("/outreach/visits/")
    page.wait_for_timeout(6500)  # longer than the page's retry interval
    # the note is neither shown to them nor sent under their session
    assert page.locator("[data-note]").count() == 0
    assert Contact.objects.filter(target=target).count() == 0
    assert len(stored(page)) == 1  # still the first worker's, waiting for them
    # when its author signs in again, it is sent and leaves the phone
    page.context.clear_cookies()
    sign_in(page, "outreach")
    page.goto("/outreach/visits/")
    page.locator("[data-note-sent]").wait_for()
    assert Contact.objects.filter(target=target).count() == 1
    assert stored(page) == []
