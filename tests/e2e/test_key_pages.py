"""Every key page of issue 19, with the demo data a newcomer sees after ``make run``, in English and
in Arabic (right to left): axe-core finds no violation on any of them, including forms showing their
errors, and each is saved as a screenshot at 1280 and 390 px (``var/screenshots/``, which ``.ci/run``
reports) so that a change of look can be seen. Then a keyboard-only start: the first Tab reaches the
skip link, which is visible, and Enter moves focus to the page's content; focus stays visible.

One test walks all the pages, because seeding and the browser are the slow parts on a 2-core CI."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from accord.accounts.models import User
from accord.agreements.models import Agreement, PartnerCopy
from accord.demo.data import DEMO_PASSWORD
from accord.demo.portfolio.calls import ALLOCATED
from accord.demo.seed import seed_demo
from accord.exchanges.models import Call
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import Mobility
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("ACCORD_SCREENSHOTS", settings.BASE_DIR / "var" / "screenshots"))


def _key_pages() -> dict[str, str]:
    coordinator = User.objects.get(username="demo-coordinator")
    home = coordinator.memberships.get().organisation
    amended = Agreement.objects.get(title="Aurora–Table Bay student exchange")
    versions = list(amended.versions.order_by("number").values_list("number", flat=True))
    call = Call.objects.get(owner=home, title=ALLOCATED)
    application = call.applications.order_by("pk").first()
    recognised = Mobility.objects.filter(sending_organisation=home, status=MobilityStatus.RECOGNISED).first()
    changing = Mobility.objects.filter(
        sending_organisation=home, learning_agreement__approved_version__isnull=False, status="la_approved"
    ).first()
    partnership = Partnership.objects.get(title="Aurora–Savanna Capacity Building in Data Science")
    copy = PartnerCopy.objects.get(agreement__owner=home)
    return {
        "home": "/accounts/dashboard/",
        "directory": "/organisations/",
        "organisation": f"/organisations/{home.pk}/",
        "partnership": f"/partnerships/{partnership.pk}/",
        "agreement": f"/agreements/{amended.pk}/",
        "agreement-versions": f"/agreements/{amended.pk}/versions/",
        "agreement-diff": f"/agreements/{amended.pk}/diff/?old={versions[0]}&new={versions[-1]}",
        "partner-copy": f"/agreements/{copy.agreement_id}/copies/{copy.organisation_id}/",
        "call": f"/exchanges/calls/{call.pk}/",
        "application": f"/exchanges/applications/{application.pk}/",
        "allocation": f"/exchanges/calls/{call.pk}/allocation/",
        "mobility": f"/mobilities/{recognised.pk}/",
        "learning-agreement": f"/mobilities/{changing.pk}/versions/",
        "transcript": f"/mobilities/{recognised.pk}/transcript/",
        "partnership-form-errors": "/partnerships/new/",
        "call-form-errors": "/exchanges/calls/new/",
    }


def _submit_empty(page) -> None:
    """Send the page's main form without the browser's own checks, so the server's errors show."""
    page.evaluate("document.querySelectorAll('main form').forEach((form) => form.noValidate = true)")
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_load_state()


def _walk(page, pages: dict[str, str], language: str, assert_accessible) -> list[str]:
    failures = []
    for name, url in pages.items():
        page.set_viewport_size(LAPTOP)
        page.goto(url)
        if name.endswith("form-errors"):
            _submit_empty(page)
            assert page.locator("[aria-invalid=true]").count(), f"{name}: no field marked invalid"
        try:
            assert_accessible(page, context=f"{name} ({language})")
        except AssertionError as error:
            failures.append(str(error))
        page.screenshot(path=SCREENSHOTS / f"{name}-{language}-1280.png", full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=SCREENSHOTS / f"{name}-{language}-390.png", full_page=True)
    return failures


def test_every_key_page_passes_axe_in_english_and_arabic_and_is_photographed(
    page, sign_in, assert_accessible
):
    seed_demo()
    pages = _key_pages()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in("demo-coordinator", DEMO_PASSWORD)
    failures = _walk(page, pages, "en", assert_accessible)
    User.objects.filter(username="demo-coordinator").update(language="ar")
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    failures += _walk(page, pages, "ar", assert_accessible)
    assert not failures, "\n\n".join(failures)


def test_a_keyboard_user_skips_to_the_content_and_always_sees_where_focus_is(page, sign_in, personas):
    sign_in("coordinator")
    page.goto("/accounts/dashboard/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("class") == "skip-link"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["width"] > 20, "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(4):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                return {tag: document.activeElement.tagName, outline: s.outlineStyle, width: s.outlineWidth,
                        shadow: s.boxShadow}; }"""
        )
        visible = (focused["outline"] != "none" and focused["width"] != "0px") or focused["shadow"] != "none"
        assert visible, f"focus is not visible on a {focused['tag']}: {focused}"
    # No trap: Tab goes on through the page to the language switcher in the footer.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('footer')"):
            break
    else:
        raise AssertionError("Tab never reached the footer: focus is trapped or lost on the way")


# Records, in the session's storage (it outlives the page), how long after the click the button
# said it was busy: the page cannot be read while its navigation is held.
WATCH_BUSY = """(button) => {
  const clicked = Date.now();
  new MutationObserver(() => {
    if (button.getAttribute("aria-busy") === "true") {
      sessionStorage.setItem("busy-after", Date.now() - clicked);
    }
  }).observe(button, {attributes: true});
}"""


def test_an_action_that_takes_over_a_second_shows_that_it_is_working(page, sign_in, personas):
    sign_in("coordinator")
    held = []
    page.route("**/accounts/logout/", lambda route: held.append(route))  # waits until the test lets it go
    button = page.get_by_role("button", name="Sign out")
    button.evaluate(WATCH_BUSY)
    button.click(no_wait_after=True)
    page.wait_for_timeout(1500)
    assert held, "the sign-out request was not held"
    held[0].continue_()
    page.wait_for_url(lambda url: "/dashboard/" not in url)
    page.wait_for_load_state()
    busy_after = page.evaluate("sessionStorage.getItem('busy-after')")
    assert busy_after is not None and 1000 <= int(busy_after) < 1500, busy_after
