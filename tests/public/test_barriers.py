"""Residents report a barrier without signing in and look up its status by
the reference: clear messages for bad input in their own variant, a
honeypot and a rate limit, and never the contact on the status page."""

from __future__ import annotations

from django.test import Client

from tsunagari.barriers.models import BarrierReport
from tsunagari.barriers.services import RATE_LIMIT, change_barrier_status, public_places

STREET = {
    "where": "street",
    "town": "北砂",
    "description": "歩道の段差で車いすが通れません。",
    "contact": "hanako@example.jp",
    "location_id": "",
}


def test_it_takes_a_report_and_shows_its_reference_and_status(
    client: Client, directory: int
) -> None:
    form = client.get("/public/baria/")
    assert form.status_code == 200 and 'name="website"' in form.content.decode()
    response = client.post("/public/baria/", STREET)
    assert response.status_code == 302
    report = BarrierReport.objects.get()
    assert report.reference in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert report.reference in page and "受け付けました" in page
    assert "hanako" not in page


def test_it_offers_the_place_of_a_place_page_and_never_a_shelter(
    client: Client, directory: int
) -> None:
    place = public_places().first()
    assert place is not None
    body = client.get(f"/public/baria/?place={place.id}").content.decode()
    assert f'value="{place.id}" selected' in body
    from tsunagari.resources.models import Location

    shelter = Location.objects.filter(x_confidential=True).first()
    assert shelter is not None and shelter.id not in body


def test_it_says_what_to_fix_in_the_residents_variant(client: Client, db: None) -> None:
    bad = STREET | {"town": "", "description": "x", "contact": "<script>"}
    ja = client.post("/public/baria/", bad)
    assert ja.status_code == 400
    text = ja.content.decode()
    assert "町名を一覧から選んでください" in text and "5文字以上" in text
    assert "&lt;script&gt;" in text and "<script>" not in text.split("<main")[1]
    easy = client.post("/public/baria/?yasashii=1", bad).content.decode()
    assert "ちょうめいを えらんで ください" in easy
    en = client.post("/public/baria/?lang=en", bad).content.decode()
    assert "Choose the town from the list." in en
    assert not BarrierReport.objects.exists()


def test_it_refuses_a_huge_body_with_a_clear_message(client: Client, db: None) -> None:
    response = client.post("/public/baria/", STREET | {"description": "段" * 30000})
    assert response.status_code == 413
    assert "2000文字" in response.content.decode()
    assert not BarrierReport.objects.exists()


def test_it_drops_what_a_bot_fills_in_the_hidden_field(client: Client, db: None) -> None:
    response = client.post("/public/baria/", STREET | {"website": "http://spam.example"})
    assert response.status_code == 400
    assert not BarrierReport.objects.exists()


def test_it_holds_back_a_sender_after_too_many_reports(client: Client, db: None) -> None:
    for _i in range(RATE_LIMIT):
        assert client.post("/public/baria/", STREET).status_code == 302
    response = client.post("/public/baria/", STREET)
    assert response.status_code == 429
    assert "1時間ほど" in response.content.decode()
    assert BarrierReport.objects.count() == RATE_LIMIT


def test_it_shows_status_and_answer_but_not_the_contact_or_notes(
    client: Client, personas: dict[str, object], db: None
) -> None:
    client.post("/public/baria/", STREET)
    report = BarrierReport.objects.get()
    change_barrier_status(
        report.pk, "not_actionable", actor=personas["community"],  # type: ignore[arg-type]
        expected_status="received", public_answer="私有地のため対応できません。", note="内部メモ",
    )  # fmt: skip
    page = client.get("/public/baria/jokyo/", {"ref": report.reference}).content.decode()
    assert "対応できませんでした" in page and "私有地のため対応できません。" in page
    assert "hanako" not in page and "内部メモ" not in page
    missing = client.get("/public/baria/jokyo/", {"ref": "BR-ZZZZZZ"})
    assert missing.status_code == 404 and "見つかりませんでした" in missing.content.decode()
