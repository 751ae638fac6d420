"""A student mobility from the learning agreement to recognition, in the browser: the student proposes
the agreement, the three parties sign it, it changes during the stay, the transcript arrives, a grade
is converted with the two institutions' distribution tables and the credits are recognised."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from accord.agreements import services as agreements
from accord.mobilities import services
from accord.mobilities.choices import SignerRole
from accord.mobilities.models import Mobility
from accord.testing.factories import agreement_document, make_agreement, make_partnership

SIGNER_LABELS = {role: str(label) for role, label in SignerRole.choices}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mobility(personas):
    partnership = make_partnership(personas.home, personas.partner_org)
    agreement = make_agreement(
        personas.coordinator, partnership, agreement_document(personas.home, personas.partner_org)
    )
    version = agreement.current_version
    agreements.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=version.number)
    agreements.agreement_approve(
        actor=personas.partner,
        agreement=agreement,
        version_number=version.number,
        conditions_hash=version.conditions_hash,
    )
    agreement.refresh_from_db()
    host = services.scale_save(
        actor=personas.partner,
        organisation=personas.partner_org,
        name="Spanish 0-10",
        passing_grades="10,9,8,7,6,5",
        failing_grades="4,3,2,1,0",
    )
    home = services.scale_save(
        actor=personas.coordinator,
        organisation=personas.home,
        name="Polish 2-5",
        passing_grades="5,4.5,4,3.5,3",
        failing_grades="2",
    )
    services.grade_table_import(
        actor=personas.partner,
        organisation=personas.partner_org,
        scale=host,
        filename="es.csv",
        data=b"grade;count\n10;5\n9;15\n8;30\n7;30\n6;15\n5;5\n",
    )
    services.grade_table_import(
        actor=personas.coordinator,
        organisation=personas.home,
        scale=home,
        filename="pl.csv",
        data=b"grade,count\n5,10\n4.5,20\n4,40\n3.5,20\n3,10\n",
    )
    services.settings_save(
        actor=personas.coordinator,
        organisation=personas.home,
        conversion_policy="middle",
        transcript_days=35,
        home_scale=home,
    )
    mobility = services.mobility_create(
        actor=personas.coordinator,
        participant=personas.student,
        mobility_type="long_term_physical",
        sending_organisation=personas.home,
        receiving_organisation=personas.partner_org,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        agreement=agreement,
        condition_key="c1",
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
    )
    services.mobility_transition(actor=personas.partner, mobility=mobility, to_status="accepted")
    return mobility


def fill_row(page, number: int, *, table: str, title: str, credits: str, code: str = "", term: str = "1/2"):
    page.get_by_label(f"Table {number}", exact=True).select_option(table)
    page.get_by_label(f"Code {number}", exact=True).fill(code)
    page.get_by_label(f"Title {number}", exact=True).fill(title)
    page.get_by_label(f"ECTS {number}", exact=True).fill(credits)
    page.get_by_label(f"Term {number}", exact=True).fill(term)


def sign_as(page, sign_in, username: str, mobility_id: int, role: str, version: int):
    page.context.clear_cookies()
    sign_in(username)
    page.goto("/mobilities/")
    expect(page.locator("main")).to_contain_text("Learning agreements waiting for your signature")
    page.goto(f"/mobilities/{mobility_id}/")
    page.get_by_role("button", name=f"Sign version {version} ({SIGNER_LABELS[role]})").click()
    expect(page.locator("main")).to_contain_text("Signed.")


def test_learning_agreement_to_recognition(
    page, personas, sign_in, mobility, time_machine, assert_accessible
):
    # The stay is 2026/2027; the journey starts in January 2027, during it.
    time_machine.move_to(datetime(2027, 1, 20, 9, 0, tzinfo=UTC))
    # The student proposes the learning agreement and signs it.
    sign_in("student")
    page.goto("/mobilities/")
    assert_accessible(page, context="mobility list, as the student")
    page.locator("main").get_by_role("link", name="student").click()
    page.get_by_role("link", name="Propose the learning agreement").click()
    assert_accessible(page, context="learning agreement form")
    # A term typed in words is understood as the first semester, not cut short.
    fill_row(page, 1, table="studied", code="BD1", title="Bases de datos", credits="6", term="Autumn")
    fill_row(page, 2, table="recognised", title="Databases", credits="6")
    page.get_by_role("button", name="Propose").click()
    expect(page.locator("main")).to_contain_text("Version proposed")
    page.get_by_role("button", name="Sign version 1 (Participant)").click()
    expect(page.get_by_test_id("signatures")).to_contain_text("Participant: student")
    assert_accessible(page, context="mobility with a signed learning agreement")

    # The sending and then the receiving coordinator sign; the agreement is approved.
    sign_as(page, sign_in, "coordinator", mobility.pk, "sending", 1)
    sign_as(page, sign_in, "partner", mobility.pk, "receiving", 1)
    expect(page.get_by_test_id("mobility-status")).to_have_text("Learning agreement approved")

    # The receiver confirms the arrival; the mobility is ongoing and its duration recomputed.
    page.get_by_role("link", name="Record arrival and departure").click()
    assert_accessible(page, context="arrival and departure form")
    page.get_by_label("Arrival").fill("2026-09-15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("mobility-status")).to_have_text("Ongoing")
    expect(page.get_by_test_id("duration")).to_contain_text("4.53 months")
    assert_accessible(page, context="ongoing mobility")

    # During the stay the student adds a component, with a standard reason; all three sign again.
    page.context.clear_cookies()
    sign_in("student")
    page.goto(f"/mobilities/{mobility.pk}/")
    page.get_by_role("link", name="Propose changes").click()
    fill_row(page, 3, table="studied", code="RD2", title="Redes", credits="5")
    page.get_by_label("Reason 3", exact=True).select_option("extending-mobility")
    assert_accessible(page, context="changes to the learning agreement")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_test_id("la-version")).to_contain_text("Version 2")
    page.get_by_role("button", name="Sign version 2 (Participant)").click()
    sign_as(page, sign_in, "coordinator", mobility.pk, "sending", 2)
    sign_as(page, sign_in, "partner", mobility.pk, "receiving", 2)
    page.get_by_role("link", name="Version history and differences").click()
    expect(page.get_by_test_id("diff")).to_contain_text("Added: RD2 Redes")
    assert_accessible(page, context="version history")

    # A departure still to come is refused on its field; once it is over the mobility is completed.
    page.goto(f"/mobilities/{mobility.pk}/dates/")
    page.get_by_label("Departure").fill("2027-01-31")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("The departure can be confirmed once it has happened")
    time_machine.move_to(datetime(2027, 2, 3, 9, 0, tzinfo=UTC))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("mobility-status")).to_have_text("Completed")
    page.get_by_role("link", name="Record the transcript").click()
    page.get_by_label("Grading scale").select_option(label="Spanish 0-10")
    page.get_by_label("Grade 1", exact=True).fill("9")
    page.get_by_label("Grade 2", exact=True).fill("A+")
    page.get_by_role("button", name="Record the transcript").click()
    expect(page.locator("main")).to_contain_text("'A+' is not a grade of Spanish 0-10")
    assert_accessible(page, context="transcript form with an error")
    page.get_by_label("Grade 2", exact=True).fill("8")
    page.get_by_role("button", name="Record the transcript").click()
    expect(page.get_by_test_id("transcript")).to_contain_text("Bases de datos")

    # The sending coordinator converts a grade with both tables side by side, then recognises.
    page.context.clear_cookies()
    sign_in("coordinator")
    page.goto(f"/mobilities/{mobility.pk}/")
    page.get_by_test_id("transcript").get_by_role("link", name="Convert").first.click()
    expect(page.get_by_test_id("side-by-side")).to_be_visible()
    expect(page.get_by_test_id("conversion-preview")).to_contain_text("middle")
    assert_accessible(page, context="grade conversion")
    expect(page.get_by_test_id("tables-used")).to_contain_text("all fields, every cycle (no table for 0613")
    page.get_by_role("button", name="Convert to 5").click()
    expect(page.get_by_test_id("transcript")).to_contain_text("5 (Grade distribution tables)")
    page.get_by_role("link", name="Record recognition").click()
    assert_accessible(page, context="recognition form")
    page.get_by_label("Home grade 1", exact=True).fill("5")
    page.get_by_role("button", name="Save and complete recognition").click()
    expect(page.get_by_test_id("mobility-status")).to_have_text("Recognised")

    # The student sees the whole story in one place.
    page.context.clear_cookies()
    sign_in("student")
    page.goto(f"/mobilities/{mobility.pk}/")
    expect(page.get_by_test_id("recognition")).to_contain_text("Databases: 6.0 ECTS, 5")
    expect(page.locator("main")).to_contain_text("6.0 of 11.0 ECTS recognised")
    assert_accessible(page, context="recognised mobility, as the student")
    assert Mobility.objects.get(pk=mobility.pk).status == "recognised"
