"""Courses under real overlap (threads released together, on PostgreSQL): two edits from the same
version save one and refuse the other, and two creates of one code add one course."""

import pytest

from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict, ValidationFailed
from accord.courses import services
from accord.courses.models import Course
from accord.courses.tests.factories import make_course
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


def test_two_edits_from_one_version_save_one(personas):
    course = make_course(personas.home)

    def edit(actor, title):
        return lambda: services.course_update(
            actor=actor, course=Course.objects.get(pk=course.pk), expected_version=1, title=title
        )

    outcomes = race(edit(personas.admin, "First"), edit(personas.coordinator, "Second"))
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    assert isinstance(next(o.error for o in outcomes if not o.ok), StaleVersion)
    course.refresh_from_db()
    assert course.version == 2 and course.title in {"First", "Second"}


def test_two_creates_of_one_code_add_one_course(personas):
    def create(actor):
        return lambda: services.course_create(
            actor=actor,
            organisation=personas.home,
            code="SAME",
            title="Course",
            description="Text",
            ects="6",
            language="en",
        )

    outcomes = race(create(personas.admin), create(personas.coordinator))
    assert sum(outcome.ok for outcome in outcomes) == 1
    assert all(isinstance(o.error, Conflict | ValidationFailed) for o in outcomes if not o.ok)
    assert Course.objects.filter(code="SAME").count() == 1
