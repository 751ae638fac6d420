"""The home page per persona: what needs them now, counted and linked, and a participant's next step;
its queries do not grow with the number of items."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.accounts.choices import Role
from accord.exchanges import services as exchanges
from accord.exchanges.tests.conftest import agreement_in_effect, application_fields, call_fields
from accord.mobilities import services as mobilities
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.tests.conftest import COMPONENTS, create
from accord.partnerships.models import ActionItem
from accord.testing.factories import make_user

pytestmark = pytest.mark.django_db
HOME = "/accounts/dashboard/"


@pytest.fixture
def agreement(personas):
    return agreement_in_effect(personas)


@pytest.fixture
def call(personas, agreement):
    call = exchanges.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    exchanges.places_generate(actor=personas.coordinator, call=call)
    return exchanges.call_open(actor=personas.coordinator, call=call)


def _students(personas, start: int, count: int):
    return [
        make_user(f"student{n}", organisation=personas.home, role=Role.STUDENT, first_name=f"S{n}")
        for n in range(start, start + count)
    ]


def _work(personas, agreement, call, students):
    """Per student: a submitted application, a mobility whose learning agreement awaits the sending
    coordinator's signature, and an overdue action item."""
    place = call.places.first()
    for student in students:
        application = exchanges.application_create(
            actor=student, call=call, choices=[place], **application_fields()
        )
        exchanges.application_submit(actor=student, application=application)
        mobility = create(personas, agreement, participant=student)
        mobilities.mobility_transition(
            actor=personas.partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED
        )
        mobilities.la_propose(actor=student, mobility=mobility, components=COMPONENTS)
        ActionItem.objects.create(
            partnership=agreement.partnership,
            title=f"Call {student.username}",
            owner=personas.coordinator,
            due_date=dt.date(2020, 1, 1),
        )


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_sees_counts_that_do_not_cost_a_query_each(
    client, personas, agreement, call, django_assert_max_num_queries
):
    _work(personas, agreement, call, _students(personas, 10, 1))
    client.force_login(personas.coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)
    _work(personas, agreement, call, _students(personas, 20, 6))
    with django_assert_max_num_queries(len(one)):
        page = client.get(HOME).content.decode()
    assert "What needs you now" in page
    assert f"7 applications to review in {call.title}</a>" in page
    assert '<a href="/mobilities/#to-sign">7 learning or mobility agreements to sign</a>' in page
    assert "7 overdue action items in" in page
    assert "<mark>Overdue</mark>" in page
    # 22 before the funding, surveys and virtual exchange panels, which cost one query each at most.
    assert len(one) <= 25, len(one)


def test_a_teacher_sees_the_applications_to_review(client, personas, agreement, call):
    _work(personas, agreement, call, _students(personas, 10, 2))
    page = _home(client, personas.teacher)
    query = "status=submitted&amp;reviewed=no"
    assert f'href="/exchanges/calls/{call.pk}/applications/?{query}">2 applications to review' in page
    assert "agreements to sign" not in page


def test_a_partner_sees_nominations_and_signatures_to_come(client, personas, agreement, call):
    students = _students(personas, 10, 2)
    _work(personas, agreement, call, students)
    exchanges.call_close(actor=personas.coordinator, call=call)
    run = exchanges.allocation_run(actor=personas.coordinator, call=call)
    exchanges.run_publish(actor=personas.coordinator, run=run)
    page = _home(client, personas.partner)
    assert '<a href="/exchanges/nominations/?to_decide=1">2 nominations to decide</a>' in page
    # Their colleague at home sees the nominations but does not decide them.
    assert "nominations to decide" not in _home(client, personas.coordinator)
    # An outsider has nothing waiting and is told where to start.
    page = _home(client, personas.outsider)
    assert "Nothing waits for you right now" in page
    assert "applications to review" not in page


def test_a_student_sees_their_application_and_next_step(
    client, personas, agreement, call, django_assert_max_num_queries
):
    page = _home(client, personas.student)
    assert "You have no application or mobility yet." in page
    assert 'href="/exchanges/"' in page
    application = exchanges.application_create(
        actor=personas.student, call=call, choices=[call.places.first()], **application_fields()
    )
    # 14 before the surveys panel's one query (a student may have a survey to answer).
    with django_assert_max_num_queries(15):
        page = client.get(HOME).content.decode()
    assert f"Your application to {call.title}" in page
    assert "Submit your application before" in page
    assert f'href="/exchanges/calls/{call.pk}/apply/"' in page or f"/applications/{application.pk}/" in page
    assert "What needs you now" not in page
