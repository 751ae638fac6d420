"""The portfolio's calls beyond the open one: a call closed and under review (some applications
reviewed, some not), and a call of the year ahead with 55 applications, each reviewed, allocated,
its results published and its nominations sent to the partners, two of which already accepted.
Written through the exchanges services; found by title, so a second run leaves them alone."""

import datetime as dt
import random

from django.utils import timezone

from accord.accounts.models import User
from accord.demo.portfolio.agreements import year
from accord.exchanges import services
from accord.exchanges.choices import NominationStatus
from accord.exchanges.models import Call, Nomination
from accord.organisations.models import Organisation

UNDER_REVIEW = "Semester in Africa and Latin America"
ALLOCATED = "Erasmus+ and global exchange, next academic year"
_MOTIVATIONS = (
    "The courses there complete what my programme at home does not offer.",
    "I want to study in another language and learn how business works in another region.",
    "My thesis is on sustainable supply chains, and this university leads research on them.",
    "I would like to join the partner's student projects with local companies.",
)
_LANGUAGE_LEVELS = ("B1", "B2", "C1")


def _call(coordinator: User, home: Organisation, title: str, description: str, **dates) -> Call:
    return services.call_create(
        actor=coordinator,
        owner=home,
        title=title,
        description=description,
        academic_year=year(1),
        term="autumn",
        mobility_type="student_studies",
        max_choices=3,
        weight_grade=2.0,
        weight_language=1.0,
        weight_motivation=1.0,
        review_scale_max=10,
        tie_break_seed=7,
        **dates,
    )


def _closed(coordinator: User, call: Call, closed_on: dt.datetime) -> None:
    """Close the call, dated as if its closing day had come: the services take applications only
    before the closing time, so the demo writes them first and sets the day in the past after."""
    services.call_close(actor=coordinator, call=call)
    Call.objects.filter(pk=call.pk).update(closes_at=closed_on)


def _apply(call: Call, places: list, students: list[User], teacher: User | None, reviewed: int) -> None:
    """Each student applies with up to three ranked places; the first ``reviewed`` get a review."""
    rng = random.Random(f"applications:{call.title}")
    for number, student in enumerate(students):
        choices = rng.sample(places, k=min(len(places), rng.randint(1, 3)))
        application = services.application_create(
            actor=student,
            call=call,
            choices=choices,
            grade_average=f"{rng.choice([3, 3.5, 4, 4.5, 5])}",
            grading_scale="2-5",
            eqf_level=6,
            isced_code="0413",
            year_of_study=rng.randint(1, 3),
            languages={"en": rng.choice(_LANGUAGE_LEVELS)},
            motivation=rng.choice(_MOTIVATIONS),
        )
        services.application_submit(actor=student, application=application)
        if teacher is not None and number < reviewed:
            services.review_save(
                actor=teacher,
                application=application,
                score=rng.randint(4, 10),
                comment="Clear plan; the choices fit the programme." if number % 2 else "Solid record.",
            )


def seed_calls(
    *,
    home: Organisation,
    organisations: dict[str, Organisation],
    coordinator: User,
    teacher: User,
    partners: dict[str, User],
    students: list[User],
) -> None:
    """Create the two calls if missing. ``students`` are the home students who apply (55 or more)."""
    now = timezone.now()
    if not Call.objects.filter(owner=home, title=UNDER_REVIEW).exists():
        call = _call(
            coordinator,
            home,
            UNDER_REVIEW,
            "One semester at a partner in Nairobi, Cape Town or São Paulo; taught in English or Portuguese.",
            opens_at=now - dt.timedelta(days=40),
            closes_at=now + dt.timedelta(hours=1),
        )
        places = [
            services.place_create(
                actor=coordinator,
                call=call,
                receiving_organisation=organisations[key],
                name=f"{organisations[key].name}: business and development",
                capacity=2,
            )
            for key in ("savanna", "table-bay", "tiete")
        ]
        services.call_open(actor=coordinator, call=call)
        _apply(call, places, students[:12], teacher, reviewed=5)
        _closed(coordinator, call, now - dt.timedelta(days=2))
    if Call.objects.filter(owner=home, title=ALLOCATED).exists():
        return
    call = _call(
        coordinator,
        home,
        ALLOCATED,
        "Semester places at our partners in Europe, Africa, Asia and the Americas.",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now + dt.timedelta(hours=1),
    )
    places = [
        services.place_create(
            actor=coordinator,
            call=call,
            receiving_organisation=organisations[key],
            name=f"{organisations[key].name}: business studies",
            capacity=capacity,
        )
        for key, capacity in (("turia", 8), ("savanna", 6), ("table-bay", 6), ("sumida", 4), ("tiete", 6))
    ]
    services.call_open(actor=coordinator, call=call)
    _apply(call, places, students, teacher, reviewed=len(students))
    _closed(coordinator, call, now - dt.timedelta(days=20))
    run = services.allocation_run(actor=coordinator, call=call)
    services.run_publish(actor=coordinator, run=run)
    pending = Nomination.objects.filter(
        application__call=call,
        status=NominationStatus.PENDING,
        place__receiving_organisation=organisations["turia"],
    ).order_by("pk")
    for nomination in pending[:2]:
        services.nomination_accept(actor=partners["turia"], nomination=nomination)
