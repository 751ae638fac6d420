"""The demo call: the home university's semester exchange to the partner, open for applications, with
the demo student's submitted application and the demo teacher's review of it, all written through the
exchanges services, so that a reviewer finds a review to change (in two tabs, to see the conflict).

It is found by its title, so a second run leaves it (and whatever someone changed in it) alone.
"""

import datetime as dt

from django.utils import timezone

from accord.accounts.models import User
from accord.exchanges import services
from accord.exchanges.models import Call
from accord.organisations.models import Organisation

TITLE = "Engineering semester abroad"


def seed_open_call(*, home: Organisation, partner: Organisation, users: dict[str, User]) -> bool:
    """Create the demo call unless it exists; return whether it was created."""
    if Call.objects.filter(title=TITLE, owner=home).exists():
        return False
    coordinator = users["demo-coordinator"]
    now = timezone.now()
    call = services.call_create(
        actor=coordinator,
        owner=home,
        title=TITLE,
        description="One semester of engineering studies at our partner in Valencia.",
        academic_year=f"{now.year}/{now.year + 1}",
        mobility_type="student_studies",
        opens_at=now - dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=60),
        max_choices=1,
        review_scale_max=10,
    )
    place = services.place_create(
        actor=coordinator,
        call=call,
        receiving_organisation=partner,
        name=f"{partner.name}: engineering",
        capacity=2,
    )
    call = services.call_open(actor=coordinator, call=call)
    application = services.application_create(
        actor=users["demo-student"],
        call=call,
        choices=[place],
        grade_average="4.5",
        grading_scale="2-5",
        eqf_level=6,
        isced_code="0710",
        year_of_study=2,
        languages={"es": "B2", "en": "C1"},
        motivation="I want to study renewable energy systems in Valencia and improve my Spanish.",
    )
    application = services.application_submit(actor=users["demo-student"], application=application)
    services.review_save(
        actor=users["demo-teacher"], application=application, score=8, comment="A clear, realistic plan."
    )
    return True
