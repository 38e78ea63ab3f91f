"""Consent withdrawal is honoured at once: pages, API, referrals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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
    response = elderly.post(f"/consent/{consent.pk}/withdraw/", {"note": "本人から電話で撤回"})
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
