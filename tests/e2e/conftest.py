"""End-to-end harness: the real UI in headless Chromium, driven by Playwright, against a live server.

Debian's ``chromium`` is used (Playwright's own browser downloads are not available offline). Without
it the tests are skipped with the reason, unless ``ACCORD_REQUIRE_BROWSER=1`` (CI) makes that a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

from accord.testing.factories import PASSWORD

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    configured = os.environ.get("ACCORD_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        reason = "no Chromium found (install Debian's 'chromium' package or set ACCORD_CHROMIUM)"
        if os.environ.get("ACCORD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"End-to-end tests are required here, but {reason}.")
        pytest.skip(f"End-to-end tests skipped: {reason}.")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop on the test thread; the ORM calls the tests make there
    # are ordinary synchronous ones, so Django's guard against async misuse does not apply. Only while
    # the browser is up: the variable must not leak into other tests (Django refuses it in deployment).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def sign_in(page):
    def do_sign_in(username: str, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Username or e-mail").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return do_sign_in
