"""The BIP API end to end: JSON in and out, ETag and If-Match, and who may do what."""

import pytest

from accord.bips.choices import BipStatus
from accord.bips.models import BipAttendance
from accord.mobilities.models import Mobility
from accord.testing.bips import make_bip_world

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, data=None, **headers):
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def test_a_programme_from_draft_to_an_accepted_participant(client, personas):
    world = make_bip_world(personas, status=BipStatus.DRAFT)
    client.force_login(personas.coordinator)
    url = f"/api/v1/bips/{world.bip.pk}"
    read = client.get(url)
    assert read.status_code == 200 and read["ETag"] == f'"bip-{world.bip.pk}-v{world.bip.version}"'
    opened = send(client, "post", f"{url}/transitions", {"to_status": "open"}, **{"If-Match": read["ETag"]})
    assert opened.status_code == 200, opened.json()
    assert opened.json()["status"] == "open"

    client.force_login(personas.partner)
    nominated = send(
        client,
        "post",
        f"{url}/participants",
        {
            "organisation_id": personas.partner_org.pk,
            "person_id": world.partner_student.pk,
            "kind": "student",
            "eqf_level": 6,
        },
    )
    assert nominated.status_code == 201, nominated.json()
    participant_id = nominated.json()["id"]
    refused = send(client, "post", f"{url}/participants/{participant_id}/decision", {"accept": True})
    assert refused.status_code == 403

    client.force_login(personas.coordinator)
    decided = send(
        client,
        "post",
        f"{url}/participants/{participant_id}/decision",
        {"accept": True},
        **{"If-Match": nominated["ETag"]},
    )
    assert decided.status_code == 200, decided.json()
    assert Mobility.objects.filter(
        pk=decided.json()["mobility_id"], sending_organisation=personas.partner_org
    ).exists()
    funding = client.get(f"{url}/funding").json()
    assert funding["accepted"] == 1 and funding["organisational_support"] == "0"


def test_a_stale_if_match_is_412_with_a_sentence(client, personas):
    world = make_bip_world(personas, status=BipStatus.DRAFT)
    client.force_login(personas.coordinator)
    url = f"/api/v1/bips/{world.bip.pk}"
    etag = client.get(url)["ETag"]
    assert send(client, "patch", url, {"capacity": 25}, **{"If-Match": etag}).status_code == 200
    stale = send(client, "patch", url, {"title": "Mine"}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert "since you opened it" in stale.json()["message"]
    assert stale.json()["current"] == {"title": "Green Chemistry Intensive"}


def test_opening_too_early_is_422_naming_the_rules(client, personas):
    client.force_login(personas.coordinator)
    created = send(
        client,
        "post",
        "/api/v1/bips/",
        {"title": "Alone", "coordinator_id": personas.home.pk, "ects": "3", "capacity": 10},
    )
    assert created.status_code == 201, created.json()
    opened = send(client, "post", f"/api/v1/bips/{created.json()['id']}/transitions", {"to_status": "open"})
    assert opened.status_code == 422
    assert "at least 3 institutions" in opened.json()["message"]


def test_outsiders_get_404_and_a_full_programme_is_409(client, personas):
    world = make_bip_world(personas, capacity=1)
    client.force_login(personas.outsider)
    assert client.get(f"/api/v1/bips/{world.bip.pk}").status_code == 404
    client.force_login(world.third)
    url = f"/api/v1/bips/{world.bip.pk}/participants"
    first = send(
        client,
        "post",
        url,
        {
            "organisation_id": world.third_org.pk,
            "person_id": world.third_student.pk,
            "kind": "student",
            "eqf_level": 6,
        },
    )
    assert first.status_code == 201
    client.force_login(personas.partner)
    full = send(
        client,
        "post",
        url,
        {
            "organisation_id": personas.partner_org.pk,
            "person_id": world.partner_student.pk,
            "kind": "student",
            "eqf_level": 6,
        },
    )
    assert full.status_code == 409 and full.json()["code"] == "full"
    assert [p["person_id"] for p in client.get(url).json()] == []


def test_attendance_through_the_api(client, personas):
    world = make_bip_world(personas)
    client.force_login(personas.partner)
    participant = send(
        client,
        "post",
        f"/api/v1/bips/{world.bip.pk}/participants",
        {
            "organisation_id": personas.partner_org.pk,
            "person_id": world.partner_student.pk,
            "kind": "student",
            "eqf_level": 6,
        },
    ).json()
    client.force_login(personas.coordinator)
    url = f"/api/v1/bips/{world.bip.pk}"
    send(client, "post", f"{url}/participants/{participant['id']}/decision", {"accept": True})
    send(client, "post", f"{url}/transitions", {"to_status": "running"})
    components = client.get(f"{url}/components").json()
    marks = [
        {"participant_id": participant["id"], "component_id": c["id"], "attended": True} for c in components
    ]
    etag = client.get(url)["ETag"]
    recorded = client.put(
        f"{url}/attendance", marks, content_type="application/json", headers={"If-Match": etag}
    )
    assert recorded.status_code == 200, recorded.json()
    assert len(recorded.json()) == 2 and all(mark["attended"] for mark in recorded.json())
    assert recorded["ETag"] == client.get(url)["ETag"] != etag

    # A second grid saved from the page as it was before: refused, the first one's marks stay.
    absent = [{**mark, "attended": False} for mark in marks]
    stale = client.put(
        f"{url}/attendance", absent, content_type="application/json", headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert set(
        BipAttendance.objects.filter(participant_id=participant["id"]).values_list("attended", flat=True)
    ) == {True}


def test_the_openapi_document_declares_etag_if_match_and_412(client, personas):
    client.force_login(personas.coordinator)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "ETag" in paths["/api/v1/bips/{bip_id}"]["get"]["responses"]["200"]["headers"]
    for path, method in (
        ("/api/v1/bips/{bip_id}", "patch"),
        ("/api/v1/bips/{bip_id}/transitions", "post"),
        ("/api/v1/bips/{bip_id}/participants/{participant_id}/decision", "post"),
        ("/api/v1/bips/{bip_id}/participants/{participant_id}/withdrawal", "post"),
        ("/api/v1/bips/{bip_id}/partners/{partner_id}", "patch"),
        ("/api/v1/bips/{bip_id}/components/{component_id}", "put"),
        ("/api/v1/bips/{bip_id}/components/{component_id}", "delete"),
        ("/api/v1/bips/{bip_id}/attendance", "put"),
    ):
        operation = paths[path][method]
        assert "If-Match" in [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert "412" in operation["responses"], (path, method)


def test_quota_components_and_withdrawal_honour_if_match(client, personas):
    world = make_bip_world(personas, status=BipStatus.DRAFT)
    client.force_login(personas.coordinator)
    url = f"/api/v1/bips/{world.bip.pk}"
    partner = world.partner_of(personas.partner_org)
    partner_url = f"{url}/partners/{partner.pk}"
    tag = f'"bippartner-{partner.pk}-v{partner.version}"'
    assert send(client, "patch", partner_url, {"quota": 3}, **{"If-Match": tag}).status_code == 200
    assert send(client, "patch", partner_url, {"quota": 4}, **{"If-Match": tag}).status_code == 412

    virtual = world.bip.components.get(kind="virtual")
    component_url = f"{url}/components/{virtual.pk}"
    moved = send(
        client,
        "put",
        component_url,
        {"kind": "virtual", "timing": "after", "start": "2027-05-17", "end": "2027-05-28"},
        **{"If-Match": f'"bipcomponent-{virtual.pk}-v{virtual.version}"'},
    )
    assert moved.status_code == 200, moved.json()
    assert moved["ETag"] == f'"bipcomponent-{virtual.pk}-v{virtual.version + 1}"'
    stale = client.delete(
        component_url, headers={"If-Match": f'"bipcomponent-{virtual.pk}-v{virtual.version}"'}
    )
    assert stale.status_code == 412
    assert client.delete(component_url, headers={"If-Match": moved["ETag"]}).status_code == 204

    send(
        client,
        "post",
        f"{url}/components",
        {"kind": "virtual", "timing": "before", "start": "2027-04-12", "end": "2027-04-30"},
    )
    send(client, "post", f"{url}/transitions", {"to_status": "open"})
    client.force_login(personas.partner)
    nominated = send(
        client,
        "post",
        f"{url}/participants",
        {
            "organisation_id": personas.partner_org.pk,
            "person_id": world.partner_student.pk,
            "kind": "student",
            "eqf_level": 6,
        },
    )
    withdrawn = send(
        client,
        "post",
        f"{url}/participants/{nominated.json()['id']}/withdrawal",
        {"reason": "Exams moved to May."},
        **{"If-Match": nominated["ETag"]},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
