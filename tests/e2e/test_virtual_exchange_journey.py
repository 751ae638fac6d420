"""Two teachers in different time zones are matched, accept, and export their schedule.

A teacher in Warsaw publishes a class through the form and finds a class in Boston proposed with its
reasons; she invites it; the Boston teacher accepts on the virtual exchange page; the exchange page
shows the weekly session in both local times, and each side downloads its own calendar in its own
time zone. The Boston class is published in a fixture; every other step goes through the pages."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accord.testing.virtual_exchange import boston_data, make_ve_world
from accord.virtual_exchange import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def boston(personas):
    world = make_ve_world(personas)
    services.profile_create(
        actor=world.partner_teacher, organisation=personas.partner_org, data=boston_data()
    )
    return world


def switch_to(page, sign_in, username: str) -> None:
    page.context.clear_cookies()
    sign_in(username)


def test_two_teachers_in_different_time_zones_are_matched_accept_and_export_their_schedule(
    page, boston, sign_in, assert_accessible
):
    sign_in("teacher")
    page.goto("/virtual-exchange/")
    assert_accessible(page, context="virtual exchange home")
    page.get_by_role("link", name="Publish a class").click()
    assert_accessible(page, context="publish a class")
    page.get_by_label("Class", exact=True).fill("Sustainable cities")
    page.get_by_label("Field of education (ISCED-F)").fill("0731")
    page.get_by_label("EQF level").select_option("6")
    page.get_by_label("Term start").fill("2027-02-22")
    page.get_by_label("Term end").fill("2027-06-11")
    page.get_by_label("Time zone").select_option("Europe/Warsaw")
    page.get_by_label("Number of students").fill("24")
    page.get_by_label("Language 1", exact=True).fill("en")
    page.get_by_label("CEFR level of language 1").select_option("B2")
    page.get_by_label("Slot 1: day").select_option(label="Tuesday")
    page.get_by_label("Slot 1: from").fill("15:00")
    page.get_by_label("Slot 1: to").fill("17:00")
    page.get_by_role("button", name="Publish").click()

    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("Cities and climate")
    expect(suggestions).to_contain_text("Shared languages: en.")
    assert_accessible(page, context="class page with partner suggestions")
    suggestions.get_by_label("Message to the other teacher").fill("Shall we work together in spring?")
    suggestions.get_by_role("button", name="Invite Cities and climate").click()
    expect(page.locator("main")).to_contain_text("The invitation is sent")

    switch_to(page, sign_in, "partner_teacher")
    page.goto("/virtual-exchange/")
    invitations = page.locator("#invitations")
    expect(invitations).to_contain_text("Shall we work together in spring?")
    assert_accessible(page, context="virtual exchange home with an invitation")
    invitations.get_by_role("button", name="Accept the invitation").click()
    expect(page.locator("#exchange-status")).to_have_text("Planned")
    schedule = page.locator("#schedule")
    # Tuesday 15:00 in Warsaw is 09:00 in Boston (10:00 in the weeks when only the USA has summer time).
    expect(schedule).to_contain_text("15:00")
    expect(schedule).to_contain_text("09:00")
    assert_accessible(page, context="exchange page")

    with page.expect_download() as ours:
        schedule.get_by_role("link", name="Calendar of Cities and climate").click()
    boston_calendar = Path(ours.value.path()).read_text(encoding="utf-8")
    assert "TZID=America/New_York" in boston_calendar and "RRULE:FREQ=WEEKLY" in boston_calendar
    with page.expect_download() as theirs:
        schedule.get_by_role("link", name="Calendar of Sustainable cities").click()
    assert "TZID=Europe/Warsaw" in Path(theirs.value.path()).read_text(encoding="utf-8")


def test_a_coordinator_pairs_a_call_and_plans_a_partners_meeting(
    page, personas, boston, sign_in, assert_accessible
):
    personas.home.timezone = "Europe/Warsaw"
    personas.home.save(update_fields=["timezone"])
    personas.partner_org.timezone = "America/New_York"
    personas.partner_org.save(update_fields=["timezone"])
    sign_in("partner_teacher")
    page.goto("/virtual-exchange/classes/")
    assert_accessible(page, context="class list")

    switch_to(page, sign_in, "partner")
    page.goto("/virtual-exchange/")
    page.get_by_role("link", name="Open a call").click()
    assert_accessible(page, context="open a call")
    page.get_by_label("Title").fill("Spring COIL")
    page.get_by_role("button", name="Open the call").click()
    expect(page.locator("main")).to_contain_text("The call is open")
    call_url = page.url

    switch_to(page, sign_in, "partner_teacher")
    page.goto(call_url)
    page.get_by_role("button", name="Submit my class").click()
    expect(page.locator("#entries")).to_contain_text("Cities and climate")

    switch_to(page, sign_in, "partner")
    page.goto(call_url)
    page.get_by_role("button", name="Pair all the classes").click()
    expect(page.locator("main")).to_contain_text("are paired")
    assert_accessible(page, context="call page after pairing")

    page.goto("/virtual-exchange/planner/")
    assert_accessible(page, context="meeting planner")
    page.get_by_label("Partnership").select_option(index=0)
    page.get_by_label("From").fill("2027-03-10")
    page.get_by_label("Days", exact=True).fill("1")
    page.get_by_role("button", name="Find common hours").click()
    expect(page.locator("#common-hours")).to_contain_text("13:00–17:00 UTC")
    assert_accessible(page, context="meeting planner with common hours")
