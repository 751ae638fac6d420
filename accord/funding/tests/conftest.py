"""Fixtures for funding: the personas' home university in Kraków sends a student to Madrid; it
has the Erasmus+ KA131 2024 rules in force, an Erasmus+ budget and a foundation's budget."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from accord.funding import services
from accord.mobilities import services as mobilities

KRAKOW, MADRID = 3094802, 3117735
STUDIES = {"eqf_level": 6, "isced_code": "0613", "language": "es", "cefr_level": "B2"}


@pytest.fixture(autouse=True)
def during_the_call(time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))


@dataclass
class Funding:
    eu: object
    foundation: object
    programme: object
    rule_set: object
    budget: object
    foundation_budget: object


@pytest.fixture
def funding(personas):
    for organisation, city in ((personas.home, KRAKOW), (personas.partner_org, MADRID)):
        organisation.city_geonameid = city
        organisation.save(update_fields=["city_geonameid"])
    admin = personas.admin
    eu = services.funder_create(
        actor=admin, organisation_id=personas.home.pk, name="Erasmus+ (FRSE)", kind="eu"
    )
    foundation = services.funder_create(
        actor=admin, organisation_id=personas.home.pk, name="Kraków Foundation", kind="foundation"
    )
    programme = services.programme_create(actor=admin, funder=eu, name="Erasmus+ KA131")
    version = services.rule_set_import_shipped(
        actor=admin, programme=programme, key="erasmus-ka131-2024", call_year=2026
    )
    budget = services.budget_create(
        actor=admin,
        funder=eu,
        programme=programme,
        name="KA131 2026",
        year=2026,
        amount=Decimal("20000"),
        ends_on=date(2028, 5, 31),
    )
    foundation_budget = services.budget_create(
        actor=admin,
        funder=foundation,
        name="Travel scholarships",
        year=2026,
        amount=Decimal("5000"),
        scope="cost_centre",
    )
    return Funding(eu, foundation, programme, version.rule_set, budget, foundation_budget)


def make_mobility(personas, **overrides):
    values = {
        "actor": personas.coordinator,
        "participant": personas.student,
        "mobility_type": "long_term_physical",
        "sending_organisation": personas.home,
        "receiving_organisation": personas.partner_org,
        "academic_year": "2026/2027",
        "planned_start": date(2026, 9, 1),
        "planned_end": date(2027, 1, 31),
        **STUDIES,
    }
    values.update(overrides)
    return mobilities.mobility_create(**values)


@pytest.fixture
def mobility(personas):
    return make_mobility(personas)


@pytest.fixture
def grant(personas, funding, mobility):
    return services.grant_create(
        actor=personas.coordinator, mobility=mobility, rule_set=funding.rule_set, budget=funding.budget
    )
