from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from django.urls import resolve, reverse

from tsunagari.lib import views

PLOTLY_URLS = ["/consultations/plotly.min.js", "/surveys/plotly.min.js"]


def hashed_url() -> str:
    return reverse("chart_library")


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
    assert response.content == views.PLOTLY_JS.read_bytes()


def test_it_names_the_content_hash_in_the_url() -> None:
    # given the bundle inside the plotly package
    digest = views.plotly_digest()
    # when the URL pages link is built
    url = hashed_url()
    # then it carries the hash, and the same view answers it
    assert len(digest) == 16
    assert url == f"/charts/plotly.{digest}.min.js"
    assert resolve(url).func is views.plotly_js


def test_it_sends_the_bundle_gzipped_and_cacheable_for_a_year(client_for: Any) -> None:
    # given a browser that accepts gzip only
    client = client_for("council")
    # when
    response = client.get(hashed_url(), headers={"Accept-Encoding": "gzip, deflate"})
    # then
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"] == f'"{views.plotly_digest()}-gzip"'
    assert int(response["Content-Length"]) == len(response.content)
    assert len(response.content) < views.PLOTLY_JS.stat().st_size / 2
    assert gzip.decompress(response.content) == views.PLOTLY_JS.read_bytes()


@pytest.mark.skipif(views.brotli is None, reason="brotli is not installed")
def test_it_prefers_brotli_when_the_browser_accepts_it(client_for: Any) -> None:
    # given a browser that accepts brotli and gzip
    client = client_for("council")
    # when
    response = client.get(hashed_url(), headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    # then
    assert views.brotli is not None
    assert response["Content-Encoding"] == "br"
    assert views.brotli.decompress(response.content) == views.PLOTLY_JS.read_bytes()


@pytest.mark.parametrize("header", ["", "identity", "gzip;q=0, br;q=0", "gzip;q=nonsense"])
def test_it_sends_the_bundle_plain_to_browsers_that_refuse_compression(
    header: str, client_for: Any
) -> None:
    # when
    response = client_for("council").get(hashed_url(), headers={"Accept-Encoding": header})
    # then
    assert "Content-Encoding" not in response
    assert response.content == views.PLOTLY_JS.read_bytes()


def test_it_survives_a_huge_accept_encoding_header(client_for: Any) -> None:
    # given a hostile header of 100,000 characters
    header = "x-junk;q=1, " * 8_000 + "gzip"
    # when
    response = client_for("council").get(hashed_url(), headers={"Accept-Encoding": header})
    # then it is read only as far as is sensible, and the bundle still goes out
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_it_answers_not_modified_when_the_browser_has_the_bundle(client_for: Any) -> None:
    # given a browser holding the gzipped bundle
    client = client_for("council")
    first = client.get(hashed_url(), headers={"Accept-Encoding": "gzip"})
    # when it revalidates
    again = client.get(
        hashed_url(), headers={"Accept-Encoding": "gzip", "If-None-Match": first["ETag"]}
    )
    # then
    assert again.status_code == 304
    assert again.content == b""


def test_it_does_not_let_browsers_keep_the_unhashed_url(client_for: Any) -> None:
    # when the old URL is fetched
    response = client_for("council").get(PLOTLY_URLS[1], headers={"Accept-Encoding": "gzip"})
    # then it is compressed but revalidated each time, since its content may change
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "no-store"
    assert "ETag" in response


def test_it_does_not_answer_a_stale_or_forged_hash(client_for: Any) -> None:
    client = client_for("council")
    assert client.get("/charts/plotly.0000000000000000.min.js").status_code == 404
    assert client.get("/charts/plotly.../../etc/passwd.min.js").status_code == 404


@pytest.mark.parametrize("url", [*PLOTLY_URLS, "hashed"])
def test_it_refuses_the_plotly_bundle_to_those_without_aggregates(
    url: str, client_for: Any
) -> None:
    url = hashed_url() if url == "hashed" else url
    assert client_for("outsider").get(url).status_code == 403


@pytest.mark.parametrize("url", [*PLOTLY_URLS, "hashed"])
def test_it_sends_anonymous_visitors_to_sign_in(url: str, client: Any) -> None:
    url = hashed_url() if url == "hashed" else url
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/")


def test_it_refuses_other_methods(client_for: Any) -> None:
    assert client_for("council").post(PLOTLY_URLS[0]).status_code == 405
    assert client_for("council").post(hashed_url()).status_code == 405


def test_it_names_the_fix_when_the_bundle_is_missing(
    client_for: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(views, "PLOTLY_JS", tmp_path / "plotly.min.js")
    response = client_for("council").get(PLOTLY_URLS[1])
    assert response.status_code == 403
    assert "reinstall plotly" in response.content.decode()
    assert views.plotly_digest() == "missing"


def test_it_links_the_hashed_bundle_from_a_page_with_a_chart(client_for: Any) -> None:
    # when a page that draws a chart is shown
    html = client_for("council").get("/consultations/loop/").content.decode()
    # then it loads the bundle by its hashed URL
    assert f'<script src="{hashed_url()}" defer></script>' in html


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("council", "/"),
        ("council", "/surveys/"),
        ("council", "/council/"),
        ("planner", "/surveys/new/"),
        ("consultant.elderly", "/consultations/"),
    ],
)
def test_it_does_not_load_the_bundle_on_pages_without_charts(
    persona: str, url: str, client_for: Any
) -> None:
    # when a page without a chart is shown (no survey analysed yet: no trend chart)
    response = client_for(persona).get(url, follow=True)
    # then the 4.8 MB library is not referenced
    assert response.status_code == 200
    assert "plotly" not in response.content.decode()
