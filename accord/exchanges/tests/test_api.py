"""The exchanges API: who sees what (the persona matrix), the student's and coordinator's journey,
and bad input answered with a stable code and the offending field."""

import pytest

from accord.exchanges.models import Application
from accord.exchanges.tests.conftest import application_fields, call_fields

BASE = "/api/v1/exchanges"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def application(personas, call, places):
    from accord.exchanges import services

    created = services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    return services.application_submit(actor=personas.student, application=created)


# Who sees the call, and how many applications of it, and may run the allocation.
MATRIX = {
    "platform_admin": (200, 1),
    "admin": (200, 1),
    "coordinator": (200, 1),
    "teacher": (200, 1),
    "viewer": (200, 0),
    "student": (200, 1),
    "partner": (404, None),
    "outsider": (404, None),
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_persona_matrix(client, personas, call, application, persona):
    as_user(client, personas.by_name(persona))
    call_status, applications = MATRIX[persona]
    assert client.get(f"{BASE}/calls/{call.pk}").status_code == call_status
    listed = client.get(f"{BASE}/calls/{call.pk}/applications")
    if applications is None:
        assert listed.status_code == 404
    else:
        assert len(listed.json()) == applications
    single = client.get(f"{BASE}/applications/{application.pk}")
    assert single.status_code == (200 if applications else 404)
    manages = persona in {"platform_admin", "admin", "coordinator"}
    closed = post(client, f"{BASE}/calls/{call.pk}/close")
    assert closed.status_code == (200 if manages else 403 if call_status == 200 else 404)


def test_a_student_sees_only_their_own_application(client, personas, call, application, students):
    as_user(client, students[1])
    assert client.get(f"{BASE}/calls/{call.pk}/applications").json() == []
    assert client.get(f"{BASE}/applications/{application.pk}").status_code == 404


def test_students_do_not_see_draft_calls(client, personas, agreement):
    from accord.exchanges import services

    draft = services.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    as_user(client, personas.student)
    assert client.get(f"{BASE}/calls/{draft.pk}").status_code == 404


def test_bad_input_names_the_field_and_writes_nothing(client, personas, call, places):
    as_user(client, personas.student)
    url = f"{BASE}/calls/{call.pk}/applications"
    too_many = post(client, url, {**application_fields(), "choices": [p.pk for p in call.places.all()] * 2})
    assert (too_many.status_code, too_many.json()["field"]) == (422, "choices")
    ineligible = post(
        client, url, {**application_fields(languages={"en": "A1"}), "choices": [places["Partner"].pk]}
    )
    assert "requires CEFR B2 in en; you have A1" in ineligible.json()["message"]
    assert not Application.objects.exists()
    assert post(client, url, {**application_fields(), "choices": [places["Partner"].pk]}).status_code == 201
    duplicate = post(client, url, {**application_fields(), "choices": [places["Partner"].pk]})
    assert (duplicate.status_code, duplicate.json()["code"], duplicate.json()["field"]) == (
        409,
        "duplicate",
        "call",
    )


def test_the_allocation_journey_through_the_api(client, personas, call, application, places):
    as_user(client, personas.teacher)
    review = client.put(
        f"{BASE}/applications/{application.pk}/review", {"score": 9}, content_type="application/json"
    )
    assert (review.status_code, review.json()["field"]) == (422, "score")
    assert (
        client.put(
            f"{BASE}/applications/{application.pk}/review", {"score": 4}, content_type="application/json"
        )
    ).status_code == 200

    as_user(client, personas.coordinator)
    refused = post(client, f"{BASE}/calls/{call.pk}/runs")
    assert (refused.status_code, refused.json()["code"]) == (409, "call_not_closed")
    post(client, f"{BASE}/calls/{call.pk}/close")
    run = post(client, f"{BASE}/calls/{call.pk}/runs").json()
    assert run["assignments"][0]["place_id"] == places["Partner"].pk
    assert "1st choice" in run["assignments"][0]["explanation"]
    assert post(client, f"{BASE}/runs/{run['id']}/publish").status_code == 200
    export = client.get(f"{BASE}/calls/{call.pk}/applications/export.csv")
    assert export.status_code == 200 and b"grade_0_10" in export.content

    as_user(client, personas.student)
    result = client.get(f"{BASE}/applications/{application.pk}/result").json()
    assert result["place_id"] == places["Partner"].pk

    as_user(client, personas.partner)
    nominations = client.get(f"{BASE}/nominations").json()
    assert [n["student"] for n in nominations] == ["student"]
    rejected = post(client, f"{BASE}/nominations/{nominations[0]['id']}/reject", {"reason": "Full"})
    assert rejected.json()["status"] == "rejected"

    as_user(client, personas.outsider)
    assert client.get(f"{BASE}/nominations").json() == []


def test_accepting_a_nomination_answers_with_the_mobility_it_started(client, personas, call, application):
    from accord.mobilities.models import Mobility

    as_user(client, personas.coordinator)
    post(client, f"{BASE}/calls/{call.pk}/close")
    run = post(client, f"{BASE}/calls/{call.pk}/runs").json()
    post(client, f"{BASE}/runs/{run['id']}/publish")
    as_user(client, personas.partner)
    (nomination,) = client.get(f"{BASE}/nominations").json()
    assert nomination["mobility_id"] is None
    accepted = post(client, f"{BASE}/nominations/{nomination['id']}/accept").json()
    mobility = Mobility.objects.get()
    assert (accepted["status"], accepted["mobility_id"]) == ("accepted", mobility.pk)
    assert mobility.status == "accepted" and mobility.source_id == nomination["id"]
    assert client.get(f"{BASE}/nominations").json()[0]["mobility_id"] == mobility.pk
    mobility_api = client.get(f"/api/v1/mobilities/{mobility.pk}")
    assert mobility_api.status_code == 200
    again = post(client, f"{BASE}/nominations/{nomination['id']}/accept")
    assert (again.status_code, again.json()["code"]) == (409, "wrong_status")


def test_allocation_as_a_background_job(
    client, personas, call, application, django_capture_on_commit_callbacks
):
    as_user(client, personas.coordinator)
    post(client, f"{BASE}/calls/{call.pk}/close")
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, f"{BASE}/calls/{call.pk}/runs", {"background": True})
    assert answer.status_code == 202
    assert call.runs.count() == 1
