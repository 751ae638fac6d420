"""The organisations API as a client sees it: filters, pagination, errors, bad input changing nothing."""

import pytest

from accord.organisations.models import Organisation
from accord.testing.factories import make_organisation, make_unit

pytestmark = pytest.mark.django_db

WARSAW = 756135
MADRID = 3117735


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


@pytest.fixture
def staff_client(client, personas):
    client.force_login(personas.platform_admin)
    return client


def test_create_normalises_identifiers_and_places_the_city(staff_client):
    response = post(
        staff_client,
        "/api/v1/organisations/",
        {
            "kind": "hei",
            "name": "Vistula Institute",
            "country_code": "pl",
            "schac_code": " Vistula.Example.EDU ",
            "erasmus_code": "pl  warszaw99",
            "pic": "999 888 777",
            "ror_id": "https://ror.org/03yrm5c26",
            "city_geonameid": WARSAW,
            "languages": ["pl", "en"],
            "fields": ["0613", "041"],
            "translations": {"pl": "Instytut Wiślany"},
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["schac_code"] == "vistula.example.edu"
    assert body["erasmus_code"] == "PL WARSZAW99"
    assert body["pic"] == "999888777"
    assert body["ror_id"] == "03yrm5c26"
    assert body["country_code"] == "PL"
    assert body["city_name"] == "Warsaw"
    assert body["timezone"] == "Europe/Warsaw"
    assert round(body["latitude"]) == 52
    assert body["languages"] == ["en", "pl"]
    assert body["fields"] == ["041", "0613"]
    assert body["translations"] == {"pl": "Instytut Wiślany"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schac_code", "not a domain", "is not a SCHAC code"),
        ("erasmus_code", "WARSAW", "is not an Erasmus code"),
        ("pic", "12345", "is not a PIC"),
        ("ror_id", "03yrm5c27", "is not a ROR id"),
        ("country_code", "XX", "country"),
        ("city_geonameid", 1, "not a known GeoNames city"),
        ("city_geonameid", MADRID, "is in ES, not in PL"),
        ("languages", ["pl", "qq"], "'qq'"),
        ("fields", ["0613", "0555"], "'0555'"),
        ("website", "not a url", "URL"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(staff_client, field, value, message):
    before = Organisation.objects.count()
    response = post(
        staff_client,
        "/api/v1/organisations/",
        {"kind": "hei", "name": "Bad Data U", "country_code": "PL", field: value},
    )
    assert response.status_code == 422, response.json()
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["field"] == field
    assert message in " ".join(body["errors"][field])
    assert Organisation.objects.count() == before


def test_duplicate_schac_code_is_refused(staff_client, personas):
    response = post(
        staff_client,
        "/api/v1/organisations/",
        {"kind": "hei", "name": "Copycat", "country_code": "PL", "schac_code": "HOME.example.edu"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "schac_code"
    assert "already exists" in response.json()["message"]


def test_an_update_that_fails_leaves_the_profile_as_it_was(client, personas):
    client.force_login(personas.admin)
    response = patch(
        client, f"/api/v1/organisations/{personas.home.pk}", {"mission": "Changed", "languages": ["pl", "zz"]}
    )
    assert response.status_code == 422
    personas.home.refresh_from_db()
    assert personas.home.mission == ""
    assert not personas.home.languages.exists()


def test_schema_errors_use_the_same_error_shape(staff_client):
    response = post(
        staff_client, "/api/v1/organisations/", {"kind": "castle", "name": "", "country_code": "PL"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert {"kind", "name"} <= set(body["errors"])


def test_list_filters_and_paginates(client, personas):
    for number in range(55):
        make_organisation(name=f"Filler College {number:02d}", country_code="DE", kind="school")
    andes = make_organisation(name="Andes Polytechnic", country_code="CO")
    andes.fields.create(isced_code="0713")
    andes.languages.create(language_code="es")
    client.force_login(personas.student)

    first = client.get("/api/v1/organisations/?country=DE&kind=school").json()
    assert first["count"] == 55
    assert len(first["items"]) == 50
    second = client.get("/api/v1/organisations/?country=DE&kind=school&page=2").json()
    assert len(second["items"]) == 5

    assert [o["name"] for o in client.get("/api/v1/organisations/?q=andes").json()["items"]] == [
        "Andes Polytechnic"
    ]
    # A broad ISCED field finds organisations strong in one of its detailed fields.
    assert [o["name"] for o in client.get("/api/v1/organisations/?field=07").json()["items"]] == [
        "Andes Polytechnic"
    ]
    assert [o["name"] for o in client.get("/api/v1/organisations/?language=es").json()["items"]] == [
        "Andes Polytechnic"
    ]


def test_unit_tree_refuses_cycles(client, personas):
    faculty = make_unit(personas.home, name="Faculty")
    department = make_unit(personas.home, name="Department", parent=faculty)
    client.force_login(personas.coordinator)
    response = patch(
        client,
        f"/api/v1/organisations/{personas.home.pk}/units/{faculty.pk}",
        {"parent_id": department.pk},
    )
    assert response.status_code == 422
    assert "inside itself" in response.json()["message"]
    faculty.refresh_from_db()
    assert faculty.parent is None


def test_contact_phone_is_normalised_and_checked(client, personas):
    client.force_login(personas.coordinator)
    url = f"/api/v1/organisations/{personas.home.pk}/contacts"
    ok = post(client, url, {"given_name": "Jan", "family_name": "Kowalski", "phone": "0048 22 123 45 67"})
    assert ok.status_code == 201
    assert ok.json()["phone"] == "+48221234567"
    bad = post(client, url, {"given_name": "Jan", "family_name": "Nowak", "phone": "call me"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "phone"


def test_openapi_document_describes_the_api(client, personas):
    client.force_login(personas.student)
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Accord API"
    assert "/api/v1/organisations/" in schema["paths"]
    assert "/api/v1/reference/isced" in schema["paths"]
    docs = client.get("/api/docs", follow=True)
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn." not in docs.content


def test_token_authentication(client, personas):
    from accord.accounts.tokens import api_token_create, api_token_revoke

    token, secret = api_token_create(user=personas.partner, name="script")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["username"] == "partner"
    assert client.get("/api/v1/me", HTTP_X_API_KEY=secret).status_code == 200
    api_token_revoke(user=personas.partner, token_id=token.pk)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
