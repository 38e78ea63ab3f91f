from __future__ import annotations

from typing import Any

from tsunagari.people.models import Person


def test_it_searches_through_the_api_with_reasons(
    client_for: Any, residents: dict[str, Person]
) -> None:
    data = (
        client_for("consultant.elderly")
        .get("/api/people/search", {"q": "ヤマダ タロウ S23.3.5"})
        .json()
    )
    assert data["matches"][0]["person"]["id"] == residents["taro"].pk
    assert data["matches"][0]["reasons"] == ["カナ一致", "生年月日一致"]


def test_it_refuses_another_agency_a_person_through_the_api(
    client_for: Any, residents: dict[str, Person]
) -> None:
    response = client_for("consultant.toyosu").get(f"/api/people/{residents['taro'].pk}")
    assert response.status_code == 403
    assert "山田" not in response.content.decode()


def test_it_creates_and_updates_with_version_checks(
    client_for: Any, residents: dict[str, Person]
) -> None:
    client = client_for("consultant.disability")
    created = client.post(
        "/api/people?confirm_new=false",
        {
            "name": "木村 拓",
            "kana": "キムラ タク",
            "birth_date": "H2.4.1",
            "sex": "1",
            "address": "亀戸2-1-1",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    person = created.json()["created"]
    payload = {
        "name": "木村 拓",
        "kana": "キムラ タク",
        "birth_date": "1990-04-01",
        "sex": "1",
        "address": "亀戸2-1-2",
    }
    ok = client.put(
        f"/api/people/{person['id']}",
        {**payload, "version": person["version"]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == person["version"] + 1
    stale = client.put(
        f"/api/people/{person['id']}",
        {**payload, "version": person["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_it_names_each_bad_field_in_the_api(client_for: Any, residents: dict[str, Person]) -> None:
    response = client_for("consultant.disability").post(
        "/api/people",
        {"name": "x", "birth_date": "2月30日", "sex": "?"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"birth_date", "sex"}
