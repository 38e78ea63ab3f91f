"""The awareness pages: who may read and record, the chart page and the survey link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from tests.awareness.conftest import talk
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.awareness.models import Activity
from tsunagari.awareness.services import record_activity
from tsunagari.awareness.summary import survey_link
from tsunagari.lib import clock
from tsunagari.plan.registry import FiscalYear
from tsunagari.surveys.models import Analysis, Survey


def test_community_staff_record_an_activity_from_the_form(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for("community")
    day = clock.today().isoformat()
    form = {"title": "出前講座", "kind": "delivery", "held_on": day, "town": "北砂",
            "organiser": "社協", "themes": ["isolation"], "participants": "20",
            "age_65_plus": "15", "age_18_64": "4"}  # fmt: skip
    bad = client.post("/awareness/new/", form)
    assert bad.status_code == 422
    assert "年齢区分の合計（19人）が参加者数（20人）と合いません" in bad.content.decode()
    form["age_unknown"] = "1"
    response = client.post("/awareness/new/", form)
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.age_unknown == 1
    assert client.get(f"/awareness/{activity.pk}/").status_code == 200


@pytest.mark.parametrize("username", ["council", "consultant.elderly"])
def test_readers_of_aggregates_see_the_page_but_cannot_record(
    client_for: Callable[[str], Client], username: str
) -> None:
    record_activity(None, talk(held_on=clock.today()))
    client = client_for(username)
    page = client.get("/awareness/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "地域共生社会を考える講演会" in html and 'id="awareness-chart"' in html
    assert "plotly.js-style-global" in html  # the chart head every chart page includes
    assert client.get("/awareness/new/").status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor_username=username).exists()


def test_someone_without_aggregates_is_refused(client_for: Callable[[str], Client]) -> None:
    assert client_for("outsider").get("/awareness/").status_code == 403


def test_without_a_survey_the_page_says_so(client_for: Callable[[str], Client]) -> None:
    html = client_for("planner").get("/awareness/").content.decode()
    assert "集計済みの区民調査がないため" in html


def _survey(items: dict[str, object]) -> Survey:
    survey = Survey.objects.create(fiscal_year=FiscalYear.of(clock.today()).year, title="区民調査")
    Analysis.objects.create(survey=survey, respondents=400, items=items, min_cell=5)
    return survey


def _item(column: str, question: str, rows: list[tuple[str, int]]) -> dict[str, object]:
    answered = sum(n for _label, n in rows)
    return {column: {"question": question, "kind": "single", "answered": answered, "rows": [
        {"code": i + 1, "label": label, "n": n, "share": n / answered, "weighted": None}
        for i, (label, n) in enumerate(rows)]}}  # fmt: skip


def test_the_related_survey_item_is_shown_and_said_to_be_related(
    client_for: Callable[[str], Client],
) -> None:
    _survey(_item("help_seeking", "困ったときに相談していますか", [
        ("相談している", 100), ("相談したいが、していない", 80), ("相談する必要はない", 180),
        ("相談先がわからない", 40)]))  # fmt: skip
    link = survey_link(FiscalYear.of(clock.today()))
    assert link.no_direct_item and len(link.rates) == 1
    assert link.rates[0].share == 10.0 and link.rates[0].proxy
    html = client_for("planner").get("/awareness/").content.decode()
    assert "直接たずねる設問がありません" in html and "10.0%" in html


def test_a_direct_awareness_item_is_shown_with_the_surveys_small_cell_rule(db: None) -> None:
    _survey(_item("awareness_front_door", "総合相談窓口を知っていますか", [
        ("知っている", 3), ("知らない", 397)]))  # fmt: skip
    link = survey_link(FiscalYear.of(clock.today()))
    assert not link.no_direct_item
    assert link.rates[0].share is None  # 3 people: hidden by the surveys app's results


def test_a_survey_of_a_later_year_is_not_read_for_an_earlier_one(db: None) -> None:
    _survey({})
    assert survey_link(FiscalYear(2020)).survey == ""
    assert date(2020, 4, 1) == FiscalYear(2020).first_day
