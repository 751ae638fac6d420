"""The demo blended intensive programme: Aurora University (PL) coordinates and hosts it with the
Universidad del Turia (ES), the Università degli Studi del Reno (IT) and the Spree University of
Applied Sciences (DE). Students and a teacher from three sending institutions are accepted (their
mobilities exist on the sending side), one Spree nomination awaits the organiser's decision, and the
programme runs with attendance recorded for its first two parts. Everything goes through the BIP
services, as people would do it on the pages.

It is found by its title, so a second run leaves it (and whatever someone changed in it) alone.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from accord.accounts.models import User
from accord.bips import services
from accord.bips.choices import BipStatus, ParticipantKind
from accord.bips.models import Bip
from accord.demo.data import HOME_KEY, PARTNER_KEY, DemoUser
from accord.organisations.models import Organisation

TITLE = "Circular Cities: Blended Intensive Programme on Urban Water"
RENO, SPREE = "reno", "spree"

BIP_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-bip-reno", "coordinator", RENO, "Chiara", "Esposito"),
    DemoUser("demo-bip-spree", "coordinator", SPREE, "Jonas", "Becker"),
    DemoUser("demo-bip-carmen", "student", PARTNER_KEY, "Carmen", "Ortega"),
    DemoUser("demo-bip-javier", "student", PARTNER_KEY, "Javier", "Molina"),
    DemoUser("demo-bip-giulia", "student", RENO, "Giulia", "Ferri"),
    DemoUser("demo-bip-marco", "teacher", RENO, "Marco", "Galli"),
    DemoUser("demo-bip-lena", "student", SPREE, "Lena", "Hoffmann"),
    DemoUser("demo-bip-felix", "student", SPREE, "Felix", "Wagner"),
)

COMPONENTS = (
    (
        "virtual",
        "before",
        "Online kick-off and team assignments",
        dt.date(2026, 10, 19),
        dt.date(2026, 11, 6),
    ),
    (
        "physical",
        "",
        "Field week in Kraków: rivers, pipes and people",
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 20),
    ),
    ("virtual", "after", "Online final presentations", dt.date(2026, 11, 23), dt.date(2026, 11, 27)),
)

# (who nominates, whom, as what, EQF level, accepted)
NOMINATIONS = (
    ("demo-partner", "demo-bip-carmen", ParticipantKind.STUDENT, 6, True),
    ("demo-partner", "demo-bip-javier", ParticipantKind.STUDENT, 7, True),
    ("demo-bip-reno", "demo-bip-giulia", ParticipantKind.STUDENT, 7, True),
    ("demo-bip-reno", "demo-bip-marco", ParticipantKind.STAFF_TEACHING, None, True),
    ("demo-bip-spree", "demo-bip-lena", ParticipantKind.STUDENT, 6, True),
    ("demo-coordinator", "demo-student", ParticipantKind.STUDENT, 6, True),
    ("demo-bip-spree", "demo-bip-felix", ParticipantKind.STUDENT, 6, False),
)
ABSENT = {("demo-bip-javier", "virtual")}


def seed_bip(
    *,
    organisations: dict[str, Organisation],
    users: dict[str, User],
    ensure: Callable[[DemoUser, Organisation | None], User],
) -> bool:
    """Create the demo BIP unless it exists; return whether it was created. ``ensure`` finds or
    creates a demo user (the seed's, so they are listed with the other logins)."""
    people = dict(users)
    for demo in BIP_USERS:
        people[demo.username] = ensure(demo, organisations[demo.organisation_key])
    if Bip.objects.filter(title=TITLE).exists():
        return False
    organiser = people["demo-coordinator"]
    bip = services.bip_create(
        actor=organiser,
        coordinator=organisations[HOME_KEY],
        partners=[organisations[key] for key in (PARTNER_KEY, RENO, SPREE)],
        title=TITLE,
        description=(
            "Students of civil engineering, urban planning and environmental sciences design, in mixed "
            "teams, how a mid-sized city can reuse its rain and grey water. Three weeks online around "
            "a field week in Kraków with the municipal water company."
        ),
        isced_code="0532",
        language="en",
        ects=Decimal(3),
        capacity=24,
    )
    for partner in bip.partners.exclude(organisation=organisations[HOME_KEY]):
        services.bip_partner_update(actor=organiser, partner=partner, quota=6)
    components = {}
    for kind, timing, title, start, end in COMPONENTS:
        component = services.bip_component_save(
            actor=organiser, bip=bip, kind=kind, timing=timing, title=title, start=start, end=end
        )
        components[(kind, timing)] = component
    services.bip_transition(actor=organiser, bip=bip, to_status=BipStatus.OPEN)
    partners = {partner.organisation_id: partner for partner in bip.partners.all()}
    accepted = []
    for nominator, username, kind, eqf_level, accept in NOMINATIONS:
        person = people[username]
        organisation_id = person.memberships.get().organisation_id
        participant = services.participant_nominate(
            actor=people[nominator],
            bip=bip,
            partner=partners[organisation_id],
            person=person,
            kind=kind,
            eqf_level=eqf_level,
        )
        if accept:
            services.participant_decide(actor=organiser, participant=participant, accept=True)
            accepted.append((username, participant))
    services.bip_transition(actor=organiser, bip=bip, to_status=BipStatus.RUNNING)
    marks = [
        (participant, component, (username, kind) not in ABSENT, None)
        for username, participant in accepted
        for (kind, timing), component in components.items()
        if timing != "after"
    ]
    services.attendance_record(actor=organiser, bip=bip, marks=marks)
    return True
