"""The worker's list in pages: a caseload of hundreds is ordered whole (overdue
first) and shown a page at a time, and only the rows shown are presented and
audited."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.outreach.conftest import contact
from tests.people.conftest import make_person
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.lib import clock
from tsunagari.outreach import views, worklists
from tsunagari.outreach.models import OutreachTarget, Source, State, TargetKind
from tsunagari.outreach.services import log_contact

pytestmark = pytest.mark.django_db


def _caseload(worker: Staff, late_days: list[int | None]) -> list[OutreachTarget]:
    """One target per entry: its next contact planned that many days ago (None: none planned)."""
    today = clock.today()
    targets = []
    for i, late in enumerate(late_days):
        person = make_person(name=f"頁送　{'一二三四五六七'[i]}郎", kana="ページオクリ　イチロウ",
                             birth_date=f"1941-05-{i + 1:02d}", sex="1",
                             address=f"江東区北砂二丁目{i + 1}番")  # fmt: skip
        target = OutreachTarget.objects.create(
            kind=TargetKind.PERSON, person=person, source=Source.CONSULTATION,
            state=State.TRYING, worker=worker, created_by=worker,
        )  # fmt: skip
        if late is not None:
            log_contact(worker, target.pk, contact(on=(today - timedelta(days=late + 14)).isoformat(),
                                                   next_on=(today - timedelta(days=late)).isoformat()))  # fmt: skip
        targets.append(target)
    return targets


def _listed(page: str, targets: list[OutreachTarget]) -> list[int]:
    """The targets the caseload table links, in the page's order."""
    table = page.split('id="caseload-table"', 1)[1].split("</table>", 1)[0]
    found = [(table.find(f"/outreach/{t.pk}/"), i) for i, t in enumerate(targets)]
    return [i for at, i in sorted(found) if at >= 0]


def test_the_caseload_is_ordered_whole_and_shown_a_page_at_a_time(
    client_for: Any, personas: dict[str, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "LIST_PAGE", 3)
    # five targets: two well overdue, one planned in the future, two with none planned
    targets = _caseload(personas["outreach"], [None, 20, -10, 40, None])
    client = client_for("outreach")

    first = client.get("/outreach/").content.decode()
    # the most overdue first, on the first page, whatever order they were made in
    assert _listed(first, targets)[:2] == [3, 1]
    assert len(_listed(first, targets)) == 3
    # the heading and the overdue notice count the whole caseload, not the page
    assert "担当中（5件）" in first
    assert 'id="overdue-count"' in first and "2 件" in first
    assert "?page=2" in first and "1 / 2 ページ" in first

    second = client.get("/outreach/?page=2").content.decode()
    assert len(_listed(second, targets)) == 2
    assert set(_listed(first, targets)) | set(_listed(second, targets)) == set(range(5))


def test_only_the_rows_shown_are_presented_and_audited(
    client_for: Any, personas: dict[str, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "LIST_PAGE", 2)
    targets = _caseload(personas["outreach"], [5, 10, 15, 20])
    client_for("outreach").get("/outreach/")
    event = AuditEvent.objects.filter(object_type="outreach.outreachtarget").latest("pk")
    shown = {int(p) for p in event.detail["persons"]}
    assert shown == {targets[3].person_id, targets[2].person_id}
    assert sorted(event.detail["targets"]) == sorted([targets[3].pk, targets[2].pk])


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "99999", "1e9", "２", "", "%00"])
def test_a_wrong_page_number_shows_a_page_not_an_error(
    client_for: Any, personas: dict[str, Staff], monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setattr(views, "LIST_PAGE", 2)
    _caseload(personas["outreach"], [5, 10, 15])
    response = client_for("outreach").get(
        "/outreach/", {"page": raw, "waiting_page": raw, "review_page": raw}
    )
    assert response.status_code == 200
    assert 'id="caseload-table"' in response.content.decode()


def test_the_whole_caseload_is_ordered_and_counted_however_long(
    client_for: Any, personas: dict[str, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A caseload longer than the other sections' limit: the most overdue target,
    # made last, still comes first, and the heading counts every target.
    monkeypatch.setattr(worklists, "LIST_LIMIT", 2)
    monkeypatch.setattr(views, "LIST_PAGE", 2)
    targets = _caseload(personas["outreach"], [None, 5, None, 10, 40])
    page = client_for("outreach").get("/outreach/").content.decode()
    assert _listed(page, targets) == [4, 3]
    assert "担当中（5件）" in page and "1 / 3 ページ" in page


def test_the_target_keeps_the_next_contact_its_latest_contact_planned(
    personas: dict[str, Staff],
) -> None:
    worker, today = personas["outreach"], clock.today()
    (target,) = _caseload(worker, [None])
    target.refresh_from_db()
    assert target.next_contact_on is None

    def note(on: int, next_on: int | None) -> None:
        log_contact(worker, target.pk, contact(
            on=(today + timedelta(days=on)).isoformat(),
            next_on=(today + timedelta(days=next_on)).isoformat() if next_on is not None else "",
        ))  # fmt: skip
        target.refresh_from_db()

    note(-10, -3)
    assert target.next_contact_on == today - timedelta(days=3)
    # a visit written up late (dated before the latest) does not move it
    note(-12, 30)
    assert target.next_contact_on == today - timedelta(days=3)
    # a later contact with nothing planned: nothing is planned
    note(-2, None)
    assert target.next_contact_on is None
    # the same day, recorded after: the later record plans
    note(-2, 5)
    assert target.next_contact_on == today + timedelta(days=5)


def test_every_demo_target_keeps_what_its_contacts_say(demo_ward: str) -> None:
    # (the demo logs its contacts through the service, as staff do)
    from django.db.models import OuterRef, Subquery

    from tsunagari.outreach.models import Contact

    latest = Subquery(
        Contact.objects.filter(target=OuterRef("pk")).order_by("-on", "-pk").values("next_on")[:1]
    )
    rows = OutreachTarget.objects.annotate(latest=latest).values_list("next_contact_on", "latest")
    assert len(rows) > 20 and any(kept for kept, _ in rows)
    assert all(kept == planned for kept, planned in rows)


@pytest.mark.parametrize(
    "today", ["2026-11-24", "2026-11-23", "2027-01-04", "2026-12-07", "2026-05-07"]
)
def test_the_last_late_date_splits_late_from_not_late(today: str) -> None:
    # around a holiday (23 Nov), the New Year closure, a Monday, Golden Week
    from datetime import date

    from tsunagari.consultations.limits import working_calendar

    day, calendar = date.fromisoformat(today), working_calendar()
    last = worklists.last_late_date(day, calendar)
    assert last is not None
    for back in range(0, 40):
        planned = day - timedelta(days=back)
        late = worklists.overdue_days(planned, day, calendar) > 0
        assert late == (planned <= last), (planned, last)


def test_the_database_orders_the_caseload_as_lateness_does(
    personas: dict[str, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    # One caseload planned around the New Year closure and a Monday holiday:
    # the database's order and overdue count are those of working days late.
    from datetime import date

    from tsunagari.consultations.limits import working_calendar

    worker = personas["outreach"]
    today = date(2027, 1, 12)  # the Tuesday after 成人の日 (11 Jan)
    planned = [None, -1, -2, -4, -9, 3, -30]
    with clock.frozen(datetime.combine(today, time(10), tzinfo=ZoneInfo("Asia/Tokyo"))):
        targets = _caseload(worker, [None] * len(planned))
        for t, back in zip(targets, planned, strict=True):
            t.next_contact_on = today + timedelta(days=back) if back is not None else None
            t.save(update_fields=["next_contact_on"])
        ids, overdue = worklists.by_urgency(worker)
        calendar = working_calendar()
        keyed = sorted(
            (-worklists.overdue_days(t.next_contact_on, today, calendar),
             t.next_contact_on or today, t.pk)
            for t in targets
        )  # fmt: skip
    assert list(ids) == [pk for _, _, pk in keyed]
    assert overdue == sum(1 for late, _, _ in keyed if late < 0) > 0
