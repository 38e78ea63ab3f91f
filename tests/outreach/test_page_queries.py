"""The outreach list (in bench/load_pages.py) costs a fixed number of
queries, whatever the number of targets it lists, and no more than today."""

from __future__ import annotations

from typing import Any

from tests.outreach.conftest import SEALED_ADDRESS
from tests.page_queries import queries
from tests.people.conftest import make_person
from tsunagari.accounts.models import Staff
from tsunagari.outreach.models import OutreachTarget, Source, State, TargetKind

# Today's count on this small ward; raise it only with a reason.
# 20: the list reads its three sections' ids, then loads only the rows of the
# pages shown (one query more than loading every target whole, which cost
# 73 ms of server time a request at 455 targets).
OUTREACH_LIST_MAX = 20


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
    counted_client: Any, personas: dict[str, Staff], target: OutreachTarget
) -> None:
    # given the worker's list with a few targets
    _targets(personas, 2)
    client = counted_client("outreach")
    few = queries(client, "/outreach/")
    # when it lists many more, sealed people among them
    _targets(personas, 10)
    _targets(personas, 4, sealed=True)
    page = client.get("/outreach/").content.decode()
    assert page.count("/outreach/") >= 17
    # then it costs no more queries, and no more than today
    assert queries(client, "/outreach/") == few
    assert few <= OUTREACH_LIST_MAX


def test_the_outreach_list_still_hides_sealed_addresses(
    counted_client: Any, personas: dict[str, Staff], target: OutreachTarget
) -> None:
    # the seal is now read once, by the presenter: it must still hide the address
    _targets(personas, 3, sealed=True)
    page = counted_client("outreach").get("/outreach/").content.decode()
    assert SEALED_ADDRESS not in page
    assert page.count("閲覧制限のため表示しません") >= 3
