"""The catalogue API end to end: JSON, ETag and If-Match, imports, who may do what."""

import pytest

from accord.courses.models import Course
from accord.courses.tests.factories import make_course

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, data=None, **headers):
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def test_create_read_and_edit_with_if_match(client, personas):
    client.force_login(personas.coordinator)
    created = send(
        client,
        "post",
        "/api/v1/courses/",
        {
            "organisation_id": personas.home.pk,
            "code": "INF-ML",
            "title": "Machine learning",
            "description": "Regression, trees, neural networks.",
            "ects": "6",
            "language": "en",
            "isced_code": "0613",
        },
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/courses/{created.json()['id']}"
    read = client.get(url)
    assert read["ETag"] == created["ETag"]
    changed = send(client, "patch", url, {"ects": "5"}, **{"If-Match": read["ETag"]})
    assert changed.status_code == 200 and float(changed.json()["ects"]) == 5
    stale = send(client, "patch", url, {"ects": "7"}, **{"If-Match": read["ETag"]})
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    assert client.get("/api/v1/courses/", {"organisation_id": personas.home.pk}).json()["count"] == 1


def test_others_read_but_do_not_change(client, personas):
    course = make_course(personas.home)
    client.force_login(personas.partner)
    assert client.get(f"/api/v1/courses/{course.pk}").status_code == 200
    assert send(client, "patch", f"/api/v1/courses/{course.pk}", {"ects": "5"}).status_code == 403
    assert send(client, "delete", f"/api/v1/courses/{course.pk}").status_code == 403
    assert client.get("/api/v1/courses/999999").status_code == 404


def test_an_import_refused_lists_its_problems(client, personas):
    client.force_login(personas.admin)
    data = b"code,title,description,ects,isced,eqf,language\nA,B,C,many,0612,6,en\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        f"/api/v1/courses/import?organisation_id={personas.home.pk}",
        {"file": SimpleUploadedFile("c.csv", data, content_type="text/csv")},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0] == {
        "row": 2,
        "column": "ects",
        "message": "'many' is not a number of ECTS credits.",
    }
    assert not Course.objects.exists()
