"""The demo catalogues after ``seed_demo``: four institutions in four languages, Aurora's memory of
two equivalences, its catalogue in the semantic index, and a suggestion that shows both."""

import pytest

from accord.courses.models import Course
from accord.demo.seed import seed_demo
from accord.discovery.models import ApprovedEquivalence, CourseVector

pytestmark = pytest.mark.django_db


def test_catalogues_equivalences_and_a_suggestion(client, settings):
    settings.ACCORD_SEMANTIC_INDEX = True
    seed_demo()
    assert set(Course.objects.values_list("language", flat=True)) == {"pl", "es", "de", "fr"}
    assert ApprovedEquivalence.objects.count() == 2
    aurora = Course.objects.filter(organisation__schac_code="aurora.example.edu")
    assert CourseVector.objects.filter(course__in=aurora).count() == aurora.count() == 10
    from accord.accounts.models import User

    client.force_login(User.objects.get(username="demo-coordinator"))
    host = Course.objects.get(code="MI-13")
    page = client.get("/discovery/equivalents/", {"course": host.pk}).content.decode()
    assert "EKO-101 Mikroekonomia" in page and "Recognised for this course once before." in page
    assert seed_demo().users_created == 0 and Course.objects.count() == 22
