"""Edit forms of the directory carry their version; a stale one is shown as a conflict to resolve."""

import pytest

from accord.organisations import services
from accord.organisations.models import Contact, Factsheet, Organisation
from accord.organisations.tests.test_factsheet import _form_post
from accord.organisations.tests.test_views import HTMX, _form_data
from accord.testing.factories import factsheet_data, make_contact, make_factsheet

pytestmark = pytest.mark.django_db


def test_the_profile_form_carries_the_version_it_was_opened_at(client, personas):
    client.force_login(personas.admin)
    html = client.get(f"/organisations/{personas.home.pk}/edit/").content.decode()
    assert 'type="hidden" name="version" value="1"' in html


def test_a_stale_profile_form_shows_both_values_and_saves_nothing(client, personas):
    home = personas.home
    opened = _form_data(home, mission="Mine")
    services.organisation_update(actor=personas.admin, organisation=home, mission="Theirs")
    client.force_login(personas.admin)

    response = client.post(f"/organisations/{home.pk}/edit/", opened)

    assert response.status_code == 409
    html = response.content.decode()
    assert "since you opened it" in html
    assert "Mine" in html and "Theirs" in html
    assert "Keep mine and save" in html and "Keep theirs" in html
    assert 'name="version" value="2"' in html  # saving again keeps mine
    assert Organisation.objects.get(pk=home.pk).mission == "Theirs"

    kept = client.post(f"/organisations/{home.pk}/edit/", {**opened, "version": 2, "keep": "mine"})
    assert kept.status_code == 302
    assert Organisation.objects.get(pk=home.pk).mission == "Mine"


def test_a_profile_form_without_its_version_is_refused_with_a_sentence(client, personas):
    client.force_login(personas.admin)
    data = _form_data(personas.home, mission="Changed")
    del data["version"]
    html = client.post(f"/organisations/{personas.home.pk}/edit/", data).content.decode()
    assert "no longer says which version" in html
    assert Organisation.objects.get(pk=personas.home.pk).mission != "Changed"


def _contact_post(contact: Contact, **changes) -> dict:
    return {
        "given_name": contact.given_name,
        "family_name": contact.family_name,
        "email": contact.email,
        "phone": contact.phone,
        "role": contact.role,
        "position": contact.position,
        "unit": "",
        "visibility": contact.visibility,
        "version": contact.version,
        **changes,
    }


def test_a_stale_contact_form_in_place_shows_the_conflict_in_its_slot(client, personas):
    contact = make_contact(personas.home, position="Officer")
    opened = _contact_post(contact, position="Mine")
    services.contact_update(actor=personas.coordinator, contact=contact, position="Theirs")
    client.force_login(personas.admin)
    url = f"/organisations/{personas.home.pk}/contacts/{contact.pk}/edit/"

    response = client.post(url, opened, **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#contacts-form-slot"
    assert response.context["conflict"].rows[0].theirs == "Theirs"
    assert response.context["reload_hx"] == url
    assert 'name="version" value="2"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.position == "Theirs"


def test_a_stale_unit_form_is_not_saved(client, personas):
    client.force_login(personas.admin)
    base = f"/organisations/{personas.home.pk}/units"
    client.post(f"{base}/new/", {"name": "Faculty", "parent": ""})
    unit = personas.home.units.get()
    services.unit_update(actor=personas.admin, unit=unit, name="Theirs")
    response = client.post(f"{base}/{unit.pk}/edit/", {"name": "Mine", "parent": "", "version": 1})
    assert response.status_code == 200
    assert response.context["conflict"].changed_by == str(personas.admin)
    unit.refresh_from_db()
    assert (unit.name, unit.version) == ("Theirs", 2)


def test_a_stale_factsheet_form_is_not_saved(client, personas):
    make_factsheet(personas.home)
    services.factsheet_update(
        actor=personas.coordinator,
        organisation=personas.home,
        **{**factsheet_data(), "application_phone": "+48 22 999 99 99"},
    )
    client.force_login(personas.admin)
    url = f"/organisations/{personas.home.pk}/factsheet/edit/"
    data = _form_post(application_phone="+48 22 111 11 11") | {"version": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()
    assert Factsheet.objects.get().application_phone == "+48229999999"


def test_the_create_forms_carry_an_idempotency_key(client, personas):
    client.force_login(personas.platform_admin)
    for url in ("/organisations/new/", "/organisations/import/contacts/"):
        assert 'name="_idempotency_key"' in client.get(url).content.decode(), url
