from __future__ import annotations

from typing import Any

import pytest

from tsunagari.accounts.personas import PERSONAS


@pytest.mark.parametrize("username", [p.username for p in PERSONAS])
def test_it_shows_each_persona_a_home_page(client_for: Any, username: str) -> None:
    response = client_for(username).get("/")
    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()


def test_it_shows_a_role_its_work(client_for: Any) -> None:
    body = client_for("admin").get("/").content.decode()
    assert "監査ログの検証" in body
    assert 'href="/audit/"' in body


@pytest.mark.parametrize("username", [p.username for p in PERSONAS])
def test_every_home_card_link_opens_for_its_persona(client_for: Any, username: str) -> None:
    # A card's page must not answer 403: a role alone is not enough where the
    # page also needs a designation.
    import re

    client = client_for(username)
    body = client.get("/").content.decode()
    cards = re.findall(r'<h3><a href="([^"]+)"', body)
    for url in cards:
        # (a page may send its user on to their own part of it, e.g. their agency)
        assert client.get(url, follow=True).status_code == 200, (username, url)


def test_it_leaves_out_the_candidates_card_without_the_designation(
    client_for: Any, personas: Any
) -> None:
    coordinator = personas["coordinator"]
    assert 'href="/linkage/candidates/"' in client_for("coordinator").get("/").content.decode()
    coordinator.flag_access = False
    coordinator.save()
    body = client_for("coordinator").get("/").content.decode()
    assert 'href="/linkage/candidates/"' not in body
    assert "多機関協働・アウトリーチへの依頼" in body  # the rest of the role's work stays


def test_it_sends_security_headers_and_a_strict_csp(client_for: Any) -> None:
    response = client_for("planner").get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]


def test_it_loads_nothing_from_other_sites(client_for: Any) -> None:
    body = client_for("planner").get("/").content.decode()
    assert "http://" not in body.replace("http://testserver", "")
    assert "https://" not in body


def test_it_switches_the_interface_to_english(client_for: Any) -> None:
    client = client_for("planner")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
    assert "Sign out" in body


def test_it_lists_agencies_to_front_line_staff(client_for: Any) -> None:
    body = client_for("consultant.elderly").get("/agencies/").content.decode()
    assert "長寿サポートセンター北砂" in body


def test_it_stays_japanese_whatever_the_browser_asks_for(client_for: Any) -> None:
    body = client_for("planner").get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="ja"' in body
