"""A staff teaching mobility from the invitation to the certificate of attendance, in the browser: the
coordinator invites a teacher, who follows the e-mailed link and drafts the mobility agreement (the
Erasmus+ minimum of teaching hours is explained on the form), the three parties sign, and on the days
of the stay the receiving institution confirms the arrival and certifies the attendance, which the
teacher downloads. Only the personas are written directly; the clock travels to the days of the stay."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

WARSAW = ZoneInfo("Europe/Warsaw")


def day(year: int, month: int, number: int) -> dt.datetime:
    return dt.datetime(year, month, number, 10, 0, tzinfo=WARSAW)


def switch_to(page, sign_in, username: str) -> None:
    page.context.clear_cookies()
    sign_in(username)


def test_staff_teaching_mobility_from_invitation_to_certificate(page, personas, sign_in, assert_accessible):
    with time_machine.travel(day(2027, 1, 11)) as clock:
        # The coordinator invites a teacher of the home university to teach at the partner.
        sign_in("coordinator")
        page.goto("/mobilities/staff/")
        assert_accessible(page, context="staff mobility list")
        page.get_by_role("link", name="Invite a colleague to a staff mobility").click()
        assert_accessible(page, context="invitation form")
        page.get_by_label("Colleague (username or e-mail)").fill("teacher")
        page.get_by_label("Type").select_option("staff_teaching")
        page.get_by_label("Receiving institution").select_option(label="Partner University")
        page.get_by_label("Academic year").fill("2026/2027")
        page.get_by_label("Planned start").fill("2027-03-08")
        page.get_by_label("Planned end").fill("2027-03-12")
        page.get_by_label("Message to your colleague").fill("They asked for your databases course.")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("main")).to_contain_text("Invitation sent")

        # The teacher follows the link of the e-mail and drafts the agreement.
        invitation = next(message for message in mail.outbox if message.to == [personas.teacher.email])
        link = re.search(r"https?://\S+(/mobilities/\d+/staff/)", invitation.body)
        assert link is not None, invitation.body
        switch_to(page, sign_in, "teacher")
        page.goto(link.group(1))
        expect(page.get_by_test_id("next-step")).to_contain_text("Your turn: Draft the mobility agreement")
        assert_accessible(page, context="staff mobility, as the invited teacher")
        page.get_by_role("link", name="Draft the mobility agreement").click()
        assert_accessible(page, context="staff mobility agreement form")
        page.get_by_label("Activity").select_option("teaching")
        page.get_by_label("Teaching hours").fill("6")
        page.get_by_label("Objectives of the mobility").fill("Share how we teach query optimisation.")
        page.get_by_label("Activities to be carried out").fill("Four lectures and a laboratory session.")
        page.get_by_label("Expected outcomes and impact").fill("A joint module on databases.")
        page.get_by_label("Contact at the sending institution").fill("Coordinator at Home")
        page.get_by_label("E-mail of the sending contact").fill("coordinator@home.example.edu")
        page.get_by_label("Contact at the receiving institution").fill("Partner coordinator")
        page.get_by_label("E-mail of the receiving contact").fill("partner@partner.example.edu")
        page.get_by_role("button", name="Propose").click()
        expect(page.locator("main")).to_contain_text(
            "Erasmus+ asks for at least 8 teaching hours over these dates; 6 are planned."
        )
        page.get_by_label("Teaching hours").fill("8")
        page.get_by_role("button", name="Propose").click()
        expect(page.locator("main")).to_contain_text("Version proposed")
        expect(page.get_by_test_id("programme")).to_contain_text("Four lectures and a laboratory session.")
        page.get_by_role("button", name="Sign version 1 (Participant)").click()
        expect(page.get_by_test_id("signatures")).to_contain_text("Participant: teacher")

        # The partner accepts the teacher; the coordinator signs for the sender, then the partner.
        switch_to(page, sign_in, "partner")
        page.goto(link.group(1))
        page.get_by_role("button", name="Accept the staff member").click()
        expect(page.locator("main")).to_contain_text("Accepted")
        switch_to(page, sign_in, "coordinator")
        page.goto("/mobilities/staff/")
        expect(page.get_by_test_id("staff-mobilities")).to_contain_text(
            "Your turn: Version 1 awaits the signature of the sending institution"
        )
        page.get_by_test_id("staff-mobilities").get_by_role("link", name="teacher").click()
        page.get_by_role("button", name="Sign version 1 (Sending institution)").click()
        switch_to(page, sign_in, "partner")
        page.goto(link.group(1))
        page.get_by_role("button", name="Sign version 1 (Receiving institution)").click()
        expect(page.get_by_test_id("next-step")).to_contain_text(
            "Your turn: Signed by all three: the receiving institution confirms the arrival."
        )

        # On the first day of the stay the partner confirms the arrival.
        clock.move_to(day(2027, 3, 8))
        switch_to(page, sign_in, "partner")  # the session of January has expired
        page.goto(link.group(1))
        page.get_by_label("Arrival").fill("2027-03-08")
        page.get_by_role("button", name="Confirm the arrival").click()
        expect(page.get_by_test_id("mobility-status")).to_have_text("Ongoing")

        # The Monday after the last day the partner certifies the attendance: the mobility is completed.
        clock.move_to(day(2027, 3, 15))
        page.goto(link.group(1))
        page.get_by_role("link", name="Issue the certificate of attendance").click()
        assert_accessible(page, context="certificate of attendance form")
        page.get_by_label("Last day of activities").fill("2027-03-12")
        page.get_by_label("Hours taught").fill("8")
        page.get_by_label("Your position").fill("International relations officer")
        page.get_by_role("button", name="Certify the attendance").click()
        expect(page.get_by_test_id("mobility-status")).to_have_text("Completed")
        expect(page.get_by_test_id("certificate")).to_contain_text("8.0 hours taught")
        assert_accessible(page, context="completed staff mobility with its certificate")

        # The teacher reads the outcome and downloads the certificate.
        switch_to(page, sign_in, "teacher")
        page.goto("/mobilities/")
        page.get_by_role("link", name="Staff mobility").click()
        expect(page.get_by_test_id("staff-mobilities")).to_contain_text(
            "Completed: the certificate of attendance can be downloaded."
        )
        page.goto(link.group(1))
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the certificate of attendance").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        assert download.value.suggested_filename.startswith("certificate-of-attendance-")
