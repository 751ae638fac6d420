"""Writing the demo directory and partnership: ``seed_demo()`` is idempotent and takes a few seconds.

Organisations are matched on their SCHAC code and users on their username: what exists is left
exactly as it is (also when someone edited it since), what is missing is created. Organisations go
through the directory's service, so each is validated as if a person had typed it; units and
contacts, fixed rows that a test checks with ``full_clean``, are inserted in bulk. The whole run is
one transaction, so a failure leaves nothing half-seeded.
"""

import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accord.accounts.choices import Role
from accord.accounts.models import Membership, User
from accord.demo import data
from accord.demo.bips import seed_bip
from accord.demo.courses import seed_courses
from accord.demo.data import DemoOrganisation
from accord.demo.evaluation import seed_evaluation
from accord.demo.ewp import seed_ewp
from accord.demo.exchange import seed_exchange
from accord.demo.factsheet import seed_factsheet
from accord.demo.funding import seed_funding
from accord.demo.grading import seed_grading
from accord.demo.open_call import seed_open_call
from accord.demo.partnership import seed_partnership
from accord.demo.portfolio import seed_portfolio
from accord.demo.staff_mobility import seed_staff_mobilities
from accord.demo.surveys import seed_surveys
from accord.demo.virtual_exchange import seed_virtual_exchange
from accord.organisations import services
from accord.organisations.choices import ContactRole, ContactVisibility, OrganisationKind
from accord.organisations.models import Contact, Organisation, OrganisationalUnit
from accord.reference.cities import find_city, get_city
from accord.reference.isced import get_isced
from accord.reference.languages import language_name

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ı": "i", "đ": "d", "æ": "ae", "ß": "ss"})


@dataclass
class SeedOutcome:
    organisations_created: int = 0
    units_created: int = 0
    contacts_created: int = 0
    users_created: int = 0
    partnerships_created: int = 0
    exchanges_created: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, organisation


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in "-")).lower()


def _field_name(code: str) -> str:
    found = get_isced(code)
    return found.name if found else code


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


_MISSION = {
    "hei": "{name} is a {adjective} university in {city} that teaches and researches {fields}. "
    "Teaching is in {languages}, and international partnerships are part of every programme.",
    "school": "{name} is a {adjective} secondary school in {city} whose pupils learn in {languages} "
    "and take part in exchanges, virtual classrooms and joint projects with schools abroad.",
    "ngo": "{name} is a {adjective} non-profit organisation based in {city} working on {fields} "
    "with schools, universities and communities.",
    "agency": "{name} is a {adjective} public body in {city} that funds and supports international "
    "mobility of students and staff.",
    "company": "{name} is a {adjective} company in {city} that hosts interns and works with universities "
    "on applied projects in {fields}.",
    "network": "{name} is a {adjective} network of institutions that share teaching, mobility and "
    "research; its secretariat is in {city}.",
}
_ADJECTIVES = ("young", "research-intensive", "community-minded", "outward-looking", "teaching-focused")
_OFFERS = (
    "Exchange places for students and staff in {fields}; a buddy programme and help with housing.",
    "Semester and short-term mobility in {fields}, a summer school and joint supervision of theses.",
    "Courses taught in {languages}, laboratory placements and blended intensive programmes.",
    "Traineeships, co-taught virtual courses and visiting lectureships in {fields}.",
)
_SEEKS = (
    "Partners for teaching mobility and joint course design in {fields}.",
    "Universities abroad for double degrees and doctoral co-supervision in {fields}.",
    "Partners for virtual exchange and short blended mobility for students who cannot travel for long.",
    "Partners in other continents for joint research and summer schools in {fields}.",
)


def _texts(spec: DemoOrganisation, city: str) -> dict[str, str]:
    rng = random.Random(f"texts:{spec.key}")
    fields = _joined([_field_name(code).lower() for code in spec.fields] or ["education"])
    languages = _joined([language_name(code) for code in spec.languages])
    values = {
        "name": spec.name,
        "city": city,
        "fields": fields,
        "languages": languages,
        "adjective": rng.choice(_ADJECTIVES),
    }
    return {
        "mission": _MISSION[spec.kind].format(**values),
        "offers": rng.choice(_OFFERS).format(**values),
        "seeks": rng.choice(_SEEKS).format(**values),
    }


def _unit_plan(spec: DemoOrganisation) -> list[tuple[str, str, str | None]]:
    """(code, name, parent code): 2–6 units, faculties before their departments."""
    units: list[tuple[str, str, str | None]] = [("IO", "International Relations Office", None)]
    if spec.kind == OrganisationKind.HEI:
        for code in spec.fields:
            broad = code[:2]
            if not any(unit[0] == f"F{broad}" for unit in units):
                units.append((f"F{broad}", f"Faculty of {_field_name(broad)}", None))
            units.append((f"D{code}", f"Department of {_field_name(code)}", f"F{broad}"))
        units.sort(key=lambda unit: (unit[0] != "IO", (unit[2] or unit[0])[1:3], unit[2] is not None))
        count = random.Random(f"units:{spec.key}").randint(2, 6)
        return units[:count]
    units += [("PROG", "Programmes", None), ("PART", "Partnerships", "PROG")]
    return units[: random.Random(f"units:{spec.key}").randint(2, 3)]


_HEI_ROLES = (
    (
        ContactRole.INTERNATIONAL_OFFICE,
        "Head of the International Relations Office",
        ContactVisibility.PUBLIC,
    ),
    (ContactRole.ACADEMIC_COORDINATOR, "Faculty exchange coordinator", ContactVisibility.MEMBERS),
    (ContactRole.ADMISSIONS, "Incoming students officer", ContactVisibility.PUBLIC),
    (ContactRole.SIGNATORY, "Vice-Rector for International Affairs", ContactVisibility.MEMBERS),
)
_OTHER_ROLES = (
    (ContactRole.INTERNATIONAL_OFFICE, "International partnerships manager", ContactVisibility.PUBLIC),
    (ContactRole.OTHER, "Programme officer", ContactVisibility.MEMBERS),
    (ContactRole.SIGNATORY, "Director", ContactVisibility.MEMBERS),
    (ContactRole.HOUSING, "Visitor services", ContactVisibility.PUBLIC),
)


def _contacts(spec: DemoOrganisation, schac: str) -> list[dict]:
    count = random.Random(f"contacts:{spec.key}").randint(2, 4)
    roles = list(_HEI_ROLES if spec.kind == OrganisationKind.HEI else _OTHER_ROLES)
    if spec.erasmus:
        roles[1] = (ContactRole.ERASMUS_COORDINATOR, "Institutional Erasmus coordinator", roles[1][2])
    contacts = []
    for serial, ((given, family), (role, position, visibility)) in enumerate(
        zip(data.people(spec, count), roles[:count], strict=True)
    ):
        contacts.append(
            {
                "given_name": given,
                "family_name": family,
                "email": f"{_ascii(given)}.{_ascii(family)}@{schac}",
                "phone": data.phone(spec, serial),
                "role": role.value,
                "position": position,
                "visibility": visibility.value,
                "unit_code": "IO" if role == ContactRole.INTERNATIONAL_OFFICE else None,
            }
        )
    return contacts


def _city(spec: DemoOrganisation):
    geonameid = data.CITY_IDS.get((spec.country, spec.city))
    city = get_city(geonameid) if geonameid else find_city(spec.city, spec.country)
    if city is None:
        raise ValueError(f"Demo data: no city '{spec.city}' in {spec.country}.")
    return city


def _create(spec: DemoOrganisation, index: int, *, actor, networks: dict[str, Organisation]) -> Organisation:
    """The organisation through the service (validated like any other); see ``_add_units_and_contacts``."""
    city = _city(spec)
    is_hei = spec.kind == OrganisationKind.HEI
    return services.organisation_create(
        actor=actor,
        kind=spec.kind,
        name=spec.name,
        abbreviation=spec.abbreviation,
        schac_code=spec.schac_code,
        erasmus_code=data.erasmus_code(spec, index) if spec.erasmus else "",
        oid=data.oid(index) if spec.erasmus else "",
        pic=data.pic(index) if spec.kind != OrganisationKind.NETWORK else "",
        ror_id=data.ror_id(index, spec.key) if is_hei else "",
        country_code=spec.country,
        city_geonameid=city.geonameid,
        street_address=data.street_address(spec),
        postal_code=data.postal_code(spec),
        website=f"https://www.{spec.schac_code}/",
        languages=list(spec.languages),
        fields=list(spec.fields),
        networks=[networks[key].pk for key in spec.networks],
        internal_notes="Fictional demo organisation created by seed_demo.",
        **_texts(spec, city.name),
    )


def _add_units_and_contacts(
    created: list[tuple[DemoOrganisation, Organisation]], outcome: SeedOutcome
) -> None:
    """Units and contacts of the new organisations, in three bulk inserts.

    Hundreds of service calls would triple the run time; the rows are fixed data, and a test runs
    ``full_clean`` on every one of them instead (``test_seed_demo``).
    """
    units: dict[tuple[str, str], OrganisationalUnit] = {}
    plans = {spec.key: _unit_plan(spec) for spec, _organisation in created}
    for top_level in (True, False):
        batch = []
        for spec, organisation in created:
            for code, name, parent in plans[spec.key]:
                if (parent is None) is top_level:
                    unit = OrganisationalUnit(
                        organisation=organisation,
                        parent=units[(spec.key, parent)] if parent else None,
                        name=name,
                        code=code,
                    )
                    units[(spec.key, code)] = unit
                    batch.append(unit)
        OrganisationalUnit.objects.bulk_create(batch)
    contacts = []
    for spec, organisation in created:
        for values in _contacts(spec, spec.schac_code):
            unit_code = values.pop("unit_code")
            contacts.append(
                Contact(organisation=organisation, unit=units.get((spec.key, unit_code)), **values)
            )
    Contact.objects.bulk_create(contacts)
    outcome.units_created += len(units)
    outcome.contacts_created += len(contacts)


class _Users:
    """Finds or creates the demo users; the password is hashed once, and only if a user is missing."""

    def __init__(self, outcome: SeedOutcome):
        self.outcome = outcome
        self._password: str | None = None

    def ensure(self, demo: data.DemoUser, organisation: Organisation | None) -> User:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            if self._password is None:
                self._password = make_password(data.DEMO_PASSWORD)
            domain = organisation.schac_code if organisation else "accord.example.org"
            user = User.objects.create(
                username=demo.username,
                email=f"{demo.username}@{domain}",
                first_name=demo.first_name,
                last_name=demo.last_name,
                language=demo.language,
                password=self._password,
                is_staff=demo.role == "staff",
                is_superuser=demo.role == "staff",
            )
            self.outcome.users_created += 1
        if organisation is not None:
            Membership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"role": demo.role}
            )
        role = "Platform staff (superuser)" if demo.role == "staff" else str(Role(demo.role).label)
        self.outcome.logins.append((demo.username, role, organisation.name if organisation else "—"))
        return user


@transaction.atomic
def seed_demo() -> SeedOutcome:
    """Create whatever part of the demo directory, demo users and demo partnership is missing."""
    outcome = SeedOutcome()
    users = _Users(outcome)
    staff_spec, *member_specs = data.DEMO_USERS
    staff = users.ensure(staff_spec, None)  # organisations are created in the staff user's name
    by_schac = {
        organisation.schac_code: organisation
        for organisation in Organisation.objects.filter(
            schac_code__in=[spec.schac_code for spec in data.ORGANISATIONS]
        )
    }
    organisations: dict[str, Organisation] = {}
    created: list[tuple[DemoOrganisation, Organisation]] = []
    for index, spec in enumerate(data.ORGANISATIONS):
        organisation = by_schac.get(spec.schac_code)
        if organisation is None:
            organisation = _create(spec, index, actor=staff, networks=organisations)
            created.append((spec, organisation))
        organisations[spec.key] = organisation
    outcome.organisations_created = len(created)
    _add_units_and_contacts(created, outcome)
    people = {
        demo.username: users.ensure(demo, organisations[demo.organisation_key]) for demo in member_specs
    }
    home, partner = organisations[data.HOME_KEY], organisations[data.PARTNER_KEY]
    outcome.partnerships_created = int(seed_partnership(home=home, partner=partner, users=people))
    seed_factsheet(organisation=home, actor=staff)
    outcome.exchanges_created = int(seed_exchange(home=home, partner=partner, users=people))
    seed_bip(organisations=organisations, users=people, ensure=users.ensure)
    seed_staff_mobilities(home=home, partner=partner, users=people)
    seed_open_call(home=home, partner=partner, users=people)
    seed_grading(home=home, partner=partner, users=people)
    seed_portfolio(organisations=organisations, users=people)
    seed_surveys(home=home, users=people)
    seed_funding(home=home, partner=partner, users=people, ensure=users.ensure)
    seed_ewp(home=home, partner=partner)
    seed_virtual_exchange(organisations=organisations, users=people, ensure=users.ensure)
    seed_courses(organisations=organisations, actor=staff)
    seed_evaluation(home=home, partner=partner, users=people)
    return outcome
