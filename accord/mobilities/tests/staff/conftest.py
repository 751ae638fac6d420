"""Fixtures for staff mobility: a teaching mobility a coordinator invited a teacher to, accepted by the
partner, and the same with its agreement signed by all three."""

import datetime as dt
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from accord.algorithms.mobility.staff import Programme, StaffActivity
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import Mobility

START, END = date(2027, 3, 8), date(2027, 3, 12)

# A day after the stays these tests plan: arrivals and departures are confirmed in the past, as in life.
AFTER_THE_STAY = dt.datetime(2027, 3, 22, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def after_the_stay():
    with time_machine.travel(AFTER_THE_STAY):
        yield


def teaching_programme(**overrides) -> Programme:
    values = {
        "activity": StaffActivity.TEACHING,
        "objectives": "Share methods of teaching databases.",
        "activities": "Four lectures on query optimisation and a seminar.",
        "outcomes": "A joint module for both master programmes.",
        "planned_start": START,
        "planned_end": END,
        "teaching_hours": Decimal(8),
        "sending_contact_name": "Tomasz Wiśniewski",
        "sending_contact_email": "coordinator@home.example.edu",
        "receiving_contact_name": "Lucía Navarro",
        "receiving_contact_email": "partner@partner.example.edu",
    }
    values.update(overrides)
    return Programme(**values)


def invite(personas, mobility_type="staff_teaching", **overrides) -> Mobility:
    values = {
        "actor": personas.coordinator,
        "participant": personas.teacher,
        "mobility_type": mobility_type,
        "sending_organisation": personas.home,
        "receiving_organisation": personas.partner_org,
        "academic_year": "2026/2027",
        "planned_start": START,
        "planned_end": END,
    }
    values.update(overrides)
    return services.staff_mobility_invite(**values)


def sign_all(personas, mobility, version):
    for actor in (personas.teacher, personas.coordinator, personas.partner):
        services.la_sign(
            actor=actor,
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
        )
    mobility.refresh_from_db()


@pytest.fixture
def staff_mobility(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mobility = invite(personas, note="Our partners asked for your course on query optimisation.")
    services.mobility_transition(actor=personas.partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    return mobility


@pytest.fixture
def signed(personas, staff_mobility):
    version = services.staff_agreement_propose(
        actor=personas.teacher, mobility=staff_mobility, programme=teaching_programme()
    )
    sign_all(personas, staff_mobility, version)
    return staff_mobility
