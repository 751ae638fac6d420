"""The mobilities API end to end: JSON in and out, the error shapes and who may do what."""

import pytest

from accord.mobilities.tests.conftest import COMPONENTS


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_a_learning_agreement_through_the_api(personas, agreement, as_user):
    client = as_user(personas.coordinator)
    response = post(
        client,
        "/api/v1/mobilities/",
        {
            "participant_id": personas.student.pk,
            "mobility_type": "long_term_physical",
            "sending_organisation_id": personas.home.pk,
            "receiving_organisation_id": personas.partner_org.pk,
            "agreement_id": agreement.pk,
            "condition_key": "c1",
            "academic_year": "2026/2027",
            "planned_start": "2026-09-01",
            "planned_end": "2027-01-31",
            "eqf_level": 6,
            "isced_code": "0613",
        },
    )
    assert response.status_code == 201, response.json()
    mobility_id = response.json()["id"]
    assert response.json()["duration_months"] == "5.00"
    as_user(personas.partner)
    assert post(client, f"/api/v1/mobilities/{mobility_id}/status", {"status": "accepted"}).status_code == 200
    as_user(personas.student)
    response = post(
        client, f"/api/v1/mobilities/{mobility_id}/learning-agreement/versions", {"components": COMPONENTS}
    )
    assert response.status_code == 201
    digest = response.json()["versions"][0]["components_hash"]
    assert response.json()["you_may_sign_as"] == ["student"]
    for user in (personas.student, personas.coordinator, personas.partner):
        as_user(user)
        response = post(
            client,
            f"/api/v1/mobilities/{mobility_id}/learning-agreement/versions/1/signatures",
            {"components_hash": digest},
        )
        assert response.status_code == 201, response.json()
    assert response.json()["approved_version"] == 1
    assert client.get(f"/api/v1/mobilities/{mobility_id}").json()["status"] == "la_approved"
    response = post(
        client,
        f"/api/v1/mobilities/{mobility_id}/learning-agreement/versions/1/signatures",
        {"components_hash": digest},
    )
    assert (response.status_code, response.json()["code"]) == (409, "not_signable")


def test_errors_name_the_field(personas, mobility, as_user):
    client = as_user(personas.student)
    response = post(
        client,
        f"/api/v1/mobilities/{mobility.pk}/learning-agreement/versions",
        {"components": [{**COMPONENTS[0], "credits": "-1"}]},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "components[0].credits"


def test_outsiders_get_404_and_the_list_is_scoped(personas, mobility, as_user):
    client = as_user(personas.outsider)
    assert client.get(f"/api/v1/mobilities/{mobility.pk}").status_code == 404
    assert client.get("/api/v1/mobilities/").json()["count"] == 0
    as_user(personas.partner)
    assert client.get("/api/v1/mobilities/?direction=incoming").json()["count"] == 1
    assert client.get("/api/v1/mobilities/?direction=outgoing").json()["count"] == 0
    as_user(personas.teacher)
    response = post(client, f"/api/v1/mobilities/{mobility.pk}/dates", {"actual_start": "2026-09-01"})
    assert response.status_code == 403


def test_the_work_queue_lists_what_waits_on_the_user(personas, mobility, as_user):
    client = as_user(personas.student)
    post(client, f"/api/v1/mobilities/{mobility.pk}/learning-agreement/versions", {"components": COMPONENTS})
    queue = client.get("/api/v1/mobilities/work-queue").json()
    assert [item["mobility_id"] for item in queue["awaiting_signature"]] == [mobility.pk]
    as_user(personas.partner)
    assert client.get("/api/v1/mobilities/work-queue").json()["awaiting_signature"] == []


def test_the_openapi_document_lists_the_mobility_endpoints(client, personas):
    client.force_login(personas.coordinator)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/mobilities/{mobility_id}/learning-agreement/versions/{number}/signatures" in paths


def test_the_sending_institution_records_the_students_details_for_ewp(personas, mobility, as_user):
    url = f"/api/v1/mobilities/{mobility.pk}/participant-details"
    details = {
        "birth_date": "2004-05-17",
        "nationality": "pl",
        "gender": 2,
        "global_id": "urn:schac:personalUniqueCode:int:esi:home.example.edu:1",
    }
    client = as_user(personas.coordinator)
    assert client.get(url).status_code == 404
    refused = client.put(url, {**details, "nationality": "XX"}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["field"] == "nationality"
    assert client.get(url).status_code == 404

    saved = client.put(url, details, content_type="application/json")

    assert saved.status_code == 200 and saved.json()["nationality"] == "PL"
    assert client.get(url).json()["global_id"] == details["global_id"]
    as_user(personas.partner)
    assert client.get(url).status_code == 403
    assert client.put(url, details, content_type="application/json").status_code == 403
