"""Mobilities and participant details carry a version: ETag on reads, If-Match on writes (412 when
stale, 422 when malformed), and the services refuse a stale one."""

import pytest

from accord.mobilities import services
from accord.mobilities.models import Mobility, ParticipantDetails
from accord.mobilities.tests.conftest import COMPONENTS, sign_all

pytestmark = pytest.mark.django_db
DETAILS = {"birth_date": "2004-05-06", "nationality": "PL", "gender": 2, "global_id": "urn:esi:1"}


def test_participant_details_etag_and_if_match(client, personas, mobility):
    client.force_login(personas.coordinator)
    url = f"/api/v1/mobilities/{mobility.pk}/participant-details"
    created = client.put(url, DETAILS, content_type="application/json")
    assert created.status_code == 200, created.content
    etag = created["ETag"]
    assert client.get(url)["ETag"] == etag

    changed = client.put(
        url, {**DETAILS, "nationality": "ES"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == 2

    stale = client.put(
        url, {**DETAILS, "nationality": "IT"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["current"] == {
        "birth_date": "2004-05-06",
        "nationality": "ES",
        "gender": 2,
        "global_id": "urn:esi:1",
    }
    assert ParticipantDetails.objects.get(user=mobility.participant).nationality == "ES"
    malformed = client.put(url, DETAILS, content_type="application/json", headers={"If-Match": "yesterday"})
    assert malformed.status_code == 422


def test_recording_dates_honours_if_match(client, personas, mobility):
    version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    sign_all(personas, mobility, version)
    client.force_login(personas.partner)
    url = f"/api/v1/mobilities/{mobility.pk}"
    etag = client.get(url)["ETag"]
    services.mobility_record_dates(
        actor=personas.partner, mobility=mobility, actual_start=mobility.planned_start
    )
    stale = client.post(
        f"{url}/dates",
        {"actual_start": "2026-09-03"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert stale.status_code == 412
    assert Mobility.objects.get(pk=mobility.pk).actual_start == mobility.planned_start
    fresh = client.get(url)["ETag"]
    saved = client.post(
        f"{url}/dates",
        {"actual_start": "2026-09-03"},
        content_type="application/json",
        headers={"If-Match": fresh},
    )
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != fresh


def test_openapi_declares_if_match_and_412_for_mobility_writes(client, personas):
    client.force_login(personas.coordinator)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/mobilities/{mobility_id}/dates", "post"),
        ("/api/v1/mobilities/{mobility_id}/participant-details", "put"),
    ]:
        operation = paths[path][method]
        assert "If-Match" in [parameter["name"] for parameter in operation["parameters"]]
        assert "412" in operation["responses"]
    assert "ETag" in paths["/api/v1/mobilities/{mobility_id}"]["get"]["responses"]["200"]["headers"]
