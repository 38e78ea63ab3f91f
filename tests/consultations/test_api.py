from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.consent.models import Consent
from tsunagari.consultations.indicators import indicator_counts
from tsunagari.consultations.models import Consultation, Referral, ReferralStatus
from tsunagari.people.models import Person

JSON = "application/json"


def _payload(person: Person, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "channel": "visit",
        "service": "elderly",
        "visitor": "self",
        "person_id": person.pk,
        "problems": ["health"],
        "notes": "膝が痛く買い物に行けない。",
        "outcome": "resolved",
    }
    data.update(overrides)
    return data


def test_it_creates_reads_and_updates_a_consultation_with_version_checks(
    client_for: Any, residents: dict[str, Person]
) -> None:
    client = client_for("consultant.elderly")
    created = client.post("/api/consultations", _payload(residents["taro"]), content_type=JSON)
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "recorded" and body["main_problem"] == "health"
    read = client.get(f"/api/consultations/{body['id']}")
    assert read.status_code == 200 and read.json()["notes"] == "膝が痛く買い物に行けない。"
    update = {**_payload(residents["taro"], notes="更新"), "version": body["version"]}
    assert (
        client.put(f"/api/consultations/{body['id']}", update, content_type=JSON).status_code == 200
    )
    stale = client.put(f"/api/consultations/{body['id']}", {**update, "notes": "古い版から"},
                       content_type=JSON)  # fmt: skip
    assert stale.status_code == 409
    assert "別の職員" in stale.json()["detail"]
    assert Consultation.objects.get().notes == "更新"


@pytest.mark.parametrize(
    "payload",
    [
        {"channel": 12},
        {"problems": "care"},
        {"problems": ["nope"]},
        {"notes": "x" * 10_001},
        {"person_id": "abc"},
        {"received_on": "<script>"},
        {"new_person": {"name": "y" * 121}},
    ],
)
def test_it_refuses_hostile_api_input_and_stores_nothing(
    client_for: Any, residents: dict[str, Person], payload: dict[str, Any]
) -> None:
    response = client_for("consultant.elderly").post(
        "/api/consultations", {**_payload(residents["taro"]), **payload}, content_type=JSON
    )
    assert response.status_code == 422
    assert Consultation.objects.count() == 0


def test_it_refuses_an_empty_or_broken_body(client_for: Any, personas: Any) -> None:
    client = client_for("consultant.elderly")
    assert client.post("/api/consultations", "{", content_type=JSON).status_code in {400, 422}
    empty = client.post("/api/consultations", {}, content_type=JSON)
    assert empty.status_code == 422 and "channel" in empty.json()["errors"]
    assert Consultation.objects.count() == 0


def test_it_refuses_another_agency_and_the_council_through_the_api(
    client_for: Any, consultation: Consultation
) -> None:
    for who in ("consultant.toyosu", "council", "outsider"):
        response = client_for(who).get(f"/api/consultations/{consultation.pk}")
        assert response.status_code == 403, who
        assert "介護" not in response.content.decode()


def test_it_walks_a_referral_through_the_api_and_both_sides_see_the_timeline(
    client_for: Any, consultation: Consultation, consent: Consent
) -> None:
    sender, receiver = client_for("consultant.elderly"), client_for("consultant.self")
    sent = sender.post("/api/referrals", {"consultation_id": consultation.pk, "to_agency": "srs-01",
                                          "summary": "家計の相談"}, content_type=JSON)  # fmt: skip
    assert sent.status_code == 201
    rid = sent.json()["id"]
    assert receiver.get("/api/referrals").json()["waiting"][0]["id"] == rid
    assert receiver.post(f"/api/referrals/{rid}/receive").status_code == 200
    assert (
        receiver.post(f"/api/referrals/{rid}/accept", {"note": ""}, content_type=JSON).status_code
        == 200
    )
    closed = receiver.post(
        f"/api/referrals/{rid}/outcome", {"outcome": "connected"}, content_type=JSON
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    for client in (sender, receiver):
        kinds = [e["kind"] for e in client.get(f"/api/referrals/{rid}").json()["timeline"]]
        assert kinds == ["sent", "received", "accepted", "outcome"]
    assert client_for("consultant.toyosu").get(f"/api/referrals/{rid}").status_code == 403


def test_it_refuses_referral_actions_with_clear_messages_through_the_api(
    client_for: Any, consultation: Consultation, consent: Consent
) -> None:
    sender, receiver = client_for("consultant.elderly"), client_for("consultant.self")
    rid = sender.post("/api/referrals", {"consultation_id": consultation.pk, "to_agency": "srs-01",
                                         "summary": "家計の相談"}, content_type=JSON).json()["id"]  # fmt: skip
    no_reason = receiver.post(f"/api/referrals/{rid}/decline", {"reason": ""}, content_type=JSON)
    assert no_reason.status_code == 409 and "理由" in no_reason.json()["detail"]
    third = client_for("consultant.toyosu").post(
        f"/api/referrals/{rid}/accept", {}, content_type=JSON
    )
    assert third.status_code == 403
    assert (
        sender.post(
            f"/api/referrals/{rid}/revoke", {"reason": "解決"}, content_type=JSON
        ).status_code
        == 200
    )
    late = receiver.post(f"/api/referrals/{rid}/accept", {}, content_type=JSON)
    assert late.status_code == 409 and "取り下げ" in late.json()["detail"]
    assert Referral.objects.get(pk=rid).status == ReferralStatus.REVOKED


def test_it_refuses_to_send_without_consent_through_the_api(
    client_for: Any, consultation: Consultation
) -> None:
    response = client_for("consultant.elderly").post(
        "/api/referrals",
        {"consultation_id": consultation.pk, "to_agency": "srs-01", "summary": "要約"},
        content_type=JSON,
    )
    assert response.status_code == 409 and "同意" in response.json()["detail"]
    assert Referral.objects.count() == 0


def test_it_audits_the_api_view_of_a_referral(
    client_for: Any, consultation: Consultation, consent: Consent
) -> None:
    sender = client_for("consultant.elderly")
    rid = sender.post("/api/referrals", {"consultation_id": consultation.pk, "to_agency": "srs-01",
                                         "summary": "家計の相談"}, content_type=JSON).json()["id"]  # fmt: skip
    sender.get(f"/api/referrals/{rid}")
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="consultations.referral",
                                     object_id=str(rid)).exists()  # fmt: skip


def test_it_suppresses_small_cells_in_the_indicator_counts(
    client_for: Any, consultation: Consultation, settings: Any
) -> None:
    # given one recorded consultation (a cell of 1)
    today = timezone.localdate()
    counts = indicator_counts(today - timedelta(days=30), today)
    assert counts.consultations is None
    assert all(c.count is None for c in counts.by_month_service)
    # when the threshold is 1 the same cell is shown
    settings.SMALL_CELL_MIN = 1
    assert indicator_counts(today - timedelta(days=30), today).consultations == 1
    # and the council reads them through the API, but never the consultation itself
    response = client_for("council").get(
        "/api/consultations/indicators",
        {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()},
    )
    assert response.status_code == 200 and response.json()["consultations"] == 1


def test_it_lists_only_my_consultations_through_the_api(
    client_for: Any, consultation: Consultation
) -> None:
    mine = client_for("consultant.elderly").get("/api/consultations")
    assert mine.status_code == 200 and [c["id"] for c in mine.json()] == [consultation.pk]
    assert client_for("consultant.toyosu").get("/api/consultations").json() == []
    assert client_for("council").get("/api/consultations").status_code == 403
