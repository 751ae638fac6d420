"""A small world for virtual exchange tests: a class in Warsaw and a partner class in Boston."""

from dataclasses import dataclass
from datetime import date

from accord.accounts.choices import Role
from accord.testing.factories import make_partnership, make_user


def class_data(**overrides) -> dict:
    values = {
        "title": "Sustainable cities",
        "subject": "Urban planning seminar",
        "isced_code": "0731",
        "eqf_level": 6,
        "languages": [{"language": "en", "cefr": "B2"}],
        "term_start": date(2027, 2, 22),
        "term_end": date(2027, 6, 11),
        "time_zone": "Europe/Warsaw",
        # Tuesday 15:00-17:00 in Warsaw is 09:00-11:00 in Boston (but 10:00 in the two weeks of March
        # when the USA has summer time and Europe not yet).
        "slots": [{"weekday": 1, "start": "15:00", "end": "17:00"}],
        "students": 24,
        "weeks_wished": 6,
        "mode": "synchronous",
        "themes": ["sdg-11"],
    }
    values.update(overrides)
    return values


def boston_data(**overrides) -> dict:
    return class_data(
        title="Cities and climate",
        time_zone="America/New_York",
        slots=[{"weekday": 1, "start": "09:00", "end": "11:00"}],
        students=18,
        **overrides,
    )


@dataclass
class VeWorld:
    home_teacher: object
    partner_teacher: object
    home_students: list
    partner_students: list


def make_ve_world(personas) -> VeWorld:
    """Teachers and students at the home and partner institutions, which share a partnership."""
    make_partnership(personas.home, personas.partner_org)
    return VeWorld(
        home_teacher=personas.teacher,
        partner_teacher=make_user("partner_teacher", organisation=personas.partner_org, role=Role.TEACHER),
        home_students=[
            personas.student,
            make_user("home_student2", organisation=personas.home, role=Role.STUDENT),
        ],
        partner_students=[make_user("partner_student", organisation=personas.partner_org, role=Role.STUDENT)],
    )
