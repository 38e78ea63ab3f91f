"""The person's story on their page: what happened, as the viewer may see it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.consultations.conftest import intake
from tsunagari.accounts.models import Staff
from tsunagari.consent.services import ConsentInput, record_consent
from tsunagari.consultations.services import accept_referral, save_consultation, send_referral
from tsunagari.people.models import Person
from tsunagari.people.presenter import Purpose, present_person
from tsunagari.people.story import story_of


def _consent(staff: Staff, person: Person, agencies: list[str], categories: list[str]) -> None:
    today = timezone.localdate()
    record_consent(staff, person.pk, ConsentInput(
        form="with", given_on=today.isoformat(), expires_on=(today + timedelta(days=90)).isoformat(),
        agencies=agencies, categories=categories))  # fmt: skip


def test_it_tells_the_story_from_the_actions_events(
    client_for: Any, personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # given Taro's consultation at Kitasuna, his consent and a referral the
    # self-reliance centre accepted
    elderly, self_ = personas["consultant.elderly"], personas["consultant.self"]
    taro = residents["taro"]
    c = save_consultation(elderly, intake(taro), final=True)
    _consent(elderly, taro, ["srs-01"], ["basic", "consultation", "support"])
    referral = send_referral(elderly, c.pk, to_agency="srs-01", summary="生活費の相談")
    accept_referral(self_, referral.pk)
    # when Kitasuna opens his page
    body = client_for("consultant.elderly").get(f"/people/{taro.pk}/").content.decode()
    # then the story lists the consultation, the consent and the referral's steps
    assert "相談の受付" in body and "本人同意の記録" in body
    assert "受け入れ" in body and f"/consultations/{c.pk}/" in body
    # and no text a worker typed
    assert "生活費の相談" not in body and "父の介護" not in body


def test_it_shows_another_agency_only_what_its_consent_opens(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    elderly = personas["consultant.elderly"]
    taro = residents["taro"]
    save_consultation(elderly, intake(taro), final=True)
    # the disability office may see only basic information under Taro's consent
    _consent(elderly, taro, ["dis-02"], ["basic"])
    viewer = personas["consultant.disability"]
    view = present_person(viewer, taro, Purpose.VIEW)
    kinds = {e.kind for e in story_of(viewer, view)}
    assert "consultation.recorded" not in kinds and "consent.given" not in kinds
    # with the support section it sees the consent, still not the consultation
    _consent(elderly, taro, ["dis-02"], ["basic", "support"])
    view = present_person(viewer, taro, Purpose.VIEW)
    kinds = {e.kind for e in story_of(viewer, view)}
    assert "consent.given" in kinds and "consultation.recorded" not in kinds


def test_it_tells_nothing_to_an_agency_that_may_not_see_the_person(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    save_consultation(personas["consultant.elderly"], intake(residents["taro"]), final=True)
    viewer = personas["consultant.toyosu"]
    view = present_person(viewer, residents["taro"], Purpose.VIEW)
    assert story_of(viewer, view) == []


def test_it_links_household_members_only_where_the_viewer_may_open_them(
    client_for: Any, residents: dict[str, Person]
) -> None:
    from tsunagari.people.models import Household, Membership

    home = Household.objects.create(number="H-1", address=residents["taro"].address)
    Membership.objects.create(household=home, person=residents["taro"], relation="世帯主")
    Membership.objects.create(household=home, person=residents["hanako"], relation="同居人")
    body = client_for("consultant.elderly").get(f"/people/{residents['taro'].pk}/").content.decode()
    assert f'href="/people/{residents["hanako"].pk}/"' not in body  # Kitasuna may not open Hanako
    assert "鈴木　花子" in body
    Membership.objects.create(household=home, person=residents["jiro"], relation="兄弟")
    body = client_for("consultant.elderly").get(f"/people/{residents['taro'].pk}/").content.decode()
    assert f'href="/people/{residents["jiro"].pk}/"' in body  # Kitasuna serves Jiro
