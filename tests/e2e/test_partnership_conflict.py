"""Two coordinators edit the same objective at once (issue 23): the second is not saved over the first
but sees both versions, and keeps hers."""

import pytest
from playwright.sync_api import Page, expect

from accord.accounts.choices import Role
from accord.partnerships import services
from accord.partnerships.models import Objective
from accord.testing.factories import PASSWORD, make_partnership, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(page: Page, username: str) -> Page:
    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def _open_the_objective_form(page: Page, partnership_pk: int) -> None:
    page.goto(f"/partnerships/{partnership_pk}/")
    page.get_by_role("link", name="Edit Balanced mobility").click()
    expect(page.get_by_label("Objective", exact=True)).to_have_value("Balanced mobility")


def test_two_coordinators_edit_the_same_objective_and_the_second_keeps_hers(
    browser, live_server, page, personas, assert_accessible
):
    make_user("marta", organisation=personas.home, role=Role.COORDINATOR)
    partnership = make_partnership(personas.home, personas.partner_org, title="Vistula–Iberia Exchange")
    objective = services.objective_create(
        actor=personas.coordinator, partnership=partnership, title="Balanced mobility"
    )
    second_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    second_context.set_default_timeout(10_000)
    try:
        first = _signed_in(page, "coordinator")
        second = _signed_in(second_context.new_page(), "marta")
        _open_the_objective_form(first, partnership.pk)
        _open_the_objective_form(second, partnership.pk)
        assert_accessible(second, context="objective form swapped in by htmx")

        first.get_by_label("Objective", exact=True).fill("Balanced student mobility")
        first.get_by_role("button", name="Save").click()
        expect(first.locator("#objectives")).to_contain_text("Objective saved.")

        second.get_by_label("Objective", exact=True).fill("Mobility in both directions")
        second.get_by_role("button", name="Save").click()
        notice = second.get_by_role("alert").filter(has_text="since you opened it")
        expect(notice).to_contain_text("coordinator changed this")
        row = notice.get_by_role("row", name="Objective")
        expect(row).to_contain_text("Mobility in both directions")
        expect(row).to_contain_text("Balanced student mobility")
        assert_accessible(second, context="edit conflict notice")
        assert Objective.objects.get(pk=objective.pk).title == "Balanced student mobility"

        second.get_by_role("button", name="Keep mine and save").click()
        expect(second.locator("#objectives")).to_contain_text("Objective saved.")
        expect(second.get_by_role("heading", name="Mobility in both directions")).to_be_visible()
        assert_accessible(second, context="partnership after keeping mine")
        assert Objective.objects.get(pk=objective.pk).title == "Mobility in both directions"
    finally:
        second_context.close()


def test_keeping_theirs_shows_the_section_as_saved(browser, live_server, page, personas, assert_accessible):
    partnership = make_partnership(personas.home, personas.partner_org)
    objective = services.objective_create(
        actor=personas.coordinator, partnership=partnership, title="Balanced mobility"
    )
    first = _signed_in(page, "coordinator")
    _open_the_objective_form(first, partnership.pk)
    services.objective_update(actor=personas.admin, objective=objective, title="Saved by the admin")

    first.get_by_label("Objective", exact=True).fill("Mine")
    first.get_by_role("button", name="Save").click()
    expect(first.get_by_role("alert").filter(has_text="since you opened it")).to_be_visible()
    first.get_by_role("link", name="Keep theirs").click()
    expect(first.get_by_role("heading", name="Saved by the admin")).to_be_visible()
    assert_accessible(first, context="partnership after keeping theirs")
    expect(first.locator("#objectives form")).to_have_count(0)
    expect(first.locator("section#objectives")).to_have_count(1)
    assert Objective.objects.get(pk=objective.pk).title == "Saved by the admin"
