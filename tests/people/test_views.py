from __future__ import annotations

from typing import Any

import pytest

from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.people.models import Person, PersonChange


def test_it_shows_a_person_to_an_agency_that_serves_them(
    client_for: Any, residents: dict[str, Person]
) -> None:
    response = client_for("consultant.elderly").get(f"/people/{residents['taro'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "山田" in body and "北砂三丁目12番5号" in body
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, person_id=str(residents["taro"].pk)
    ).exists()


def test_it_refuses_another_agency_and_says_whom_to_contact(
    client_for: Any, residents: dict[str, Person]
) -> None:
    response = client_for("consultant.toyosu").get(f"/people/{residents['taro'].pk}/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "区に記録のある方です" in body and "福祉部 福祉課" in body
    assert "長寿サポートセンター北砂" not in body  # who supports him is not told
    assert "山田" not in body and "北砂三丁目" not in body
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, person_id=str(residents["taro"].pk)
    ).exists()


@pytest.mark.parametrize("username", ["outsider", "council", "planner", "community"])
def test_it_refuses_roles_without_personal_data_access(
    client_for: Any, residents: dict[str, Person], username: str
) -> None:
    client = client_for(username)
    for path in (f"/people/{residents['taro'].pk}/", f"/people/{residents['taro'].pk}/export.csv",
                 f"/people/{residents['taro'].pk}/edit/", "/people/?q=ヤマダ", "/people/new/"):  # fmt: skip
        assert client.get(path).status_code == 403, (username, path)


SEALED_FRAGMENTS = ("東雲", "805", "080-3333-4444", "08033334444")


def test_it_hides_a_sealed_address_on_the_page_export_and_search(
    client_for: Any, residents: dict[str, Person]
) -> None:
    client = client_for("consultant.self")
    pk = residents["megumi"].pk
    for path in (
        f"/people/{pk}/",
        f"/people/{pk}/export.csv",
        "/people/?q=サトウ+メグミ+1985-07-01",
        f"/people/{pk}/edit/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        for fragment in SEALED_FRAGMENTS:
            assert fragment not in body, (path, fragment)


def test_it_hides_a_sealed_address_in_the_api(
    client_for: Any, residents: dict[str, Person]
) -> None:
    client = client_for("consultant.self")
    pk = residents["megumi"].pk
    for path in (f"/api/people/{pk}", "/api/people/search?q=サトウ%20メグミ%201985-07-01"):
        body = client.get(path).content.decode()
        for fragment in SEALED_FRAGMENTS:
            assert fragment not in body, (path, fragment)


def test_it_shows_a_sealed_address_to_designated_staff(
    client_for: Any, residents: dict[str, Person]
) -> None:
    body = client_for("consultant.child").get(f"/people/{residents['megumi'].pk}/").content.decode()
    assert "東雲1-9-40" in body


def test_it_audits_exports_and_neutralises_formulas(
    client_for: Any, residents: dict[str, Person]
) -> None:
    taro = residents["taro"]
    Person.objects.filter(pk=taro.pk).update(address='=HYPERLINK("http://x")')
    response = client_for("consultant.elderly").get(f"/people/{taro.pk}/export.csv")
    assert response.status_code == 200
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, person_id=str(taro.pk)).exists()


def test_it_searches_as_you_type_with_htmx(client_for: Any, residents: dict[str, Person]) -> None:
    response = client_for("consultant.elderly").get(
        "/people/?q=やまだ+たろう+S23.3.5", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "山田" in body and "カナ一致・生年月日一致" in body


def test_it_warns_of_a_likely_duplicate_before_creating(
    client_for: Any, residents: dict[str, Person]
) -> None:
    client = client_for("consultant.elderly")
    data = {
        "name": "山田 太郎",
        "kana": "やまだ たろう",
        "birth_date": "S23.3.5",
        "sex": "male",
        "address": "北砂3-12-5",
    }
    response = client.post("/people/new/", data)
    assert response.status_code == 200
    assert "似た方がすでに登録されています" in response.content.decode()
    assert Person.objects.filter(kana_key="ヤマダタロウ").count() == 1
    response = client.post("/people/new/", {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(kana_key="ヤマダタロウ").count() == 2


def test_it_says_what_to_fix_on_bad_input(client_for: Any, residents: dict[str, Person]) -> None:
    response = client_for("consultant.elderly").post(
        "/people/new/",
        {"name": "", "kana": "Yamada", "birth_date": "昭和65年1月1日", "phone": "12"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "昭和" in body  # the era message explains the range
    assert Person.objects.count() == 4


def test_it_keeps_both_texts_when_two_consultants_edit_at_once(
    client_for: Any, residents: dict[str, Person]
) -> None:
    taro = residents["taro"]
    base = {"name": "山田　太郎", "kana": "ヤマダ　タロウ", "birth_date": "1948-03-05", "sex": "male",
            "address": "北砂3-12-5", "phone": "03-3640-1234", "version": taro.version}  # fmt: skip
    first = client_for("consultant.elderly").post(
        f"/people/{taro.pk}/edit/", {**base, "phone": "03-3640-9999"}
    )
    assert first.status_code == 302
    second = client_for("supervisor.elderly")
    response = second.post(f"/people/{taro.pk}/edit/", {**base, "address": "北砂4-1-1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "別の職員がこの方の情報を保存しました" in body
    assert "北砂4-1-1" in body and "03-3640-9999" in body  # mine kept in the form, theirs shown
    taro.refresh_from_db()
    assert taro.phone == "03-3640-9999" and taro.address == "北砂3-12-5"


def test_it_records_a_move_as_history(client_for: Any, residents: dict[str, Person]) -> None:
    taro = residents["taro"]
    data = {"name": "山田　太郎", "kana": "ヤマダ　タロウ", "birth_date": "1948-03-05", "sex": "male",
            "address": "豊洲5-6-1", "phone": "03-3640-1234", "resident_id": "1000000011", "version": taro.version}  # fmt: skip
    assert (
        client_for("consultant.elderly").post(f"/people/{taro.pk}/edit/", data).status_code == 302
    )
    change = PersonChange.objects.get(person=taro)
    assert (change.kind, change.new_value) == ("move", "豊洲5-6-1")


def test_it_does_not_let_an_undesignated_consultant_unseal(
    client_for: Any, residents: dict[str, Person]
) -> None:
    megumi = residents["megumi"]
    data = {
        "name": "佐藤　恵",
        "kana": "サトウ　メグミ",
        "birth_date": "1985-07-01",
        "sex": "female",
        "version": megumi.version,
    }
    response = client_for("consultant.self").post(f"/people/{megumi.pk}/edit/", data)
    assert response.status_code == 200
    megumi.refresh_from_db()
    assert megumi.sealed and megumi.address.startswith("江東区東雲")


def test_it_offers_the_departments_panel_to_those_entitled(
    client_for: Any, residents: dict[str, Person]
) -> None:
    taro = residents["taro"]
    page = client_for("consultant.elderly").get(f"/people/{taro.pk}/").content.decode()
    assert f"/linkage/people/{taro.pk}/departments/" in page
    assert (
        client_for("consultant.elderly").get(f"/linkage/people/{taro.pk}/departments/").status_code
        == 200
    )
    assert (
        client_for("consultant.toyosu").get(f"/linkage/people/{taro.pk}/departments/").status_code
        == 403
    )


def test_the_person_page_leads_participation_staff_to_the_profile(
    client_for: Any, residents: dict[str, Person], personas: dict[str, Any]
) -> None:
    taro = residents["taro"]
    link = f"/participation/people/{taro.pk}/"
    # a consultant (no participation work) gets no link
    assert link not in client_for("consultant.elderly").get(f"/people/{taro.pk}/").content.decode()
    # the participation worker of an agency serving him does
    from tsunagari.people.models import AgencyLink, LinkBasis

    AgencyLink.objects.create(
        person=taro, agency=personas["participation"].agency, basis=LinkBasis.SERVICE
    )
    body = client_for("participation").get(f"/people/{taro.pk}/").content.decode()
    assert link in body and "参加支援（希望と参加先）" in body
