"""A small world: Home University (PL) coordinates a partnership with Nairobi University (KE) under
an agreement in effect, with mobilities over three academic years both ways."""

from datetime import date
from decimal import Decimal

import pytest

from accord.accounts.choices import Role
from accord.agreements.models import Agreement
from accord.mobilities.choices import MobilityStatus, MobilityType
from accord.mobilities.models import Gender, Mobility, ParticipantDetails
from accord.testing.factories import (
    agreement_document,
    make_agreement,
    make_organisation,
    make_partnership,
    make_user,
)


@pytest.fixture
def world(db):
    home = make_organisation(name="Home University", country_code="PL")
    partner = make_organisation(name="Nairobi University", country_code="KE")
    outsider_org = make_organisation(name="Elsewhere", country_code="FR")
    coordinator = make_user("coord", organisation=home, role=Role.COORDINATOR)
    viewer = make_user("partnerstaff", organisation=partner, role=Role.COORDINATOR)
    outsider = make_user("outsider", organisation=outsider_org, role=Role.COORDINATOR)
    partnership = make_partnership(home, partner, title="Home–Nairobi", start_date=date(2020, 1, 1))
    document = agreement_document(
        home, partner, first_academic_year="2023/2024", last_academic_year="2026/2027", mobilities_per_year=5
    )
    agreement = make_agreement(coordinator, partnership, document)
    Agreement.objects.filter(pk=agreement.pk).update(
        approved_version=agreement.current_version, status="in_effect"
    )
    return {
        "home": home,
        "partner": partner,
        "coordinator": coordinator,
        "viewer": viewer,
        "outsider": outsider,
        "partnership": partnership,
        "agreement": agreement,
    }


def add_mobilities(world, count: int, *, year: int = 2024, incoming: bool = False, **extra) -> list[Mobility]:
    sending, receiving = (world["partner"], world["home"]) if incoming else (world["home"], world["partner"])
    made = []
    for index in range(count):
        person = make_user()
        ParticipantDetails.objects.create(
            user=person,
            birth_date=date(2000, 1, 1),
            nationality="KE" if incoming else "PL",
            gender=Gender.FEMALE if index % 2 == 0 else Gender.MALE,
            global_id=f"urn:x:{person.pk}",
        )
        values = {
            "participant": person,
            "mobility_type": MobilityType.LONG_TERM_PHYSICAL,
            "sending_organisation": sending,
            "receiving_organisation": receiving,
            "agreement": world["agreement"],
            "condition_key": "c1",
            "academic_year": f"{year}/{year + 1}",
            "planned_start": date(year, 10, 1),
            "planned_end": date(year + 1, 2, 28),
            "duration_days": 150,
            "duration_months": Decimal(5),
            "eqf_level": 6,
            "isced_code": "0314",
            "status": MobilityStatus.COMPLETED,
            "planned_credits": Decimal(30),
        }
        values.update(extra)
        made.append(Mobility.objects.create(**values))
    return made
