"""While selecting a call's applicants: each submitted application costed at its first choice for the
call's term, the priority group as fewer opportunities, the chosen ones against the budget."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accord.accounts.choices import Role
from accord.exchanges import services as exchanges
from accord.funding import applicants, services
from accord.testing.factories import make_user


def open_call(personas, *, priority: bool):
    now = timezone.now()
    call = exchanges.call_create(
        actor=personas.coordinator,
        owner=personas.home,
        title="Semester in Madrid",
        academic_year="2026/2027",
        mobility_type="student_studies",
        term="autumn",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        max_choices=1,
        review_scale_max=10,
    )
    place = exchanges.place_create(
        actor=personas.coordinator,
        call=call,
        receiving_organisation=personas.partner_org,
        name="Madrid",
        capacity=2,
    )
    call = exchanges.call_open(actor=personas.coordinator, call=call)
    for number, flag in enumerate((priority, False)):
        student = make_user(f"applicant{number}", organisation=personas.home, role=Role.STUDENT)
        application = exchanges.application_create(
            actor=student,
            call=call,
            choices=[place],
            grade_average="4.5",
            grading_scale="2-5",
            eqf_level=6,
            isced_code="0710",
            year_of_study=2,
            languages={"es": "B2"},
            priority=flag,
        )
        exchanges.application_submit(actor=student, application=application)
    return call


def test_applicants_are_costed_and_checked_against_the_budget(client, personas, funding):
    call = open_call(personas, priority=True)
    costs = applicants.applicant_costs(call=call, rule_set=funding.rule_set)
    # An autumn semester: 150 days = 5 months at 540; the priority applicant also 5 × 250 and 395 travel.
    assert sorted(item.cost for item in costs) == [Decimal("2700.00"), Decimal("4345.00")]
    services.budget_update(actor=personas.admin, budget=funding.budget, data={"amount": Decimal("7000")})
    client.force_login(personas.coordinator)
    page = client.get(
        reverse("funding:applicant-forecast"),
        {
            "call": call.pk,
            "rule_set": funding.rule_set.pk,
            "budget": funding.budget.pk,
            "applications": [item.application.pk for item in costs],
        },
    )
    text = page.content.decode()
    assert "4345.00" in text and "Over-committed" in text
