"""End-to-end harness: the real UI in headless Chromium, driven by Playwright, against a live server.

Debian's ``chromium`` is used (Playwright's own browser downloads are not available offline). Without
it the tests are skipped with the reason, unless ``ACCORD_REQUIRE_BROWSER=1`` (CI) makes that a failure.

Accessibility: every page a journey reaches is checked with axe-core 4.14.1 (vendored in ``vendor/``,
see its README; nothing is fetched at test time). Ask for the ``assert_accessible`` fixture and call it
wherever a page, or a fragment htmx swapped in, has settled, before the test moves on::

    def test_something(page, sign_in, assert_accessible):
        sign_in("coordinator")
        page.goto("/agreements/")
        assert_accessible(page, context="agreement list")

The check fails the test on any violation of axe's WCAG 2.0 and 2.1 level A and AA rules and of its
best-practice rules (landmarks, heading order, empty table headers, ...), whatever axe's impact,
minor to critical: a WCAG A/AA rule broken is a conformance failure, not a matter of degree, and the
pages pass all of them today, so any violation is a regression. Colour contrast is checked in the
light and in the dark colour scheme (the site follows the visitor's), with the pointer moved away and
motion reduced so that colours are measured at rest.

The message lists, per rule, its id, impact, help text and link, and the CSS selectors of the
offending elements; ``context`` names the page in it. ``exclude=["#selector"]`` leaves out markup
the project does not own (say why beside the call); there is no switch to lower the bar.
"""

import json
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


AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The rules whose outcome depends on the colour scheme; only they are run again in dark mode.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def format_violations(context: str, url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility rule(s) violated on {context} ({url}):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            # axe's summary opens with "Fix any/all of the following:"; the reasons follow, one a line.
            reasons = [line.strip() for line in (node.get("failureSummary") or "").splitlines()[1:]]
            lines.append(f"    at {json.dumps(node['target'])}: {'; '.join(reasons)}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(axe_source):
    def run_axe(page, exclude: list[str], run_only: dict) -> list[dict]:
        return page.evaluate(
            """([exclude, runOnly]) => window.axe.run(
                exclude.length ? {exclude: exclude.map((selector) => [selector])} : document,
                {runOnly, resultTypes: ["violations"]},
            ).then((results) => results.violations)""",
            [exclude, run_only],
        )

    def check(page, *, context: str, exclude: list[str] | None = None) -> None:
        page.wait_for_load_state()
        # Colours are measured as they are at rest: no transition half-way (Pico honours reduced
        # motion) and no hover left over from the pointer that clicked the last button.
        page.emulate_media(reduced_motion="reduce")
        page.mouse.move(0, 0)
        # A transition already running (the hover or focus just left) is not cut short by the reduced
        # motion setting: wait until each has ended, or axe measures a colour half-way. Only transitions:
        # a progress bar's or a busy button's animation runs for ever.
        page.evaluate(
            """() => Promise.race([
                Promise.all(document.getAnimations()
                    .filter((animation) => animation instanceof CSSTransition)
                    .map((animation) => animation.finished.catch(() => null))),
                new Promise((resolve) => setTimeout(resolve, 2000)),
            ])"""
        )
        # Evaluated through the DevTools protocol, which a Content-Security-Policy does not restrict.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        violations = run_axe(page, exclude or [], {"type": "tag", "values": AXE_TAGS})
        page.emulate_media(color_scheme="dark")
        violations += [
            {**violation, "id": f"{violation['id']} (dark colour scheme)"}
            for violation in run_axe(page, exclude or [], {"type": "rule", "values": COLOUR_RULES})
        ]
        page.emulate_media(color_scheme="light", reduced_motion="no-preference")
        if violations:
            # Raised, not asserted: pytest would append the whole result list to the message.
            raise AssertionError(format_violations(context, page.url, violations))

    return check
