"""A blended intensive programme for tests: coordinated by the personas' home university (PL) with
the partner university (ES) and a third one (IT), a virtual part before a five-day physical part."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accord.accounts.choices import Role
from accord.bips import services
from accord.bips.choices import BipStatus
from accord.testing.factories import make_organisation, make_user

PHYSICAL = (date(2027, 5, 10), date(2027, 5, 14))
VIRTUAL = (date(2027, 4, 12), date(2027, 4, 30))


@dataclass
class BipWorld:
    bip: object
    third_org: object
    third: object  # coordinator of the third university
    home_student: object
    partner_student: object
    third_student: object

    def partner_of(self, organisation):
        return self.bip.partners.get(organisation=organisation)


def make_bip_world(personas, *, status: str = BipStatus.OPEN, capacity: int = 20, **overrides) -> BipWorld:
    third_org = make_organisation(name="Third University", schac_code="third.example.edu", country_code="IT")
    third = make_user(
        "third", organisation=third_org, role=Role.COORDINATOR, first_name="Giulia", last_name="Rossi"
    )
    values = {
        "title": "Green Chemistry Intensive",
        "ects": Decimal(3),
        "capacity": capacity,
        "isced_code": "0531",
        "language": "en",
        "description": "Sustainable synthesis, two weeks online and one week in the lab.",
    }
    bip = services.bip_create(
        actor=personas.coordinator,
        coordinator=personas.home,
        partners=[personas.partner_org, third_org],
        **{**values, **overrides},
    )
    services.bip_component_save(
        actor=personas.coordinator, bip=bip, kind="virtual", timing="before", start=VIRTUAL[0], end=VIRTUAL[1]
    )
    services.bip_component_save(
        actor=personas.coordinator, bip=bip, kind="physical", start=PHYSICAL[0], end=PHYSICAL[1]
    )
    for target in (BipStatus.OPEN, BipStatus.RUNNING):
        if bip.status == status:
            break
        services.bip_transition(actor=personas.coordinator, bip=bip, to_status=target)
    return BipWorld(
        bip=bip,
        third_org=third_org,
        third=third,
        home_student=personas.student,
        partner_student=make_user(
            "pablo",
            organisation=personas.partner_org,
            role=Role.STUDENT,
            first_name="Pablo",
            last_name="Ruiz",
        ),
        third_student=make_user(
            "marco", organisation=third_org, role=Role.STUDENT, first_name="Marco", last_name="Bianchi"
        ),
    )
