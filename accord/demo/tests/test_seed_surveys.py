"""The demo surveys after ``seed_demo``: last year's cohort shows its aggregate and change, this
year's partner survey says how many more answers it needs, and the demo student has a survey to answer."""

import time

import pytest

from accord.accounts.models import User
from accord.demo.seed import seed_demo
from accord.demo.surveys import PARTNER_TEMPLATE, seed_surveys
from accord.organisations.models import Organisation
from accord.surveys.choices import Phase
from accord.surveys.models import Invitation, Response, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_shows_an_aggregate_a_shortfall_and_a_survey_to_answer(client):
    seed_demo()
    coordinator = User.objects.get(username="demo-coordinator")
    client.force_login(coordinator)
    post = (
        Survey.objects.filter(
            template__phase=Phase.POST, responses__isnull=False, template__organisation=None
        )
        .distinct()
        .get()
    )
    page = client.get(f"/surveys/{post.pk}/").content.decode()
    assert 'id="distribution"' in page and 'id="open-answers"' in page
    assert "7 more pair" not in page and "Cohen" in page
    partner = Survey.objects.get(template__name=PARTNER_TEMPLATE)
    assert "so 3 more answers are needed" in client.get(f"/surveys/{partner.pk}/").content.decode()

    student = User.objects.get(username="demo-student")
    invitation = Invitation.objects.get(user=student, answered_at__isnull=True)
    client.force_login(student)
    assert invitation.token in client.get("/surveys/mine/").content.decode()

    before = Response.objects.count()
    started = time.perf_counter()
    seed_surveys(
        home=Organisation.objects.get(pk=post.organisation_id),
        users={u.username: u for u in User.objects.all()},
    )
    assert time.perf_counter() - started < 3
    assert Response.objects.count() == before
