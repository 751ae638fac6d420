"""A blended intensive programme in the browser: the organiser drafts it with two partners from two
other countries, adds its virtual and physical parts and opens it; a partner's coordinator nominates
a student; the organiser accepts them; the student's mobility shows on the sending side; the
organiser starts the programme and records attendance. Nothing touches the database after the
fixtures: every step goes through the pages."""

import pytest
from playwright.sync_api import expect

from accord.accounts.choices import Role
from accord.testing.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(personas):
    third_org = make_organisation(name="Third University", schac_code="third.example.edu", country_code="IT")
    make_user("third", organisation=third_org, role=Role.COORDINATOR)
    make_user(
        "pablo", organisation=personas.partner_org, role=Role.STUDENT, first_name="Pablo", last_name="Ruiz"
    )
    return personas


def switch_to(page, sign_in, username: str) -> None:
    page.context.clear_cookies()
    sign_in(username)


def test_bip_from_draft_to_attendance(page, people, sign_in, assert_accessible):
    # The organiser drafts the programme with its partners.
    sign_in("coordinator")
    page.goto("/bips/")
    assert_accessible(page, context="BIP list")
    page.get_by_role("link", name="New programme").click()
    assert_accessible(page, context="new BIP form")
    page.get_by_label("Title").fill("Green Chemistry Intensive")
    page.get_by_label("Coordinating institution").select_option(label="Home University")
    page.get_by_label("Partner institutions").select_option(label=["Partner University", "Third University"])
    page.get_by_label("Field of education (ISCED-F)").fill("0531")
    page.get_by_label("Language of instruction").fill("en")
    page.get_by_label("ECTS credits").fill("3")
    page.get_by_label("Places").fill("20")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.locator("#bip-status")).to_have_text("Draft")

    # Opening without components is refused with the rule it breaks.
    page.get_by_role("button", name="Open for nominations").click()
    expect(page.locator("main")).to_contain_text("It needs a virtual component")
    page.get_by_role("link", name="Green Chemistry Intensive").click()

    # A virtual part before a five-day physical part; then the programme opens.
    for kind, timing, start, end in (
        ("virtual", "before", "2027-04-12", "2027-04-30"),
        ("physical", "", "2027-05-10", "2027-05-14"),
    ):
        components = page.locator("#components")
        components.locator("summary").click()
        components.get_by_label("Kind").select_option(kind)
        if timing:
            components.get_by_label("When (virtual parts)").select_option(timing)
        components.get_by_label("Start").fill(start)
        components.get_by_label("End").fill(end)
        components.get_by_role("button", name="Add").click()
        expect(page.locator("main")).to_contain_text("The component is added.")
    page.get_by_role("button", name="Open for nominations").click()
    expect(page.locator("#bip-status")).to_have_text("Open for nominations")
    assert_accessible(page, context="BIP open for nominations, as its organiser")
    bip_url = page.url

    # The partner's coordinator nominates one of their students.
    switch_to(page, sign_in, "partner")
    page.goto("/bips/")
    page.get_by_role("link", name="Green Chemistry Intensive").click()
    page.get_by_role("link", name="Nominate a participant").click()
    assert_accessible(page, context="nomination form, as a partner")
    page.get_by_label("Person").select_option(label="Pablo Ruiz (student, Partner University)")
    page.get_by_label("Participates as").select_option("student")
    page.get_by_label("EQF level (students)").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#participants")).to_contain_text("Pablo Ruiz")
    expect(page.locator("#participants")).to_contain_text("Nominated")

    # The organiser accepts; the mobility is created on the sending side.
    switch_to(page, sign_in, "coordinator")
    page.goto(bip_url)
    page.locator("#participants").get_by_role("button", name="Accept").click()
    expect(page.locator("main")).to_contain_text("Pablo Ruiz is accepted.")
    expect(page.locator("#participants")).to_contain_text("Mobility #")

    switch_to(page, sign_in, "partner")
    page.goto("/mobilities/")
    results = page.locator("#results")
    expect(results).to_contain_text("Blended intensive programme")
    expect(results).to_contain_text("Home University")
    results.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("Accepted by the receiving institution")

    # The programme runs; the organiser records who attended which part.
    switch_to(page, sign_in, "coordinator")
    page.goto(bip_url)
    page.get_by_role("button", name="Start the programme").click()
    expect(page.locator("#bip-status")).to_have_text("Running")
    page.get_by_role("link", name="Record attendance").click()
    assert_accessible(page, context="attendance grid")
    marks = page.locator("select[name^='a-']")
    marks.nth(0).select_option("1")
    marks.nth(1).select_option("0")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("main")).to_contain_text("Attendance saved: 2 marks new or changed.")
    row = page.locator("#participants tbody tr").filter(has_text="Pablo Ruiz")
    expect(row).to_contain_text("Attended")
    expect(row).to_contain_text("Absent")
    expect(page.locator("#funding")).to_contain_text("1 mobile participant counts.")
    assert_accessible(page, context="BIP with attendance and funding")
