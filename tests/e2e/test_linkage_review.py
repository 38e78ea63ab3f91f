"""Browser test: the administrator reviews an uncertain pair side by side,
decides, and is taken to the next pair; both pages pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tsunagari.linkage.models import LinkageRun, LinkDecision, ReviewPair, RunStatus

COMPARISON = {
    "surname": "same", "given": "kana", "birth_date": "swap",
    "address": "differ", "phone": "missing", "resident_id": "missing",
}  # fmt: skip


@pytest.fixture
def pairs(personas: Any) -> list[ReviewPair]:
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    made = []
    for rank, (given, other) in enumerate([("花子", "華子"), ("一郎", "市郎")]):
        made.append(
            ReviewPair.objects.create(
                run=run, source_l="csw", record_id_l=f"CW{rank}", source_r="registry",
                record_id_r=f"RG{rank}", probability=0.88, linked=False,
                comparison=COMPARISON,
                left={"name": f"山田 {given}", "kana": "ヤマダ", "birth_date": "1960-01-02",
                      "address": "北砂3-12-5"},
                right={"name": f"山田 {other}", "kana": "ヤマダ", "birth_date": "1960-02-01",
                       "address": "亀戸2-3-4"},
                rank=rank,
            )
        )  # fmt: skip
    return made


def test_the_administrator_decides_a_pair_and_moves_on(
    page: Any, sign_in: Any, pairs: list[ReviewPair], axe_check: Any
) -> None:
    # given the administrator and two open pairs
    sign_in(page, "admin")
    # when they open the review queue from the navigation
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="同一人物の確認").click()
    expect(page.get_by_text("未確認 2 件")).to_be_visible()
    assert axe_check(page) == []
    # and start reviewing
    page.get_by_role("link", name="未確認の組み合わせを順に確認する").click()
    expect(page.get_by_role("cell", name="月と日が入れ替わっている")).to_be_visible()
    expect(page.get_by_role("cell", name="山田 花子")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_label("別人").check()
    page.get_by_label("メモ（判断の根拠：確認した書類、本人・担当課への確認など）").fill(
        "生年月日を本人に確認"
    )
    page.get_by_role("button", name="判断を記録して次へ").click()
    # then the decision is kept and the next pair is shown
    page.get_by_text("判断を記録しました。次回のデータ連携から反映されます。").wait_for()
    expect(page.get_by_role("cell", name="山田 一郎")).to_be_visible()
    kept = LinkDecision.objects.get()
    assert kept.decision == "different" and kept.note == "生年月日を本人に確認"
