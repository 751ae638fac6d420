"""An institution's factsheet for incoming students: the service's rules and permissions, the API, and
the profile section with its htmx edit form."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core.errors import PermissionDenied, ValidationFailed
from accord.organisations import selectors, services
from accord.organisations.factsheet_rules import normalise_month_day
from accord.organisations.models import Factsheet
from accord.testing.factories import factsheet_data, make_factsheet

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/api/v1/organisations/{}/factsheet"


# --- Pure rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("04-30", "04-30"), ("--04-30", "04-30"), ("4-5", "04-05"), ("12/1", "12-01"), ("02-29", "02-29")],
)
def test_deadlines_are_stored_as_month_and_day(typed, stored):
    assert normalise_month_day(typed) == stored


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)))
def test_every_day_of_a_leap_year_is_a_deadline_in_any_spelling(day):
    stored = day.strftime("%m-%d")
    for typed in (stored, f"--{stored}", f"{day.month}-{day.day}", f"{day.month}/{day.day}"):
        assert normalise_month_day(typed) == stored


@pytest.mark.parametrize("typed", ["04-31", "02-30", "13-01", "00-10", "2026-04-30", "30 April", ""])
def test_days_that_never_exist_are_refused(typed):
    with pytest.raises(ValueError, match="is not a month and day"):
        normalise_month_day(typed)


# --- Service ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "coordinator", "platform_admin"])
def test_managers_record_and_replace_the_factsheet(personas, persona):
    actor = personas.by_name(persona)
    data = factsheet_data() | {"nominations_autumn": "--5-1", "housing_phone": "+48 22 123 45 67"}

    created = services.factsheet_update(actor=actor, organisation=personas.home, **data)

    stored = Factsheet.objects.get(organisation=personas.home)
    assert stored.pk == created.pk
    assert stored.nominations_autumn == "05-01"
    assert stored.housing_phone == "+48221234567"
    assert stored.additional_requirements == data["additional_requirements"]
    assert stored.updated_by == actor

    services.factsheet_update(
        actor=actor, organisation=personas.home, **factsheet_data() | {"additional_requirements": []}
    )
    assert Factsheet.objects.count() == 1
    assert Factsheet.objects.get().additional_requirements == []


@pytest.mark.parametrize("persona", ["teacher", "student", "viewer", "partner", "outsider"])
def test_others_may_not_edit_the_factsheet(personas, persona):
    with pytest.raises(PermissionDenied):
        services.factsheet_update(
            actor=personas.by_name(persona), organisation=personas.home, **factsheet_data()
        )
    assert not Factsheet.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nominations_spring": "02-30"}, "nominations_spring", "is not a month and day"),
        ({"decision_weeks_limit": 0}, "decision_weeks_limit", "is not a number of weeks"),
        ({"tor_weeks_limit": -2}, "tor_weeks_limit", "is not a number of weeks"),
        ({"tor_weeks_limit": 53}, "tor_weeks_limit", "from 1 to 52"),
        ({"visa_email": "visa@localhost"}, "visa_email", "is not an e-mail address"),
        ({"housing_phone": "22 123 45 67"}, "housing_phone", "expected E.164"),
        ({"insurance_website": "ftp://files.example.edu/"}, "insurance_website", "https://"),
        ({"application_website": ""}, "application_website", "required"),
        (
            {"accessibility": [{**factsheet_data()["accessibility"][0], "type": "ramp"}]},
            "accessibility.0.type",
            "infrastructure or service",
        ),
        (
            {"additional_info": [{**factsheet_data()["additional_info"][0], "phone": "call us"}]},
            "additional_info.0.phone",
            "expected E.164",
        ),
        (
            {"additional_requirements": [{"name": "CV", "details": "x"}, {"name": "cv", "details": "y"}]},
            "additional_requirements.1.name",
            "already listed",
        ),
        ({"additional_requirements": "CV"}, "additional_requirements", "Expected a list"),
        ({"opening_hours": "9-17"}, "opening_hours", "Not a factsheet field"),
    ],
)
def test_bad_values_name_their_field_and_nothing_is_saved(personas, changes, field, message):
    make_factsheet(personas.home)
    before = Factsheet.objects.values().get()

    with pytest.raises(ValidationFailed) as refused:
        services.factsheet_update(
            actor=personas.admin, organisation=personas.home, **factsheet_data() | changes
        )

    assert message in " ".join(refused.value.errors[field])
    assert Factsheet.objects.values().get() == before


def test_every_error_is_reported_at_once(personas):
    data = factsheet_data() | {"visa_email": "nope", "visa_phone": "nope", "nominations_autumn": "nope"}

    with pytest.raises(ValidationFailed) as refused:
        services.factsheet_update(actor=personas.admin, organisation=personas.home, **data)

    assert set(refused.value.errors) == {"visa_email", "visa_phone", "nominations_autumn"}


def test_anyone_signed_in_reads_the_factsheet(personas):
    factsheet = make_factsheet(personas.home)

    assert selectors.factsheet_of(user=personas.outsider, organisation=personas.home) == factsheet
    assert selectors.factsheet_of(user=personas.outsider, organisation=personas.partner_org) is None


# --- API ----------------------------------------------------------------------------------------------


def test_api_put_records_and_get_reads_the_factsheet(client, personas):
    client.force_login(personas.coordinator)
    body = factsheet_data() | {"applications_spring": "--12-1"}

    response = client.put(URL.format(personas.home.pk), body, content_type="application/json")

    assert response.status_code == 200, response.json()
    saved = response.json()
    assert saved["applications_spring"] == "12-01"
    assert saved["organisation_id"] == personas.home.pk
    client.force_login(personas.outsider)
    read = client.get(URL.format(personas.home.pk)).json()
    assert read == saved
    assert read["accessibility"] == body["accessibility"]


def test_api_get_without_a_factsheet_is_not_found(client, personas):
    client.force_login(personas.teacher)

    response = client.get(URL.format(personas.home.pk))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("persona", "status"), [("teacher", 403), ("partner", 403)])
def test_api_put_is_for_managers_only(client, personas, persona, status):
    client.force_login(personas.by_name(persona))

    response = client.put(URL.format(personas.home.pk), factsheet_data(), content_type="application/json")

    assert response.status_code == status
    assert response.json()["code"] == "permission_denied"
    assert not Factsheet.objects.exists()


def test_api_put_refuses_bad_values_with_field_errors(client, personas):
    client.force_login(personas.admin)
    body = factsheet_data() | {"decision_weeks_limit": 0, "housing_email": "housing"}

    response = client.put(URL.format(personas.home.pk), body, content_type="application/json")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"decision_weeks_limit", "housing_email"}
    assert not Factsheet.objects.exists()


def test_api_put_needs_every_required_field(client, personas):
    client.force_login(personas.admin)
    body = factsheet_data()
    del body["visa_website"]

    response = client.put(URL.format(personas.home.pk), body, content_type="application/json")

    assert response.status_code == 422
    assert "visa_website" in response.json()["errors"]


def test_api_of_an_unknown_organisation_is_not_found(client, personas):
    client.force_login(personas.admin)

    assert client.get(URL.format(999999)).status_code == 404
    assert (
        client.put(URL.format(999999), factsheet_data(), content_type="application/json").status_code == 404
    )


# --- Page -----------------------------------------------------------------------------------------------


def _form_post(**changes) -> dict:
    """The edit form as a browser posts it: the fixed fields and one row in each formset."""
    data = {key: value for key, value in factsheet_data().items() if not isinstance(value, list)}
    for name, rows in factsheet_data().items():
        if isinstance(rows, list):
            data[f"{name}-TOTAL_FORMS"] = str(len(rows) + 1)  # the empty extra row is sent too
            data[f"{name}-INITIAL_FORMS"] = "0"
            for number, row in enumerate(rows):
                data.update({f"{name}-{number}-{key}": value for key, value in row.items()})
            data.update({f"{name}-{len(rows)}-{key}": "" for key in rows[0]})
    return data | changes


def test_the_profile_shows_the_factsheet_to_everyone_signed_in(client, personas):
    make_factsheet(personas.home)
    client.force_login(personas.outsider)

    html = client.get(f"/organisations/{personas.home.pk}/").content.decode()

    assert "Factsheet for incoming students" in html
    assert "15 May" in html and "1 December" in html  # deadlines as dates people read
    assert "4 weeks" in html and "5 weeks" in html
    assert 'href="mailto:housing@home.example.edu"' in html
    assert "Disability office" in html and "Recognition process" in html
    assert "Motivation letter" in html
    assert "factsheet/edit/" not in html  # outsiders may read, not edit


def test_the_profile_says_when_no_factsheet_is_recorded(client, personas):
    client.force_login(personas.admin)

    html = client.get(f"/organisations/{personas.home.pk}/").content.decode()

    assert "No factsheet recorded yet." in html
    assert f'hx-get="/organisations/{personas.home.pk}/factsheet/edit/"' in html


def test_a_coordinator_records_the_factsheet_through_the_htmx_form(client, personas):
    client.force_login(personas.coordinator)
    url = f"/organisations/{personas.home.pk}/factsheet/edit/"

    form = client.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith('<section id="factsheet"')
    assert "<html" not in form
    assert '<label for="id_nominations_autumn" class="required">Nominations, autumn term</label>' in form
    assert 'name="accessibility-TOTAL_FORMS"' in form
    # A browser posts the empty row's selected option: blank, so that the row stays unchanged.
    assert re.search(r'name="accessibility-0-type"[^>]*>\s*<option value="" selected>', form)

    response = client.post(url, _form_post(), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Factsheet saved." in html and "15 May" in html
    factsheet = Factsheet.objects.get(organisation=personas.home)
    assert factsheet.accessibility == factsheet_data()["accessibility"]
    assert factsheet.additional_requirements == factsheet_data()["additional_requirements"]


def test_the_form_keeps_unchanged_rows_and_drops_deleted_ones(client, personas):
    make_factsheet(personas.home)
    client.force_login(personas.admin)
    url = f"/organisations/{personas.home.pk}/factsheet/edit/"
    data = _form_post() | {
        "additional_requirements-INITIAL_FORMS": "1",
        "accessibility-INITIAL_FORMS": "1",
        "accessibility-0-DELETE": "on",
        "additional_info-INITIAL_FORMS": "1",
        "version": "1",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    factsheet = Factsheet.objects.get()
    assert factsheet.accessibility == []
    assert factsheet.additional_requirements == factsheet_data()["additional_requirements"]
    assert len(factsheet.additional_info) == 1


def test_a_refused_save_shows_the_errors_next_to_the_fields(client, personas):
    client.force_login(personas.admin)
    url = f"/organisations/{personas.home.pk}/factsheet/edit/"

    response = client.post(
        url,
        _form_post(nominations_spring="02-30", **{"additional_info-0-phone": "call us"}),
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "is not a month and day" in html
    assert re.search(r"additional_info-0-phone.*expected E\.164", html, re.S)
    assert not Factsheet.objects.exists()


def test_without_htmx_the_form_is_a_page_that_redirects_back(client, personas):
    client.force_login(personas.admin)
    url = f"/organisations/{personas.home.pk}/factsheet/edit/"

    assert "<html" in client.get(url).content.decode()
    response = client.post(url, _form_post())

    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{personas.home.pk}/#factsheet"


@pytest.mark.parametrize(("persona", "status"), [("teacher", 403), ("student", 403), ("outsider", 403)])
def test_others_cannot_open_the_edit_form(client, personas, persona, status):
    client.force_login(personas.by_name(persona))
    url = f"/organisations/{personas.home.pk}/factsheet/edit/"

    assert client.get(url).status_code == status
    assert client.post(url, _form_post()).status_code == status
    assert not Factsheet.objects.exists()


def test_cancel_swaps_the_section_back(client, personas):
    make_factsheet(personas.home)
    client.force_login(personas.viewer)

    response = client.get(f"/organisations/{personas.home.pk}/factsheet/", **HTMX)

    assert response.content.decode().lstrip().startswith('<section id="factsheet"')
    assert client.get(f"/organisations/{personas.home.pk}/factsheet/").status_code == 302


def test_openapi_describes_reading_and_replacing_the_factsheet(client, personas):
    client.force_login(personas.student)

    schema = client.get("/api/v1/openapi.json").json()

    path = schema["paths"]["/api/v1/organisations/{organisation_id}/factsheet"]
    assert set(path) == {"get", "put"}
    body = path["put"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/FactsheetIn")
    components = schema["components"]["schemas"]
    assert "nominations_autumn" in components["FactsheetIn"]["required"]
    assert components["AccessibilityItem"]["properties"]["type"]["enum"] == ["infrastructure", "service"]
