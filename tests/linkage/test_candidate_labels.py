"""The candidate page names each record's facts in Japanese, with flags
read as なし/あり, never as the source's raw column names and 0/1."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.people.conftest import make_person
from tsunagari.linkage.candidates import attribute_text
from tsunagari.linkage.models import Candidate, LinkageRun, RecordLink, RunStatus


@pytest.fixture
def candidate(db: None) -> Candidate:
    """A young-carer household whose cared-for mother has a disability record."""
    mother = make_person(name="田中　由美", kana="タナカ　ユミ", birth_date="1980-02-02",
                         address="江東区大島4-5-6", resident_id="1000009")  # fmt: skip
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    RecordLink.objects.create(run=run, source="disability", record_id="D1", cluster="P1",
                              person=mother)  # fmt: skip
    found = Candidate.objects.create(
        run=run, pattern="young_carer", pattern_ja="ヤングケアラー", household_key="H1",
        member_keys=["P1", "P2"], sources=["disability", "registry"],
        evidence={
            "cared": {"person_id": "P1", "age": 46, "sources": ["disability"],
                      "attributes": {"disability_grade": ["3級"], "handbook": ["身体"],
                                     "intractable_disease": ["0"]}},
            "young": {"person_id": "P2", "age": 14, "sources": ["registry"],
                      "attributes": {"intractable_disease": ["1"],
                                     "school_club": ["<b>吹奏楽</b>" + "あ" * 3000]}},
        },
    )  # fmt: skip
    found.members.set([mother])
    return found


def test_it_shows_japanese_labels_and_readable_flags_on_the_candidate_page(
    client_for: Callable[[str], Client], candidate: Candidate
) -> None:
    # When the coordinator opens the candidate
    url = reverse("linkage:candidate", kwargs={"pk": candidate.pk})
    page = client_for("coordinator").get(url).content.decode()
    # Then the facts carry Japanese labels and the flags read as なし/あり
    assert "障害の等級: 3級" in page
    assert "手帳の種類: 身体" in page
    assert "指定難病: なし" in page and "指定難病: あり" in page
    # And no raw column name or bare flag is left
    for raw in ("disability_grade", "intractable_disease", "handbook", ": 0", ": 1<"):
        assert raw not in page


def test_it_shows_an_unknown_column_under_its_own_name_escaped(
    client_for: Callable[[str], Client], candidate: Candidate
) -> None:
    url = reverse("linkage:candidate", kwargs={"pk": candidate.pk})
    page = client_for("coordinator").get(url).content.decode()
    assert "school_club: &lt;b&gt;吹奏楽" in page
    assert "<b>吹奏楽" not in page


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("intractable_disease", ["0"], ("指定難病", "なし")),
        ("intractable_disease", ["1", "0"], ("指定難病", "あり、なし")),
        ("intractable_disease", ["TRUE"], ("指定難病", "あり")),
        ("intractable_disease", ["不明"], ("指定難病", "不明")),
        ("care_level", ["要介護3"], ("要介護度", "要介護3")),
        ("disability_grade", ["1", "1"], ("障害の等級", "1")),  # a grade is not a flag
        ("", [], ("", "")),
    ],
)
def test_it_labels_each_attribute(key: str, values: list[str], expected: tuple[str, str]) -> None:
    assert attribute_text(key, values) == expected
