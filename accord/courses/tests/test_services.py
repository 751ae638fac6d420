"""Writing courses: who may, what is refused and in which words, and stale edits."""

from decimal import Decimal

import pytest

from accord.core.concurrency import StaleVersion
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.events import subscribe
from accord.courses import services
from accord.courses.events import CoursesChanged
from accord.courses.models import Course
from accord.courses.tests.factories import make_course

pytestmark = pytest.mark.django_db

VALID = {
    "code": "MA-LA1",
    "title": "Lineare Algebra I",
    "description": "Vektorräume, Matrizen, Determinanten.",
    "ects": "9",
    "language": "de",
}


def test_a_coordinator_adds_a_course_and_the_index_hears_of_it(personas):
    heard = []
    subscribe(CoursesChanged, heard.append)
    course = services.course_create(
        actor=personas.coordinator, organisation=personas.home, isced_code="0541", eqf_level=6, **VALID
    )
    assert course.ects == Decimal(9) and course.version == 1 and course.updated_by == personas.coordinator
    assert any(event.course_ids == (course.pk,) for event in heard)


@pytest.mark.parametrize("persona", ["teacher", "student", "viewer", "partner", "outsider"])
def test_only_admins_and_coordinators_change_a_catalogue(personas, persona):
    with pytest.raises(PermissionDenied):
        services.course_create(actor=personas.by_name(persona), organisation=personas.home, **VALID)
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"ects": "six"}, "ects", "'six' is not a number of ECTS credits."),
        ({"ects": "0.3"}, "ects", "ECTS credits are counted in halves"),
        ({"isced_code": "9876"}, "isced_code", "'9876' is not an ISCED-F 2013 field."),
        ({"eqf_level": 9}, "eqf_level", "'9' is not an EQF level"),
        ({"description": "  "}, "description", "Describe the course"),
        ({"language": "xx"}, "language", "'xx' is not a language code."),
    ],
)
def test_bad_values_are_refused_on_their_field(personas, change, field, words):
    with pytest.raises(ValidationFailed) as refused:
        services.course_create(actor=personas.coordinator, organisation=personas.home, **{**VALID, **change})
    assert words in refused.value.errors[field][0]


def test_a_code_is_used_once_per_catalogue(personas):
    make_course(personas.home, code="MA-LA1")
    with pytest.raises(ValidationFailed) as refused:
        services.course_create(actor=personas.coordinator, organisation=personas.home, **VALID)
    assert "already has a course with this code" in refused.value.errors["code"][0]
    services.course_create(actor=personas.partner, organisation=personas.partner_org, **VALID)


def test_an_edit_from_a_stale_version_saves_nothing(personas):
    course = make_course(personas.home)
    services.course_update(actor=personas.admin, course=course, expected_version=1, title="Database systems")
    stale = Course.objects.get(pk=course.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        services.course_update(actor=personas.coordinator, course=stale, expected_version=1, ects="5")
    course.refresh_from_db()
    assert course.title == "Database systems" and course.ects == Decimal(6) and course.version == 2


def test_deleting_a_course(personas):
    course = make_course(personas.home)
    services.course_delete(actor=personas.coordinator, course=course, expected_version=1)
    assert not Course.objects.exists()
