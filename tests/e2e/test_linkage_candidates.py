"""Browser test: the outreach candidates list and a candidate pass axe-core,
and a decision is recorded from the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tsunagari.linkage.models import Candidate, LinkageRun, RecordLink, RunStatus


@pytest.fixture
def candidate(personas: Any) -> Candidate:
    from tests.people.conftest import make_person

    son = make_person(name="鈴木　浩", kana="スズキ　ヒロシ", birth_date="1978-03-03",
                      address="江東区亀戸2-3-4", resident_id="1000006")  # fmt: skip
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    RecordLink.objects.create(run=run, source="poverty", record_id="P01", cluster="P02", person=son)
    found = Candidate.objects.create(
        run=run, pattern="8050", pattern_ja="8050問題", household_key="H01",
        member_keys=["P01", "P02"], sources=["care", "poverty"],
        evidence={
            "parent": {"person_id": "P01", "age": 78, "sources": ["care"],
                       "attributes": {"care_level": ["要介護3"]}},
            "child": {"person_id": "P02", "age": 48, "sources": ["poverty"], "attributes": {}},
        },
    )  # fmt: skip
    found.members.set([son])
    return found


def test_it_shows_candidates_to_designated_staff_without_serious_axe_violations(
    page: Any, sign_in: Any, candidate: Candidate, axe_check: Any
) -> None:
    # given the coordinator, who has flag access
    sign_in(page, "coordinator")
    # when they open the candidates list, filtered to households no agency knows
    page.goto("/linkage/candidates/?known=no")
    # then the candidate shows and the page passes axe
    expect(page.get_by_role("link", name="8050問題")).to_be_visible()
    assert axe_check(page) == []
    # when they open it and record a decision
    page.get_by_role("link", name="8050問題").click()
    expect(page.get_by_text("要介護3")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_label("アウトリーチへつないだ").check()
    page.get_by_role("button", name="判断を記録する").click()
    # then the decision is stored
    page.get_by_text("判断を記録しました。").wait_for()
    candidate.refresh_from_db()
    assert candidate.status == "referred"


def test_it_shows_the_run_and_source_pages_to_the_administrator_without_serious_axe_violations(
    page: Any, sign_in: Any, personas: Any, axe_check: Any
) -> None:
    # given the administrator
    sign_in(page, "admin")
    # when they open the linkage runs page and the sources page
    for url in ("/linkage/runs/", "/linkage/sources/", "/linkage/sources/care/"):
        page.goto(url)
        # then each passes axe
        assert axe_check(page) == [], url
