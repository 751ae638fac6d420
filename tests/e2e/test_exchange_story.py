"""One student's exchange, from the call to recognition, in the browser (issue 13, item 1).

Only the fixtures touch the database (the institutions, an agreement in effect, the people); every
step after that is what someone does on a page: a call with two students competing for one place,
allocation, publication, the nomination accepted by the partner's coordinator (which starts the
mobility, accepted: no second acceptance, nobody re-enters the student), the learning agreement
signed by three, arrival, a change to the learning agreement, departure, transcript, grade conversion
and recognition. The clock travels to the day of each step (``time_machine``; the live server runs in
this process, so its clock travels too), so that no date is in the future when it is confirmed.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from accord.accounts.choices import Role
from accord.exchanges.tests.conftest import agreement_in_effect
from accord.mobilities.choices import SignerRole
from accord.testing.factories import make_user

SIGNER_LABELS = {role: str(label) for role, label in SignerRole.choices}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story(personas, settings):
    # Chromium judges cookie lifetimes by the real clock: cookies that end with the browser session
    # stay valid whichever day the server travels to.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    agreement_in_effect(personas)
    rival = make_user(
        "rival", organisation=personas.home, role=Role.STUDENT, first_name="Rita", last_name="Rival"
    )
    return rival


def on(day: str):
    return time_machine.travel(datetime.fromisoformat(day).replace(tzinfo=UTC), tick=True)


def as_user(page, sign_in, username: str):
    page.context.clear_cookies()
    sign_in(username)


def main(page):
    return page.locator("main")


def open_call(page, call_title: str):
    page.goto("/exchanges/")
    page.locator("#results").get_by_role("link", name=call_title).click()


def my_application(page, call_title: str):
    page.goto("/exchanges/")
    page.locator('main a[href^="/exchanges/applications/"]', has_text=call_title).click()


def apply(page, call_title: str, grade: str):
    open_call(page, call_title)
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Choice 1").select_option(index=1)
    page.get_by_label("Grade average").fill(grade)
    page.get_by_label("Grading scale").select_option("2-5")
    page.get_by_label("EQF level").fill("6")
    page.get_by_label("Field of study (ISCED-F code)").fill("0314")
    page.get_by_label("Year of study").fill("2")
    page.get_by_label("Languages").fill("en C1")
    page.get_by_label("Motivation").fill("Economics taught in English at a partner I know.")
    page.get_by_role("button", name="Save application").click()
    expect(main(page)).to_contain_text("Your application is saved.")
    page.get_by_role("button", name="Submit application").click()
    expect(main(page)).to_contain_text("Submitted.")


def fill_row(page, number: int, *, table: str, title: str, credits: str, code: str = "", term: str = "1/1"):
    page.get_by_label(f"Table {number}", exact=True).select_option(table)
    page.get_by_label(f"Code {number}", exact=True).fill(code)
    page.get_by_label(f"Title {number}", exact=True).fill(title)
    page.get_by_label(f"ECTS {number}", exact=True).fill(credits)
    page.get_by_label(f"Term {number}", exact=True).fill(term)


def sign(page, sign_in, username: str, mobility_url: str, role: str, version: int):
    as_user(page, sign_in, username)
    page.goto(mobility_url)
    page.get_by_role("button", name=f"Sign version {version} ({SIGNER_LABELS[role]})").click()
    expect(main(page)).to_contain_text("Signed.")


def grading(page, *, scale: str, passing: str, failing: str, table: bytes, settings: bool = False):
    page.goto("/mobilities/grading/")
    page.get_by_label("Scale name").fill(scale)
    page.get_by_label("Passing grades, best first, comma-separated").fill(passing)
    page.get_by_label("Failing grades, comma-separated").fill(failing)
    page.get_by_role("button", name="Save the scale").click()
    expect(main(page)).to_contain_text("Scale saved.")
    page.get_by_label("Scale:", exact=True).select_option(label=scale)
    # Only the broad field 03 of the mobility's 0314: the conversion falls back to it, and says so.
    page.get_by_label("ISCED-F field (blank: all)").fill("03")
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": "grades.csv", "mimeType": "text/csv", "buffer": table}
    )
    page.get_by_role("button", name="Import the table").click()
    expect(main(page)).to_contain_text("Grade distribution table imported.")
    if settings:
        page.get_by_label("Grade conversion policy").select_option("middle")
        page.get_by_label("Days to issue a transcript after a stay").fill("35")
        page.get_by_label("Home scale").select_option(label=scale)
        page.get_by_role("button", name="Save the settings").click()
        expect(main(page)).to_contain_text("Settings saved.")


def test_one_student_from_the_call_to_recognition(page, personas, sign_in, story, assert_accessible):
    title = "Erasmus+ studies autumn 2026"

    with on("2026-02-02 09:00"):
        # The sending coordinator publishes a call with one place at the partner.
        sign_in("coordinator")
        page.goto("/exchanges/calls/new/")
        page.get_by_label("Title").fill(title)
        page.get_by_label("Academic year").fill("2026/2027")
        page.get_by_label("Term").select_option("autumn")
        page.get_by_label("Mobility type").select_option("student_studies")
        page.get_by_label("Opens at").fill("2026-02-02T08:00")
        page.get_by_label("Closes at").fill("2026-02-28T23:00")
        page.get_by_label("Choices per applicant").fill("1")
        page.get_by_label("Review scale maximum").fill("5")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("button", name="Add places from the agreements in effect").click()
        expect(main(page)).to_contain_text("Places added from the agreements in effect.")
        row = main(page).locator("tr", has_text="Partner University")
        row.get_by_label("Capacity").fill("1")
        row.get_by_role("button", name="Save").click()
        expect(row).to_contain_text("has 1 place, 0 of them reserved.")
        page.get_by_role("button", name="Open the call").click()
        expect(main(page)).to_contain_text("Open")
        assert_accessible(page, context="open call with its places")

        # Two students compete for the one place.
        as_user(page, sign_in, "student")
        apply(page, title, "4.8")
        expect(page.get_by_test_id("next-step")).to_contain_text(
            "The results are published after the call closes"
        )
        assert_accessible(page, context="submitted application with its next step")
        as_user(page, sign_in, "rival")
        apply(page, title, "3.9")

    with on("2026-03-02 10:00"):
        as_user(page, sign_in, "coordinator")
        open_call(page, title)
        page.get_by_role("button", name="Close the call").click()
        expect(main(page)).to_contain_text("The call is closed.")
        page.get_by_role("link", name="Allocation").click()
        page.get_by_role("button", name="Run the allocation").click()
        expect(main(page)).to_contain_text("Allocation done.")
        page.get_by_role("button", name="Publish the result").click()
        expect(main(page)).to_contain_text("Published: applicants are told.")
        assert_accessible(page, context="published allocation")

        as_user(page, sign_in, "student")
        my_application(page, title)
        expect(page.get_by_test_id("next-step")).to_contain_text(
            "Partner University decides on your nomination next"
        )

    with on("2026-03-09 11:00"):
        # The partner's coordinator accepts the nomination: that is the acceptance of the participant.
        as_user(page, sign_in, "partner")
        page.goto("/exchanges/nominations/")
        row = main(page).locator("tr", has_text="Partner University")
        expect(row).to_contain_text("Awaiting the partner")
        assert_accessible(page, context="nominations, as the partner")
        row.get_by_role("button", name="Accept").click()
        expect(main(page)).to_contain_text("mobility is recorded, accepted, for both institutions")
        main(page).get_by_role("link", name="The mobility").click()
        expect(page.get_by_test_id("mobility-status")).to_have_text("Accepted by the receiving institution")
        expect(page.get_by_test_id("condition")).to_contain_text("Student mobility for studies")
        expect(main(page)).not_to_contain_text("Accept the participant")
        assert_accessible(page, context="mobility made from the accepted nomination")
        mobility_url = page.url.removeprefix(page.url.split("/mobilities/")[0])

        # The student's next step, prominently on their application: the learning agreement.
        as_user(page, sign_in, "student")
        my_application(page, title)
        expect(page.get_by_test_id("journey")).to_contain_text("Accepted by Partner University")
        expect(page.get_by_test_id("next-step")).to_contain_text("Propose your learning agreement")
        page.get_by_test_id("next-step").get_by_role("link", name="Propose the learning agreement").click()
        fill_row(page, 1, table="studied", code="EC1", title="International economics", credits="6")
        fill_row(page, 2, table="recognised", title="Economics abroad", credits="6")
        page.get_by_role("button", name="Propose").click()
        expect(main(page)).to_contain_text("Version proposed")
        expect(page.get_by_test_id("next-step")).to_contain_text("Read and sign version 1")
        page.get_by_role("button", name="Sign version 1 (Participant)").click()
        expect(page.get_by_test_id("signatures")).to_contain_text("Participant")

        sign(page, sign_in, "coordinator", mobility_url, "sending", 1)
        sign(page, sign_in, "partner", mobility_url, "receiving", 1)
        expect(page.get_by_test_id("mobility-status")).to_have_text("Learning agreement approved")

    with on("2026-09-14 09:30"):
        # The partner confirms the arrival on the day.
        as_user(page, sign_in, "partner")
        page.goto(mobility_url)
        page.get_by_role("link", name="Record arrival and departure").click()
        page.get_by_label("Arrival").fill("2026-09-14")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_test_id("mobility-status")).to_have_text("Ongoing")

    with on("2026-10-05 14:00"):
        # A course changes during the stay: the student proposes, all three sign again.
        as_user(page, sign_in, "student")
        page.goto(mobility_url)
        expect(page.get_by_test_id("next-step")).to_contain_text("If your courses change")
        page.get_by_role("link", name="Propose changes").click()
        fill_row(page, 3, table="studied", code="EC2", title="European trade policy", credits="5")
        page.get_by_label("Reason 3", exact=True).select_option("extending-mobility")
        page.get_by_role("button", name="Propose").click()
        expect(page.get_by_test_id("la-version")).to_contain_text("Version 2")
        page.get_by_role("button", name="Sign version 2 (Participant)").click()
        sign(page, sign_in, "coordinator", mobility_url, "sending", 2)
        sign(page, sign_in, "partner", mobility_url, "receiving", 2)
        expect(page.get_by_test_id("la-version")).to_contain_text("Version 2")

    # The stay ended on 29 January; the partner confirms the departure the next working day.
    with on("2027-02-01 09:00"):
        # The partner confirms the departure, then issues the transcript in its own scale.
        as_user(page, sign_in, "partner")
        page.goto(mobility_url + "dates/")
        page.get_by_label("Departure").fill("2027-01-29")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_test_id("mobility-status")).to_have_text("Completed")
        grading(
            page,
            scale="Spanish 0-10",
            passing="10,9,8,7,6,5",
            failing="4,3,2,1,0",
            table=b"grade;count\n10;5\n9;15\n8;30\n7;30\n6;15\n5;5\n",
        )

    with on("2027-02-10 10:00"):
        as_user(page, sign_in, "partner")
        page.goto(mobility_url)
        page.get_by_role("link", name="Record the transcript").click()
        page.get_by_label("Grading scale").select_option(label="Spanish 0-10")
        page.get_by_label("Grade 1", exact=True).fill("9")
        page.get_by_label("Grade 2", exact=True).fill("8")
        page.get_by_role("button", name="Record the transcript").click()
        expect(page.get_by_test_id("transcript")).to_contain_text("International economics")

    with on("2027-02-15 10:00"):
        # At home: the grading tables, the conversion side by side, and recognition.
        as_user(page, sign_in, "coordinator")
        grading(
            page,
            scale="Polish 2-5",
            passing="5,4.5,4,3.5,3",
            failing="2",
            table=b"grade,count\n5,10\n4.5,20\n4,40\n3.5,20\n3,10\n",
            settings=True,
        )
        page.goto(mobility_url)
        page.get_by_test_id("transcript").get_by_role("link", name="Convert").first.click()
        expect(page.get_by_test_id("side-by-side")).to_be_visible()
        expect(page.get_by_test_id("tables-used")).to_contain_text("broad field 03")
        expect(page.get_by_test_id("tables-used")).to_contain_text("(no table for 0314")
        assert_accessible(page, context="grade conversion side by side")
        page.get_by_role("button", name="Convert to 5").click()
        expect(page.get_by_test_id("transcript")).to_contain_text("5 (Grade distribution tables)")
        page.get_by_role("link", name="Record recognition").click()
        page.get_by_label("Home grade 1", exact=True).fill("5")
        page.get_by_role("button", name="Save and complete recognition").click()
        expect(page.get_by_test_id("mobility-status")).to_have_text("Recognised")

        # The student reads the whole story, every step done, on their application.
        as_user(page, sign_in, "student")
        my_application(page, title)
        journey = page.get_by_test_id("journey")
        for step in (
            "Application submitted",
            "Nominated to Partner University",
            "Accepted by Partner University",
            "Learning agreement signed by all three",
            "Arrival at Partner University",
            "Transcript of records",
            "Recognition at home",
        ):
            expect(journey.locator("li.done", has_text=step)).to_have_count(1)
        expect(page.get_by_test_id("next-step")).to_contain_text("Done: your studies abroad are recognised.")
        assert_accessible(page, context="the student's whole story")

        # The rival, who lost the place, was told and is not nominated.
        as_user(page, sign_in, "rival")
        my_application(page, title)
        expect(page.locator("section.result")).to_contain_text("No place")
        expect(page.get_by_test_id("next-step")).to_contain_text("If one is freed, the waiting list moves on")
