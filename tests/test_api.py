from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from tsunagari.accounts.models import ApiToken, Staff


def test_it_accepts_a_bearer_token(personas: dict[str, Staff]) -> None:
    _token, raw = ApiToken.issue(personas["consultant.elderly"], "test")
    response = Client().get("/api/agencies", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert any(a["code"] == "lsc-16" for a in response.json())


def test_it_stores_only_a_digest_of_the_token(personas: dict[str, Staff]) -> None:
    token, raw = ApiToken.issue(personas["planner"], "test")
    assert raw not in token.digest
    assert ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).exists()


def test_it_refuses_revoked_expired_and_forged_tokens(personas: dict[str, Staff]) -> None:
    revoked, raw_revoked = ApiToken.issue(personas["planner"], "old")
    revoked.revoked = timezone.now()
    revoked.save()
    _expired, raw_expired = ApiToken.issue(
        personas["planner"], "x", timezone.now() - timedelta(days=1)
    )
    for raw in (raw_revoked, raw_expired, "tsg_forged", "x" * 5000):
        response = Client().get("/api/agencies", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 401


def test_it_applies_the_same_policy_as_the_pages(personas: dict[str, Staff]) -> None:
    _t, raw = ApiToken.issue(personas["council"], "council")
    response = Client().get("/api/audit/events", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403
    assert "権限" in response.json()["detail"]


def test_it_publishes_openapi_docs_served_locally(db: None) -> None:
    docs = Client().get("/api/docs")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    # every script and stylesheet comes from this site (no CDN)
    assert re.findall(r'(?:src|href)="(?:https?:)?//', body) == []
    schema = Client().get("/api/openapi.json").json()
    assert "/api/agencies" in schema["paths"]


def test_it_answers_health_without_sign_in(db: None) -> None:
    assert Client().get("/api/health").json()["status"] == "ok"


def test_it_pages_the_audit_events(client_for: Any) -> None:
    response = client_for("admin").get("/api/audit/events?limit=2&offset=0")
    assert response.status_code == 200
    assert set(response.json()) == {"items", "count"}


def test_it_verifies_the_audit_log_through_the_api(client_for: Any) -> None:
    response = client_for("admin").post("/api/audit/verify", content_type="application/json")
    assert response.status_code == 200
    assert response.json()["ok"] is True
