"""Surveys in the browser: a student answers the pre-departure survey and, once back, the
post-return one; the coordinator sees the cohort's results only once five people have answered,
and before that a sentence saying how many more answers are needed. Four classmates answered
before the test starts (through the services); the student's own answers go through the pages."""

import pytest
from playwright.sync_api import expect

from accord.accounts.choices import Role
from accord.core.events import publish
from accord.core.participation import ParticipationEnded, ParticipationStarted
from accord.surveys import services
from accord.surveys.choices import Phase
from accord.surveys.forms import field_name
from accord.surveys.models import Invitation, Survey
from accord.surveys.tests.conftest import likert
from accord.testing.factories import make_partnership, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _event(kind, personas, partnership, student, index):
    return kind(
        source="programme",
        source_id=index,
        participant=student,
        organisation_id=personas.home.pk,
        partnership_id=partnership.pk,
        period="2026/2027",
    )


@pytest.fixture
def cohort(personas):
    partnership = make_partnership(personas.home, personas.partner_org)
    for index in range(1, 5):
        classmate = make_user(organisation=personas.home, role=Role.STUDENT)
        for kind, phase, value in ((ParticipationStarted, Phase.PRE, 2), (ParticipationEnded, Phase.POST, 4)):
            publish(_event(kind, personas, partnership, classmate, index))
            invitation = Invitation.objects.get(user=classmate, survey__template__phase=phase)
            services.response_submit(
                actor=classmate, invitation=invitation, scores=likert(phase, value), texts={}
            )
    publish(_event(ParticipationStarted, personas, partnership, personas.student, 5))
    return partnership


def switch_to(page, sign_in, username: str) -> None:
    page.context.clear_cookies()
    sign_in(username)


def answer_everything(page, value: int) -> None:
    for radio in page.locator(f'input[type="radio"][value="{value}"]').all():
        radio.check()


def test_a_student_answers_both_surveys_and_the_coordinator_sees_the_aggregate_at_five(
    page, personas, cohort, sign_in, assert_accessible
):
    post_round = Survey.objects.get(template__phase=Phase.POST)

    # Four have answered after their exchange: the coordinator sees counts and what is missing.
    sign_in("coordinator")
    page.goto("/surveys/")
    assert_accessible(page, context="survey rounds")
    page.goto(f"/surveys/{post_round.pk}/")
    expect(page.locator("#not-enough")).to_contain_text("so 1 more answer is needed")
    expect(page.locator("#distribution")).to_have_count(0)
    assert_accessible(page, context="survey results below five")

    # The student finds the pre-departure survey on their dashboard and answers it.
    switch_to(page, sign_in, "student")
    page.goto("/surveys/mine/")
    assert_accessible(page, context="my surveys")
    page.locator("main ul a").first.click()
    assert_accessible(page, context="pre-departure survey")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("main")).to_contain_text("Answer at least one question before you send the survey.")
    assert_accessible(page, context="survey refused")
    answer_everything(page, 2)
    page.locator(f'textarea[name="{field_name("open.hopes")}"]').fill("To work in an international team.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("main")).to_contain_text("No survey waits for your answers.")

    # Back from the exchange, the post-return survey arrives.
    publish(_event(ParticipationEnded, personas, cohort, personas.student, 5))
    page.goto("/surveys/mine/")
    page.locator("main ul a").first.click()
    answer_everything(page, 5)
    page.locator(f'textarea[name="{field_name("open.valuable")}"]').fill(
        "Solving problems with people I had just met."
    )
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("main")).to_contain_text("No survey waits for your answers.")

    # Five have answered: the distributions, the change per dimension and the open answers show.
    switch_to(page, sign_in, "coordinator")
    page.goto(f"/surveys/{post_round.pk}/")
    expect(page.locator("#not-enough")).to_have_count(0)
    expect(page.locator("#distribution table").first).to_be_visible()
    expect(page.locator("#change tbody tr").first).to_contain_text(
        "Examine local, global and intercultural issues"
    )
    expect(page.locator("#change")).to_contain_text("2.20")  # the mean change: (4 × 2 + 3) / 5
    expect(page.locator("#open-answers")).to_contain_text("Solving problems with people I had just met.")
    expect(page.locator("main")).not_to_contain_text("student@")
    assert_accessible(page, context="survey results")
