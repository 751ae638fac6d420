"""A newcomer signs in, sees what is due on their home page, and acts on it: the partner coordinator
finds the nominations waiting for their decision, follows the count to exactly those, accepts one, and
the count on the home page goes down; the same in French, and the page is checked right to left too."""

import re

import pytest
from playwright.sync_api import expect

from accord.exchanges import services as exchanges
from accord.exchanges.tests.conftest import agreement_in_effect, call_fields
from accord.exchanges.tests.test_services import apply
from accord.testing.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)
TO_DECIDE = 'a[href="/exchanges/nominations/?to_decide=1"]'


def _two_nominations(personas):
    """Two of home's students allocated and nominated to the partner, who has not decided yet."""
    agreement_in_effect(personas)
    call = exchanges.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    exchanges.places_generate(actor=personas.coordinator, call=call)
    call = exchanges.call_open(actor=personas.coordinator, call=call)
    place = call.places.get(receiving_organisation=personas.partner_org)
    for student in (personas.student, make_user("ana", organisation=personas.home, role="student")):
        application = apply(student, call, [place])
        exchanges.review_save(actor=personas.teacher, application=application, score=4)
    exchanges.call_close(actor=personas.coordinator, call=call)
    run = exchanges.allocation_run(actor=personas.coordinator, call=call)
    exchanges.run_publish(actor=personas.coordinator, run=run)


def test_a_partner_signs_in_sees_nominations_to_decide_and_acts_on_them(page, personas, assert_accessible):
    _two_nominations(personas)
    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail").fill("partner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/dashboard/$"))
    expect(page.get_by_role("heading", name="What needs you now")).to_be_visible()
    expect(page.locator(TO_DECIDE)).to_have_text("2 nominations to decide")
    assert_accessible(page, context="home page with nominations to decide")

    page.locator(TO_DECIDE).click()
    expect(page.get_by_text("Showing the nominations waiting for your decision.")).to_be_visible()
    expect(page.get_by_role("button", name="Accept")).to_have_count(2)
    assert_accessible(page, context="nominations to decide")
    page.get_by_role("button", name="Accept").first.click()
    expect(page.get_by_role("button", name="Accept")).to_have_count(1)
    page.get_by_role("link", name="Accord").first.click()
    expect(page.locator(TO_DECIDE)).to_have_text("1 nomination to decide")

    # In French, with the footer's switcher: the same count, followed and acted on.
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(TO_DECIDE)).to_have_count(1)
    assert_accessible(page, context="home page in French")
    page.locator(TO_DECIDE).click()
    page.get_by_role("button", name="Accepter").click()
    expect(page.get_by_role("button", name="Accepter")).to_have_count(0)
    page.goto("/accounts/dashboard/")
    expect(page).to_have_title("Mon tableau de bord · Accord")
    expect(page.locator(TO_DECIDE)).to_have_count(0)

    # Right to left, in Arabic: the home page with nothing left to decide is as accessible.
    page.get_by_label("Langue").select_option("ar")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page, context="home page in Arabic")
