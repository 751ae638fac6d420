"""A call of ``home`` with places from an agreement in effect with ``partner_org``, open to students."""

import datetime as dt

import pytest
from django.utils import timezone

from accord.accounts.choices import Role
from accord.agreements import services as agreement_services
from accord.exchanges import services
from accord.testing.factories import agreement_document, make_agreement, make_partnership, make_user


def agreement_in_effect(personas, **condition_overrides):
    partnership = make_partnership(personas.home, personas.partner_org)
    agreement = make_agreement(
        personas.coordinator,
        partnership,
        agreement_document(personas.home, personas.partner_org, **condition_overrides),
        title="Computer science",
    )
    version = agreement.current_version
    agreement_services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    agreement_services.agreement_approve(
        actor=personas.partner, agreement=agreement, version_number=1, conditions_hash=version.conditions_hash
    )
    agreement.refresh_from_db()
    return agreement


def call_fields(**overrides):
    now = timezone.now()
    values = {
        "title": "Erasmus+ studies 2026/27",
        "academic_year": "2026/2027",
        "mobility_type": "student_studies",
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=10),
        "max_choices": 2,
        "weight_grade": 2.0,
        "weight_language": 1.0,
        "weight_motivation": 1.0,
        "review_scale_max": 5,
        "tie_break_seed": 7,
    }
    values.update(overrides)
    return values


def application_fields(**overrides):
    values = {
        "grade_average": "4.5",
        "grading_scale": "2-5",
        "eqf_level": 6,
        "isced_code": "0314",
        "year_of_study": 2,
        "languages": {"en": "C1"},
        "motivation": "I want to learn.",
    }
    values.update(overrides)
    return values


@pytest.fixture
def agreement(personas):
    return agreement_in_effect(personas)


@pytest.fixture
def call(personas, agreement):
    call = services.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    services.places_generate(actor=personas.coordinator, call=call)
    services.place_create(
        actor=personas.coordinator,
        call=call,
        receiving_organisation=personas.outsider_org,
        name="Virtual seminar",
        capacity=1,
    )
    return services.call_open(actor=personas.coordinator, call=call)


@pytest.fixture
def places(call):
    return {place.name.split(" ")[0]: place for place in call.places.all()}


@pytest.fixture
def students(personas):
    return [personas.student] + [
        make_user(f"student{n}", organisation=personas.home, role=Role.STUDENT, first_name=f"S{n}")
        for n in (2, 3)
    ]
