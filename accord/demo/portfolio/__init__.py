"""The demo university's portfolio in every state (issue 19): partnerships of several models on
four continents, agreements from draft to terminated, calls open, under review and allocated, and
mobilities at every stage, so that each persona's first page has something to look at and to do.

Everything goes through the domain services, as a person would act; only the extra students and
partner coordinators are inserted in bulk (see ``people``). Each part finds what it made by title or
participant, so a second run changes nothing."""

from accord.accounts.choices import Role
from accord.accounts.models import User
from accord.demo.partnership import TITLE as PARTNERSHIP_TITLE
from accord.demo.portfolio.agreements import seed_agreements
from accord.demo.portfolio.calls import seed_calls
from accord.demo.portfolio.mobilities import Side, seed_mobilities
from accord.demo.portfolio.partnerships import PLANNED, seed_partnerships
from accord.demo.portfolio.people import coordinator_of, people_of
from accord.organisations.models import Organisation
from accord.partnerships.models import Partnership

PARTNER_KEYS = ("turia", "savanna", "sumida", "table-bay", "tiete", "ontario-lakes")
APPLICANTS = 55


def seed_portfolio(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    home = organisations["aurora"]
    coordinator = users["demo-coordinator"]
    coordinators = {"aurora": coordinator, "turia": users["demo-partner"]}
    for key in PARTNER_KEYS:
        coordinators.setdefault(key, coordinator_of(organisations[key]))
    seed_partnerships(organisations=organisations, coordinators=coordinators)
    by_title = {p.title: p for p in Partnership.objects.filter(title__in=[p.title for p in PLANNED])}
    partnerships = {
        "turia": Partnership.objects.get(title=PARTNERSHIP_TITLE),
        "savanna": by_title[PLANNED[0].title],
        "sumida": by_title[PLANNED[1].title],
        "climate": by_title[PLANNED[2].title],
    }
    seed_agreements(
        home=home,
        organisations=organisations,
        partnerships=partnerships,
        coordinator=coordinator,
        partners=coordinators,
    )
    students = people_of(home, role=Role.STUDENT, count=APPLICANTS + 7, prefix="aurora-student")
    seed_calls(
        home=home,
        organisations=organisations,
        coordinator=coordinator,
        teacher=users["demo-teacher"],
        partners=coordinators,
        students=students[:APPLICANTS],
    )
    turia = organisations["turia"]
    seed_mobilities(
        home=Side(home, coordinator),
        partner=Side(turia, users["demo-partner"]),
        outgoing=students[APPLICANTS:],
        incoming=people_of(turia, role=Role.STUDENT, count=2, prefix="turia-student"),
    )
