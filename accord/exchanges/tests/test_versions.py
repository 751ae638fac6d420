"""Calls, places and applications carry a version: the API gives it as an ETag and honours If-Match,
the services refuse a stale one and write only what changed."""

import pytest

from accord.core.concurrency import StaleVersion
from accord.exchanges import services
from accord.exchanges.models import Application, Call, CallPlace
from accord.exchanges.tests.conftest import application_fields

pytestmark = pytest.mark.django_db
API = "/api/v1/exchanges"


def patch(client, url, data, **headers):
    return client.patch(url, data, content_type="application/json", headers=headers)


@pytest.fixture
def application(personas, call, places):
    return services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )


@pytest.fixture
def place(places):
    return places["Partner"]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [("calls", "title", "Renamed call"), ("places", "name", "Renamed place")],
)
def test_etag_and_if_match_on_calls_and_places(client, personas, call, place, kind, field, value):
    record = call if kind == "calls" else place
    client.force_login(personas.coordinator)
    url = f"{API}/{kind}/{record.pk}"
    read = client.get(url)
    assert read.status_code == 200
    etag = read["ETag"]
    assert etag == f'"{record._meta.model_name}-{record.pk}-v{record.version}"'

    saved = patch(client, url, {field: value}, **{"If-Match": etag})
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != etag
    assert saved.json()["version"] == record.version + 1

    stale = patch(client, url, {field: "Lost"}, **{"If-Match": etag})
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "stale_version"
    assert body["current"] == {field: value}
    assert body["changed_by"] == str(personas.coordinator)
    record.refresh_from_db()
    assert getattr(record, field) == value

    assert patch(client, url, {field: "Lost"}, **{"If-Match": "v1"}).status_code == 422
    assert patch(client, url, {field: "Without a version"}).status_code == 200


def test_a_place_with_no_capacity_is_refused_with_a_sentence_not_a_server_error(client, personas, place):
    client.force_login(personas.coordinator)
    response = patch(client, f"{API}/places/{place.pk}", {"capacity": None})
    assert response.status_code == 422
    assert "capacity" in response.json()["errors"]


def test_deleting_a_place_checks_if_match(client, personas, call, place):
    services.call_close(actor=personas.coordinator, call=call)
    call = Call.objects.get(pk=call.pk)
    draft_place = services.place_create(
        actor=personas.coordinator,
        call=call,
        receiving_organisation=personas.outsider_org,
        name="Summer",
        capacity=1,
    )
    client.force_login(personas.coordinator)
    etag = client.get(f"{API}/places/{draft_place.pk}")["ETag"]
    patch(client, f"{API}/places/{draft_place.pk}", {"capacity": 2})
    response = client.delete(f"{API}/places/{draft_place.pk}", headers={"If-Match": etag})
    assert response.status_code == 412
    assert CallPlace.objects.filter(pk=draft_place.pk).exists()


def test_application_etag_and_stale_if_match(client, personas, application):
    client.force_login(personas.student)
    url = f"{API}/applications/{application.pk}"
    etag = client.get(url)["ETag"]
    assert patch(client, url, {"motivation": "First."}, **{"If-Match": etag}).status_code == 200
    stale = patch(client, url, {"motivation": "Second."}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert Application.objects.get(pk=application.pk).motivation == "First."


def test_an_edit_of_one_field_never_reverts_another_written_meanwhile(personas, call):
    stale_copy = Call.objects.get(pk=call.pk)
    services.call_update(actor=personas.coordinator, call=call, title="Title by one")
    services.call_update(actor=personas.admin, call=stale_copy, description="Description by another")
    call.refresh_from_db()
    assert (call.title, call.description) == ("Title by one", "Description by another")
    assert call.updated_by == personas.admin


def test_a_stale_expected_version_is_refused_and_names_the_values_saved(personas, call):
    version = call.version
    services.call_update(actor=personas.coordinator, call=call, title="Saved first", expected_version=version)
    with pytest.raises(StaleVersion) as refused:
        services.call_update(actor=personas.admin, call=call, title="Saved second", expected_version=version)
    assert refused.value.theirs == {"title": "Saved first"}


def test_status_changes_count_as_writes(personas, call):
    version = Call.objects.get(pk=call.pk).version
    services.call_close(actor=personas.coordinator, call=call)
    assert Call.objects.get(pk=call.pk).version == version + 1


def test_openapi_declares_if_match_and_412(client, personas):
    client.force_login(personas.coordinator)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/exchanges/calls/{call_id}", "patch"),
        ("/api/v1/exchanges/places/{place_id}", "patch"),
        ("/api/v1/exchanges/places/{place_id}", "delete"),
        ("/api/v1/exchanges/applications/{application_id}", "patch"),
    ]:
        operation = paths[path][method]
        assert "If-Match" in [parameter["name"] for parameter in operation["parameters"]]
        assert "412" in operation["responses"]
    assert "ETag" in paths["/api/v1/exchanges/calls/{call_id}"]["get"]["responses"]["200"]["headers"]
