"""The outreach list (in bench/load_pages.py) costs a fixed number of
queries, whatever the number of targets it lists, and no more than today."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.outreach.conftest import SEALED_ADDRESS
from tests.people.conftest import make_person
from tsunagari.accounts.models import Staff
from tsunagari.outreach.models import OutreachTarget, Source, State, TargetKind

# Today's count on this small ward; raise it only with a reason.
OUTREACH_LIST_MAX = 19


@pytest.fixture(autouse=True)
def _no_session_renewal(settings: Any) -> None:
    """A session is written when its expiry has run down by a minute: on a
    busy machine a test can take that long, and the write would be counted."""
    settings.SESSION_EXTEND_AFTER = settings.SESSION_COOKIE_AGE // 2


@pytest.fixture
def client_for(client_for: Callable[[str], Any]) -> Callable[[str], Any]:
    """Signed-in clients past their sign-in's first request, which alone asks
    whether they have an authenticator (and notes the answer in the session),
    and a process that has asked whether this is the demo ward: what every
    later page costs is what is counted here."""
    from tsunagari.demo.context import demo_ward_loaded

    def make(username: str) -> Any:
        client = client_for(username)
        assert client.get("/api/me").status_code == 200
        demo_ward_loaded()
        return client

    return make


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _targets(personas: dict[str, Staff], n: int, *, sealed: bool = False) -> None:
    """Open targets: half on the worker's caseload, half nobody's yet."""
    worker = personas["outreach"]
    for i in range(n):
        person = make_person(name="訪問　一郎", kana="ホウモン　イチロウ",
                             birth_date=f"1940-04-{i % 28 + 1:02d}", sex="1",
                             address=SEALED_ADDRESS if sealed else f"江東区北砂一丁目{i + 1}番",
                             sealed=sealed)  # fmt: skip
        OutreachTarget.objects.create(
            kind=TargetKind.PERSON, person=person, source=Source.CONSULTATION,
            state=State.TRYING, worker=worker if i % 2 == 0 else None, created_by=worker,
        )  # fmt: skip


def test_the_outreach_list_costs_the_same_queries_for_many_targets(
    client_for: Any, personas: dict[str, Staff], target: OutreachTarget
) -> None:
    # given the worker's list with a few targets
    _targets(personas, 2)
    client = client_for("outreach")
    few = _queries(client, "/outreach/")
    # when it lists many more, sealed people among them
    _targets(personas, 10)
    _targets(personas, 4, sealed=True)
    page = client.get("/outreach/").content.decode()
    assert page.count("/outreach/") >= 17
    # then it costs no more queries, and no more than today
    assert _queries(client, "/outreach/") == few
    assert few <= OUTREACH_LIST_MAX


def test_the_outreach_list_still_hides_sealed_addresses(
    client_for: Any, personas: dict[str, Staff], target: OutreachTarget
) -> None:
    # the seal is now read once, by the presenter: it must still hide the address
    _targets(personas, 3, sealed=True)
    page = client_for("outreach").get("/outreach/").content.decode()
    assert SEALED_ADDRESS not in page
    assert page.count("閲覧制限のため表示しません") >= 3
