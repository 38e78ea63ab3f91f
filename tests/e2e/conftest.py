"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium),
against the app served by pytest-django's live server. Never a browser
download: the tests fail with a clear message if Chromium is missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by fixtures in the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TSUNAGARI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package (scripts/test does)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ja-JP", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized window (iPhone SE-like)."""
    context = browser.new_context(
        locale="ja-JP",
        base_url=live_server.url,
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def personas(transactional_db: None) -> Any:
    """Personas committed for real, so the live server's thread sees them."""
    from tsunagari.accounts.personas import ensure_personas

    return ensure_personas()


@pytest.fixture
def sign_in(personas: Any) -> Callable[[Any, str], None]:
    from tsunagari.accounts.personas import DEMO_PASSWORD

    def do(page: Any, username: str) -> None:
        page.goto("/signin/")
        page.get_by_label("ユーザー名").fill(username)
        page.get_by_label("パスワード").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="サインイン").click()
        page.wait_for_url("**/")

    return do


@pytest.fixture
def axe_check() -> Callable[[Any], list[dict[str, Any]]]:
    """Run axe-core on the page; return serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    axe = Axe()

    def run(page: Any) -> list[dict[str, Any]]:
        # A click on a link returns once the navigation has started, not once the
        # next page has loaded: axe then reads a document that is being replaced.
        # Wait for the page to finish loading, and if the document is swapped under
        # axe all the same, run it again on the page that arrived.
        page.wait_for_load_state("load")
        try:
            results = axe.run(page)
        except PlaywrightError as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state("load")
            results = axe.run(page)
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in results.response["violations"]
            if v.get("impact") in {"serious", "critical"}
        ]

    return run
