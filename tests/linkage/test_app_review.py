"""The review queue: uncertain pairs shown side by side to the administrator,
decisions kept by record keys and applied by the next run; sealed persons'
address and phone hidden; everyone else refused; every view audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tsunagari.accounts.models import Role, Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.linkage import review, runs
from tsunagari.linkage.models import (
    LinkageRun,
    LinkDecision,
    RecordLink,
    ReviewPair,
    RunStatus,
)

from .test_app_runs import AS_OF, IMMEDIATE, record_all_bases

SEALED_ADDRESS = "北砂7-7-7#707"


def _pair(run: LinkageRun, rank: int, sealed: bool = False, **keys: str) -> ReviewPair:
    return ReviewPair.objects.create(
        run=run,
        source_l=keys.get("source_l", "csw"),
        record_id_l=keys.get("record_id_l", f"CW{rank:04d}"),
        source_r=keys.get("source_r", "registry"),
        record_id_r=keys.get("record_id_r", f"RG{rank:04d}"),
        probability=0.87,
        linked=False,
        comparison={
            "surname": "same",
            "given": "kana",
            "birth_date": "same",
            "address": "differ",
            "phone": "missing",
            "resident_id": "missing",
        },
        left={"name": "山田 花子", "kana": "ヤマダ ハナコ", "birth_date": "1960-01-02",
              "address": SEALED_ADDRESS if sealed else "北砂3-12-5", "phone": "0336401111"},
        right={"name": "山田 華子", "kana": "ヤマダ ハナコ", "birth_date": "1960-01-02",
               "address": "亀戸2-3-4", "phone": ""},
        sealed=sealed,
        rank=rank,
    )  # fmt: skip


@pytest.fixture
def queue(db: None) -> dict[str, Any]:
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    return {
        "run": run,
        "first": _pair(run, 0),
        "second": _pair(run, 1),
        "sealed": _pair(run, 2, sealed=True),
    }


def test_it_lists_open_pairs_of_the_latest_run_and_audits_the_view(
    client_for: Callable[[str], Client], queue: dict[str, Any]
) -> None:
    response = client_for("admin").get(reverse("linkage:review"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("linkage:review_pair", args=[queue["first"].pk]) in page
    assert "未確認 3 件" in page
    event = AuditEvent.objects.filter(object_type="linkage.reviewpair").latest("seq")
    assert sorted(event.detail["pairs"]) == sorted(p.pk for k, p in queue.items() if k != "run")


def test_it_shows_the_pair_side_by_side_with_how_fields_compare(
    client_for: Callable[[str], Client], queue: dict[str, Any]
) -> None:
    pair = queue["first"]
    response = client_for("admin").get(reverse("linkage:review_pair", args=[pair.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "山田 花子" in page and "山田 華子" in page
    assert "読みが一致（漢字は相違）" in page  # the given name
    assert "同一人物である確率 87%" in page
    assert AuditEvent.objects.filter(
        object_type="linkage.reviewpair", object_id=str(pair.pk)
    ).exists()


def test_it_records_a_decision_and_moves_to_the_next_pair(
    client_for: Callable[[str], Client], queue: dict[str, Any], personas: dict[str, Staff]
) -> None:
    first, second = queue["first"], queue["second"]
    response = client_for("admin").post(
        reverse("linkage:review_pair", args=[first.pk]),
        {"decision": "same", "note": "住民票の写しで確認"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("linkage:review_pair", args=[second.pk])
    kept = LinkDecision.objects.get()
    # Stored in one order, whatever the pair's order.
    assert (kept.source_l, kept.record_id_l, kept.source_r, kept.record_id_r) == (
        "csw", "CW0000", "registry", "RG0000",
    )  # fmt: skip
    assert kept.decision == "same" and kept.decided_by == personas["admin"]
    first.refresh_from_db()
    assert first.decision == kept
    assert AuditEvent.objects.filter(action="update", object_type="linkage.linkdecision").exists()


def test_it_changes_a_decision_instead_of_adding_a_second(
    client_for: Callable[[str], Client], queue: dict[str, Any]
) -> None:
    client = client_for("admin")
    url = reverse("linkage:review_pair", args=[queue["first"].pk])
    client.post(url, {"decision": "same"})
    client.post(url, {"decision": "different", "note": "別人と確認"})
    kept = LinkDecision.objects.get()
    assert kept.decision == "different" and kept.note == "別人と確認"


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}, {"decision": "<script>"}])
def test_it_refuses_a_missing_or_unknown_decision_and_stores_nothing(
    client_for: Callable[[str], Client], queue: dict[str, Any], data: dict[str, str]
) -> None:
    response = client_for("admin").post(
        reverse("linkage:review_pair", args=[queue["first"].pk]), data
    )
    assert response.status_code == 400
    assert "「同一人物」か「別人」かを選んでください。" in response.content.decode()
    assert not LinkDecision.objects.exists()


def test_it_hides_a_sealed_persons_address_and_phone_from_undesignated_reviewers(
    client_for: Callable[[str], Client], queue: dict[str, Any]
) -> None:
    url = reverse("linkage:review_pair", args=[queue["sealed"].pk])
    page = client_for("admin").get(url).content.decode()
    assert SEALED_ADDRESS not in page and "0336401111" not in page
    assert "閲覧制限のため非表示" in page
    assert "山田 花子" in page  # the name is still there to compare


def test_it_shows_a_sealed_address_to_a_designated_reviewer(
    client: Client, queue: dict[str, Any], personas: dict[str, Staff]
) -> None:
    admin = personas["admin"]
    admin.sealed_access = True
    admin.save()
    client.force_login(admin)
    page = client.get(reverse("linkage:review_pair", args=[queue["sealed"].pk])).content.decode()
    assert SEALED_ADDRESS in page


@pytest.mark.parametrize("persona", ["coordinator", "consultant.elderly", "planner", "outsider"])
def test_it_refuses_everyone_but_the_reviewer(
    client_for: Callable[[str], Client], queue: dict[str, Any], persona: str
) -> None:
    client = client_for(persona)
    pair = queue["first"]
    assert client.get(reverse("linkage:review")).status_code == 403
    assert client.get(reverse("linkage:review_pair", args=[pair.pk])).status_code == 403
    response = client.post(reverse("linkage:review_pair", args=[pair.pk]), {"decision": "same"})
    assert response.status_code == 403
    assert not LinkDecision.objects.exists()


def test_the_reviewer_role_has_the_review_page_in_navigation(
    client_for: Callable[[str], Client], queue: dict[str, Any], personas: dict[str, Staff]
) -> None:
    assert Role.ADMINISTRATOR in personas["admin"].roles
    page = client_for("admin").get(reverse("accounts:home")).content.decode()
    assert reverse("linkage:review") in page


def test_a_decision_is_applied_by_the_next_run(
    db: None, settings: Any, tmp_path: Path, personas: dict[str, Staff]
) -> None:
    # Given a first run linked the stale-number pair (care C01 = registry R08)
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = IMMEDIATE
    record_all_bases()
    from .helpers import HARD

    first = runs.execute_run(runs.create_run_from_directory(HARD, as_of=AS_OF))
    assert first.status == RunStatus.DONE, first.error

    def cluster(run: LinkageRun, source: str, record_id: str) -> str:
        return RecordLink.objects.get(run=run, source=source, record_id=record_id).cluster

    assert cluster(first, "care", "C01") == cluster(first, "registry", "R08")
    # When a reviewer decides they are two people
    pair = _pair(first, 0, source_l="registry", record_id_l="R08", source_r="care",
                 record_id_r="C01")  # fmt: skip
    review.decide_pair(personas["admin"], pair, "different", "")
    # Then the next run keeps them apart
    second = runs.execute_run(runs.create_run_from_directory(HARD, as_of=AS_OF))
    assert second.status == RunStatus.DONE, second.error
    assert cluster(second, "care", "C01") != cluster(second, "registry", "R08")
    # and nothing of the decisions file stays in the run's folder
    assert not list(Path(second.work_dir).rglob("decisions.csv"))


def test_it_pages_the_queue_and_keeps_the_filter(
    client_for: Callable[[str], Client], queue: dict[str, Any]
) -> None:
    for rank in range(3, 30):
        _pair(queue["run"], rank)
    client = client_for("admin")
    first = client.get(reverse("linkage:review"), {"state": "all"}).content.decode()
    assert "?state=all&amp;page=2" in first
    second = client.get(reverse("linkage:review"), {"state": "all", "page": 2}).content.decode()
    assert "2 / 2 ページ" in second
    assert reverse("linkage:review_pair", args=[ReviewPair.objects.get(rank=29).pk]) in second


def test_it_refuses_a_huge_note_naming_the_note_and_stores_nothing(
    client_for: Callable[[str], Client], queue: dict[str, Any]
) -> None:
    response = client_for("admin").post(
        reverse("linkage:review_pair", args=[queue["first"].pk]),
        {"decision": "same", "note": "あ" * 5000},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "入力内容を確認してください。" in page
    assert "2000" in page  # the note's own error says how long it may be
    assert not LinkDecision.objects.exists()
