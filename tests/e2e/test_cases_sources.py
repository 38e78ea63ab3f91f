"""A case opened from a consultation in a browser: the coordinating agency's own
consultation offers the case; the coordinator opens it under a 支援会議
decision, names the self-reliance centre's worker, saves a plan and prints it;
the PDF is checked as an image (Japanese type, the regime's box on the page).
axe runs on every page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tsunagari.accounts.models import Agency, Role, Staff
from tsunagari.cases.models import Case
from tsunagari.cases.services import PlanActionInput, PlanInput, save_plan
from tsunagari.consent.services import (
    SupportMeetingInput,
    confirm_support_meeting,
    place_under_support_meeting,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.consultations.models import Consultation
from tsunagari.lib import clock
from tsunagari.people.models import Person
from tsunagari.people.services import PersonInput, clean

pytestmark = pytest.mark.e2e

TEAM = ["mac-01", "srs-01", "lsc-16"]


@pytest.fixture
def consultation(personas: Any) -> Consultation:
    person = Person.objects.create(**clean(PersonInput(
        name="川村　タエ", kana="カワムラ　タエ", birth_date="1944-03-03", sex="2",
        address="江東区東砂五丁目2番2号", resident_id="3000000053")))  # fmt: skip
    meeting = place_under_support_meeting(personas["coordinator"], person.pk, SupportMeetingInput(
        decided_on=clock.today().isoformat(), agencies=TEAM, reason="同意が得られないが生活が危うい。"))  # fmt: skip
    checker = Staff.objects.create(username="coordinator.srs", display_name="協働 生活",
                                   agency=Agency.objects.get(code="srs-01"), roles=[Role.COORDINATOR])  # fmt: skip
    confirm_support_meeting(checker, meeting.pk)
    return Consultation.objects.create(
        agency=Agency.objects.get(code="mac-01"), received_by=personas["coordinator"],
        person=person, notes="娘が来所。", status="recorded")  # fmt: skip


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_a_case_from_a_consultation_with_a_worker_and_a_printed_plan(
    browser: Any, live_server: Any, sign_in: Any, consultation: Consultation, axe_check: Any,
    personas: Any, tmp_path: Path,
) -> None:  # fmt: skip
    pytest.importorskip("weasyprint")
    page = browser.new_context(locale="ja-JP", base_url=live_server.url,
                               viewport={"width": 1280, "height": 900}).new_page()  # fmt: skip
    page.set_default_timeout(15000)
    sign_in(page, "coordinator")

    def checked() -> None:
        assert axe_check(page) == [], page.url

    page.goto(f"/consultations/{consultation.pk}/")
    checked()
    page.get_by_role("link", name="この相談から多機関協働の事例を始める").click()
    page.get_by_role("heading", level=1, name="事例を始める").wait_for()
    assert f"相談 #{consultation.pk}" in page.locator("#case-source").inner_text()
    checked()
    page.get_by_label("支援会議", exact=True).check()
    for n, (code, role) in enumerate(zip(TEAM, ["調整", "家計", "介護"], strict=True), 1):
        page.get_by_label(f"機関 {n}", exact=True).select_option(value=code)
        page.get_by_label(f"役割 {n}", exact=True).fill(role)
    page.get_by_role("button", name="事例を始める").click()
    page.get_by_role("heading", level=1, name=re.compile("^多機関協働の事例")).wait_for()
    case = Case.objects.get()
    assert case.source_kind == "consultation"
    assert f"相談 #{consultation.pk}" in page.locator("#case-source").inner_text()
    checked()

    # the self-reliance centre's worker is named on the team table
    worker = page.get_by_label(re.compile("^江東区生活サポートセンター.*の担当者$"))
    worker.select_option(value="consultant.self")
    page.locator("form", has=worker).get_by_role(
        "button", name=re.compile("^担当者を決める")
    ).click()
    page.get_by_text("担当者を記録しました。").wait_for()
    assert "自立 太郎" in page.locator("#team").inner_text()
    checked()

    # the plan, printed: a PDF whose first page shows Japanese type and the regime's box
    due = working_calendar().add_working_days(clock.today(), 10).isoformat()
    save_plan(personas["coordinator"], case.pk, PlanInput(version=0, goals=["家で暮らし続けたい"],
              actions=[PlanActionInput("介護サービスの見直し", "lsc-16", due)], review_on=due))  # fmt: skip
    page.get_by_role("link", name="支援プランとモニタリング").first.click()
    page.get_by_role("heading", level=1, name=re.compile("支援プラン$")).wait_for()
    checked()
    with page.expect_download() as download:
        page.get_by_role("link", name="支援プランを印刷する（PDF）").click()
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    flat = "".join(text.split())
    assert "家で暮らし続けたい" in flat and "会議の外に持ち出さない" in flat and "東砂" not in flat
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "plan")], check=True)  # fmt: skip
    image = next(tmp_path.glob("plan*.png"))
    shot = page.context.new_page()
    shot.set_content(f'<img id="i" src="data:image/png;base64,{_b64(image)}">')
    size = shot.evaluate("[document.getElementById('i').naturalWidth,"
                         " document.getElementById('i').naturalHeight]")  # fmt: skip
    # A4 portrait at 40 dpi
    assert 320 <= size[0] <= 340 and 460 <= size[1] <= 475, size
    # the page is printed on: dark pixels at the head (title) and at the foot (the regime's box)
    dark = shot.evaluate("""() => { const i = document.getElementById('i');
        const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;
        const x = c.getContext('2d'); x.drawImage(i, 0, 0);
        const band = (y0, y1) => { const d = x.getImageData(0, y0, c.width, y1 - y0).data; let n = 0;
          for (let k = 0; k < d.length; k += 4) if (d[k] < 100) n++; return n; };
        return [band(20, 60), band(c.height - 60, c.height - 10)]; }""")
    assert dark[0] > 50 and dark[1] > 50, dark

    # the coordinator's dashboard: the chart drawn offline beside its table
    page.goto("/cases/dashboard/")
    page.locator("#stage-regime[data-drawn=true]").wait_for()
    assert "*" in page.locator("#stage-table").inner_text()  # one case: a small cell
    checked()
    page.context.close()


def _b64(path: Path) -> str:
    import base64

    return base64.b64encode(path.read_bytes()).decode()
