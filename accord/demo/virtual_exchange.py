"""The demo of virtual exchange: classes in Warsaw (Aurora University), Santiago de Chile
(Universidad del Mapocho) and Tokyo (Sumida University), three continents and three ways of changing
the clocks. Aurora's urban planning class and Mapocho's are matched and their exchange is planned for
the spring term, with its weekly session and tasks; an autumn exchange with Sumida is completed, so its
students hold a virtual mobility; and a Sumida class has invited Aurora's teacher, who finds the
invitation on the home page. Everything goes through the services, as people would do it.

It is found by its partnership's title, so a second run leaves it (and whatever someone changed) alone.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from accord.accounts.models import User
from accord.demo.data import HOME_KEY, DemoUser
from accord.organisations.models import Organisation
from accord.partnerships import services as partnerships
from accord.partnerships.choices import MemberRole, PartnershipModel
from accord.partnerships.models import Partnership
from accord.virtual_exchange import services

TITLE = "Global classrooms: virtual exchange"
MAPOCHO, SUMIDA = "mapocho", "sumida"

VE_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-ve-mapocho", "teacher", MAPOCHO, "Valentina", "Rojas", language="es"),
    DemoUser("demo-ve-sumida", "teacher", SUMIDA, "Haruka", "Sato"),
    DemoUser("demo-ve-sumida-coordinator", "coordinator", SUMIDA, "Kenji", "Mori"),
    DemoUser("demo-ve-haruto", "student", SUMIDA, "Haruto", "Suzuki"),
    DemoUser("demo-ve-yui", "student", SUMIDA, "Yui", "Takahashi"),
    DemoUser("demo-ve-matias", "student", MAPOCHO, "Matías", "Fuentes"),
    DemoUser("demo-ve-ola", "student", HOME_KEY, "Aleksandra", "Wójcik"),
)


def _class(title: str, zone: str, start: dt.date, end: dt.date, slots: list, **extra) -> dict:
    return {
        "title": title,
        "subject": extra.pop("subject", ""),
        "isced_code": extra.pop("isced_code", "0731"),
        "eqf_level": 6,
        "languages": extra.pop("languages", [{"language": "en", "cefr": "B2"}]),
        "term_start": start,
        "term_end": end,
        "time_zone": zone,
        "slots": slots,
        "students": extra.pop("students", 20),
        "weeks_wished": extra.pop("weeks_wished", 6),
        "mode": "synchronous",
        "themes": extra.pop("themes", ["sdg-11"]),
        **extra,
    }


def seed_virtual_exchange(
    *,
    organisations: dict[str, Organisation],
    users: dict[str, User],
    ensure: Callable[[DemoUser, Organisation], User],
) -> bool:
    """Create the demo's classes and exchanges unless they exist; return whether they were created."""
    if Partnership.objects.filter(title=TITLE).exists():
        return False
    home, mapocho, sumida = organisations[HOME_KEY], organisations[MAPOCHO], organisations[SUMIDA]
    people = {demo.username: ensure(demo, organisations[demo.organisation_key]) for demo in VE_USERS}
    partnerships.partnership_create(
        actor=users["demo-coordinator"],
        members=[(home, MemberRole.COORDINATOR), (mapocho, MemberRole.PARTNER), (sumida, MemberRole.PARTNER)],
        title=TITLE,
        model=PartnershipModel.VIRTUAL_EXCHANGE,
        description=(
            "Collaborative online international learning between classes in Europe, Latin America and Asia."
        ),
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2029, 8, 31),
    )
    teacher = users["demo-teacher"]
    tuesday, thursday = 1, 3

    # Autumn 2026: Warsaw and Tokyo, eight hours apart (seven until Europe's clocks go back on 25 October).
    warsaw_autumn = services.profile_create(
        actor=teacher,
        organisation=home,
        data=_class(
            "Resilient cities (autumn seminar)",
            "Europe/Warsaw",
            dt.date(2026, 10, 1),
            dt.date(2027, 1, 29),
            [{"weekday": tuesday, "start": "09:00", "end": "11:00"}],
            subject="Urban resilience and climate adaptation",
            holidays=[{"start": "2026-12-21", "end": "2027-01-06"}],
        ),
    )
    tokyo_autumn = services.profile_create(
        actor=people["demo-ve-sumida"],
        organisation=sumida,
        data=_class(
            "Urban design studio",
            "Asia/Tokyo",
            dt.date(2026, 9, 24),
            dt.date(2027, 1, 22),
            [{"weekday": tuesday, "start": "16:00", "end": "18:30"}],
            isced_code="0731",
            students=16,
        ),
    )
    autumn = services.proposal_invite(
        actor=people["demo-ve-sumida"],
        from_profile=tokyo_autumn,
        to_profile=warsaw_autumn,
        message="Our studio would love to compare Tokyo and Warsaw neighbourhoods with your students.",
    )
    services.proposal_decide(actor=teacher, proposal=autumn, accept=True)
    exchange = autumn.exchange
    services.exchange_update(
        actor=teacher,
        exchange=exchange,
        data={
            "start": dt.date(2026, 10, 5),
            "weeks": 6,
            "hours": Decimal(20),
            "ects": Decimal(1),
            "certificate": "COIL digital badge",
        },
    )
    for week, task in enumerate(
        (
            "Introductions and city walks on video",
            "Mapping risks",
            "Joint design sprint",
            "Peer review",
            "Final pitch",
            "Reflection",
        ),
        start=1,
    ):
        services.task_save(actor=teacher, exchange=exchange, data={"week": week, "title": task})
    services.students_set(
        actor=teacher, exchange=exchange, profile=warsaw_autumn, person_ids=[people["demo-ve-ola"].pk]
    )
    services.students_set(
        actor=people["demo-ve-sumida"],
        exchange=exchange,
        profile=tokyo_autumn,
        person_ids=[people["demo-ve-haruto"].pk, people["demo-ve-yui"].pk],
    )
    services.message_post(
        actor=people["demo-ve-sumida"],
        exchange=exchange,
        body="Thank you all: the final pitches were wonderful.",
    )
    services.exchange_complete(actor=teacher, exchange=exchange)

    # Spring 2027: Warsaw and Santiago, whose clocks move in opposite directions in March and April.
    warsaw_spring = services.profile_create(
        actor=teacher,
        organisation=home,
        data=_class(
            "Water and the city",
            "Europe/Warsaw",
            dt.date(2027, 2, 22),
            dt.date(2027, 6, 11),
            [{"weekday": thursday, "start": "15:00", "end": "17:00"}],
            subject="Urban water management",
            languages=[{"language": "en", "cefr": "B2"}, {"language": "es", "cefr": "B1"}],
            themes=["sdg-6", "sdg-11"],
        ),
    )
    santiago = services.profile_create(
        actor=people["demo-ve-mapocho"],
        organisation=mapocho,
        data=_class(
            "Ciudades y agua",
            "America/Santiago",
            dt.date(2027, 3, 8),
            dt.date(2027, 7, 2),
            [{"weekday": thursday, "start": "10:00", "end": "12:00"}],
            languages=[{"language": "es", "cefr": "C2"}, {"language": "en", "cefr": "B1"}],
            themes=["sdg-6"],
            students=25,
        ),
    )
    spring = services.proposal_invite(actor=teacher, from_profile=warsaw_spring, to_profile=santiago)
    services.proposal_decide(actor=people["demo-ve-mapocho"], proposal=spring, accept=True)
    services.task_save(
        actor=teacher, exchange=spring.exchange, data={"week": 1, "title": "Meet your partner team"}
    )
    services.task_save(
        actor=teacher, exchange=spring.exchange, data={"week": 2, "title": "Where does our water come from?"}
    )

    # A Tokyo class invites the Warsaw spring class: the invitation waits on demo-teacher's home page.
    tokyo_spring = services.profile_create(
        actor=people["demo-ve-sumida"],
        organisation=sumida,
        data=_class(
            "Design thinking for public space",
            "Asia/Tokyo",
            dt.date(2027, 4, 8),
            dt.date(2027, 7, 23),
            [{"weekday": thursday, "start": "17:00", "end": "19:00"}],
            isced_code="0732",
        ),
    )
    services.proposal_invite(
        actor=people["demo-ve-sumida"],
        from_profile=tokyo_spring,
        to_profile=warsaw_spring,
        message="After our autumn exchange, shall we work together again in the spring?",
    )
    call = services.call_create(
        actor=users["demo-coordinator"], organiser=home, title="Spring 2027 COIL call"
    )
    for actor, profile in (
        (teacher, warsaw_spring),
        (people["demo-ve-mapocho"], santiago),
        (people["demo-ve-sumida"], tokyo_spring),
    ):
        services.call_submit(actor=actor, call=call, profile=profile)
    return True
