from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import resolve

from tsunagari.lib import views

PLOTLY_URLS = ["/consultations/plotly.min.js", "/surveys/plotly.min.js"]


@pytest.mark.parametrize("url", PLOTLY_URLS)
def test_it_serves_the_plotly_bundle_from_one_view(url: str, client_for: Any) -> None:
    # given a council member, who may see aggregates
    client = client_for("council")
    # when
    response = client.get(url)
    # then
    assert resolve(url).func is views.plotly_js
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"".join(response.streaming_content)[:200] == views.PLOTLY_JS.read_bytes()[:200]


@pytest.mark.parametrize("url", PLOTLY_URLS)
def test_it_refuses_the_plotly_bundle_to_those_without_aggregates(
    url: str, client_for: Any
) -> None:
    assert client_for("outsider").get(url).status_code == 403


@pytest.mark.parametrize("url", PLOTLY_URLS)
def test_it_sends_anonymous_visitors_to_sign_in(url: str, client: Any) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/")


def test_it_refuses_other_methods(client_for: Any) -> None:
    assert client_for("council").post(PLOTLY_URLS[0]).status_code == 405


def test_it_names_the_fix_when_the_bundle_is_missing(
    client_for: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(views, "PLOTLY_JS", tmp_path / "plotly.min.js")
    response = client_for("council").get(PLOTLY_URLS[1])
    assert response.status_code == 403
    assert "reinstall plotly" in response.content.decode()
