"""Staff who chose English read the consultation, consent, survey and council
messages in English: pages through the language cookie, services under
``translation.override``. Japanese stays the default."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from tests.consultations.conftest import consent, consultation  # noqa: F401  (fixtures)
from tests.council.conftest import actions, media, meeting, members  # noqa: F401  (fixtures)
from tests.people.conftest import residents  # noqa: F401  (fixture)
from tests.surveys.test_web_fixtures import planner, ward_survey  # noqa: F401  (fixtures)
from tsunagari.accounts.models import Staff
from tsunagari.consultations.models import Consultation, Referral
from tsunagari.consultations.services import ReferralError, decline_referral, send_referral
from tsunagari.council.models import ActionItem
from tsunagari.people.models import Person
from tsunagari.surveys.models import Survey


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def _consent_form(person: Person, **overrides: str) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "person": person.pk,
        "form": "with",
        "given_on": today.isoformat(),
        "expires_on": (today + timedelta(days=365)).isoformat(),
        "agencies": ["srs-01"],
        "categories": ["basic", "consultation"],
    }
    data.update(overrides)
    return data


# ── consent ────────────────────────────────────────────────────────────────


def test_it_confirms_a_recorded_consent_in_english(
    client_for: Callable[[str], Client],
    residents: dict[str, Person],  # noqa: F811
) -> None:
    # given a consultant who chose English
    client = _english(client_for("consultant.elderly"))
    taro = residents["taro"]
    # when they record Taro's consent
    response = client.post(f"/consent/new/?person={taro.pk}", _consent_form(taro), follow=True)
    # then the confirmation is in English
    body = response.content.decode()
    assert "Consent recorded." in body
    assert "同意を記録しました。" not in body


def test_it_explains_consent_form_errors_in_english_and_japanese(
    client_for: Callable[[str], Client],
    residents: dict[str, Person],  # noqa: F811
) -> None:
    # given a consent typed without an expiry date and with an unreadable date of consent
    taro = residents["taro"]
    data = _consent_form(taro, expires_on="", given_on="昭和")
    url = f"/consent/new/?person={taro.pk}"
    # when a consultant who chose English sends it, and one who did not
    english = _english(client_for("consultant.elderly")).post(url, data).content.decode()
    japanese = client_for("consultant.elderly").post(url, data).content.decode()
    # then each reads what to fix in their language, the date parser's reason included
    assert "Please enter an expiry date (at most 3 years)." in english
    assert "有効期限を入力してください（最長3年）。" in japanese
    assert "有効期限を入力してください" not in english
    assert "is not a date: write it like" in english
    assert "は日付として読めません" in japanese


# ── consultations ──────────────────────────────────────────────────────────


def test_it_refuses_a_referral_without_consent_in_english(
    client_for: Callable[[str], Client],
    consultation: Consultation,  # noqa: F811
) -> None:
    # given a consultation about a person who has not consented to sharing
    client = _english(client_for("consultant.elderly"))
    # when the consultant (in English) tries to refer them
    response = client.post(
        f"/consultations/{consultation.pk}/refer/", {"to_agency": "srs-01", "summary": "summary"}
    )
    # then the refusal says why, in English, naming the agency
    body = response.content.decode()
    assert response.status_code == 400
    assert "Cannot refer: there is no consent from the person" in body
    assert Referral.objects.count() == 0


def test_it_names_the_referral_action_in_english(
    personas: dict[str, Staff],
    consultation: Consultation,  # noqa: F811
    consent: Any,  # noqa: F811
) -> None:
    # given a referral sent to the self-reliance centre
    sender = personas["consultant.elderly"]
    referral = send_referral(sender, consultation.pk, to_agency="srs-01", summary="要約")
    # when the sender, in English, tries to decline its own referral
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        decline_referral(sender, referral.pk, reason="no")
    # then the message names the action as a verb ("referral action"), not a status
    assert str(refused.value) == "Only the receiving agency can “decline”."
    # and a second send says the referral is in progress, in English
    with translation.override("en"), pytest.raises(ReferralError) as again:
        send_referral(sender, consultation.pk, to_agency="srs-01", summary="要約")
    assert "is already in progress" in str(again.value)


def test_it_tells_the_visitors_relation_from_the_household_relation() -> None:
    # given the two fields whose Japanese label is 続柄
    from tsunagari.people.models import Membership

    visitor = Consultation._meta.get_field("visitor_relation")
    household = Membership._meta.get_field("relation")
    # then English keeps them apart, Japanese does not need to
    with translation.override("en"):
        assert str(visitor.verbose_name) == "Relation to the person"
        assert str(household.verbose_name) == "Relation to the head of household"
    with translation.override("ja"):
        assert str(visitor.verbose_name) == str(household.verbose_name) == "続柄"


# ── surveys ────────────────────────────────────────────────────────────────


def test_it_refuses_a_binary_responses_file_in_english(
    client_for: Callable[[str], Client],
    ward_survey: Survey,  # noqa: F811
) -> None:
    # given a planner who chose English
    client = _english(client_for("planner"))
    # when they upload a file that is not text
    response = client.post(
        f"/surveys/{ward_survey.pk}/import/",
        {"file": SimpleUploadedFile("responses.csv", b"\x00\x01\x02binary")},
    )
    # then the page says, in English, what is wrong and how to save the file
    body = response.content.decode()
    assert response.status_code == 400
    assert "This is not a text CSV file (it contains binary data)." in body


def test_it_lists_import_problems_in_english(
    client_for: Callable[[str], Client],
    ward_survey: Survey,  # noqa: F811
) -> None:
    # given an uploaded file with one duplicated respondent id
    client = _english(client_for("planner"))
    data = (
        "回答者番号,年齢,性別,町名,問1,ucla1,ucla2,ucla3\n"
        "A1,34,女,亀戸,5,4,4,3\n"
        "A1,71,1,大島,2,1,1,1\n"
    ).encode()
    client.post(f"/surveys/{ward_survey.pk}/import/", {"file": SimpleUploadedFile("r.csv", data)})
    job = ward_survey.imports.get()
    mapping = {f"map_{k}": v for k, v in job.mapping.items()}
    # when the planner checks it with the proposed mapping, which misses 問1
    first = client.post(f"/surveys/imports/{job.pk}/", mapping).content.decode()
    # then the mapping error is in English
    assert "Choose the column for “Loneliness (direct question)”." in first
    # and when they map 問1 and check again
    second = client.post(
        f"/surveys/imports/{job.pk}/", {**mapping, "map_direct": "問1"}
    ).content.decode()
    # then the row problem and the file-row column are in English
    assert "Duplicate respondent ID (first seen on row 2)." in second
    assert '<th scope="col">Row</th>' in second


# ── council ────────────────────────────────────────────────────────────────


def test_it_counts_the_councils_members_and_overdue_actions_in_english(
    client_for: Callable[[str], Client],
    actions: dict[str, ActionItem],  # noqa: F811
) -> None:
    # given three member organisations and one overdue action
    # when a member who chose English opens the workspace and its meetings
    home = _english(client_for("council")).get("/council/").content.decode()
    documents = _english(client_for("council")).get("/council/documents/").content.decode()
    # then the counts are words of English with the right plural
    assert "3 organisations" in home
    assert "1 action" in home and "1 actions" not in home
    # and a column for one meeting is not the list heading "Meetings"
    assert '<th scope="col">Meeting</th>' in documents


def test_it_confirms_a_completed_action_in_english(
    client_for: Callable[[str], Client],
    actions: dict[str, ActionItem],  # noqa: F811
    media: Path,  # noqa: F811
) -> None:
    # given the NPO's overdue action and the council persona at the NPO, in English
    client = _english(client_for("council"))
    item = actions["overdue"]
    # when they mark it done
    body = client.post(f"/council/actions/{item.pk}/done/", follow=True).content.decode()
    # then the confirmation is in English and quotes the action
    assert f"“{item.title}” marked as done." in body
