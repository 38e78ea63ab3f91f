"""Cross-site request forgery (ASVS 4.2.2, 13.2.3), CORS (14.5.3), the
headers every response carries (14.4) and what an error shows (7.4.1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tsunagari.accounts import tokens
from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.consultations.models import Consultation


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("internal detail: /srv/tsunagari/secret_key 0xDEADBEEF")


# The site's own URLs plus one view that fails, for the error-page test.
urlpatterns = [path("boom/", _boom), path("", include("tsunagari.urls"))]


def _csrf_client(staff: Staff | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if staff is not None:
        client.force_login(staff)
    return client


def test_sign_in_without_a_csrf_token_is_refused(personas: dict[str, Staff]) -> None:
    response = _csrf_client().post(
        "/signin/", {"username": "consultant.elderly", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_sign_out_without_a_csrf_token_is_refused(personas: dict[str, Staff]) -> None:
    client = _csrf_client(personas["planner"])
    assert client.post("/signout/").status_code == 403
    assert client.get("/").status_code == 200  # still signed in


def test_a_form_that_writes_personal_data_refuses_a_forged_post(
    personas: dict[str, Staff],
) -> None:
    client = _csrf_client(personas["consultant.elderly"])
    response = client.post(
        "/consultations/save/",
        {"received_on": "2026-11-02", "channel": "phone", "service": "elderly", "notes": "x"},
    )
    assert response.status_code == 403
    assert Consultation.objects.count() == 0


def test_a_form_accepts_the_post_with_its_token(personas: dict[str, Staff]) -> None:
    # the same client passes once it sends the token of its own page: the refusal is the CSRF check
    client = _csrf_client()
    page = client.get("/signin/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/signin/",
        {"username": "planner", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_the_api_with_a_session_cookie_needs_the_csrf_token(personas: dict[str, Staff]) -> None:
    client = _csrf_client(personas["admin"])
    assert client.post("/api/audit/verify").status_code == 403
    assert client.get("/api/me").status_code == 200  # reads need none


def test_the_api_with_a_bearer_token_needs_no_cookie_and_no_csrf_token(
    personas: dict[str, Staff],
) -> None:
    issued = tokens.issue_token(None, "admin", "監査の確認", days=1)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/audit/verify", HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/me", "/api/agencies", "/api/health"])
def test_the_api_allows_no_other_origin(client_for: Any, path: str) -> None:
    client = client_for("consultant.elderly")
    answer = client.get(path, HTTP_ORIGIN="https://evil.example")
    preflight = client.options(
        path, HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    for response in (answer, preflight):
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("path", ["/signin/", "/public/", "/api/health", "/no-such-page/"])
def test_every_response_carries_the_security_headers(db: None, path: str) -> None:
    response = Client().get(path, follow=False)
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "charset=utf-8" in response["Content-Type"].lower()


def test_an_authenticated_api_answer_is_not_cached(client_for: Any) -> None:
    assert client_for("consultant.elderly").get("/api/me")["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/me", "/api/health", "/api/openapi.json"])
def test_api_json_answers_are_attachments_and_pages_are_not(client_for: Any, path: str) -> None:
    # a JSON answer opened in a browser tab is downloaded, never rendered (ASVS 14.4.2)
    response = client_for("consultant.elderly").get(path)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="api.json"'
    # pages, including the API's own documentation page, are shown as usual
    assert "Content-Disposition" not in client_for("consultant.elderly").get("/")
    docs = client_for("consultant.elderly").get("/api/docs")
    assert docs["Content-Type"].startswith("text/html") and "Content-Disposition" not in docs


@pytest.mark.urls(__name__)
def test_an_unexpected_error_shows_a_generic_page_without_details(db: None) -> None:
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "問題が発生しました" in body
    assert "internal detail" not in body and "Traceback" not in body and "secret_key" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/media/",
        "/static/",
        "/.git/config",
        "/static/../settings.py",
        "/static/css/",
        "/settings.py",
        "/secret_key",
    ],
)
def test_no_folder_listing_and_no_source_or_data_file_is_served(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code in {302, 404}
    assert b"SECRET_KEY" not in response.content and b"Index of" not in response.content
