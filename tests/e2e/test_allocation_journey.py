"""The allocation journey of issue 4 in the browser: a student applies with ranked choices, a
reviewer scores, the coordinator closes the call, runs and publishes the allocation, and the
student reads the result and its explanation."""

import pytest
from playwright.sync_api import expect

from accord.exchanges import services
from accord.exchanges.models import Application, Review
from accord.exchanges.tests.conftest import agreement_in_effect, call_fields

pytestmark = pytest.mark.django_db(transaction=True)


def test_apply_review_allocate_publish_and_read_the_result(page, personas, sign_in, assert_accessible):
    agreement_in_effect(personas)
    call = services.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    services.places_generate(actor=personas.coordinator, call=call)
    services.place_create(
        actor=personas.coordinator,
        call=call,
        receiving_organisation=personas.outsider_org,
        name="Virtual seminar",
        capacity=1,
    )
    services.call_open(actor=personas.coordinator, call=call)
    partner_place = call.places.exclude(name="Virtual seminar").get()

    sign_in("student")
    page.goto(f"/exchanges/calls/{call.pk}/")
    assert_accessible(page, context="open call, as a student")
    page.get_by_role("link", name="Apply").click()
    assert_accessible(page, context="application form")
    page.get_by_label("Choice 1").select_option(label=partner_place.name)
    page.get_by_label("Choice 2").select_option(label="Virtual seminar")
    page.get_by_label("Grade average").fill("4.5")
    page.get_by_label("Grading scale").select_option("2-5")
    page.get_by_label("EQF level").fill("6")
    page.get_by_label("Field of study (ISCED-F code)").fill("0314")
    page.get_by_label("Year of study").fill("2")
    page.get_by_label("Languages").fill("en C1")
    page.get_by_label("Motivation").fill("I want to study economics in Spain.")
    page.get_by_role("button", name="Save application").click()
    expect(page.locator("main")).to_contain_text("Your application is saved.")
    page.get_by_role("button", name="Submit application").click()
    expect(page.locator("main")).to_contain_text("Submitted.")
    assert_accessible(page, context="submitted application")
    application = Application.objects.get(student=personas.student)
    assert application.choices.get(rank=1).place_id == partner_place.pk

    page.context.clear_cookies()
    sign_in("teacher")
    page.goto(f"/exchanges/calls/{call.pk}/applications/")
    assert_accessible(page, context="applications of a call")
    page.get_by_role("link", name="student").click()
    assert_accessible(page, context="application review form")
    page.get_by_label("Motivation score (0 to 5)").fill("4")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator("main")).to_contain_text("Your review is saved.")
    assert Review.objects.get(application=application).score == 4

    page.context.clear_cookies()
    sign_in("coordinator")
    page.goto(f"/exchanges/calls/{call.pk}/")
    page.get_by_role("button", name="Close the call").click()
    expect(page.locator("main")).to_contain_text("The call is closed.")
    assert_accessible(page, context="closed call")
    page.get_by_role("link", name="Allocation").click()
    page.get_by_role("button", name="Run the allocation").click()
    expect(page.locator("main")).to_contain_text("Allocation done.")
    expect(page.locator("main")).to_contain_text("Assigned to your 1st choice")
    page.get_by_role("button", name="Publish the result").click()
    expect(page.locator("main")).to_contain_text("Published: applicants are told.")
    assert_accessible(page, context="published allocation")

    page.context.clear_cookies()
    sign_in("student")
    page.goto(f"/exchanges/applications/{application.pk}/")
    result = page.locator("section.result")
    expect(result).to_contain_text(partner_place.name)
    expect(result).to_contain_text("Assigned to your 1st choice")
    assert_accessible(page, context="allocation result, as the student")
