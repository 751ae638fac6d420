"""The pages: answering (signed in, or by link), the coordinator's results, CSV, schedule and templates."""

import csv
import io

import pytest
from django.urls import reverse

from accord.surveys import services
from accord.surveys.choices import Phase
from accord.surveys.forms import field_name
from accord.surveys.models import Response, Survey


def test_a_student_finds_their_survey_and_answers_it(client, cohort):
    cohort.start(1)
    student = cohort.students[0]
    invitation = cohort.invitation(student, Phase.PRE)
    client.force_login(student)
    assert invitation.token in client.get(reverse("surveys:mine")).content.decode()
    url = reverse("surveys:answer", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Strongly agree" in page.content.decode()
    answer = client.post(url, {field_name("gc.examine.1"): "4", field_name("open.hopes"): "Friends"})
    assert answer.status_code == 302
    assert Response.objects.get().scores == {"gc.examine.1": 4}
    again = client.get(url)
    assert "Each survey is answered once" in again.content.decode()
    twice = client.post(url, {field_name("gc.examine.1"): "5"})
    assert twice.status_code == 200 and Response.objects.count() == 1


def test_an_answer_off_the_scale_is_refused_with_a_sentence_and_nothing_saved(client, cohort):
    cohort.start(1)
    invitation = cohort.invitation(cohort.students[0], Phase.PRE)
    client.force_login(cohort.students[0])
    page = client.post(
        reverse("surveys:answer", args=[invitation.token]),
        {field_name("gc.examine.1"): "9", field_name("gc.act.1"): "3"},
    )
    assert page.status_code == 200
    assert "Choose one of the answers from 1 to 5." in page.content.decode()
    assert not Response.objects.exists()


def test_an_invitation_with_an_account_needs_that_person_signed_in(client, cohort, personas):
    cohort.start(1)
    url = reverse("surveys:answer", args=[cohort.invitation(cohort.students[0], Phase.PRE).token])
    assert client.get(url).status_code == 302
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 404
    assert client.get(reverse("surveys:answer", args=["nope"])).status_code == 404


def test_a_partner_answers_by_link_without_an_account(client, personas, partnership):
    template = services.template_create(
        actor=personas.coordinator,
        organisation=personas.home,
        name="Partners",
        audience="partner",
        phase="once",
    )
    survey = services.survey_open(
        actor=personas.coordinator,
        template=template,
        organisation=personas.home,
        partnership=partnership,
        period="2026/2027",
    )
    [invitation] = services.invitations_for_addresses(
        actor=personas.coordinator, survey=survey, addresses=["p@partner.example"]
    )
    url = reverse("surveys:answer", args=[invitation.token])
    assert client.post(url, {field_name("cooperation.1"): "5"}).status_code == 200
    assert Response.objects.get().scores == {"cooperation.1": 5}


def test_the_results_page_says_how_many_more_answers_are_needed(
    client, cohort, personas, django_assert_max_num_queries
):
    cohort.start(3).answer(Phase.PRE, [2, 3, 4])
    survey = Survey.objects.get()
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "so 2 more answers are needed" in page
    assert 'id="distribution"' not in page


def test_the_results_page_shows_the_aggregate_and_the_change_in_bounded_queries(
    client, answered, personas, django_assert_max_num_queries
):
    survey = answered.invitation(answered.students[0], Phase.POST).survey
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert 'id="distribution"' in page and "not-enough" not in page
    assert "1.50" in page  # the mean change of every dimension
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("surveys:list"))
    assert listing.status_code == 200 and "6 / 6" in listing.content.decode()


def test_the_csv_holds_the_aggregate_with_formulas_neutralised(client, answered, personas):
    answered.start(5)
    for student in answered.students[6:]:
        services.response_submit(
            actor=student,
            invitation=answered.invitation(student, Phase.PRE),
            scores={"gc.act.1": 3},
            texts={"open.hopes": '=HYPERLINK("http://evil")'},
        )
    survey = answered.invitation(answered.students[0], Phase.PRE).survey
    client.force_login(personas.coordinator)
    response = client.get(reverse("surveys:export", args=[survey.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "question", "answer", "count", "value"]
    assert {row[0] for row in rows[1:]} == {"distribution", "pre/post change", "open answer"}
    opens = [row[2] for row in rows if row[0] == "open answer"]
    assert opens and all(text.startswith("'=") for text in opens)


def test_a_stale_schedule_form_shows_the_conflict(client, answered, personas):
    survey = Survey.objects.first()
    services.survey_update(actor=personas.admin, survey=survey, max_reminders=4)
    client.force_login(personas.coordinator)
    url = reverse("surveys:schedule", args=[survey.pk])
    page = client.post(url, {"version": 1, "reminder_every_days": 5, "max_reminders": 1})
    assert page.status_code == 200
    assert "since you opened it" in page.content.decode()
    survey.refresh_from_db()
    assert (survey.max_reminders, survey.reminder_every_days) == (4, 7)
    saved = client.post(url, {"version": survey.version, "reminder_every_days": 5, "max_reminders": 1})
    assert saved.status_code == 302


@pytest.mark.parametrize(
    "name", ["surveys:templates", "surveys:template-create", "surveys:open", "surveys:list"]
)
def test_the_coordinators_pages_open(client, personas, name):
    client.force_login(personas.coordinator)
    assert client.get(reverse(name)).status_code == 200


def test_a_template_is_made_and_edited_with_its_version(client, personas):
    client.force_login(personas.coordinator)
    made = client.post(
        reverse("surveys:template-create"),
        {"organisation": personas.home.pk, "name": "Ours", "audience": "student", "phase": "pre"},
    )
    assert made.status_code == 302
    edit_url = made["Location"]
    saved = client.post(
        edit_url, {"version": 1, "name": "Ours 2", "is_active": "on", "items": ["gc.act.1", "open.hopes"]}
    )
    assert saved.status_code == 302
    stale = client.post(edit_url, {"version": 1, "name": "Ours 3", "items": ["gc.act.1"]})
    assert "since you opened it" in stale.content.decode()


def test_a_coordinator_opens_a_partner_survey_and_invites_by_address(client, personas, partnership):
    template = services.template_create(
        actor=personas.coordinator,
        organisation=personas.home,
        name="Partners",
        audience="partner",
        phase="once",
    )
    client.force_login(personas.coordinator)
    opened = client.post(
        reverse("surveys:open"),
        {
            "organisation": personas.home.pk,
            "template": template.pk,
            "partnership": partnership.pk,
            "period": "2026/2027",
        },
    )
    assert opened.status_code == 302
    survey = Survey.objects.get(template=template)
    invited = client.post(
        reverse("surveys:invite", args=[survey.pk]), {"addresses": "a@partner.example\nnope"}
    )
    assert "is not an e-mail address" in invited.content.decode()
    invited = client.post(reverse("surveys:invite", args=[survey.pk]), {"addresses": "a@partner.example"})
    assert invited.status_code == 302 and survey.invitations.count() == 1
    wrong = client.post(
        reverse("surveys:open"),
        {"organisation": personas.home.pk, "template": template.pk, "partnership": "", "period": "2026/2028"},
    )
    assert "Write the academic year as 2026/2027." in wrong.content.decode()
