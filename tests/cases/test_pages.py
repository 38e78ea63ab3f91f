"""The case pages and API: who sees a case, what of the persons shows, and the forms."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import ADDRESS, PHONE, consent_for, meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.cases.access import NO_CONSENT, NOT_A_MEETING_MEMBER, NOT_ON_TEAM
from tsunagari.cases.models import Case, CaseState, Regime, Stage
from tsunagari.consent.services import WithdrawalInput, end_support_meeting, withdraw_consent
from tsunagari.events.models import DomainEvent, EventKind

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16", "cfc-03")


@pytest.fixture
def sm_case(ward: dict[str, Any], personas: dict[str, Staff]) -> Case:
    """A 支援会議 case: the meeting has the team and the disability office (not on the team)."""
    meeting_for(ward, personas, [*TEAM, "dis-02"])
    return open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)


def test_it_opens_a_case_from_the_needs_page_and_the_consultation(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    meeting_for(ward, personas, list(TEAM))
    client, need = client_for("coordinator"), ward["need"]
    # the needs page row and the consultation offer to start a case
    assert f"/cases/new/?need={need.pk}" in client.get("/consultations/needs/").content.decode()
    consultation = client.get(f"/consultations/{need.consultation_id}/").content.decode()
    assert f"/cases/new/?need={need.pk}" in consultation
    # the form lists the son by name and relation, never the sealed household's address
    form = client.get(f"/cases/new/?need={need.pk}").content.decode()
    assert "高橋　健二" in form and ADDRESS not in form and PHONE not in form
    # when the coordinator opens it
    response = client.post("/cases/new/", {
        "need": need.pk, "regime": "support_meeting", "lead": "consultant.elderly",
        "agency": list(TEAM), "role": ["調整", "母の生活費", "母の介護", "息子の相談"],
        "members": [str(ward["son"].pk)],
    })  # fmt: skip
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.team.get(agency__code="lsc-16").role == "母の介護"
    # then the needs page and the consultation lead to it
    assert f"/cases/{case.pk}/" in client.get("/consultations/needs/").content.decode()
    assert (
        f"/cases/{case.pk}/"
        in client.get(f"/consultations/{need.consultation_id}/").content.decode()
    )
    # and the coordinator's home card leads to the list, which shows it
    assert "/cases/" in client.get("/").content.decode()
    listing = client.get("/cases/").content.decode()
    assert f"/cases/{case.pk}/" in listing and "高橋　ふみ" in listing


def test_it_shows_the_refusal_reasons_on_the_form(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    meeting_for(ward, personas, ["mac-01", "srs-01"])
    response = client_for("coordinator").post("/cases/new/", {
        "need": ward["need"].pk, "regime": "support_meeting",
        "agency": ["mac-01", "dis-02"], "role": ["", ""]})  # fmt: skip
    assert response.status_code == 422
    assert "支援会議の構成機関ではない機関があります" in response.content.decode()
    assert not Case.objects.exists()


def test_it_refuses_an_agency_not_on_the_team_everything_about_the_case(
    sm_case: Case, client_for: Clients, personas: dict[str, Staff]
) -> None:
    # the disability office is a member of the meeting but not on the team
    client = client_for("consultant.disability")
    page = client.get(f"/cases/{sm_case.pk}/")
    assert page.status_code == 403
    assert str(NOT_ON_TEAM) in page.content.decode()
    api = client.get(f"/api/cases/{sm_case.pk}")
    assert api.status_code == 403 and api.json()["detail"] == str(NOT_ON_TEAM)
    assert all(c["id"] != sm_case.pk for c in client.get("/api/cases").json())
    assert f"/cases/{sm_case.pk}/" not in client.get("/cases/").content.decode()
    # nor may it move or close the case
    assert client.post(f"/cases/{sm_case.pk}/stage/", {"stage": "assessment"}).status_code == 403
    assert client.post(f"/api/cases/{sm_case.pk}/close", data=json.dumps(
        {"state": "closed", "reason": "resolved"}), content_type="application/json").status_code == 403  # fmt: skip
    sm_case.refresh_from_db()
    assert sm_case.stage == Stage.INTAKE and sm_case.state == CaseState.OPEN
    # every refusal is audited with its reason
    denied = AuditEvent.objects.filter(action="denied", object_type="cases.case",
                                       actor_id=personas["consultant.disability"].pk)  # fmt: skip
    assert denied.count() >= 2 and denied.first().reason == str(NOT_ON_TEAM)  # type: ignore[union-attr]


def test_it_refuses_the_case_when_the_support_meeting_ends(
    ward: dict[str, Any], sm_case: Case, client_for: Clients, personas: dict[str, Staff]
) -> None:
    client = client_for("consultant.elderly")
    assert client.get(f"/cases/{sm_case.pk}/").status_code == 200
    end_support_meeting(personas["coordinator"], sm_case.support_meeting_id, reason="終了")  # type: ignore[arg-type]
    page = client.get(f"/cases/{sm_case.pk}/")
    assert page.status_code == 403 and str(NOT_A_MEETING_MEMBER) in page.content.decode()


def test_it_ends_a_covered_agencys_access_the_day_consent_is_withdrawn(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    consent = consent_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, Regime.LAYERED, TEAM)
    client = client_for("consultant.elderly")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "高橋　ふみ" in page
    # when the mother withdraws her consent
    withdraw_consent(personas["consultant.self"], consent.pk, WithdrawalInput(
        said_on=consent.given_on.isoformat(), channel="phone", told_to="自立"))  # fmt: skip
    # then the case, its API and its person are closed to the covered agency the same day
    page_after = client.get(f"/cases/{case.pk}/")
    assert page_after.status_code == 403 and str(NO_CONSENT) in page_after.content.decode()
    assert client.get(f"/api/cases/{case.pk}").status_code == 403
    person = client.get(f"/people/{ward['mother'].pk}/").content.decode()
    assert "1945-02-10" not in person


def test_it_never_shows_the_sealed_household_address_to_undesignated_members(
    ward: dict[str, Any], sm_case: Case, client_for: Clients
) -> None:
    # an undesignated member sees names but no address or phone, on the page and the API
    client = client_for("consultant.elderly")
    client.post(f"/cases/{sm_case.pk}/confidentiality/")
    page = client.get(f"/cases/{sm_case.pk}/").content.decode()
    api = json.dumps(client.get(f"/api/cases/{sm_case.pk}").json(), ensure_ascii=False)
    for body in (page, api):
        assert "高橋　ふみ" in body and "高橋　健二" in body
        assert ADDRESS not in body and PHONE not in body
    assert "閲覧制限のため表示しません" in page
    # while designated staff of a team agency see it (the check is not vacuous)
    designated_client = client_for("consultant.child")
    designated_client.post(f"/cases/{sm_case.pk}/confidentiality/")
    designated = designated_client.get(f"/cases/{sm_case.pk}/").content.decode()
    assert ADDRESS in designated


def test_it_moves_closes_and_reopens_from_the_page_and_shows_the_timeline(
    ward: dict[str, Any], sm_case: Case, client_for: Clients
) -> None:
    client = client_for("coordinator")
    client.post(f"/cases/{sm_case.pk}/stage/", {"stage": "assessment"})
    # wrong stage names and jumps are refused with a message, nothing changes
    for bad in ("終結", "closed", "plan" * 5000, "monitoring"):
        client.post(f"/cases/{sm_case.pk}/stage/", {"stage": bad})
    sm_case.refresh_from_db()
    assert sm_case.stage == Stage.ASSESSMENT
    # a huge closure note is refused
    client.post(
        f"/cases/{sm_case.pk}/end/", {"state": "closed", "reason": "other", "note": "x" * 100_000}
    )
    sm_case.refresh_from_db()
    assert sm_case.state == CaseState.OPEN
    client.post(f"/cases/{sm_case.pk}/end/", {"state": "closed", "reason": "handed_over",
                "handover_agency": "lsc-16", "handover_note": "母の介護を継続"})  # fmt: skip
    sm_case.refresh_from_db()
    assert sm_case.state == CaseState.CLOSED
    page = client.get(f"/cases/{sm_case.pk}/").content.decode()
    assert "母の介護を継続" in page and "事例の終結（他の機関に引き継いだ）" in page
    assert "事例の段階の変更（受付 → アセスメント）" in page
    # the persons' own stories show in the timeline too (the meeting's confirmation)
    assert "支援会議の決定の確認" in page
    client.post(f"/cases/{sm_case.pk}/reopen/")
    sm_case.refresh_from_db()
    assert sm_case.state == CaseState.OPEN and sm_case.stage == Stage.ASSESSMENT
    kinds = set(DomainEvent.objects.filter(object_type="cases.case").values_list("kind", flat=True))
    assert {EventKind.CASE_STAGE_MOVED, EventKind.CASE_CLOSED, EventKind.CASE_REOPENED} <= kinds


def test_it_filters_the_list_by_stage_and_regime_with_counts(
    sm_case: Case, client_for: Clients
) -> None:
    client = client_for("coordinator")
    assert f"/cases/{sm_case.pk}/" in client.get("/cases/?stage=intake").content.decode()
    assert f"/cases/{sm_case.pk}/" not in client.get("/cases/?stage=plan").content.decode()
    assert f"/cases/{sm_case.pk}/" not in client.get("/cases/?regime=layered").content.decode()
    # nonsense filters are ignored, not errors
    odd = client.get("/cases/?stage=%00&regime=" + "x" * 5000)
    assert odd.status_code == 200 and f"/cases/{sm_case.pk}/" in odd.content.decode()
    assert client.get("/api/cases").json()[0]["stage"] == "intake"


def test_it_refuses_hostile_opening_requests(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    client = client_for("coordinator")
    assert client.get("/cases/new/?need=abc").status_code == 400
    assert client.get("/cases/new/?need=999999").status_code == 400
    assert client.get("/cases/new/").status_code == 400
    assert client.get("/cases/999999/").status_code == 404
    # a need someone else picked up is refused with the reason
    colleague = Client()
    colleague.force_login(ward["srs_coordinator"])
    other = colleague.get(f"/cases/new/?need={ward['need'].pk}")
    assert other.status_code == 403 and "対応を始めた職員" in other.content.decode()
    # a consultant without the coordinating role may not open cases at all
    assert (
        client_for("consultant.self").get(f"/cases/new/?need={ward['need'].pk}").status_code == 403
    )
    # the API refuses bad bodies
    bad = client.post("/api/cases", data=json.dumps({"need_id": ward["need"].pk, "regime": "x",
                      "team": [{"agency": "mac-01", "role": "r" * 150}]}),
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert not Case.objects.exists()


def test_it_opens_moves_and_closes_through_the_api(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    consent_for(ward, personas, ["mac-01", "srs-01"])
    client = client_for("coordinator")
    created = client.post("/api/cases", data=json.dumps({
        "need_id": ward["need"].pk, "regime": "layered", "members": [str(ward["son"].pk)],
        "team": [{"agency": "mac-01", "role": "調整"}, {"agency": "srs-01", "role": "生活費"}]}),
        content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["regime"] == "layered" and body["allowed_moves"] == ["assessment"]
    assert [m["name"] for m in body["members"]] == ["高橋　健二"]
    moved = client.post(f"/api/cases/{body['id']}/stage", data=json.dumps({"stage": "assessment"}),
                        content_type="application/json")  # fmt: skip
    assert moved.status_code == 200 and moved.json()["stage"] == "assessment"
    wrong = client.post(f"/api/cases/{body['id']}/stage", data=json.dumps({"stage": "終結"}),
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 422 and "stage" in wrong.json()["errors"]
    closed = client.post(f"/api/cases/{body['id']}/close", data=json.dumps(
        {"state": "closed", "reason": "resolved"}), content_type="application/json")  # fmt: skip
    assert closed.status_code == 200 and closed.json()["stage"] == "closed"


def test_it_shows_in_the_timeline_only_what_the_viewers_entitlement_opens(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    # given a layered case on a consent that shares basic facts only
    consent_for(ward, personas, ["mac-01", "lsc-16"], son=False, categories=("basic",))
    case = open_for(ward, personas, Regime.LAYERED, ("mac-01", "lsc-16"), members=False)
    # when the longevity centre reads the case
    page = client_for("consultant.elderly").get(f"/cases/{case.pk}/").content.decode()
    # then it sees the case's own events, but not the mother's support history
    # (the coordinator's consent record, the need), which the consent does not open
    assert "多機関協働の事例の開始（重層的支援会議）" in page
    assert "本人同意の記録" not in page and "依頼への対応開始" not in page
    # while the coordinator's own agency sees the steps it took
    own = client_for("coordinator").get(f"/cases/{case.pk}/").content.decode()
    assert "本人同意の記録" in own and "依頼への対応開始" in own
