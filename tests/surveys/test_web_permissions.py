"""Who may see and do what with surveys: managers import and see rows; others read aggregates."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.surveys import test_web_fixtures as fixtures
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.surveys.models import ResponseImport, Survey

AGGREGATE_PAGES = ["/surveys/", "/surveys/{pk}/", "/surveys/{pk}/questions/", "/surveys/{pk}/report.html", "/surveys/{pk}/report.xlsx", "/surveys/plotly.min.js"]  # fmt: skip
AGGREGATE_API = ["/api/surveys/", "/api/surveys/{pk}/estimates", "/api/surveys/{pk}/national"]
MANAGER_PAGES = ["/surveys/new/", "/surveys/{pk}/import/", "/surveys/{pk}/responses/"]

# The shared fixtures, made visible to pytest in this module.
analysed = fixtures.analysed
media = fixtures.media
planner = fixtures.planner
ward_survey = fixtures.ward_survey


def _get(client: Client, url: str, survey: Survey) -> int:
    return client.get(url.format(pk=survey.pk)).status_code


def test_it_refuses_the_outsider_everything(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given someone signed in with no role
    client = client_for("outsider")
    # when they open any survey page or endpoint
    # then they are refused
    for url in AGGREGATE_PAGES + AGGREGATE_API + MANAGER_PAGES:
        assert _get(client, url, analysed) == 403, url


@pytest.mark.parametrize("who", ["council", "community", "planner", "consultant.elderly"])
def test_it_shows_aggregates_to_those_who_read_them(
    client_for: Callable[[str], Client], analysed: Survey, who: str
) -> None:
    # given a council member, community staff, a planner or a front-line consultant
    client = client_for(who)
    # when they open an aggregate page
    # then it is shown
    for url in AGGREGATE_PAGES + AGGREGATE_API:
        assert _get(client, url, analysed) == 200, url


@pytest.mark.parametrize("who", ["council", "community", "consultant.elderly", "coordinator"])
def test_it_refuses_row_level_and_import_pages_to_everyone_but_survey_managers(
    client_for: Callable[[str], Client], analysed: Survey, who: str
) -> None:
    # given anyone without MANAGE_SURVEYS (the council member among them)
    client = client_for(who)
    # when they open the responses, the import or the new-survey page
    # then they are refused
    for url in MANAGER_PAGES:
        assert _get(client, url, analysed) == 403, url


@pytest.mark.parametrize("who", ["planner", "admin"])
def test_it_lets_planners_and_administrators_import(
    client_for: Callable[[str], Client], ward_survey: Survey, who: str
) -> None:
    # given a planner or an administrator
    client = client_for(who)
    # when they upload a responses file
    data = b"respondent_id,age,sex,town,direct,ucla1,ucla2,ucla3\nA,34,1,\xe8\xb1\x8a\xe6\xb4\xb2,1,1,1,1\n"
    response = client.post(
        f"/surveys/{ward_survey.pk}/import/", {"file": SimpleUploadedFile("r.csv", data)}
    )
    # then the mapping step starts
    assert response.status_code == 302
    assert ResponseImport.objects.filter(survey=ward_survey).count() == 1


@pytest.mark.parametrize("who", ["council", "community", "outsider"])
def test_it_refuses_uploads_and_runs_to_others(
    client_for: Callable[[str], Client], ward_survey: Survey, personas: dict[str, Staff], who: str
) -> None:
    # given an import waiting for its run
    from tsunagari.surveys import services

    data = b"respondent_id,age,sex,town,direct,ucla1,ucla2,ucla3\nA,34,1,x,1,1,1,1\n"
    job = services.upload_responses(
        personas["planner"], ward_survey, SimpleUploadedFile("r.csv", data)
    )
    client = client_for(who)
    # when someone else tries to upload, map, run, discard or reweight
    urls = [f"/surveys/{ward_survey.pk}/import/", f"/surveys/imports/{job.pk}/", f"/surveys/imports/{job.pk}/run/", f"/surveys/imports/{job.pk}/discard/", f"/surveys/{ward_survey.pk}/weighting/"]  # fmt: skip
    # then every attempt is refused
    for url in urls:
        assert client.post(url, {"file": SimpleUploadedFile("r.csv", data)}).status_code == 403, url


def test_it_never_sends_row_level_responses_to_a_council_member(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given respondent ids that would show if rows leaked
    client = client_for("council")
    # when the council member reads every page, export and endpoint they may
    bodies = [
        client.get(u.format(pk=analysed.pk)).content.decode(errors="ignore")
        for u in AGGREGATE_PAGES[:4] + AGGREGATE_API
    ]
    # then no respondent id appears anywhere (as a word: a random CSRF token
    # or an asset's hash may well contain the letters "W1")
    ids = re.compile(r"(?<![0-9A-Za-z])(?:R0\d*|W[123])(?![0-9A-Za-z])")
    assert not [ids.search(b).group() for b in bodies if ids.search(b)]


def test_it_audits_every_look_at_row_level_responses(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given a planner
    # when they open the responses list
    client_for("planner").get(f"/surveys/{analysed.pk}/responses/")
    # then the look is in the audit log
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="surveys.survey", actor_username="planner"
    ).exists()


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, analysed: Survey) -> None:
    # given nobody signed in
    # when they open the results
    response = client.get(f"/surveys/{analysed.pk}/")
    # then they are sent to sign in
    assert response.status_code == 302 and "/signin/" in response["Location"]


def test_it_refuses_the_api_to_the_outsider_with_a_reason(
    client_for: Callable[[str], Client], analysed: Survey
) -> None:
    # given the outsider
    # when they call the estimates endpoint
    response = client_for("outsider").get(f"/api/surveys/{analysed.pk}/estimates")
    # then the refusal says why
    assert response.status_code == 403
    assert "権限" in response.json()["detail"]
