"""The staff mobility API: an invitation, a programme proposed with If-Match (412 when stale), three
signatures naming the programme's hash, and the certificate with its ETag."""

import pytest

from accord.mobilities import services
from accord.mobilities.models import Mobility
from accord.mobilities.tests.staff.conftest import END, START

pytestmark = pytest.mark.django_db

PROGRAMME = {
    "activity": "combined",
    "objectives": "Exchange practice in laboratory teaching.",
    "activities": "Two laboratory sessions and job shadowing at the library.",
    "outcomes": "A shared laboratory guide.",
    "planned_start": "2027-03-08",
    "planned_end": "2027-03-12",
    "teaching_hours": "4",
    "sending_contact_name": "Tomasz Wiśniewski",
    "sending_contact_email": "coordinator@home.example.edu",
    "receiving_contact_name": "Lucía Navarro",
    "receiving_contact_email": "partner@partner.example.edu",
}


def post(client, url, data, **headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def test_a_staff_mobility_from_invitation_to_certificate(client, personas):
    client.force_login(personas.coordinator)
    response = post(
        client,
        "/api/v1/mobilities/staff-invitations",
        {
            "participant_id": personas.teacher.pk,
            "mobility_type": "staff_teaching",
            "sending_organisation_id": personas.home.pk,
            "receiving_organisation_id": personas.partner_org.pk,
            "academic_year": "2026/2027",
            "planned_start": "2027-03-01",
            "planned_end": "2027-03-05",
        },
    )
    assert response.status_code == 201, response.json()
    mobility_id = response.json()["id"]
    base = f"/api/v1/mobilities/{mobility_id}/staff-agreement"
    client.force_login(personas.teacher)
    read = client.get(base)
    assert read["ETag"] == f'"staff-agreement-{mobility_id}-v0"'
    assert read.json()["next_step"].startswith("Draft the mobility agreement")
    short = post(client, f"{base}/versions", {**PROGRAMME, "teaching_hours": "3"}, if_match=read["ETag"])
    assert short.status_code == 422
    assert "at least 4 teaching hours" in str(short.json())
    response = post(client, f"{base}/versions", PROGRAMME, if_match=read["ETag"])
    assert response.status_code == 201, response.json()
    assert response["ETag"] == f'"staff-agreement-{mobility_id}-v1"'
    stale = post(client, f"{base}/versions", {**PROGRAMME, "teaching_hours": "6"}, if_match=read["ETag"])
    assert stale.status_code == 412 and "Version 1 was written since" in stale.json()["message"]
    digest = response.json()["versions"][0]["content_hash"]
    assert response.json()["versions"][0]["programme"]["activity"] == "combined"
    client.force_login(personas.partner)
    assert post(client, f"/api/v1/mobilities/{mobility_id}/status", {"status": "accepted"}).status_code == 200
    for user in (personas.teacher, personas.coordinator, personas.partner):
        client.force_login(user)
        signed = post(client, f"{base}/versions/1/signatures", {"content_hash": digest})
        assert signed.status_code == 201, signed.json()
    assert signed.json()["approved_version"] == 1
    services.mobility_record_dates(
        actor=personas.partner, mobility=Mobility.objects.get(pk=mobility_id), actual_start=START
    )
    certificate_url = f"/api/v1/mobilities/{mobility_id}/staff-certificate"
    assert client.get(certificate_url).status_code == 404
    body = {"actual_start": START.isoformat(), "actual_end": END.isoformat(), "teaching_hours": "3"}
    issued = client.put(certificate_url, body, content_type="application/json")
    assert issued.status_code == 200, issued.json()
    assert issued.json()["warnings"][0].startswith("Erasmus+ asks for at least 4 teaching hours")
    etag = issued["ETag"]
    corrected = client.put(
        certificate_url,
        {**body, "teaching_hours": "4"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert corrected.status_code == 200 and corrected.json()["warnings"] == []
    stale = client.put(
        certificate_url,
        {**body, "teaching_hours": "5"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert stale.status_code == 412
    client.force_login(personas.teacher)
    assert client.get(certificate_url).json()["teaching_hours"] == "4.0"
    assert client.put(certificate_url, body, content_type="application/json").status_code == 403


def test_a_student_mobility_has_no_staff_agreement(client, personas):
    from accord.mobilities.tests.conftest import create

    mobility = create(personas, None, condition_key="")
    client.force_login(personas.coordinator)
    assert client.get(f"/api/v1/mobilities/{mobility.pk}/staff-agreement").status_code == 404


def test_openapi_declares_if_match_and_412_for_staff_writes(client, personas):
    client.force_login(personas.coordinator)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/mobilities/{mobility_id}/staff-agreement/versions", "post"),
        ("/api/v1/mobilities/{mobility_id}/staff-certificate", "put"),
    ]:
        operation = paths[path][method]
        assert "If-Match" in [parameter["name"] for parameter in operation["parameters"]]
        assert "412" in operation["responses"]
    assert "/api/v1/mobilities/staff-invitations" in paths


def test_the_staff_activities_repeat_the_pure_ones():
    from accord.algorithms.mobility.staff import StaffActivity as Pure
    from accord.mobilities.choices import STAFF_ACTIVITIES, StaffActivity

    assert set(StaffActivity.values) == {activity.value for activity in Pure}
    assert {activity for allowed in STAFF_ACTIVITIES.values() for activity in allowed} == set(StaffActivity)
