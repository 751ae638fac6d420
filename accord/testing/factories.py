"""Small factories for tests: plain functions that create valid rows with sensible defaults."""

import itertools

from accord.accounts.choices import Role
from accord.accounts.models import Membership, User
from accord.organisations.choices import ContactVisibility, OrganisationKind
from accord.organisations.models import Contact, Factsheet, Organisation, OrganisationalUnit

_sequence = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_organisation(**overrides) -> Organisation:
    number = next(_sequence)
    values = {
        "kind": OrganisationKind.HEI,
        "name": f"University {number}",
        "country_code": "PL",
        "schac_code": f"uni{number}.example.edu",
        "internal_notes": f"Private notes of university {number}",
    }
    values.update(overrides)
    return Organisation.objects.create(**values)


def make_user(
    username: str | None = None,
    *,
    organisation: Organisation | None = None,
    role: str | None = None,
    **overrides,
) -> User:
    username = username or f"user{next(_sequence)}"
    user = User.objects.create_user(
        username=username,
        email=overrides.pop("email", f"{username}@example.org"),
        password=PASSWORD,
        **overrides,
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role or Role.VIEWER)
    return user


def make_unit(
    organisation: Organisation, name: str = "Faculty of Science", **overrides
) -> OrganisationalUnit:
    return OrganisationalUnit.objects.create(organisation=organisation, name=name, **overrides)


def make_contact(
    organisation: Organisation, *, visibility: str = ContactVisibility.MEMBERS, **overrides
) -> Contact:
    number = next(_sequence)
    values = {
        "given_name": "Ada",
        "family_name": f"Contact{number}",
        "email": f"contact{number}@example.org",
        "visibility": visibility,
    }
    values.update(overrides)
    return Contact.objects.create(organisation=organisation, **values)


def make_partnership(coordinator: Organisation, *partners: Organisation, **overrides):
    """A partnership coordinated by ``coordinator`` with ``partners`` as partners, written directly
    rather than through the services so that a test can start it in any status."""
    # Imported here so that the directory's factories above do not depend on the partnerships app.
    from accord.partnerships.choices import MemberRole, PartnershipModel
    from accord.partnerships.models import Partnership, PartnershipMember

    number = next(_sequence)
    values = {"title": f"Partnership {number}", "model": PartnershipModel.BILATERAL_EXCHANGE}
    values.update(overrides)
    partnership = Partnership.objects.create(**values)
    PartnershipMember.objects.create(
        partnership=partnership, organisation=coordinator, role=MemberRole.COORDINATOR
    )
    for organisation in partners:
        PartnershipMember.objects.create(
            partnership=partnership, organisation=organisation, role=MemberRole.PARTNER
        )
    return partnership


def agreement_document(sender: Organisation, receiver: Organisation, **condition_overrides) -> dict:
    """An Erasmus+ agreement document between two organisations with one student-studies condition
    from ``sender`` to ``receiver``; ``condition_overrides`` replace fields of that condition."""
    condition = {
        "key": "c1",
        "mobility_type": "student_studies",
        "sending_partner": 0,
        "receiving_partner": 1,
        "first_academic_year": "2026/2027",
        "last_academic_year": "2028/2029",
        "mobilities_per_year": 2,
        "total_months_per_year": "10",
        "subject_areas": [{"isced_code": "0314"}],
        "eqf_levels": [6, 7],
        "language_skills": [{"language": "en", "cefr_level": "B2"}],
    }
    condition.update(condition_overrides)
    return {
        "partners": [{"organisation_ref": str(sender.pk)}, {"organisation_ref": str(receiver.pk)}],
        "conditions": [condition],
        "terms": {"agreement_type": "erasmus_iia"},
    }


def make_agreement(actor, partnership, document: dict, *, title: str = "Student exchange", **options):
    """An agreement drafted through the services, as ``actor`` would draft it."""
    from accord.agreements.services import agreement_create

    return agreement_create(actor=actor, partnership=partnership, title=title, content=document, **options)


def factsheet_data(domain: str = "home.example.edu") -> dict:
    """Valid ``factsheet_update`` arguments (also the API's PUT body), with one item in each list."""
    data = {
        "nominations_autumn": "05-15",
        "nominations_spring": "11-15",
        "applications_autumn": "06-01",
        "applications_spring": "12-01",
        "decision_weeks_limit": 4,
        "tor_weeks_limit": 5,
        "additional_requirements": [
            {"name": "Motivation letter", "details": "In English", "website": f"https://{domain}/letter"}
        ],
        "accessibility": [
            {
                "type": "service",
                "name": "Disability office",
                "description": "Adapted exams",
                "email": f"access@{domain}",
                "phone": "+48221234599",
                "website": f"https://{domain}/access",
            }
        ],
        "additional_info": [
            {
                "type": "Recognition process",
                "email": f"recognition@{domain}",
                "phone": "+48221234598",
                "website": f"https://{domain}/recognition",
            }
        ],
    }
    for number, kind in enumerate(("application", "housing", "visa", "insurance")):
        data[f"{kind}_email"] = f"{kind}@{domain}"
        data[f"{kind}_phone"] = f"+4822123450{number}"
        data[f"{kind}_website"] = f"https://{domain}/{kind}"
    return data


def make_factsheet(organisation: Organisation, **overrides):
    """A factsheet written directly (its values are those ``factsheet_update`` would store)."""
    values = factsheet_data(organisation.schac_code or "example.edu") | overrides
    return Factsheet.objects.create(organisation=organisation, **values)
