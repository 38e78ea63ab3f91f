from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.consent.models import Consent
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    Need,
    Referral,
    ReferralStatus,
)
from tsunagari.consultations.services import send_referral
from tsunagari.people.access import is_entitled
from tsunagari.people.models import Person


def _post(person: Person | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "consultation_id": "",
        "version": "0",
        "received_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "channel": "phone",
        "service": "elderly",
        "visitor": "family",
        "visitor_relation": "長女",
        "person_id": str(person.pk) if person else "",
        "problems": ["care", "income"],
        "main_problem": "care",
        "work": "retired",
        "housing": "rented",
        "health_insurance": "late_elderly",
        "pension": "old_age",
        "notes": "父の介護と生活費のことで長女から電話。",
        "outcome": "referral",
    }
    data.update(overrides)
    return data


def test_it_shows_the_intake_form_to_a_consultant(client_for: Any, personas: Any) -> None:
    response = client_for("consultant.elderly").get("/consultations/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "相談の受付" in body and 'name="problems"' in body and "ひきこもり・不登校" in body


def test_it_records_a_phone_consultation_and_links_the_person(
    client_for: Any, residents: dict[str, Person], personas: Any
) -> None:
    # given a consultant at the disability office, which does not serve Taro yet
    client = client_for("consultant.disability")
    # when Taro himself calls and they record it, choosing him from the look-up
    response = client.post(
        "/consultations/save/",
        _post(
            residents["taro"],
            service="disability",
            visitor="self",
            visitor_relation="",
            identity_check="document",
        ),
    )
    # then it is recorded and, his identity confirmed, the record opens to their agency
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.status == ConsultationStatus.RECORDED
    assert consultation.problems == ["income", "care"] and consultation.main_problem == "care"
    assert is_entitled(personas["consultant.disability"], residents["taro"])


def test_it_does_not_open_the_record_on_someone_elses_report(
    client_for: Any, residents: dict[str, Person], personas: Any
) -> None:
    # given the same office, when Taro's daughter calls about him
    client = client_for("consultant.disability")
    response = client.post("/consultations/save/", _post(residents["taro"], service="disability"))
    # then the consultation is recorded, but the ward's record of Taro stays closed
    # to that office until he consents or a support meeting decides
    assert response.status_code == 302
    assert Consultation.objects.get().status == ConsultationStatus.RECORDED
    assert not is_entitled(personas["consultant.disability"], residents["taro"])
    assert client.get(f"/people/{residents['taro'].pk}/").status_code == 403


def test_it_creates_the_person_typed_at_intake(client_for: Any, personas: Any) -> None:
    response = client_for("consultant.self").post(
        "/consultations/save/",
        _post(None, service="self_reliance", new_name="木村　拓", new_kana="キムラ　タク",
              new_birth_date="H2.4.1", new_sex="male", new_address="亀戸2-1-1"),
    )  # fmt: skip
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.person is not None and consultation.person.surname == "木村"


def test_it_keeps_everything_typed_when_the_save_fails(
    client_for: Any, residents: dict[str, Person]
) -> None:
    # given a consultation typed without a channel and with an unreadable date
    data = _post(residents["taro"], channel="", received_on="きのう", notes="長い話の記録<b>")
    # when it is saved
    response = client_for("consultant.elderly").post("/consultations/save/", data)
    # then the errors are named, every typed value is still in the form, and nothing is stored
    body = response.content.decode()
    assert response.status_code == 400
    assert "受付方法を選んでください" in body
    assert "長い話の記録&lt;b&gt;" in body and 'value="長女"' in body
    assert 'value="きのう"' in body
    assert Consultation.objects.count() == 0


def test_it_autosaves_a_draft_and_returns_the_new_version(
    client_for: Any, residents: dict[str, Person]
) -> None:
    client = client_for("consultant.elderly")
    first = client.post("/consultations/autosave/", _post(None, channel="", notes="途中まで"),
                        HTTP_HX_REQUEST="true")  # fmt: skip
    draft = Consultation.objects.get()
    assert draft.status == ConsultationStatus.DRAFT and draft.notes == "途中まで"
    body = first.content.decode()
    assert f'value="{draft.pk}"' in body and 'id="f-version" value="1"' in body
    second = client.post(
        "/consultations/autosave/",
        _post(None, consultation_id=str(draft.pk), version="1", notes="途中まで。続き"),
        HTTP_HX_REQUEST="true",
    )
    assert 'id="f-version" value="2"' in second.content.decode()
    draft.refresh_from_db()
    assert draft.notes == "途中まで。続き"


def test_it_reports_a_conflict_and_keeps_both_texts(
    client_for: Any, residents: dict[str, Person], personas: Any
) -> None:
    # given a recorded consultation that two consultants at the same centre open (version 1)
    colleague = Staff.objects.create(username="consultant.elderly2", display_name="北砂 二郎",
                                     agency=personas["consultant.elderly"].agency, roles=["consultant"])  # fmt: skip
    elderly, colleague_client = client_for("consultant.elderly"), Client()
    colleague_client.force_login(colleague)
    elderly.post("/consultations/save/", _post(residents["taro"]))
    consultation = Consultation.objects.get()
    assert consultation.version == 1
    base = _post(residents["taro"], consultation_id=str(consultation.pk), version="1")
    # when the first saves their text and the second saves theirs against the same version
    first = elderly.post("/consultations/save/", {**base, "notes": "Aさんのメモ: 長女と面談予定"})
    second = colleague_client.post(
        "/consultations/save/", {**base, "notes": "Bさんのメモ: 本人が来所"}
    )
    # then the first is saved, the second is told, and sees both texts; nothing is overwritten
    assert first.status_code == 302
    assert second.status_code == 409
    body = second.content.decode()
    assert "別の職員がこの相談を保存しました" in body
    assert "Aさんのメモ: 長女と面談予定" in body and "Bさんのメモ: 本人が来所" in body
    assert 'id="f-version" value="2"' in body
    assert "hx-post" not in body.split('id="intake"')[1].split(">")[0]  # no autosave over theirs
    consultation.refresh_from_db()
    assert consultation.notes == "Aさんのメモ: 長女と面談予定"
    # and their autosave stops instead of overwriting
    late = colleague_client.post("/consultations/autosave/", {**base, "notes": "Bさんの続き"},
                                 HTTP_HX_REQUEST="true")  # fmt: skip
    assert "自動保存を止めました" in late.content.decode()
    consultation.refresh_from_db()
    assert consultation.notes == "Aさんのメモ: 長女と面談予定"


def test_it_audits_every_view_of_a_consultation(
    client_for: Any, consultation: Consultation
) -> None:
    client = client_for("consultant.elderly")
    for url in (f"/consultations/{consultation.pk}/", f"/consultations/{consultation.pk}/edit/",
                f"/api/consultations/{consultation.pk}"):  # fmt: skip
        before = AuditEvent.objects.filter(action=AuditAction.VIEW,
                                           object_type="consultations.consultation",
                                           object_id=str(consultation.pk)).count()  # fmt: skip
        assert client.get(url).status_code == 200
        after = AuditEvent.objects.filter(action=AuditAction.VIEW,
                                          object_type="consultations.consultation",
                                          object_id=str(consultation.pk),
                                          person_id=str(consultation.person_id)).count()  # fmt: skip
        assert after == before + 1


@pytest.mark.parametrize("url", ["/consultations/{id}/", "/consultations/{id}/edit/",
                                 "/consultations/{id}/refer/", "/api/consultations/{id}"])  # fmt: skip
def test_it_refuses_another_agency_with_no_referral(
    client_for: Any, consultation: Consultation, url: str
) -> None:
    response = client_for("consultant.toyosu").get(url.format(id=consultation.pk))
    assert response.status_code == 403
    assert "父の介護" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED,
                                     object_id=str(consultation.pk)).exists()  # fmt: skip


@pytest.mark.parametrize("who", ["council", "outsider"])
@pytest.mark.parametrize(
    "url",
    ["/consultations/", "/consultations/new/", "/consultations/{id}/", "/consultations/needs/",
     "/consultations/lookup/?q=ヤマダ", "/api/consultations/{id}", "/api/referrals",
     "/consent/new/?person={person}"],
)  # fmt: skip
def test_it_refuses_council_members_and_outsiders_everything_personal(
    client_for: Any, consultation: Consultation, who: str, url: str
) -> None:
    response = client_for(who).get(url.format(id=consultation.pk, person=consultation.person_id))
    assert response.status_code == 403
    assert "山田" not in response.content.decode()


def test_it_refuses_a_post_from_a_council_member(client_for: Any, residents: Any) -> None:
    response = client_for("council").post("/consultations/save/", _post(residents["taro"]))
    assert response.status_code == 403
    assert Consultation.objects.count() == 0


def test_it_lets_council_members_see_the_closed_loop_aggregate(
    client_for: Any, consultation: Consultation
) -> None:
    response = client_for("council").get("/consultations/loop/")
    assert response.status_code == 200
    assert 'type="application/json"' in response.content.decode()
    assert client_for("council").get("/consultations/plotly.min.js").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("notes", "あ" * 10_001, "10,000文字以内"),
        ("notes", "途中\x00", "制御文字"),
        ("channel", "<script>alert(1)</script>", "受付方法は一覧から"),
        ("problems", ["care", "<img src=x onerror=alert(1)>"], "相談の分野は一覧から"),
        ("person_id", "1 OR 1=1", "本人の番号"),
        ("new_name", "あ" * 500, "120文字以内"),
        ("visitor_relation", "x" * 31, "30文字以内"),
    ],
)
def test_it_refuses_hostile_input_with_a_clear_message_and_stores_nothing(
    client_for: Any, residents: dict[str, Person], field: str, value: Any, message: str
) -> None:
    response = client_for("consultant.elderly").post(
        "/consultations/save/", _post(residents["taro"], **{field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Consultation.objects.count() == 0


def test_it_shows_script_in_notes_as_text(client_for: Any, residents: dict[str, Person]) -> None:
    client = client_for("consultant.elderly")
    client.post("/consultations/save/", _post(residents["taro"], notes="<script>alert(1)</script>"))
    body = client.get(f"/consultations/{Consultation.objects.get().pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_it_raises_a_need_that_the_coordinator_sees_and_picks_up(
    client_for: Any, residents: dict[str, Person]
) -> None:
    client_for("consultant.elderly").post("/consultations/save/",
                                          _post(residents["taro"], outcome="escalation"))  # fmt: skip
    need = Need.objects.get()
    coordinator = client_for("coordinator")
    page = coordinator.get("/consultations/needs/")
    assert page.status_code == 200 and "多機関協働" in page.content.decode()
    assert client_for("consultant.toyosu").get("/consultations/needs/").status_code == 403
    coordinator.post(f"/consultations/needs/{need.pk}/pick-up/")
    need.refresh_from_db()
    assert need.status == "picked_up"


def test_it_shows_the_receiver_the_summary_and_basic_facts_and_marks_it_received(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                             summary="生活費の相談を希望されています。")  # fmt: skip
    response = client_for("consultant.self").get(f"/consultations/referrals/{referral.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "生活費の相談を希望されています。" in body and "山田" in body
    assert "父の介護と生活費のことで長女から電話。" not in body  # the consultation's own notes
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    # the consultation itself stays with the agency that received it
    receiver = client_for("consultant.self")
    for url in (f"/consultations/{consultation.pk}/", f"/api/consultations/{consultation.pk}"):
        assert receiver.get(url).status_code == 403
    # the waiting list shows it; a third agency is refused
    assert (
        f"#{referral.pk}" in client_for("consultant.self").get("/consultations/").content.decode()
    )
    assert (
        client_for("consultant.toyosu").get(f"/consultations/referrals/{referral.pk}/").status_code
        == 403
    )


def test_it_refuses_a_decline_without_reason_on_the_page(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                             summary="生活費の相談")  # fmt: skip
    response = client_for("consultant.self").post(
        f"/consultations/referrals/{referral.pk}/decline/", {"reason": ""}
    )
    assert response.status_code == 400
    assert "辞退の理由を入力してください" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status in {"sent", "received"}


def test_it_refuses_a_referral_without_consent_on_the_page(
    client_for: Any, consultation: Consultation
) -> None:
    response = client_for("consultant.elderly").post(
        f"/consultations/{consultation.pk}/refer/", {"to_agency": "srs-01", "summary": "要約"}
    )
    assert response.status_code == 400
    assert "同意" in response.content.decode()
    assert Referral.objects.count() == 0


def test_it_never_shows_a_sealed_persons_contact_on_a_referral_to_undesignated_staff(
    client_for: Any, personas: Any, residents: dict[str, Person]
) -> None:
    # given the designated consultant at the child and family centre refers Megumi (sealed)
    from datetime import timedelta as td

    from tsunagari.consent.services import ConsentInput, record_consent
    from tsunagari.consultations.services import ConsultationInput, save_consultation

    child = personas["consultant.child"]
    megumi = residents["megumi"]
    consultation = save_consultation(child, ConsultationInput(
        channel="visit", service="child", visitor="self", person_id=megumi.pk,
        problems=["dv_abuse"], notes="避難中。"), final=True)  # fmt: skip
    today = timezone.localdate()
    record_consent(child, megumi.pk, ConsentInput(form="with", given_on=today.isoformat(),
                   expires_on=(today + td(days=90)).isoformat(), agencies=["srs-01"],
                   categories=["basic"]))  # fmt: skip
    referral = send_referral(child, consultation.pk, to_agency="srs-01", summary="生活費の相談")
    # when the receiving consultant (not designated) opens it, on the page and the API
    page = client_for("consultant.self").get(f"/consultations/referrals/{referral.pk}/")
    api = client_for("consultant.self").get(f"/api/referrals/{referral.pk}")
    # then the name is shown but never the address or phone
    for body in (page.content.decode(), api.content.decode()):
        assert "東雲" not in body and "080-3333-4444" not in body
    assert "佐藤" in page.content.decode() and api.json()["person"]["contact_hidden"] is True


def test_it_does_not_call_my_own_autosave_a_conflict(
    client_for: Any, residents: dict[str, Person]
) -> None:
    # given an autosave moved my draft to version 2 while the page still says 1
    client = client_for("consultant.elderly")
    client.post("/consultations/autosave/", _post(None, notes="途中"), HTTP_HX_REQUEST="true")
    draft = Consultation.objects.get()
    client.post("/consultations/autosave/",
                _post(None, consultation_id=str(draft.pk), version="1", notes="途中2"),
                HTTP_HX_REQUEST="true")  # fmt: skip
    # when I press 保存 with the page's version 1
    response = client.post("/consultations/save/", _post(residents["taro"],
                           consultation_id=str(draft.pk), version="1", notes="完成"))  # fmt: skip
    # then it is recorded, not refused
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ConsultationStatus.RECORDED and draft.notes == "完成"


def test_it_asks_before_registering_a_likely_duplicate_and_logs_the_candidates_shown(
    client_for: Any, residents: dict[str, Person]
) -> None:
    # given Taro is registered and served by 長寿サポートセンター北砂
    data = _post(None, new_name="山田　太郎", new_kana="ヤマダ　タロウ", new_birth_date="S23.3.5")
    client = client_for("consultant.elderly")
    # when the consultant types him in as a new person
    response = client.post("/consultations/save/", data)
    # then nothing is stored, the candidates are offered, and that view is audited
    assert response.status_code == 409
    body = response.content.decode()
    assert "似た方がすでに登録されています" in body and f'value="{residents["taro"].pk}"' in body
    assert Consultation.objects.count() == 0
    assert Person.objects.filter(surname="山田", given_name="太郎").count() == 1
    assert AuditEvent.objects.filter(reason="duplicate check at intake").exists()
    # and choosing the candidate records the consultation
    chosen = client.post("/consultations/save/", {**data, "person_id": str(residents["taro"].pk)})
    assert chosen.status_code == 302
    assert Consultation.objects.get().person == residents["taro"]


def test_it_stops_autosaving_beside_a_conflict_on_a_draft(
    client_for: Any, residents: dict[str, Person], personas: Any
) -> None:
    # given my draft, then autosaved by a colleague at the same centre
    colleague = Staff.objects.create(username="consultant.elderly3", agency=personas["consultant.elderly"].agency,
                                     roles=["consultant"])  # fmt: skip
    mine, theirs = client_for("consultant.elderly"), Client()
    theirs.force_login(colleague)
    mine.post("/consultations/autosave/", _post(None, notes="私の下書き"), HTTP_HX_REQUEST="true")
    draft = Consultation.objects.get()
    theirs.post("/consultations/autosave/",
                _post(None, consultation_id=str(draft.pk), version="1", notes="同僚の追記"),
                HTTP_HX_REQUEST="true")  # fmt: skip
    # when I save from my page, still at version 1
    response = mine.post("/consultations/save/", _post(residents["taro"], consultation_id=str(draft.pk),
                         version="1", notes="私の完成版"))  # fmt: skip
    # then both texts are shown, nothing is saved, and the page does not autosave over theirs
    body = response.content.decode()
    assert response.status_code == 409
    assert "同僚の追記" in body and "私の完成版" in body
    assert "hx-post" not in body.split('id="intake"')[1].split(">")[0]
    draft.refresh_from_db()
    assert draft.notes == "同僚の追記" and draft.status == ConsultationStatus.DRAFT
