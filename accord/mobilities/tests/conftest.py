"""Fixtures for mobilities: an agreement in effect between the personas' home and partner
institutions, a student mobility under it, and helpers that walk a learning agreement along."""

from datetime import UTC, date, datetime

import pytest

from accord.accounts.choices import Role
from accord.agreements import services as agreements
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus
from accord.testing.factories import agreement_document, make_agreement, make_partnership, make_user

COMPONENTS = [
    {
        "ref": "a",
        "section": "studied",
        "title": "Bases de datos",
        "code": "BD1",
        "credits": "6",
        "term": "1/2",
    },
    {"ref": "b", "section": "studied", "title": "Redes", "code": "RD2", "credits": "24", "term": "1/2"},
    {"ref": "r", "section": "recognised", "title": "Databases and networks", "credits": "30", "term": "1/2"},
]


@pytest.fixture(autouse=True)
def after_the_stays(time_machine):
    """The tests' stays run in 2026/2027; arrivals and departures are confirmed once they happened,
    so the clock stands on 1 March 2027, after the autumn stays and before the year's end. Tests of
    what the date changes travel on from here."""
    time_machine.move_to(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def agreement(personas):
    partnership = make_partnership(personas.home, personas.partner_org)
    agreement = make_agreement(
        personas.coordinator, partnership, agreement_document(personas.home, personas.partner_org)
    )
    version = agreement.current_version
    agreements.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=version.number)
    agreements.agreement_approve(
        actor=personas.partner,
        agreement=agreement,
        version_number=version.number,
        conditions_hash=version.conditions_hash,
    )
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def partner_admin(personas):
    return make_user("partner_admin", organisation=personas.partner_org, role=Role.ADMIN)


def create(personas, agreement, **overrides):
    values = {
        "actor": personas.coordinator,
        "participant": personas.student,
        "mobility_type": "long_term_physical",
        "sending_organisation": personas.home,
        "receiving_organisation": personas.partner_org,
        "academic_year": "2026/2027",
        "planned_start": date(2026, 9, 1),
        "planned_end": date(2027, 1, 31),
        "agreement": agreement,
        "condition_key": "c1",
        "eqf_level": 6,
        "isced_code": "0613",
        "language": "es",
        "cefr_level": "B2",
    }
    values.update(overrides)
    return services.mobility_create(**values)


@pytest.fixture
def mobility(personas, agreement):
    mobility = create(personas, agreement)
    services.mobility_transition(actor=personas.partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    return mobility


def sign_all(personas, mobility, version):
    for actor in (personas.student, personas.coordinator, personas.partner):
        services.la_sign(
            actor=actor,
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
        )
    mobility.refresh_from_db()


@pytest.fixture
def approved(personas, mobility):
    version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    sign_all(personas, mobility, version)
    return version
