"""One reviewer, two tabs (issue 23): the review saved from the older tab is not saved over the first;
the page shows both reviews, and one click keeps the one from this tab."""

import pytest
from playwright.sync_api import expect

from accord.exchanges import services
from accord.exchanges.models import Review
from accord.exchanges.tests.conftest import agreement_in_effect, application_fields, call_fields

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_review_saved_from_an_older_tab_shows_both_and_keeps_this_one(page, personas, sign_in):
    agreement_in_effect(personas)
    call = services.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    services.places_generate(actor=personas.coordinator, call=call)
    services.call_open(actor=personas.coordinator, call=call)
    application = services.application_create(
        actor=personas.student, call=call, choices=[call.places.get()], **application_fields()
    )
    services.application_submit(actor=personas.student, application=application)

    sign_in("teacher")
    first = page
    second = page.context.new_page()
    for tab in (first, second):
        tab.goto(f"/exchanges/applications/{application.pk}/")
    first.get_by_label("Motivation score (0 to 5)").fill("4")
    first.get_by_label("Comment").fill("Clear plan")
    first.get_by_role("button", name="Save review").click()
    expect(first.locator("main")).to_contain_text("Your review is saved.")

    second.get_by_label("Motivation score (0 to 5)").fill("2")
    second.get_by_label("Comment").fill("Vague")
    second.get_by_role("button", name="Save review").click()
    notice = second.get_by_role("alert").filter(has_text="since you opened it")
    expect(notice).to_contain_text("teacher changed this")
    expect(notice.get_by_role("row", name="Comment")).to_contain_text("Clear plan")
    expect(notice.get_by_role("row", name="Comment")).to_contain_text("Vague")
    assert Review.objects.get().comment == "Clear plan"

    second.get_by_role("button", name="Keep mine and save").click()
    expect(second.locator("main")).to_contain_text("Your review is saved.")
    review = Review.objects.get()
    assert (review.score, review.comment, review.version) == (2, "Vague", 2)
