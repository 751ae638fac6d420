from decimal import Decimal

from accord.courses.models import Course


def make_course(organisation, code: str = "INF-1", **overrides) -> Course:
    values = {
        "title": "Databases",
        "description": "Relational model, SQL, normal forms, transactions.",
        "ects": Decimal(6),
        "isced_code": "0612",
        "eqf_level": 6,
        "language": "en",
    }
    values.update(overrides)
    return Course.objects.create(organisation=organisation, code=code, **values)
