"""Versions over the organisations API: ETag on reads and writes, If-Match honoured, 412 when stale."""

import pytest

from accord.organisations.models import Contact, Factsheet, OrganisationalUnit
from accord.testing.factories import factsheet_data, make_contact, make_factsheet, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.admin)
    return client


def _urls(personas) -> dict[str, str]:
    home = personas.home.pk
    unit = make_unit(personas.home, code="SCI")
    contact = make_contact(personas.home, position="Officer")
    make_factsheet(personas.home)
    return {
        "organisation": f"/api/v1/organisations/{home}",
        "organisationalunit": f"/api/v1/organisations/{home}/units/{unit.pk}",
        "contact": f"/api/v1/organisations/{home}/contacts/{contact.pk}",
        "factsheet": f"/api/v1/organisations/{home}/factsheet",
    }


def _write(client, kind: str, url: str, value: str, if_match: str | None = None):
    headers = {"If-Match": if_match} if if_match is not None else {}
    if kind == "factsheet":
        body = {**factsheet_data(), "application_phone": value}
        return client.put(url, body, content_type="application/json", headers=headers)
    field = {"organisation": "mission", "organisationalunit": "name", "contact": "position"}[kind]
    return client.patch(url, {field: value}, content_type="application/json", headers=headers)


@pytest.mark.parametrize("kind", ["organisation", "organisationalunit", "contact", "factsheet"])
def test_reads_carry_an_etag_and_writes_honour_if_match(admin_client, personas, kind):
    url = _urls(personas)[kind]
    read = admin_client.get(url)
    assert read.status_code == 200
    tag = read["ETag"]
    pk = personas.home.pk if kind in ("organisation", "factsheet") else read.json()["id"]
    assert tag == f'"{kind}-{pk}-v1"'
    assert read.json()["version"] == 1

    first = _write(admin_client, kind, url, "+48 22 111 11 11", tag)
    assert first.status_code == 200, first.json()
    assert first["ETag"] == f'"{kind}-{pk}-v2"'

    stale = _write(admin_client, kind, url, "+48 22 222 22 22", tag)
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "stale_version"
    assert body["current_version"] == 2
    assert body["changed_by"] == str(personas.admin)
    assert admin_client.get(url)["ETag"] == f'"{kind}-{pk}-v2"'  # nothing written

    malformed = _write(admin_client, kind, url, "+48 22 333 33 33", "v2")
    assert malformed.status_code == 422
    assert admin_client.get(url)["ETag"] == f'"{kind}-{pk}-v2"'

    without = _write(admin_client, kind, url, "+48 22 444 44 44")
    assert without.status_code == 200
    assert without["ETag"] == f'"{kind}-{pk}-v3"'


def test_a_stale_patch_names_the_values_saved_meanwhile_and_keeps_them(admin_client, personas):
    contact = make_contact(personas.home, position="Officer")
    url = f"/api/v1/organisations/{personas.home.pk}/contacts/{contact.pk}"
    tag = admin_client.get(url)["ETag"]
    assert admin_client.patch(url, {"position": "Head"}, content_type="application/json").status_code == 200
    stale = admin_client.patch(
        url, {"position": "Deputy"}, content_type="application/json", headers={"If-Match": tag}
    )
    assert stale.status_code == 412
    assert stale.json()["current"] == {"position": "Head"}
    contact.refresh_from_db()
    assert (contact.position, contact.version) == ("Head", 2)


def test_a_patch_without_if_match_leaves_the_fields_it_does_not_send(admin_client, personas):
    contact = make_contact(personas.home, position="Officer", phone="+48221111111")
    url = f"/api/v1/organisations/{personas.home.pk}/contacts/{contact.pk}"
    assert admin_client.patch(url, {"position": "Head"}, content_type="application/json").status_code == 200
    contact.refresh_from_db()
    assert (contact.position, contact.phone, contact.updated_by) == ("Head", "+48221111111", personas.admin)


def test_a_patch_that_changes_nothing_keeps_the_version(admin_client, personas):
    contact = make_contact(personas.home, position="Officer")
    url = f"/api/v1/organisations/{personas.home.pk}/contacts/{contact.pk}"
    response = admin_client.patch(url, {"position": "Officer"}, content_type="application/json")
    assert response["ETag"] == f'"contact-{contact.pk}-v1"'


@pytest.mark.parametrize("kind", ["organisationalunit", "contact"])
def test_a_delete_with_a_stale_if_match_deletes_nothing(admin_client, personas, kind):
    url = _urls(personas)[kind]
    tag = admin_client.get(url)["ETag"]
    _write(admin_client, kind, url, "Changed")
    assert admin_client.delete(url, headers={"If-Match": tag}).status_code == 412
    model = {"organisationalunit": OrganisationalUnit, "contact": Contact}[kind]
    assert model.objects.filter(organisation=personas.home).exists()
    fresh = admin_client.get(url)["ETag"]
    assert admin_client.delete(url, headers={"If-Match": fresh}).status_code == 204
    assert admin_client.get(url).status_code == 404


def test_the_openapi_document_declares_etag_if_match_and_412(client, personas):
    client.force_login(personas.admin)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    writes = {
        "/api/v1/organisations/{organisation_id}": ["patch"],
        "/api/v1/organisations/{organisation_id}/units/{unit_id}": ["patch", "delete"],
        "/api/v1/organisations/{organisation_id}/contacts/{contact_id}": ["patch", "delete"],
        "/api/v1/organisations/{organisation_id}/factsheet": ["put"],
    }
    for path, methods in writes.items():
        assert "ETag" in paths[path]["get"]["responses"]["200"]["headers"], path
        for method in methods:
            operation = paths[path][method]
            assert "If-Match" in [p["name"] for p in operation["parameters"] if p["in"] == "header"]
            assert "412" in operation["responses"], (path, method)


def test_factsheet_put_of_a_new_factsheet_starts_at_version_one(admin_client, personas):
    url = f"/api/v1/organisations/{personas.home.pk}/factsheet"
    guessed = f'"factsheet-{personas.home.pk}-v1"'
    refused = admin_client.put(
        url, factsheet_data(), content_type="application/json", headers={"If-Match": guessed}
    )
    assert refused.status_code == 412
    assert refused.json()["code"] == "precondition_failed"
    assert "no factsheet yet" in refused.json()["message"]
    assert not Factsheet.objects.exists()

    response = admin_client.put(url, factsheet_data(), content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"factsheet-{personas.home.pk}-v1"'
    assert Factsheet.objects.get().updated_by == personas.admin


def test_a_created_unit_or_contact_answers_with_its_first_etag(admin_client, personas):
    base = f"/api/v1/organisations/{personas.home.pk}"
    unit = admin_client.post(f"{base}/units", {"name": "Faculty"}, content_type="application/json")
    assert unit.status_code == 201
    assert unit["ETag"] == f'"organisationalunit-{unit.json()["id"]}-v1"'
    contact = admin_client.post(
        f"{base}/contacts", {"given_name": "Ada", "family_name": "Lovelace"}, content_type="application/json"
    )
    assert contact.status_code == 201
    assert contact["ETag"] == f'"contact-{contact.json()["id"]}-v1"'
