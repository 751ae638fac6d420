"""The agreement journey in a real browser: a coordinator drafts an agreement, the partner's
coordinator approves it, the coordinator amends it, the partner sees its approval outdated and
approves again."""

import pytest
from playwright.sync_api import expect

from accord.accounts.choices import Role
from accord.agreements.models import Agreement
from accord.testing.factories import make_organisation, make_partnership, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting():
    home = make_organisation(name="Aurora University", schac_code="aurora.example.edu", country_code="PL")
    partner = make_organisation(
        name="Universidad del Turia", schac_code="turia.example.es", country_code="ES"
    )
    partnership = make_partnership(home, partner, title="Aurora–Turia exchange")
    make_user("coordinator", organisation=home, role=Role.COORDINATOR)
    make_user("turia", organisation=partner, role=Role.COORDINATOR)
    return partnership


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_draft_approve_amend_reapprove(page, sign_in, setting, assert_accessible):
    sign_in("coordinator")
    page.goto(f"/agreements/new/?partnership={setting.pk}")
    page.get_by_label("Title").fill("Staff training exchange")
    page.get_by_label("Universidad del Turia").check()
    assert_accessible(page, context="new agreement form")
    page.get_by_role("button", name="Draft version 1").click()
    expect(page.get_by_role("heading", name="Version 1")).to_be_visible()
    assert_accessible(page, context="agreement page, version 1")

    # The first condition, added in place through htmx.
    page.get_by_role("link", name="Add a condition").click()
    form = page.locator("#condition-new")
    form.get_by_label("Mobility type").select_option("staff_training")
    form.get_by_label("Sending partner").select_option(label="Aurora University")
    form.get_by_label("Receiving partner").select_option(label="Universidad del Turia")
    form.get_by_label("First academic year").fill("2026/2027")
    form.get_by_label("Last academic year").fill("2028/2029")
    form.get_by_label("Mobilities per year").fill("1")
    form.get_by_label("Total days per year").fill("5")
    assert_accessible(page, context="condition form swapped in by htmx")
    form.get_by_role("button", name="Save condition").click()
    expect(page.get_by_role("heading", name="Version 2")).to_be_visible()

    page.get_by_role("button", name="Share version 2 with the partners").click()
    expect(page.get_by_text("(shared with the partners)")).to_be_visible()
    first_hash = page.locator(".conditions-hash").inner_text()
    agreement = Agreement.objects.get()
    sign_out(page)

    sign_in("turia")
    page.goto(f"/agreements/{agreement.pk}/")
    expect(page.locator(".conditions-hash")).to_have_text(first_hash)
    page.get_by_role("button", name="Approve version 2 for Universidad del Turia").click()
    expect(page.get_by_text("In effect").first).to_be_visible()
    assert_accessible(page, context="agreement approved, as the partner")
    sign_out(page)

    # The coordinator amends: one more place a year is a new version.
    sign_in("coordinator")
    page.goto(f"/agreements/{agreement.pk}/")
    page.get_by_role("link", name="Edit condition 1").click()
    page.get_by_label("Mobilities per year").fill("2")
    page.get_by_role("button", name="Save condition").click()
    expect(page.get_by_role("heading", name="Version 3")).to_be_visible()
    expect(page.get_by_text("amendment pending")).to_be_visible()
    assert_accessible(page, context="agreement with an amendment pending")
    page.get_by_role("button", name="Share version 3 with the partners").click()
    expect(page.get_by_text("(shared with the partners)")).to_be_visible()
    sign_out(page)

    sign_in("turia")
    page.goto(f"/agreements/{agreement.pk}/")
    expect(page.locator(".approval-outdated")).to_have_text("outdated")
    expect(page.locator(".conditions-hash")).not_to_have_text(first_hash)
    page.get_by_role("button", name="Approve version 3 for Universidad del Turia").click()
    expect(page.locator(".approval-outdated")).to_have_count(0)
    expect(page.get_by_text("amendment pending")).to_have_count(0)
    assert_accessible(page, context="agreement approved again")

    agreement.refresh_from_db()
    assert agreement.approved_version.number == 3
