"""The catalogue pages: list, detail, adding, editing with the version, importing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.courses.models import Course
from accord.courses.tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_costs_a_fixed_number_of_queries(client, personas, count, django_assert_max_num_queries):
    for number in range(count):
        make_course(personas.home, code=f"C{number}")
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(10):
        page = client.get("/courses/", {"organisation": personas.home.pk})
    assert page.status_code == 200 and "C0" in page.content.decode()


def test_the_detail_page(client, personas, django_assert_max_num_queries):
    course = make_course(personas.home, translations={"de": {"title": "Datenbanken", "description": "SQL"}})
    client.force_login(personas.partner)
    with django_assert_max_num_queries(8):
        page = client.get(f"/courses/{course.pk}/")
    assert "Datenbanken" in page.content.decode() and "/edit/" not in page.content.decode()


def test_adding_and_editing_a_course(client, personas):
    client.force_login(personas.coordinator)
    fields = {
        "code": "PSY-1",
        "title": "Psychology",
        "description": "Perception, memory.",
        "ects": "6",
        "language": "en",
        "mode": "on_site",
        "open_to_partners": "on",
    }
    answer = client.post(f"/courses/organisation/{personas.home.pk}/new/", fields)
    course = Course.objects.get(code="PSY-1")
    assert answer.status_code == 302
    edited = client.post(f"/courses/{course.pk}/edit/", {**fields, "title": "Psychology I", "version": 1})
    assert edited.status_code == 302
    stale = client.post(f"/courses/{course.pk}/edit/", {**fields, "title": "Psychology II", "version": 1})
    assert stale.status_code == 200 and "since you opened it" in stale.content.decode()
    course.refresh_from_db()
    assert course.title == "Psychology I"


def test_a_teacher_may_not_edit(client, personas):
    course = make_course(personas.home)
    client.force_login(personas.teacher)
    assert client.get(f"/courses/{course.pk}/edit/").status_code == 403


def test_the_import_page_lists_every_problem(client, personas):
    client.force_login(personas.admin)
    data = b"code,title,description,ects,isced,eqf,language\nA,B,,6,0612,6,en\nB,C,D,6,0612,6,zz\n"
    page = client.post(
        f"/courses/organisation/{personas.home.pk}/import/", {"file": SimpleUploadedFile("c.csv", data)}
    )
    text = page.content.decode()
    assert "Nothing was imported: 2 problems in the file." in text and "row 3, language" in text
