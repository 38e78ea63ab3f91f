"""The outsider (signed in, no agency, no role) is refused every page and
API call that is not meant for everyone. The lists are built from the URL
configuration and the OpenAPI schema, so a new page is covered the day it
is added."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tsunagari.accounts.models import Role, Staff
from tsunagari.accounts.policy import Action, actions_for, decide

# Pages anyone may open: sign-in/out, language switch, home (which tells an
# outsider they have no role), one's own password and sessions, the residents'
# pages and API docs.
OPEN_PREFIXES = (
    "signin/",
    "signout/",
    "i18n/",
    "public/",
    "api/docs",
    "api/openapi.json",
    "static/",
)
OPEN_EXACT = {"", "password/", "sessions/"}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def staff_pages() -> list[str]:
    pages = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if "<" in route or "(?P" in route or route.startswith("api/"):
            continue  # object pages are covered by each app's own refusal tests
        if route in OPEN_EXACT or route.startswith(OPEN_PREFIXES):
            continue
        pages.append("/" + route.lstrip("^").rstrip("$"))
    return sorted(set(pages))


def _schema() -> dict[str, Any]:
    from tsunagari.api import api

    return api.get_openapi_schema()


_SAMPLE = {"string": "1", "integer": 1, "number": 1, "boolean": False, "array": [], "object": {}}
_FORMATS = {"date": "2026-04-01", "date-time": "2026-04-01T09:00:00+09:00", "email": "a@example.jp"}


def _sample_value(schema: dict[str, Any]) -> Any:
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    return _SAMPLE.get(schema.get("type", "string"), "1")


def plausible_request(method: str, path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Query parameters and a JSON body that pass validation, so that the
    answer shows the permission check, not a validation error."""
    schema = _schema()
    op = schema["paths"][path][method.lower()]
    query = {
        p["name"]: "1" for p in op.get("parameters", []) if p.get("required") and p["in"] == "query"
    }
    body: dict[str, Any] = {}
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if content:
        ref = content["schema"].get("$ref", "")
        component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], content["schema"])
        for name in component.get("required", []):
            body[name] = _sample_value(component["properties"][name])
    return query, body


def api_operations() -> list[tuple[str, str]]:
    schema = _schema()
    ops = []
    for path, methods in schema["paths"].items():
        if "{" in path:
            continue
        for method, op in methods.items():
            if op.get("security") is None and "security" not in op:
                continue  # auth=None: public by design
            if path == "/api/me":
                continue  # only tells the caller who they are; checked below
            ops.append((method.upper(), path))
    return sorted(ops)


def test_it_finds_the_staff_pages_to_check() -> None:
    pages = staff_pages()
    assert "/agencies/" in pages
    assert "/audit/" in pages


@pytest.mark.parametrize("path", staff_pages())
def test_it_refuses_the_outsider_every_staff_page(client_for: Any, path: str) -> None:
    client = client_for("outsider")
    response = client.get(path)
    if response.status_code == 405:  # a form endpoint that only takes POST
        response = client.post(path, {})
    assert response.status_code == 403, f"{path} answered {response.status_code} to the outsider"


@pytest.mark.parametrize("path", staff_pages())
def test_it_sends_anonymous_visitors_to_sign_in(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code in {302, 403}


def test_it_finds_the_api_operations_to_check() -> None:
    ops = api_operations()
    assert ("GET", "/api/agencies") in ops
    assert ("GET", "/api/audit/events") in ops


@pytest.mark.parametrize(("method", "path"), api_operations())
def test_it_refuses_the_outsider_every_api_call(client_for: Any, method: str, path: str) -> None:
    import json
    from urllib.parse import urlencode

    client = client_for("outsider")
    query, body = plausible_request(method, path)
    url = f"{path}?{urlencode(query)}" if query else path
    response = client.generic(method, url, content_type="application/json", data=json.dumps(body))
    assert response.status_code in {401, 403}, f"{method} {path} answered {response.status_code}"


def test_it_tells_the_outsider_only_who_they_are(client_for: Any) -> None:
    data = client_for("outsider").get("/api/me").json()
    assert data["actions"] == []
    assert data["agency"] is None


def test_it_refuses_anonymous_api_calls(db: None) -> None:
    for method, path in api_operations():
        response = Client().generic(method, path)
        assert response.status_code == 401, f"{method} {path}"


def test_it_shows_the_outsider_a_home_that_explains_the_missing_role(client_for: Any) -> None:
    response = client_for("outsider").get("/")
    assert response.status_code == 200
    assert "役割が割り当てられていない" in response.content.decode()


def test_it_keeps_council_members_to_aggregates(personas: dict[str, Staff]) -> None:
    council = personas["council"]
    assert actions_for(council) == {
        Action.VIEW_HOME,
        Action.VIEW_AGGREGATES,
        Action.USE_COUNCIL_WORKSPACE,
        Action.VIEW_DIRECTORY,
        Action.VIEW_PLAN,
    }
    assert not decide(council, Action.VIEW_PERSONAL_DATA).allowed


def test_it_gives_every_role_a_persona(personas: dict[str, Staff]) -> None:
    held = {role for staff in personas.values() for role in staff.roles}
    assert held == set(Role.values)


def test_it_needs_a_designation_for_sealed_addresses(personas: dict[str, Staff]) -> None:
    assert decide(personas["consultant.child"], Action.VIEW_SEALED_CONTACT).allowed
    assert not decide(personas["consultant.elderly"], Action.VIEW_SEALED_CONTACT).allowed


def test_it_refuses_an_inactive_account_everything(personas: dict[str, Staff]) -> None:
    admin = personas["admin"]
    admin.is_active = False
    assert actions_for(admin) == frozenset()


def test_it_lets_supervisors_read_only_their_agencys_staff(client_for: Any) -> None:
    body = client_for("supervisor.elderly").get("/staff/").content.decode()
    assert "consultant.elderly" in body
    assert "consultant.toyosu" not in body
