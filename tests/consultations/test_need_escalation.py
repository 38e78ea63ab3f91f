"""Escalation without re-typing: the coordinator who picks up a need for
multi-agency work reads the consultation that raised it (on the need's basis)
and records the household's consent from there; nobody else gains anything."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Role, Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.consultations.models import Consultation, Need, NeedKind
from tsunagari.people.access import is_entitled
from tsunagari.people.models import AgencyLink, Household, LinkBasis, Membership, Person

NOTES = "81歳の母と51歳の無職の息子。息子は10年ほど外出していない。"
ADDRESS = "江東区北砂七丁目3番2号 北砂ハイツ101"


@pytest.fixture
def case(personas: dict[str, Staff]) -> dict[str, object]:
    mother = make_person(
        name="高橋　ふみ",
        kana="タカハシ　フミ",
        birth_date="1945-02-10",
        sex="2",
        address=ADDRESS,
        phone="03-3640-9876",
    )
    son = make_person(name="高橋　健二", kana="タカハシ　ケンジ", birth_date="1974-06-01", sex="1",
                      address=ADDRESS, phone="090-5555-6666", sealed=True)  # fmt: skip
    house = Household.objects.create(number="H-8050", address=ADDRESS)
    Membership.objects.create(household=house, person=mother, relation="世帯主")
    Membership.objects.create(household=house, person=son, relation="子")
    srs = Agency.objects.get(code="srs-01")
    AgencyLink.objects.create(person=mother, agency=srs, basis=LinkBasis.CASE)
    consultation = Consultation.objects.create(
        agency=srs, received_by=personas["consultant.self"], person=mother, notes=NOTES,
        outcome="escalation", status="recorded",
    )  # fmt: skip
    need = Need.objects.create(consultation=consultation, person=mother, kind=NeedKind.MULTI_AGENCY,
                               raised_by=personas["consultant.self"], raised_agency=srs)  # fmt: skip
    colleague = Staff.objects.create(username="coordinator.mac2", display_name="協働 二郎",
                                     agency=Agency.objects.get(code="mac-01"),
                                     roles=[Role.COORDINATOR])  # fmt: skip
    return {"mother": mother, "son": son, "consultation": consultation, "need": need,
            "colleague": colleague}  # fmt: skip


def _pick_up(client: Client, need: Need) -> str:
    response = client.post(f"/consultations/needs/{need.pk}/pick-up/")
    assert response.status_code == 302
    return str(response["Location"])


def test_it_takes_the_coordinator_from_the_need_to_its_consultation(
    case: dict[str, object], client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    c: Consultation = case["consultation"]  # type: ignore[assignment]
    client = client_for("coordinator")
    # when the coordinator picks up the need
    location = _pick_up(client, case["need"])  # type: ignore[arg-type]
    # then they land on the consultation that raised it, and read it
    assert location == f"/consultations/{c.pk}/"
    page = client.get(location)
    assert page.status_code == 200
    body = page.content.decode()
    assert NOTES in body and "高橋　ふみ" in body
    # with the way to record the household's consent, and no edit or referral button
    assert f"/consent/new/?person={c.person_id}" in body
    assert f"/consultations/{c.pk}/edit/" not in body
    assert f"/consultations/{c.pk}/refer/" not in body
    # and the view is audited as any view
    assert AuditEvent.objects.filter(actor_id=personas["coordinator"].pk, action="view",
                                     object_type="consultations.consultation",
                                     object_id=str(c.pk)).exists()  # fmt: skip
    # and the needs list links back to it
    assert f"/consultations/{c.pk}/" in client.get("/consultations/needs/").content.decode()


@pytest.mark.parametrize("who", ["colleague", "outreach", "consultant.disability", "coordinator"])
def test_it_shows_the_consultation_to_nobody_else(
    case: dict[str, object],
    client_for: Callable[[str], Client],
    personas: dict[str, Staff],
    who: str,
) -> None:
    c: Consultation = case["consultation"]  # type: ignore[assignment]
    if who == "colleague":
        # given the need was picked up by the coordinator, not their colleague
        _pick_up(client_for("coordinator"), case["need"])  # type: ignore[arg-type]
        client = Client()
        client.force_login(case["colleague"])  # type: ignore[arg-type]
    elif who == "coordinator":
        # the coordinator before picking the need up
        client = client_for("coordinator")
    else:
        _pick_up(client_for("coordinator"), case["need"])  # type: ignore[arg-type]
        client = client_for(who)
    # then the consultation and the consent form for its person are refused
    assert client.get(f"/consultations/{c.pk}/").status_code == 403
    assert client.get(f"/consent/new/?person={c.person_id}").status_code == 403
    assert NOTES.encode() not in client.get(f"/consultations/{c.pk}/").content


def test_it_lets_the_need_basis_read_but_never_change_or_refer(
    case: dict[str, object], client_for: Callable[[str], Client]
) -> None:
    c: Consultation = case["consultation"]  # type: ignore[assignment]
    client = client_for("coordinator")
    _pick_up(client, case["need"])  # type: ignore[arg-type]
    assert client.get(f"/consultations/{c.pk}/edit/").status_code == 403
    assert client.get(f"/consultations/{c.pk}/refer/").status_code == 403
    refused = client.post(f"/consultations/{c.pk}/refer/",
                          {"to_agency": "dis-02", "summary": "つなぎます"})  # fmt: skip
    assert refused.status_code == 403
    saved = client.post("/consultations/save/", {"consultation_id": c.pk, "version": c.version,
                                                 "notes": "書き換え"})  # fmt: skip
    assert saved.status_code == 403
    c.refresh_from_db()
    assert c.notes == NOTES and not c.referrals.exists()


def test_it_records_the_household_consent_from_the_need_without_re_typing(
    case: dict[str, object], client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    mother: Person = case["mother"]  # type: ignore[assignment]
    son: Person = case["son"]  # type: ignore[assignment]
    client = client_for("coordinator")
    _pick_up(client, case["need"])  # type: ignore[arg-type]
    # when the coordinator opens the consent form from the consultation
    form = client.get(f"/consent/new/?person={mother.pk}&consultation={case['consultation'].pk}")  # type: ignore[attr-defined]
    body = form.content.decode()
    # then the household is listed by name; the sealed son's address and phone never show
    assert form.status_code == 200
    assert "高橋　健二" in body
    assert ADDRESS not in body and "090-5555-6666" not in body and "03-3640-9876" not in body
    # when the mother and the son each agree to share with the coordinator's agency
    today = timezone.localdate()
    saved = client.post("/consent/new/", {
        "person": mother.pk, "form": "with", "given_on": today.isoformat(),
        "expires_on": (today + timedelta(days=365)).isoformat(), "agencies": ["mac-01", "srs-01"],
        "categories": ["basic", "consultation", "family"], "members": [son.pk],
        f"agreement-{son.pk}": "self"})  # fmt: skip
    # then both are open to the coordinator's agency, the son too
    assert saved.status_code == 302
    assert is_entitled(personas["coordinator"], mother)
    assert is_entitled(personas["coordinator"], son)


def test_it_refuses_members_outside_the_household_on_the_need_basis(
    case: dict[str, object], client_for: Callable[[str], Client]
) -> None:
    mother: Person = case["mother"]  # type: ignore[assignment]
    stranger = make_person(name="田中　一郎", kana="タナカ　イチロウ", birth_date="1950-01-01",
                           sex="1", address="江東区東砂1-1-1")  # fmt: skip
    client = client_for("coordinator")
    _pick_up(client, case["need"])  # type: ignore[arg-type]
    today = timezone.localdate()
    response = client.post("/consent/new/", {
        "person": mother.pk, "form": "with", "given_on": today.isoformat(),
        "expires_on": (today + timedelta(days=30)).isoformat(), "agencies": ["mac-01"],
        "categories": ["basic"], "members": [stranger.pk], f"agreement-{stranger.pk}": "self"})  # fmt: skip
    assert response.status_code == 400
    assert not AgencyLink.objects.filter(person=stranger).exists()
    assert not AgencyLink.objects.filter(person=mother, basis=LinkBasis.CONSENT).exists()
