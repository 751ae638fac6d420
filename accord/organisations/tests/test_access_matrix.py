"""Who sees and changes what in the directory, for every persona, in the UI and the API alike.

Expectations are written out as tables so that a change of policy shows up as a one-line diff.
"""

import pytest

from accord.organisations.choices import ContactVisibility
from accord.testing.factories import make_contact, make_unit
from conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db

# Can the persona see the home organisation's internal notes / members-only contacts, edit its
# profile, and manage its units and contacts?
EXPECTED = {
    #                 notes  member_contact  edit_profile  manage
    "platform_admin": (True, True, True, True),
    "admin": (True, True, True, True),
    "coordinator": (True, True, False, True),
    "teacher": (False, True, False, False),
    "student": (False, True, False, False),
    "viewer": (False, True, False, False),
    "partner": (False, False, False, False),
    "outsider": (False, False, False, False),
}


@pytest.fixture
def home_data(personas):
    return {
        "public_contact": make_contact(
            personas.home, visibility=ContactVisibility.PUBLIC, family_name="Publicova"
        ),
        "member_contact": make_contact(
            personas.home, visibility=ContactVisibility.MEMBERS, family_name="Internalski"
        ),
        "unit": make_unit(personas.home, name="Faculty of Physics"),
    }


def _api(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_every_signed_in_persona_sees_public_profiles(client, personas, home_data, persona):
    client.force_login(personas.by_name(persona))
    for organisation in (personas.home, personas.partner_org, personas.outsider_org):
        assert client.get(f"/api/v1/organisations/{organisation.pk}").status_code == 200
        page = client.get(f"/organisations/{organisation.pk}/")
        assert page.status_code == 200
        assert organisation.name in page.content.decode()
    contacts = client.get(f"/api/v1/organisations/{personas.home.pk}/contacts").json()
    assert "Publicova" in [c["family_name"] for c in contacts]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_private_data_is_scoped_by_role(client, personas, home_data, persona):
    sees_notes, sees_member_contact, _edit, _manage = EXPECTED[persona]
    client.force_login(personas.by_name(persona))

    profile = client.get(f"/api/v1/organisations/{personas.home.pk}").json()
    assert (profile["internal_notes"] == personas.home.internal_notes) is sees_notes
    assert (
        personas.home.internal_notes in client.get(f"/organisations/{personas.home.pk}/").content.decode()
    ) is (sees_notes)

    names = [
        c["family_name"] for c in client.get(f"/api/v1/organisations/{personas.home.pk}/contacts").json()
    ]
    assert ("Internalski" in names) is sees_member_contact
    page = client.get(f"/organisations/{personas.home.pk}/").content.decode()
    assert ("Internalski" in page) is sees_member_contact

    member_contact = home_data["member_contact"]
    response = client.patch(
        f"/api/v1/organisations/{personas.home.pk}/contacts/{member_contact.pk}",
        {"position": "Changed"},
        content_type="application/json",
    )
    # Not visible → 404 (existence does not leak); visible but not manageable → 403.
    if not sees_member_contact:
        assert response.status_code == 404
    else:
        assert response.status_code == (200 if EXPECTED[persona][3] else 403)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_profile_editing_is_for_admins(client, personas, home_data, persona):
    _notes, _contacts, may_edit, _manage = EXPECTED[persona]
    client.force_login(personas.by_name(persona))
    response = client.patch(
        f"/api/v1/organisations/{personas.home.pk}",
        {"mission": "New mission"},
        content_type="application/json",
    )
    assert response.status_code == (200 if may_edit else 403)
    personas.home.refresh_from_db()
    assert (personas.home.mission == "New mission") is may_edit


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_units_and_contacts_are_managed_by_admins_and_coordinators(client, personas, home_data, persona):
    *_rest, may_manage = EXPECTED[persona]
    client.force_login(personas.by_name(persona))
    created = client.post(
        f"/api/v1/organisations/{personas.home.pk}/units",
        {"name": "Institute of Optics"},
        content_type="application/json",
    )
    assert created.status_code == (201 if may_manage else 403)
    deleted = client.delete(f"/api/v1/organisations/{personas.home.pk}/units/{home_data['unit'].pk}")
    assert deleted.status_code == (204 if may_manage else 403)
    added = client.post(
        f"/api/v1/organisations/{personas.home.pk}/contacts",
        {"given_name": "Nina", "family_name": "Nowak"},
        content_type="application/json",
    )
    assert added.status_code == (201 if may_manage else 403)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_platform_staff_add_organisations(client, personas, persona):
    client.force_login(personas.by_name(persona))
    response = client.post(
        "/api/v1/organisations/",
        {"kind": "hei", "name": "New Institute", "country_code": "DE"},
        content_type="application/json",
    )
    assert response.status_code == (201 if persona == "platform_admin" else 403)
    assert response.json().get("code") == (None if persona == "platform_admin" else "permission_denied")


def test_anonymous_sees_nothing(client, personas):
    assert client.get(f"/api/v1/organisations/{personas.home.pk}").status_code == 401
    assert client.get("/api/v1/organisations/").json()["code"] == "unauthenticated"
    response = client.get(f"/organisations/{personas.home.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_organisation_is_not_found(client, personas):
    client.force_login(personas.coordinator)
    response = client.get("/api/v1/organisations/999999")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "No such organisation."}
    assert client.get("/organisations/999999/").status_code == 404


def test_other_organisations_units_cannot_be_reached_through_mine(client, personas):
    foreign_unit = make_unit(personas.partner_org, name="Foreign Faculty")
    client.force_login(personas.admin)
    response = client.patch(
        f"/api/v1/organisations/{personas.home.pk}/units/{foreign_unit.pk}",
        {"name": "Hijacked"},
        content_type="application/json",
    )
    assert response.status_code == 404
    foreign_unit.refresh_from_db()
    assert foreign_unit.name == "Foreign Faculty"
