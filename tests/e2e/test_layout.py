"""The layout on a phone and on a laptop, with the demo data a newcomer sees after ``make run``: at
390 px no key page scrolls sideways (long hashes and identifiers wrap, wide tables scroll in their own
box) and the navigation folds into a menu; at 1280 px the header is one line. Both are checked with axe."""

import pytest
from playwright.sync_api import expect

from accord.accounts.models import User
from accord.agreements.models import Agreement
from accord.demo.data import DEMO_PASSWORD
from accord.demo.exchange import AGREEMENT_TITLE
from accord.demo.seed import seed_demo
from accord.exchanges.models import Call
from accord.mobilities.models import Mobility
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
# One line of Pico's nav is 117 px high (the links' padding around one line of text); two are 180 px.
ONE_LINE_HEADER_PX = 125

# The innermost elements that reach past the right edge, to say what to fix when a page is too wide.
TOO_WIDE = """[...document.querySelectorAll("body *")]
  .filter((e) => e.checkVisibility() && e.getBoundingClientRect().right > innerWidth + 1
    && ![...e.children].some((c) => c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 5)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent || "").trim().slice(0, 40)}`)"""


@pytest.fixture
def key_pages() -> dict[str, str]:
    seed_demo()
    coordinator = User.objects.get(username="demo-coordinator")
    home = coordinator.memberships.get().organisation
    # The demo's agreement has an amendment in progress: two versions, both hashes on its page.
    agreement = Agreement.objects.get(title=AGREEMENT_TITLE)
    assert agreement.versions.count() == 2
    return {
        "home": "/",
        "directory": "/organisations/",
        "organisation": f"/organisations/{home.pk}/",
        "partnership": f"/partnerships/{Partnership.objects.filter(members__organisation=home).first().pk}/",
        "agreement": f"/agreements/{agreement.pk}/",
        "call": f"/exchanges/calls/{Call.objects.filter(owner=home).first().pk}/",
        "mobility": f"/mobilities/{Mobility.objects.filter(sending_organisation=home).first().pk}/",
    }


def test_key_pages_fit_a_phone_and_the_header_fits_one_line_on_a_laptop(
    page, sign_in, assert_accessible, key_pages
):
    sign_in("demo-coordinator", DEMO_PASSWORD)

    page.set_viewport_size(PHONE)
    for name, url in key_pages.items():
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        too_wide = page.evaluate(TOO_WIDE) if width > PHONE["width"] else []
        assert width <= PHONE["width"], f"the {name} page ({url}) is {width} px wide on a phone: {too_wide}"
        assert_accessible(page, context=f"{name} page at 390 px")

    # On the phone the links wait behind a menu button, which opens from the keyboard.
    menu = page.locator(".site-menu > summary")
    directory_link = page.locator(".site-links").get_by_role("link", name="Directory")
    expect(menu).to_be_visible()
    expect(directory_link).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(directory_link).to_be_visible()
    # The last check left the dark colour scheme for the light one on this same page: let Pico's
    # colour transitions end before colours are measured again.
    page.wait_for_timeout(500)
    assert_accessible(page, context="open menu at 390 px")
    directory_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisations/")

    page.set_viewport_size(LAPTOP)
    for name, url in key_pages.items():
        page.goto(url)
        expect(menu).to_be_hidden()
        expect(directory_link).to_be_visible()
        height = page.locator(".site-header").evaluate("header => header.getBoundingClientRect().height")
        assert height <= ONE_LINE_HEADER_PX, f"the header of the {name} page is {height} px high at 1280 px"
        assert_accessible(page, context=f"{name} page at 1280 px")
