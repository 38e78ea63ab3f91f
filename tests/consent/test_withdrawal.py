"""Consent withdrawal is honoured at once: pages, API, referrals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tsunagari.consent.models import Consent
from tsunagari.people.models import Person


def _record(client: Any, person: Person) -> Any:
    today = timezone.localdate()
    return client.post(
        f"/consent/new/?person={person.pk}",
        {"person": person.pk, "form": "with", "given_on": today.isoformat(),
         "expires_on": (today + timedelta(days=365)).isoformat(), "agencies": ["srs-01"],
         "categories": ["basic", "consultation"]},
    )  # fmt: skip


def test_it_refuses_the_other_agency_the_person_after_withdrawal(
    client_for: Any, residents: dict[str, Person]
) -> None:
    # given Taro consented to share with 生活サポートセンター, which can now read him
    taro = residents["taro"]
    elderly, other = client_for("consultant.elderly"), client_for("consultant.self")
    assert _record(elderly, taro).status_code == 302
    assert other.get(f"/api/people/{taro.pk}").status_code == 200
    assert other.get(f"/people/{taro.pk}/").status_code == 200
    # when he withdraws it
    consent = Consent.objects.get()
    response = elderly.post(f"/consent/{consent.pk}/withdraw/",
                            {"said_on": timezone.localdate().isoformat(), "channel": "phone",
                             "told_to": "北砂 長寿", "note": "本人から電話で撤回"})  # fmt: skip
    assert response.status_code == 302
    # then the other agency is refused at once, on the API and the pages
    assert other.get(f"/api/people/{taro.pk}").status_code == 403
    assert other.get(f"/people/{taro.pk}/").status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert consent.withdrawal_note == "本人から電話で撤回"


def test_it_keeps_what_was_typed_on_the_consent_form_on_error(
    client_for: Any, residents: dict[str, Person]
) -> None:
    taro = residents["taro"]
    response = client_for("consultant.elderly").post(
        f"/consent/new/?person={taro.pk}",
        {"person": taro.pk, "form": "with", "given_on": "昭和", "expires_on": "",
         "agencies": ["srs-01"], "categories": ["basic"], "note": "<b>電話で確認</b>"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400
    assert "有効期限を入力してください" in body
    assert (
        "&lt;b&gt;電話で確認&lt;/b&gt;" in body
        and 'id="a-srs-01" name="agencies" value="srs-01" checked' in body
    )
    assert Consent.objects.count() == 0


def test_it_refuses_another_agency_the_consent_form(
    client_for: Any, residents: dict[str, Person]
) -> None:
    response = client_for("consultant.toyosu").get(f"/consent/new/?person={residents['taro'].pk}")
    assert response.status_code == 403
    assert "山田" not in response.content.decode()


def test_it_refuses_withdrawal_from_an_agency_without_basis(
    client_for: Any, residents: dict[str, Person]
) -> None:
    _record(client_for("consultant.elderly"), residents["taro"])
    consent = Consent.objects.get()
    response = client_for("consultant.toyosu").post(f"/consent/{consent.pk}/withdraw/")
    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def _statement(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"said_on": timezone.localdate().isoformat(), "channel": "phone",
                              "told_to": "生活サポートセンター 自立", "note": "もう共有しないでほしいとのこと"}  # fmt: skip
    values.update(overrides)
    return values


def test_it_records_a_withdrawal_told_to_another_agency_and_tells_the_recording_agency(
    client_for: Any, residents: dict[str, Person]
) -> None:
    # given 北砂 (lsc-16) recorded Taro's consent naming 生活サポートセンター (srs-01)
    taro = residents["taro"]
    elderly, other = client_for("consultant.elderly"), client_for("consultant.self")
    assert _record(elderly, taro).status_code == 302
    consent = Consent.objects.get()
    # when Taro phones 生活サポートセンター to withdraw, and it records what he said
    form = other.get(f"/consent/{consent.pk}/withdraw/")
    assert form.status_code == 200 and "本人が撤回を伝えた日" in form.content.decode()
    said_on = timezone.localdate().isoformat()
    response = other.post(f"/consent/{consent.pk}/withdraw/", _statement(said_on=said_on))
    assert response.status_code == 302
    # then the statement is kept as he said it, by whom and where
    consent.refresh_from_db()
    assert consent.withdrawal_said_on.isoformat() == said_on
    assert (consent.withdrawal_channel, consent.withdrawal_told_to) == (
        "phone",
        "生活サポートセンター 自立",
    )
    assert (
        consent.withdrawn_agency.code == "srs-01" and consent.withdrawn_on == timezone.localdate()
    )
    # and the recording agency sees it on its worklist, and may mark it seen
    body = elderly.get("/consultations/").content.decode()
    assert f'id="withdrawal-{consent.pk}"' in body
    assert "山田　太郎" in body and "生活サポートセンター 自立" in body and "電話で" in body
    assert elderly.post(f"/consent/{consent.pk}/withdrawal/seen/").status_code == 302
    assert "確認済み" in elderly.get("/consultations/").content.decode()
    # the agency that recorded the withdrawal is not told of its own entry
    assert f'id="withdrawal-{consent.pk}"' not in other.get("/consultations/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"said_on": ""}, "said_on"),
        ({"said_on": "<script>"}, "said_on"),
        ({"said_on": "9" * 5000}, "said_on"),
        ({"said_on": (timezone.localdate() + timedelta(days=3)).isoformat()}, "said_on"),
        ({"said_on": (timezone.localdate() - timedelta(days=30)).isoformat()}, "said_on"),
        ({"channel": ""}, "channel"),
        ({"channel": "telepathy"}, "channel"),
        ({"told_to": ""}, "told_to"),
        ({"told_to": "   "}, "told_to"),
        ({"told_to": "x" * 101}, "told_to"),
        ({"told_to": "a\x00b"}, "told_to"),
        ({"note": "x" * 100_000}, "note"),
    ],
)
def test_it_refuses_a_hostile_withdrawal_statement_and_keeps_the_consent(
    client_for: Any, residents: dict[str, Person], overrides: dict[str, Any], field: str
) -> None:
    elderly = client_for("consultant.elderly")
    _record(elderly, residents["taro"])
    consent = Consent.objects.get()
    response = elderly.post(f"/consent/{consent.pk}/withdraw/", _statement(**overrides))
    assert response.status_code == 400
    assert f'href="#f-{field}"' in response.content.decode()
    assert "<script>" not in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None and consent.in_force()


def test_it_answers_unknown_consents_and_outsiders_without_a_withdrawal(
    client_for: Any, residents: dict[str, Person]
) -> None:
    _record(client_for("consultant.elderly"), residents["taro"])
    consent = Consent.objects.get()
    assert (
        client_for("consultant.elderly").post("/consent/999999/withdraw/", _statement()).status_code
        == 404
    )
    for persona in ("outsider", "consultant.toyosu", "council"):
        assert (
            client_for(persona).post(f"/consent/{consent.pk}/withdraw/", _statement()).status_code
            == 403
        )
        assert client_for(persona).get(f"/consent/{consent.pk}/withdraw/").status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_it_lets_only_a_concerned_agency_mark_a_withdrawal_seen(
    client_for: Any, residents: dict[str, Person]
) -> None:
    from tsunagari.consent.models import WithdrawalSeen

    _record(client_for("consultant.elderly"), residents["taro"])
    consent = Consent.objects.get()
    client_for("consultant.self").post(f"/consent/{consent.pk}/withdraw/", _statement())
    # another agency, an unknown id and an outsider change nothing
    client_for("consultant.toyosu").post(f"/consent/{consent.pk}/withdrawal/seen/")
    client_for("consultant.elderly").post("/consent/999999/withdrawal/seen/")
    assert client_for("outsider").post(f"/consent/{consent.pk}/withdrawal/seen/").status_code == 403
    assert not WithdrawalSeen.objects.exists()
    # the recording agency marks it, twice, and it is kept once
    for _ in range(2):
        client_for("consultant.elderly").post(f"/consent/{consent.pk}/withdrawal/seen/")
    assert WithdrawalSeen.objects.get().agency.code == "lsc-16"
