"""The team's pages: who may open them, the steps through the pages, and what
the person's other agencies see (never the reporter)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.accounts.test_permissions import _schema
from tests.safeguarding.conftest import REPORTER_CONTACT, REPORTER_NAME, report_on, walk_to_decision
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.people.models import Person
from tsunagari.safeguarding.models import Advocacy, Petition, Report, State
from tsunagari.safeguarding.services import AdvocacyInput, open_advocacy, start_petition

OUTSIDE = ["admin", "planner", "coordinator", "consultant.elderly", "consultant.child",
           "supervisor.elderly", "outreach", "council", "commissioner", "outsider"]  # fmt: skip


@pytest.fixture
def report(personas: dict[str, Staff], elder: Person) -> Report:
    return report_on(personas["commissioner"], elder)


def _team_pages(report: Report, advocacy: Advocacy) -> list[str]:
    return [
        reverse("safeguarding:list"), reverse("safeguarding:report", args=[report.pk]),
        reverse("safeguarding:advocacy_list"), reverse("safeguarding:advocacy", args=[advocacy.pk]),
        reverse("safeguarding:counts"), reverse("safeguarding:counts_csv"),
    ]  # fmt: skip


@pytest.mark.parametrize("username", OUTSIDE)
def test_it_refuses_everyone_outside_the_team_with_a_reason(
    client_for: Any, personas: dict[str, Staff], report: Report, elder: Person, username: str
) -> None:
    advocacy = open_advocacy(personas["safeguarding"], AdvocacyInput(person=str(elder.pk),
                                                                     reason="判断能力の低下"))  # fmt: skip
    client = client_for(username)
    for url in _team_pages(report, advocacy):
        response = client.get(url)
        if username == "outsider":
            assert response.status_code == 403, url
            continue
        assert response.status_code == 403, url
        assert "担当チームの職員だけ" in response.content.decode(), url
        assert REPORTER_NAME not in response.content.decode()
    if username != "outsider":
        assert AuditEvent.objects.filter(actor_id=personas[username].pk, action="denied").exists()


def test_it_opens_every_page_for_the_team(
    client_for: Any, personas: dict[str, Staff], report: Report, elder: Person
) -> None:
    advocacy = open_advocacy(personas["safeguarding"], AdvocacyInput(person=str(elder.pk),
                                                                     reason="判断能力の低下"))  # fmt: skip
    start_petition(personas["safeguarding"], advocacy.pk, "guardianship")
    client = client_for("safeguarding")
    for url in _team_pages(report, advocacy):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("safeguarding:report", args=[report.pk])).content.decode()
    assert REPORTER_NAME in page and REPORTER_CONTACT in page and "木村" in page


def test_it_lets_anyone_who_works_with_people_file_but_not_read_back(
    client_for: Any, elder: Person
) -> None:
    client = client_for("consultant.elderly")
    assert client.get(reverse("safeguarding:new")).status_code == 200
    response = client.post(reverse("safeguarding:new"), {
        "law": "elder_carer", "person": str(elder.pk), "kinds": ["neglect"],
        "summary": "食事をとっていない様子。", "reporter_type": "care_manager",
        "reporter_name": "介護　支援", "reporter_contact": "03-1111-2222",
    })  # fmt: skip
    assert response.status_code == 200 and "通報を受け付けました" in response.content.decode()
    created = Report.objects.get()
    assert client.get(reverse("safeguarding:report", args=[created.pk])).status_code == 403
    assert client_for("council").get(reverse("safeguarding:new")).status_code == 403


def test_it_says_what_to_fix_in_the_form(client_for: Any) -> None:
    response = client_for("consultant.elderly").post(reverse("safeguarding:new"), {"law": "child"})
    text = response.content.decode()
    assert response.status_code == 422
    assert "子ども家庭支援センターを選んで" in text and "通報者の種別を選んで" in text


def test_it_walks_the_steps_through_the_pages(client_for: Any, report: Report) -> None:
    client = client_for("safeguarding")
    client.post(reverse("safeguarding:safety", args=[report.pk]), {"note": "訪問して面談"})
    client.post(reverse("safeguarding:facts", args=[report.pk]), {"note": "聞き取り"})
    client.post(reverse("safeguarding:decide", args=[report.pk]), {
        "recognised": "yes", "urgency": "high", "separation": "measure", "kinds": ["physical"],
        "note": "会議",
    })  # fmt: skip
    report.refresh_from_db()
    assert report.state == State.MONITORING and report.separation == "measure"
    # the one-field steps send their own field and say so when done
    page = client.post(reverse("safeguarding:monitor", args=[report.pk]), {"note": "再訪問"},
                       follow=True)  # fmt: skip
    assert "モニタリングを記録しました" in page.content.decode()
    assert report.monitorings.get().note == "再訪問"
    empty = client.post(reverse("safeguarding:monitor", args=[report.pk]), {"other": "x"},
                        follow=True)  # fmt: skip
    assert "モニタリングで確かめたことを入力してください" in empty.content.decode()


def test_it_lists_an_overdue_report_first_in_words(
    client_for: Any, personas: dict[str, Staff], elder: Person
) -> None:
    from tests.safeguarding.conftest import at
    from tsunagari.lib import clock

    with clock.frozen(at(2027, 1, 1, 9)):
        late = report_on(personas["commissioner"], elder)
    with clock.frozen(at(2027, 1, 3, 10)):
        fresh = report_on(personas["commissioner"], elder)
        page = client_for("safeguarding").get(reverse("safeguarding:list")).content.decode()
    assert page.index(f"#{late.pk}<") < page.index(f"#{fresh.pk}<")
    assert "期限超過" in page and "報告済み" in page


def _other_agency_bodies(client: Any, elder: Person) -> str:
    bodies = []
    for url in (f"/people/{elder.pk}/", f"/people/{elder.pk}/export.csv", f"/api/people/{elder.pk}",
                "/people/?q=キムラ", "/"):  # fmt: skip
        bodies.append(client.get(url).content.decode("utf-8", "replace"))
    return "\n".join(bodies)


@pytest.mark.parametrize(
    "username", ["consultant.elderly", "consultant.disability", "commissioner"]
)
def test_it_never_shows_the_reporter_to_the_persons_other_agencies(
    client_for: Any, personas: dict[str, Staff], report: Report, elder: Person, username: str
) -> None:
    walk_to_decision(personas["safeguarding"], report)
    body = _other_agency_bodies(client_for(username), elder)
    assert "木村" in body or username == "commissioner"  # the agencies do see the person
    for secret in (REPORTER_NAME, REPORTER_CONTACT, "近隣住民", "隣人"):
        assert secret not in body, secret
    # nor that a report exists: the steps are not on the person's story for them
    for step in ("通報・届出の受付", "安全確認", "コアメンバー会議"):
        assert step not in body, step


def test_it_keeps_the_reporter_out_of_the_api_schema() -> None:
    text = str(_schema())
    assert "reporter" not in text and "safeguarding" not in text


def test_it_tracks_a_petition_in_order(
    client_for: Any, personas: dict[str, Staff], elder: Person
) -> None:
    advocacy = open_advocacy(personas["safeguarding"], AdvocacyInput(person=str(elder.pk),
                                                                     reason="判断能力の低下"))  # fmt: skip
    petition = start_petition(personas["safeguarding"], advocacy.pk, "guardianship")
    client = client_for("safeguarding")
    url = reverse("safeguarding:petition_step", args=[petition.pk])
    client.post(url, {"step": "petitioned"})  # out of order: refused
    assert Petition.objects.get().step == "started"
    for step in ("relatives", "certificate", "petitioned"):
        client.post(url, {"step": step})
    client.post(url, {"step": "appointed", "guardian": "江東法律事務所 弁護士"})
    assert Petition.objects.get().step == "appointed"
