"""The support-meeting pages: record (pending), the list of decisions to confirm, confirm, reject."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.consent.models import DecisionStatus, SupportMeeting
from tsunagari.people.models import AgencyLink, Person


def _client(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _record(client: Client, person: Person, agencies: list[str]) -> Any:
    return client.post(f"/consent/support-meeting/new/?person={person.pk}",
                       {"person": person.pk, "decided_on": timezone.localdate().isoformat(),
                        "agencies": agencies, "reason": "8050世帯。支援が必要。"})  # fmt: skip


@pytest.fixture
def pending(deciders: dict[str, Staff], residents: dict[str, Person]) -> SupportMeeting:
    assert (
        _record(_client(deciders["recorder"]), residents["jiro"], ["mac-01", "srs-01"]).status_code
        == 302
    )
    return SupportMeeting.objects.get()


def test_it_refuses_a_one_agency_meeting_on_the_form(
    client_for: Any, residents: dict[str, Person]
) -> None:
    response = _record(client_for("coordinator"), residents["jiro"], ["mac-01"])
    assert response.status_code == 400
    assert "2機関以上" in response.content.decode()
    assert SupportMeeting.objects.count() == 0


def test_it_lists_a_pending_decision_for_another_member_who_confirms_it(
    deciders: dict[str, Staff], residents: dict[str, Person], pending: SupportMeeting
) -> None:
    # given the recorder's page shows the decision waiting, without a confirm button
    own = _client(deciders["recorder"]).get("/consent/support-meeting/").content.decode()
    assert "山田　次郎" in own and f"/consent/support-meeting/{pending.pk}/confirm/" not in own
    # when another member agency's coordinator opens the list
    other = _client(deciders["other_member"])
    page = other.get("/consent/support-meeting/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "あなたが確認できる決定: 1件" in body and "山田　次郎" in body
    # and confirms it
    response = other.post(f"/consent/support-meeting/{pending.pk}/confirm/")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == DecisionStatus.CONFIRMED
    assert AgencyLink.objects.filter(person=residents["jiro"], basis="support_meeting").count() == 2


def test_it_refuses_the_recorders_own_confirmation_on_the_page(
    deciders: dict[str, Staff], pending: SupportMeeting
) -> None:
    for who in ("recorder", "same_agency", "non_member"):
        response = _client(deciders[who]).post(f"/consent/support-meeting/{pending.pk}/confirm/")
        assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == DecisionStatus.PENDING


def test_it_rejects_from_the_page_and_names_a_missing_reason(
    deciders: dict[str, Staff], pending: SupportMeeting
) -> None:
    client = _client(deciders["ward_supervisor"])
    response = client.post(
        f"/consent/support-meeting/{pending.pk}/reject/", {"reason": ""}, follow=True
    )
    assert "差し戻しの理由を入力してください" in response.content.decode()
    client.post(f"/consent/support-meeting/{pending.pk}/reject/", {"reason": "合意がない"})
    pending.refresh_from_db()
    assert pending.status == DecisionStatus.REJECTED and pending.rejection_reason == "合意がない"


def test_it_refuses_the_list_to_anyone_who_cannot_confirm(
    client_for: Any, deciders: dict[str, Staff], pending: SupportMeeting
) -> None:
    for persona in ("outsider", "consultant.self", "supervisor.elderly", "council", "admin"):
        response = client_for(persona).get("/consent/support-meeting/")
        assert response.status_code == 403
        assert "山田" not in response.content.decode()
    # a coordinator of a non-member agency sees the page, but not the decision
    body = _client(deciders["non_member"]).get("/consent/support-meeting/").content.decode()
    assert "山田" not in body and "確認待ちの決定はありません" in body


def test_it_answers_garbage_meeting_ids_without_changing_anything(
    deciders: dict[str, Staff], pending: SupportMeeting
) -> None:
    client = _client(deciders["other_member"])
    for path in ("999999/confirm/", "999999/reject/", "abc/confirm/", "-1/confirm/"):
        response = client.post(f"/consent/support-meeting/{path}", {"reason": "x"})
        assert response.status_code in {302, 404}
    assert client.get(f"/consent/support-meeting/{pending.pk}/confirm/").status_code == 405
    pending.refresh_from_db()
    assert pending.status == DecisionStatus.PENDING


def test_it_puts_the_count_to_confirm_on_the_worklist(
    deciders: dict[str, Staff], pending: SupportMeeting
) -> None:
    body = _client(deciders["other_member"]).get("/consultations/").content.decode()
    assert "確認待ちの支援会議の決定が 1 件あります" in body
    own = _client(deciders["recorder"]).get("/consultations/").content.decode()
    assert "確認待ちの支援会議の決定が" not in own and "/consent/support-meeting/" in own


def test_it_groups_the_agencies_of_the_consent_form_by_kind_with_their_town(
    client_for: Any, residents: Any
) -> None:
    body = (
        client_for("consultant.elderly")
        .get(f"/consent/new/?person={residents['taro'].pk}")
        .content.decode()
    )
    # one group per kind of agency, each with its count, and a filter box
    assert body.count('class="agency-group"') >= 4
    assert 'data-filter-for="agency-groups"' in body
    assert "長寿サポートセンター" in body and "（" in body
