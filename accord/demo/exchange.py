"""The demo's exchange, walked through the same chain a person walks (issue 13): an agreement between
the home and partner universities comes into effect, a call offers its places, the demo student
applies, the allocation runs and is published, and the partner's coordinator accepts the nomination,
which starts the student's mobility, accepted, for both institutions. No mobility is written directly.

It is found by the call's title, so a second run leaves it (and whatever someone did since) alone.
"""

import datetime as dt

from django.utils import timezone

from accord.accounts.models import User
from accord.agreements import services as agreements
from accord.agreements.models import Agreement
from accord.demo.partnership import TITLE as PARTNERSHIP_TITLE
from accord.exchanges import services as exchanges
from accord.exchanges.models import Call, Nomination
from accord.organisations.models import Organisation
from accord.partnerships.models import Partnership
from accord.reference.academic_years import parse_academic_year

CALL_TITLE = "Erasmus+ semester in engineering at Turia"
AGREEMENT_TITLE = "Aurora–Turia Erasmus+ inter-institutional agreement"


def _year(offset: int) -> str:
    """The academic year ``offset`` years after the one that holds today (years start in September)."""
    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    return parse_academic_year(f"{start + offset}/{start + offset + 1}").label


def _condition(key: str, sending: int, receiving: int) -> dict:
    return {
        "key": key,
        "mobility_type": "student_studies",
        "sending_partner": sending,
        "receiving_partner": receiving,
        "first_academic_year": _year(0),
        "last_academic_year": _year(2),
        "mobilities_per_year": 2,
        "total_months_per_year": "10",
        "subject_areas": [{"isced_code": "0714"}],
        "eqf_levels": [6, 7],
        "language_skills": [{"language": "en", "cefr_level": "B2"}],
    }


def _agreement(partnership: Partnership, home: Organisation, partner: Organisation, users) -> Agreement:
    existing = Agreement.objects.filter(partnership=partnership, title=AGREEMENT_TITLE).first()
    if existing is not None:
        return existing
    content = {
        "partners": [{"organisation_ref": str(home.pk)}, {"organisation_ref": str(partner.pk)}],
        "conditions": [_condition("aurora-turia", 0, 1), _condition("turia-aurora", 1, 0)],
        "terms": {"agreement_type": "erasmus_iia"},
    }
    agreement = agreements.agreement_create(
        actor=users["demo-coordinator"], partnership=partnership, title=AGREEMENT_TITLE, content=content
    )
    version = agreement.current_version
    agreements.agreement_share(actor=users["demo-coordinator"], agreement=agreement, version_number=1)
    agreements.agreement_approve(
        actor=users["demo-partner"],
        agreement=agreement,
        version_number=1,
        conditions_hash=version.conditions_hash,
    )
    agreement.refresh_from_db()
    return agreement


def seed_exchange(*, home: Organisation, partner: Organisation, users: dict[str, User]) -> bool:
    """Walk the demo student from a call to an accepted mobility; return whether it was done now."""
    if Call.objects.filter(owner=home, title=CALL_TITLE).exists():
        return False
    partnership = Partnership.objects.filter(title=PARTNERSHIP_TITLE).first()
    if partnership is None:
        return False
    coordinator, student = users["demo-coordinator"], users["demo-student"]
    agreement = _agreement(partnership, home, partner, users)
    now = timezone.now()
    call = exchanges.call_create(
        actor=coordinator,
        owner=home,
        title=CALL_TITLE,
        description="One semester of engineering at Turia, taught in English.",
        academic_year=_year(1),
        term="autumn",
        mobility_type="student_studies",
        opens_at=now - dt.timedelta(days=20),
        closes_at=now + dt.timedelta(days=10),
        max_choices=1,
        weight_grade=2.0,
        weight_language=1.0,
        weight_motivation=1.0,
        review_scale_max=5,
        tie_break_seed=1,
    )
    exchanges.places_generate(actor=coordinator, call=call)
    exchanges.call_open(actor=coordinator, call=call)
    application = exchanges.application_create(
        actor=student,
        call=call,
        choices=list(call.places.filter(receiving_organisation=partner)),
        grade_average="4.6",
        grading_scale="2-5",
        eqf_level=6,
        isced_code="0714",
        year_of_study=2,
        languages={"en": "C1", "es": "B1"},
        motivation="Turia's robotics courses complete what I study at home.",
    )
    exchanges.application_submit(actor=student, application=application)
    exchanges.call_close(actor=coordinator, call=call)
    run = exchanges.allocation_run(actor=coordinator, call=call)
    exchanges.run_publish(actor=coordinator, run=run)
    for nomination in Nomination.objects.filter(application=application):
        exchanges.nomination_accept(actor=users["demo-partner"], nomination=nomination)
    _propose_amendment(agreement, coordinator)
    return True


def _propose_amendment(agreement: Agreement, coordinator: User) -> None:
    """A draft version 2 with one more place a year from Turia, so that "Versions and changes" has a
    diff to show; the approved version 1 stays in effect for the mobility."""
    agreement.refresh_from_db()
    version = agreement.current_version
    condition = next(c for c in version.content["conditions"] if c["key"] == "turia-aurora")
    agreements.condition_save(
        actor=coordinator,
        agreement=agreement,
        condition={**condition, "mobilities_per_year": condition["mobilities_per_year"] + 1},
        base_version=version.number,
        summary="One more place a year from Turia, as agreed at the spring meeting.",
    )
