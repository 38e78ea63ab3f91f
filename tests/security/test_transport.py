"""Transport (ASVS 9.1.1, 14.4.5, 1.9.2): in production plain HTTP is redirected
to HTTPS and HSTS covers subdomains, while a browser on the server itself keeps
plain http://127.0.0.1 working; a database on another machine is reached only
over verified TLS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tsunagari.accounts.models import Staff
from tsunagari.accounts.personas import DEMO_PASSWORD


@pytest.fixture
def production_transport(settings: Any) -> Any:
    """The transport settings production mode turns on (read in test_sessions)."""
    settings.ALLOWED_HOSTS = ["ward.example", "127.0.0.1", "localhost", "[::1]"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


@pytest.mark.parametrize("path", ["/signin/", "/", "/api/health", "/consultations/new/?x=1"])
def test_plain_http_from_the_network_is_redirected_to_https(
    production_transport: Any, path: str, db: None
) -> None:
    response = Client(REMOTE_ADDR="10.1.2.3").get(path, HTTP_HOST="ward.example")
    assert response.status_code == 301
    assert response["Location"] == f"https://ward.example{path}"


def test_plain_http_through_the_proxy_is_redirected_too(
    production_transport: Any, db: None
) -> None:
    # the proxy on the same machine forwards a plain-HTTP request: not "from this machine"
    response = Client().get(
        "/signin/",
        HTTP_HOST="127.0.0.1",
        HTTP_X_FORWARDED_PROTO="http",
        HTTP_X_FORWARDED_FOR="10.1.2.3",
    )
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_https_through_the_proxy_is_served_with_hsts_for_subdomains(
    production_transport: Any, db: None
) -> None:
    response = Client(REMOTE_ADDR="127.0.0.1").get(
        "/signin/", HTTP_HOST="ward.example", HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_a_browser_on_the_server_itself_signs_in_over_plain_http(
    production_transport: Any, personas: dict[str, Staff], host: str
) -> None:
    client = Client(REMOTE_ADDR="127.0.0.1" if "[" not in host else "::1")
    assert client.get("/signin/", HTTP_HOST=host).status_code == 200
    response = client.post(
        "/signin/",
        {"username": "consultant.elderly", "password": DEMO_PASSWORD},
        HTTP_HOST=host,
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://")
    assert client.get("/", HTTP_HOST=host).status_code == 200


def test_a_loopback_host_name_from_the_network_is_still_redirected(
    production_transport: Any, db: None
) -> None:
    # someone on the network naming 127.0.0.1 as the host gets no clear-text page
    response = Client(REMOTE_ADDR="10.1.2.3").get("/signin/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 301


def _production_settings(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    env.update(
        TSUNAGARI_DATA_DIR=str(tmp_path),
        TSUNAGARI_MODE="production",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="ward.example",
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="tsunagari.settings",
    )
    return subprocess.run(
        [sys.executable, "-c", "from tsunagari import settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "url",
    [
        "postgres://ward:pw@db.ward.example:5432/tsunagari",
        "postgres://ward:pw@10.0.0.5/tsunagari?sslmode=require",
        "postgres://ward:pw@db.ward.example/tsunagari?sslmode=verify-ca",
    ],
)
def test_production_refuses_a_remote_database_without_verified_tls(
    tmp_path: Path, url: str
) -> None:
    # ASVS 1.9.2: the database's certificate and name are checked, or nothing starts
    result = _production_settings(tmp_path, url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "sslmode=verify-full" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgres://ward:pw@db.ward.example/tsunagari?sslmode=verify-full",
        "postgres://ward:pw@localhost/tsunagari",
        "postgres://ward:pw@%2Fvar%2Frun%2Fpostgresql/tsunagari",
    ],
)
def test_production_accepts_verified_tls_or_a_database_on_this_machine(
    tmp_path: Path, url: str
) -> None:
    result = _production_settings(tmp_path, url)
    assert result.returncode == 0, result.stderr


def test_production_passes_djangos_deployment_check(tmp_path: Path) -> None:
    # ASVS 1.14.4: `check --deploy` finds nothing to warn about in production mode
    # The test run's own switches are not the deployment's: the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for this process, which the check rightly refuses.
    own = {"DEBUG", "DATABASE_URL", "SSL_REDIRECT", "HSTS_SECONDS", "SECURE_COOKIES",
           "DJANGO_ALLOW_ASYNC_UNSAFE"}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in own}
    env.update(
        TSUNAGARI_DATA_DIR=str(tmp_path),
        TSUNAGARI_MODE="production",
        SECRET_KEY="a-long-random-production-secret-Zq8r!x0-kP3-mV7-tN2-bW9-yL4-hJ6",
        ALLOWED_HOSTS="ward.example",
        BEHIND_TLS_PROXY="1",
        DJANGO_SETTINGS_MODULE="tsunagari.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
