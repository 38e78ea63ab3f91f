"""ASVS 8.3.1: a person look-up's query (names, birth dates, phone numbers)
travels in the request body, never in the address, so it reaches neither
the browser history nor an access log nor the next page's Referer."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.people.lookup import SEARCH_EVENT
from tsunagari.people.models import Person

pytestmark = pytest.mark.django_db


def _searches(page: str) -> list[str]:
    """Each tag that sends the look-up: the form and the search box."""
    return re.findall(r"<(?:form|input)[^>]*(?:search|person-q|name=\"q\")[^>]*>", page)


@pytest.mark.parametrize(
    ("username", "path"),
    [("consultant.elderly", "/people/"), ("consultant.elderly", "/consultations/new/")],
)
def test_the_look_up_pages_post_their_query_and_push_no_address(
    client_for: Any, residents: dict[str, Person], username: str, path: str
) -> None:
    page = client_for(username).get(path).content.decode()
    assert "hx-push-url" not in page.split('id="person-q"')[1].split(">")[0]
    box = re.search(r'<input[^>]*id="person-q"[^>]*>', page)
    assert box is not None
    assert "hx-post=" in box.group(0) and "hx-get=" not in box.group(0)
    if path == "/people/":
        assert '<form method="post" role="search"' in page


def test_a_posted_look_up_finds_the_person_and_is_audited(
    client_for: Any, residents: dict[str, Person]
) -> None:
    before = AuditEvent.objects.filter(object_type=SEARCH_EVENT, action=AuditAction.VIEW).count()
    response = client_for("consultant.elderly").post(
        "/people/", {"q": "やまだ たろう S23.3.5"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "山田" in body and "カナ一致・生年月日一致" in body
    assert (
        AuditEvent.objects.filter(object_type=SEARCH_EVENT, action=AuditAction.VIEW).count()
        == before + 1
    )


def test_the_intake_look_up_answers_a_post(client_for: Any, residents: dict[str, Person]) -> None:
    response = client_for("consultant.elderly").post(
        "/consultations/lookup/", {"q": "やまだ たろう S23.3.5"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "山田" in response.content.decode()


def test_a_posted_look_up_without_the_csrf_token_is_refused(
    client_for: Any, residents: dict[str, Person]
) -> None:
    client = client_for("consultant.elderly")
    client.handler.enforce_csrf_checks = True
    assert client.post("/people/", {"q": "やまだ たろう"}).status_code == 403


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "ヤマダ " * 500, '<script>alert("x")</script>', "'; DROP TABLE people_person; --"],
)
def test_a_posted_look_up_survives_empty_huge_and_hostile_input(
    client_for: Any, residents: dict[str, Person], typed: str
) -> None:
    client = client_for("consultant.elderly")
    for path in ("/people/", "/consultations/lookup/"):
        response = client.post(path, {"q": typed}, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert response.status_code == 200, (path, typed[:20])
        assert "<script>alert" not in body
    # The register is untouched and the query, if kept, is at most 200 characters.
    assert Person.objects.filter(pk=residents["taro"].pk).exists()
    shown = client.post("/people/", {"q": "ヤマダ " * 500}).content.decode()
    assert "ヤマダ " * 51 not in shown  # 204 characters: cut at 200
