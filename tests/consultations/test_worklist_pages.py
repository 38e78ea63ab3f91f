"""The worklist's own consultations a page at a time: every one of them is
reachable (the list used to stop at the newest 50), the heading counts them
all, paging keeps the reader at the section, and only the consultations
shown are named in the audit event."""

from __future__ import annotations

from typing import Any

import pytest

from tests.consultations.conftest import intake
from tests.people.conftest import make_person
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.consultations import views
from tsunagari.consultations.models import Consultation
from tsunagari.consultations.services import save_consultation

pytestmark = pytest.mark.django_db


def _consultations(staff: Staff, n: int) -> list[Consultation]:
    """``n`` consultations, oldest first (so the newest is the last)."""
    made = []
    for i in range(n):
        person = make_person(name=f"頁送　{'一二三四五六七八九'[i]}子", kana="ページオクリ　カズコ",
                             birth_date=f"1948-03-{i + 1:02d}", sex="2")  # fmt: skip
        made.append(save_consultation(staff, intake(person), final=True))
    return made


def _mine(page: str) -> list[int]:
    """The consultation numbers the "mine" table links, in the page's order."""
    table = page.split('<h2 id="mine">', 1)[1].split("</table>", 1)[0]
    return [int(chunk.split("/", 1)[0]) for chunk in table.split('href="/consultations/')[1:]]


def test_the_consultations_are_shown_newest_first_a_page_at_a_time(
    client_for: Any, personas: dict[str, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "WORKLIST_PAGE", 3)
    made = _consultations(personas["consultant.elderly"], 7)
    client = client_for("consultant.elderly")

    first = client.get("/consultations/").content.decode()
    assert _mine(first) == [c.pk for c in reversed(made[-3:])]
    # the heading counts all seven; the pager comes back to the section
    assert "あなたが受け付けた相談（7件）" in first
    assert "1 / 3 ページ" in first and 'href="?page=2#mine"' in first

    last = client.get("/consultations/", {"page": 3}).content.decode()
    assert _mine(last) == [made[0].pk]
    assert 'href="?page=2#mine"' in last and "3 / 3 ページ" in last
    pages = [*_mine(first), *_mine(client.get("/consultations/?page=2").content.decode()),
             *_mine(last)]  # fmt: skip
    assert sorted(pages) == sorted(c.pk for c in made)


def test_a_short_list_has_no_pager(client_for: Any, personas: dict[str, Staff]) -> None:
    _consultations(personas["consultant.elderly"], 2)
    page = client_for("consultant.elderly").get("/consultations/").content.decode()
    assert len(_mine(page)) == 2
    assert "あなたが受け付けた相談のページ" not in page


def test_only_the_consultations_shown_are_audited(
    client_for: Any, personas: dict[str, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "WORKLIST_PAGE", 2)
    made = _consultations(personas["consultant.elderly"], 5)
    client_for("consultant.elderly").get("/consultations/", {"page": 2})
    event = AuditEvent.objects.filter(object_type="consultations.worklist").latest("pk")
    assert sorted(event.detail["consultations"]) == sorted([made[2].pk, made[1].pk])
    assert {int(p) for p in event.detail["persons"]} == {made[2].person_id, made[1].person_id}


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "99999", "1e9", "２", "", "%00", "9" * 400])
def test_a_wrong_page_number_shows_a_page_not_an_error(
    client_for: Any, personas: dict[str, Staff], monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setattr(views, "WORKLIST_PAGE", 2)
    _consultations(personas["consultant.elderly"], 3)
    response = client_for("consultant.elderly").get("/consultations/", {"page": raw})
    assert response.status_code == 200
    assert len(_mine(response.content.decode())) in {1, 2}
