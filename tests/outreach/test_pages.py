"""The outreach pages: who may open them, what each shows, and that every
person shown goes through the presenter (audited)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.outreach.conftest import SEALED_ADDRESS, contact, meet
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.outreach.models import OutreachTarget, State
from tsunagari.outreach.services import (
    ConnectInput,
    TipInput,
    connect_target,
    create_target_from_candidate,
    log_contact,
    send_tip,
)

pytestmark = pytest.mark.django_db

TEAM_PAGES = ["/outreach/", "/outreach/visits/", "/outreach/team/", "/outreach/new/"]


@pytest.mark.parametrize("url", TEAM_PAGES)
def test_the_outreach_team_opens_its_pages(
    client_for: Any, target: OutreachTarget, url: str
) -> None:
    response = client_for("outreach").get(url)
    assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize("url", TEAM_PAGES)
@pytest.mark.parametrize("username", ["consultant.elderly", "coordinator", "council", "outsider"])
def test_everyone_else_is_refused_the_team_pages(
    client_for: Any, target: OutreachTarget, url: str, username: str
) -> None:
    response = client_for(username).get(url)
    assert response.status_code == 403
    assert "権限" in response.content.decode()


@pytest.mark.parametrize("username", ["consultant.elderly", "coordinator", "commissioner"])
def test_a_target_page_is_refused_outside_the_team_and_the_refusal_audited(
    client_for: Any, target: OutreachTarget, username: str
) -> None:
    response = client_for(username).get(f"/outreach/{target.pk}/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="denied", object_id=str(target.pk),
                                     actor_username=username).exists()  # fmt: skip


def test_the_target_page_shows_the_person_through_the_presenter(
    client_for: Any, target: OutreachTarget, ward: Any
) -> None:
    before = AuditEvent.objects.filter(action="view", person_id=str(ward["alone"].pk)).count()
    page = client_for("outreach").get(f"/outreach/{target.pk}/").content.decode()
    assert "田中" in page and "北砂三丁目5番1号" in page
    after = AuditEvent.objects.filter(action="view", person_id=str(ward["alone"].pk)).count()
    assert after == before + 1


def test_the_worker_list_shows_the_caseload_audited_as_one_list(
    client_for: Any, target: OutreachTarget, ward: Any
) -> None:
    page = client_for("outreach").get("/outreach/").content.decode()
    assert "田中" in page
    event = AuditEvent.objects.filter(object_type="outreach.outreachtarget", action="view").last()
    assert event is not None and ward["alone"].pk in event.detail["persons"]


def test_a_sealed_address_is_never_on_the_visit_list_of_undesignated_staff(
    client_for: Any, personas: Any, ward: Any
) -> None:
    target = create_target_from_candidate(personas["outreach"], ward["candidate"].pk)
    for url in ("/outreach/visits/", "/outreach/", f"/outreach/{target.pk}/"):
        page = client_for("outreach").get(url).content.decode()
        assert "佐藤" in page, url
        assert SEALED_ADDRESS not in page and "東雲" not in page, url
        assert "閲覧制限" in page, url


def test_designated_staff_see_the_sealed_address_on_the_visit_list(
    client_for: Any, personas: Any, ward: Any
) -> None:
    from django.test import Client

    designated = Staff.objects.create(username="outreach.sealed", agency=personas["outreach"].agency,
                                      roles=["outreach"], sealed_access=True)  # fmt: skip
    target = create_target_from_candidate(designated, ward["candidate"].pk)
    assert target.worker == designated
    client = Client()
    client.force_login(designated)
    assert SEALED_ADDRESS in client.get("/outreach/visits/").content.decode()


def test_the_agency_it_was_handed_over_to_reads_the_target(
    client_for: Any, personas: Any, target: OutreachTarget
) -> None:
    meet(personas["outreach"], target)
    assert client_for("consultant.elderly").get(f"/outreach/{target.pk}/").status_code == 403
    connect_target(personas["outreach"], target.pk, ConnectInput(
        to="agency", agency="lsc-16", handover_note="介護保険の申請を一緒に。"))  # fmt: skip
    page = client_for("consultant.elderly").get(f"/outreach/{target.pk}/")
    assert page.status_code == 200 and "介護保険の申請を一緒に。" in page.content.decode()
    # read only: no forms to work it
    assert f"/outreach/{target.pk}/contact/" not in page.content.decode()
    assert client_for("consultant.toyosu").get(f"/outreach/{target.pk}/").status_code == 403


def test_the_commissioner_sends_a_tip_and_gets_only_a_reference(client_for: Any) -> None:
    client = client_for("commissioner")
    response = client.post("/outreach/tip/", {"tipster": "commissioner", "town": "北砂",
                                               "description": "郵便受けがあふれている。"})  # fmt: skip
    assert response.status_code == 200
    target = OutreachTarget.objects.get()
    assert target.tip is not None and target.tip.reference in response.content.decode()
    assert client.get(f"/outreach/{target.pk}/").status_code == 403


def test_a_tip_with_nothing_to_go_on_is_sent_back_with_what_to_fix(client_for: Any) -> None:
    response = client_for("commissioner").post("/outreach/tip/", {"tipster": "commissioner"})
    assert response.status_code == 422
    assert "住所か場所" in response.content.decode() and not OutreachTarget.objects.exists()


def test_the_team_makes_a_target_from_its_need_on_the_new_page(client_for: Any, ward: Any) -> None:
    client = client_for("outreach")
    assert "田中" in client.get("/outreach/new/").content.decode()
    response = client.post("/outreach/new/", {"source": "need", "id": ward["need"].pk})
    target = OutreachTarget.objects.get(need=ward["need"])
    assert response.status_code == 302 and response["Location"] == f"/outreach/{target.pk}/"


def test_the_offline_note_answers_in_json_and_refuses_a_stale_version(
    client_for: Any, target: OutreachTarget
) -> None:
    client = client_for("outreach")
    body = {"on": contact().on, "method": "visit", "result": "met", "living": "元気そう",
            "risks": [], "version": target.version, "client_ref": "note-1"}  # fmt: skip
    first = client.post(f"/outreach/{target.pk}/contact/", json.dumps(body),
                        content_type="application/json")  # fmt: skip
    assert first.status_code == 201 and first.json()["version"] == target.version + 1
    again = client.post(f"/outreach/{target.pk}/contact/", json.dumps(body),
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 201 and target.contacts.count() == 1
    stale = client.post(f"/outreach/{target.pk}/contact/",
                        json.dumps({**body, "client_ref": "note-2"}),
                        content_type="application/json")  # fmt: skip
    assert stale.status_code == 409 and "version" in stale.json()["errors"]
    assert target.contacts.count() == 1


def test_an_offline_note_from_someone_outside_the_team_is_refused(
    client_for: Any, target: OutreachTarget
) -> None:
    response = client_for("consultant.elderly").post(
        f"/outreach/{target.pk}/contact/", json.dumps({"method": "visit"}),
        content_type="application/json")  # fmt: skip
    assert response.status_code == 403 and not target.contacts.exists()


def test_the_contact_form_records_and_returns_to_the_visit_list(
    client_for: Any, target: OutreachTarget
) -> None:
    response = client_for("outreach").post(f"/outreach/{target.pk}/contact/", {
        "on": contact().on, "method": "phone", "result": "no_answer", "back": "visits",
        "version": target.version})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/outreach/visits/"
    target.refresh_from_db()
    assert target.state == State.TRYING


def test_the_team_view_counts_by_town_and_source_with_the_monthly_table(
    client_for: Any, personas: Any, target: OutreachTarget, ward: Any
) -> None:
    send_tip(personas["commissioner"], TipInput(tipster="neighbour", town="大島", description="x"))
    log_contact(personas["outreach"], target.pk, contact())
    page = client_for("outreach").get("/outreach/team/").content.decode()
    assert "大島" in page and "state-flow-data" in page and "flow-table" in page
    assert "気づきの連絡" in page and "相談からの依頼" in page


def test_identify_page_ties_a_tip_to_a_person(client_for: Any, personas: Any, ward: Any) -> None:
    tip = send_tip(personas["commissioner"], TipInput(tipster="landlord", address="北砂荘203",
                                                      description="x"))  # fmt: skip
    target = OutreachTarget.objects.get(tip=tip)
    client = client_for("outreach")
    assert client.get(f"/outreach/{target.pk}/identify/?q=タナカ イチロウ").status_code == 200
    response = client.post(f"/outreach/{target.pk}/identify/",
                           {"q": "タナカ イチロウ 1950-05-05", "person": ward["alone"].pk})  # fmt: skip
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.person == ward["alone"]


def test_identify_page_posts_its_search_and_ties_no_one_by_it(
    client_for: Any, personas: Any, ward: Any
) -> None:
    tip = send_tip(personas["commissioner"], TipInput(tipster="landlord", address="北砂荘203",
                                                      description="x"))  # fmt: skip
    target = OutreachTarget.objects.get(tip=tip)
    client = client_for("outreach")
    assert (
        '<form method="post" class="search-form">'
        in client.get(f"/outreach/{target.pk}/identify/").content.decode()
    )
    # The search itself is a POST (the query stays out of the address): it lists, ties nobody.
    response = client.post(f"/outreach/{target.pk}/identify/", {"q": "タナカ イチロウ 1950-05-05"})
    assert response.status_code == 200
    assert 'id="matches"' in response.content.decode()
    target.refresh_from_db()
    assert target.person is None


def test_a_household_target_lists_its_members_but_not_their_sealed_address(
    client_for: Any, personas: Any, ward: Any
) -> None:
    target = create_target_from_candidate(personas["outreach"], ward["candidate"].pk)
    page = client_for("outreach").get(f"/outreach/{target.pk}/").content.decode()
    assert "佐藤　陽" in page and "（子）" in page
    assert SEALED_ADDRESS not in page and "東雲" not in page


def test_a_tip_waits_unassigned_until_a_worker_takes_it_on(client_for: Any, personas: Any) -> None:
    tip = send_tip(personas["commissioner"], TipInput(tipster="utility", town="東砂",
                                                      description="ガスの停止予告に応答がない。"))  # fmt: skip
    target = OutreachTarget.objects.get(tip=tip)
    client = client_for("outreach")
    page = client.get("/outreach/").content.decode()
    assert 'id="waiting-table"' in page and f"/outreach/{target.pk}/" in page
    client.post(f"/outreach/{target.pk}/take/")
    target.refresh_from_db()
    assert target.worker == personas["outreach"]
    assert 'id="waiting-table"' not in client.get("/outreach/").content.decode()


def test_a_candidate_target_links_its_evidence_for_designated_staff_only(
    client_for: Any, personas: Any, ward: Any
) -> None:
    target = create_target_from_candidate(personas["outreach"], ward["candidate"].pk)
    link = f"/linkage/candidates/{ward['candidate'].pk}/"
    assert link in client_for("outreach").get(f"/outreach/{target.pk}/").content.decode()
    personas["outreach"].flag_access = False
    personas["outreach"].save()
    assert link not in client_for("outreach").get(f"/outreach/{target.pk}/").content.decode()
