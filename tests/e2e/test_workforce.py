"""The workforce register in a real browser: the supervisor of 長寿サポートセンター北砂
adds a worker, a qualification and a supervision session; the ward enters a
cross-agency course for several agencies and reads it counted per agency. axe-core
on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tsunagari.accounts.models import Agency
from tsunagari.lib import clock
from tsunagari.workforce.models import Qualification, Supervision, Training, Worker
from tsunagari.workforce.services import WorkerInput, add_worker


@pytest.fixture
def registers(personas: Any) -> dict[str, Worker]:
    kitasuna = Agency.objects.get(code="lsc-16")
    return {
        "kitasuna": add_worker(None, kitasuna, WorkerInput(name="北砂 一郎", job="相談員")),
        "ward": add_worker(None, Agency.objects.get(code="dept-01"), WorkerInput(name="福祉 三郎")),
    }


def test_a_supervisor_keeps_the_register_and_the_ward_records_a_cross_agency_course(
    registers: dict[str, Worker], page: Any, sign_in: Callable[[Any, str], None],
    axe_check: Callable[[Any], list[dict[str, Any]]],
) -> None:  # fmt: skip
    today = clock.today().isoformat()
    sign_in(page, "supervisor.elderly")
    page.goto("/workforce/")
    page.get_by_role("heading", name="長寿サポートセンター北砂の名簿").wait_for()
    assert axe_check(page) == []
    page.get_by_label("氏名").fill("新人 五月")
    page.get_by_label("職種・職名").fill("社会福祉士（相談員）")
    page.get_by_role("button", name="追加する").click()
    page.get_by_text("名簿に追加しました。").wait_for()
    page.get_by_role("link", name="新人 五月").click()
    assert axe_check(page) == []
    page.get_by_role("combobox", name="資格", exact=True).select_option("social_worker")
    page.get_by_label("取得日").fill("2021-04-01")
    page.get_by_role("button", name="資格を記録する").click()
    page.get_by_text("資格を記録しました。").wait_for()
    assert Qualification.objects.get().worker.name == "新人 五月"
    page.get_by_role("link", name="長寿サポートセンター北砂の名簿へ").click()
    page.get_by_role("link", name="スーパービジョンを記録する").click()
    assert axe_check(page) == []
    page.get_by_label("スーパーバイザー").fill("監督 誠")
    page.get_by_label("時間数").fill("1")
    page.get_by_label("新人 五月").check()
    page.get_by_role("button", name="記録する").click()
    page.get_by_text("スーパービジョンを記録しました。").wait_for()
    assert Supervision.objects.get().workers.get().name == "新人 五月"
    # another agency's register is refused
    response = page.goto("/workforce/agencies/dept-01/")
    assert response is not None and response.status == 403
    # the ward enters one course for both agencies
    page.context.clear_cookies()
    sign_in(page, "planner")
    page.goto("/workforce/cross-agency/new/")
    assert axe_check(page) == []
    page.get_by_label("研修名").fill("重層的支援体制 合同研修 第1回")
    page.get_by_label("実施日").fill(today)
    page.get_by_label("時間数").fill("3")
    page.get_by_label("北砂 一郎（相談員）").check()
    page.get_by_label("福祉 三郎").check()
    page.get_by_role("button", name="記録する").click()
    page.get_by_text("合同研修と受講者を記録しました。").wait_for()
    assert Training.objects.get().attendances.count() == 2
    assert axe_check(page) == []
    page.get_by_role("link", name="重層的支援体制の合同研修").first.click()
    rows = page.locator("#cross-table tbody tr")
    assert rows.count() == 2
    assert axe_check(page) == []
