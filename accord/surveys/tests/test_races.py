"""Surveys under real overlap (threads released together, on PostgreSQL): one answer per invitation
when the form is sent twice at once, and one default template and one round when two participations
start at once."""

import pytest

from accord.accounts.choices import Role
from accord.core.errors import Conflict
from accord.core.events import publish
from accord.core.participation import ParticipationStarted
from accord.surveys import services
from accord.surveys.choices import Phase
from accord.surveys.models import Invitation, Response, Survey, SurveyTemplate
from accord.surveys.tests.conftest import likert
from accord.testing.factories import make_user
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


def test_an_answer_sent_twice_at_once_is_saved_once(cohort):
    cohort.start(1)
    student = cohort.students[0]
    invitation_pk = cohort.invitation(student, Phase.PRE).pk

    def submit():
        invitation = Invitation.objects.select_related("survey__template").get(pk=invitation_pk)
        return services.response_submit(
            actor=student, invitation=invitation, scores=likert(Phase.PRE, 3), texts={}
        )

    outcomes = race(submit, submit)
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    loser = next(outcome for outcome in outcomes if not outcome.ok)
    assert isinstance(loser.error, Conflict) and "already answered" in loser.error.message
    assert Response.objects.count() == 1


def test_two_first_invitations_at_once_share_one_default_template_and_one_round(personas, partnership):
    students = [make_user(organisation=personas.home, role=Role.STUDENT) for _ in range(2)]

    def start(index):
        def run():
            publish(
                ParticipationStarted(
                    source="programme",
                    source_id=index + 1,
                    participant=students[index],
                    organisation_id=personas.home.pk,
                    partnership_id=partnership.pk,
                    period="2026/2027",
                )
            )

        return run

    outcomes = race(start(0), start(1))
    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
    assert SurveyTemplate.objects.count() == 1
    assert Survey.objects.count() == 1
    assert Invitation.objects.count() == 2
