"""The directory's pages: search and filters, countries and map, profile, editing, units and contacts.

Pages are driven through the test client as the persona users; htmx requests are the same requests
with an ``HX-Request`` header, answered with a fragment instead of the whole page.
"""

import re

import pytest

from accord.organisations.choices import ContactVisibility, OrganisationKind
from accord.organisations.models import (
    Contact,
    Organisation,
    OrganisationalUnit,
    OrganisationField,
    OrganisationLanguage,
    OrganisationName,
)
from accord.reference.cities import City
from accord.testing.factories import make_contact, make_factsheet, make_organisation, make_unit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WARSAW = 756135  # GeoNames id


def _page(client, user, url, **kwargs) -> str:
    client.force_login(user)
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _result_names(html: str) -> list[str]:
    return re.findall(r'<h2 class="org-card-title"><a href="/organisations/\d+/">([^<]+)</a>', html)


# ---------------------------------------------------------------------------------------------------
# Directory


@pytest.fixture
def directory(personas):
    andes = make_organisation(name="Universidad de los Andes Ficticia", country_code="CO", kind="hei")
    nordic = make_organisation(name="Nordic Institute of Design", country_code="NO", kind="school")
    OrganisationLanguage.objects.create(organisation=andes, language_code="es")
    OrganisationLanguage.objects.create(organisation=nordic, language_code="no")
    OrganisationField.objects.create(organisation=andes, isced_code="0533")
    OrganisationField.objects.create(organisation=nordic, isced_code="0212")
    return {"andes": andes, "nordic": nordic}


def test_directory_lists_every_organisation_with_its_details(client, personas, directory):
    html = _page(client, personas.teacher, "/organisations/")
    assert set(_result_names(html)) >= {"Universidad de los Andes Ficticia", "Nordic Institute of Design"}
    assert '<label for="id_q">Search</label>' in html
    assert 'hx-trigger="input changed delay:300ms, change"' in html
    assert "0533 Physics" in html  # fields as ISCED labels
    assert "Spanish" in html  # languages by name
    assert "Colombia" in html
    assert "vendor/flag-icons/4x3/co.svg" in html and "\U0001f1e8" not in html  # a picture, not the emoji


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=andes", "Universidad de los Andes Ficticia"),
        ("kind=school", "Nordic Institute of Design"),
        ("country=CO", "Universidad de los Andes Ficticia"),
        ("field=05", "Universidad de los Andes Ficticia"),  # a broad field matches its detailed fields
        ("field=0212", "Nordic Institute of Design"),
        ("language=no", "Nordic Institute of Design"),
    ],
)
def test_each_filter_narrows_the_results(client, personas, directory, query, expected):
    names = _result_names(_page(client, personas.teacher, f"/organisations/?{query}"))
    assert names == [expected]


def test_ordering_filter_orders_the_results(client, personas, directory):
    names = _result_names(_page(client, personas.teacher, "/organisations/?ordering=-name"))
    assert names == sorted(names, reverse=True)
    assert len(names) == 5


def test_htmx_request_gets_only_the_results_fragment(client, personas, directory):
    client.force_login(personas.teacher)
    response = client.get("/organisations/?q=nordic", **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert _result_names(html) == ["Nordic Institute of Design"]
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page again.
    restored = client.get("/organisations/?q=nordic", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in restored.content.decode()


def test_pagination_keeps_the_filters(client, personas):
    for number in range(30):
        make_organisation(name=f"Lisbon School {number:02}", country_code="PT")
    html = _page(client, personas.teacher, "/organisations/?country=PT")
    assert len(_result_names(html)) == 25
    assert 'href="?country=PT&amp;page=2"' in html
    second = _page(client, personas.teacher, "/organisations/?country=PT&page=2", **HTMX)
    assert len(_result_names(second)) == 5
    assert 'href="?country=PT&amp;page=1"' in second


def test_directory_query_count_does_not_grow_with_the_results(
    client, personas, django_assert_max_num_queries
):
    for number in range(30):
        organisation = make_organisation(name=f"Bulk {number:02}")
        OrganisationLanguage.objects.create(organisation=organisation, language_code="pl")
        OrganisationField.objects.create(organisation=organisation, isced_code="0413")
    client.force_login(personas.teacher)
    with django_assert_max_num_queries(8):
        response = client.get("/organisations/")
    assert len(_result_names(response.content.decode())) == 25


def test_directory_needs_signing_in(client, personas):
    assert client.get("/organisations/").status_code == 302


# ---------------------------------------------------------------------------------------------------
# Countries and map


def test_countries_are_grouped_by_continent_with_counts(client, personas, directory):
    make_organisation(name="Second Polish", country_code="PL")
    html = _page(client, personas.teacher, "/organisations/countries/")
    europe = html.index(">Europe ")
    south_america = html.index(">South America ")
    poland = html.index("Poland</a>")
    colombia = html.index("Colombia</a>")
    assert europe < poland and south_america < colombia
    assert "(5)" in html[europe:south_america]  # Poland 2, Spain, France, Norway
    assert 'href="/organisations/?country=PL"' in html
    assert "2 organisations" in html[poland : poland + 200]
    assert "1 organisation" in html[colombia : colombia + 200]


def test_map_places_organisations_by_latitude_and_longitude(client, personas):
    warsaw = make_organisation(name="Warsaw Polytechnic", latitude=52.23, longitude=21.01, city_name="Warsaw")
    html = _page(client, personas.teacher, "/organisations/countries/")
    assert "<svg" in html and "https://" not in html.split("<svg")[1].split("</svg>")[0]
    assert f'<a href="/organisations/{warsaw.pk}/"><title>Warsaw Polytechnic — Warsaw, Poland</title>' in html
    assert '<circle cx="201.01" cy="37.77"' in html


# ---------------------------------------------------------------------------------------------------
# Profile


@pytest.fixture
def home_profile(personas):
    home = personas.home
    Organisation.objects.filter(pk=home.pk).update(
        ror_id="039bjqg32", mission="Teaching since 1816.", city_name="Warsaw", timezone="Europe/Warsaw"
    )
    OrganisationName.objects.create(organisation=home, language_code="pl", name="Uniwersytet Domowy")
    OrganisationField.objects.create(organisation=home, isced_code="0533")
    OrganisationLanguage.objects.create(organisation=home, language_code="pl")
    network = make_organisation(name="Alliance of Ficticious Universities", kind=OrganisationKind.NETWORK)
    home.networks.add(network)
    faculty = make_unit(home, name="Faculty of Physics", ewp_id="fys")
    make_unit(home, name="Institute of Optics", parent=faculty)
    make_contact(home, visibility=ContactVisibility.PUBLIC, family_name="Publicova")
    make_contact(home, visibility=ContactVisibility.MEMBERS, family_name="Internalski", unit=faculty)
    return {"network": network, "faculty": faculty}


def test_profile_shows_the_public_profile(client, personas, home_profile):
    html = _page(client, personas.partner, f"/organisations/{personas.home.pk}/")
    for text in (
        "<h1>Home University</h1>",
        "Uniwersytet Domowy",
        "home.example.edu",
        '<a href="https://ror.org/039bjqg32" rel="noopener">https://ror.org/039bjqg32</a>',
        "Europe/Warsaw",
        "Teaching since 1816.",
        "0533 Physics",
        "Polish",
        "Alliance of Ficticious Universities",
        "Publicova",
    ):
        assert text in html, text
    # The unit tree is nested: the institute sits in a list inside the faculty's item.
    assert re.search(
        r"Faculty of Physics</span>.*?<ul class=\"unit-tree\">.*?Institute of Optics", html, re.S
    )
    for hidden in ("Internalski", "Edit profile", "Internal notes", "Add a unit", "Add a contact"):
        assert hidden not in html, hidden


def test_profile_shows_each_units_ewp_ounit_id(client, personas, home_profile):
    institute = OrganisationalUnit.objects.get(name="Institute of Optics")

    html = _page(client, personas.partner, f"/organisations/{personas.home.pk}/")

    # A partner's unit keeps the id its own node gives it; Accord's own units are published by their id.
    assert "EWP ounit-id <code>fys</code>" in html
    assert f"EWP ounit-id <code>{institute.pk}</code>" in html


@pytest.mark.parametrize(
    ("persona", "edit", "notes", "manage", "member_contacts"),
    [
        ("platform_admin", True, True, True, True),
        ("admin", True, True, True, True),
        ("coordinator", False, True, True, True),
        ("teacher", False, False, False, True),
        ("outsider", False, False, False, False),
    ],
)
def test_profile_shows_what_each_persona_may_see_and_do(
    client, personas, home_profile, persona, edit, notes, manage, member_contacts
):
    html = _page(client, personas.by_name(persona), f"/organisations/{personas.home.pk}/")
    assert ("Edit profile" in html) is edit
    assert (personas.home.internal_notes in html) is notes
    assert ("Add a unit" in html and "Add a contact" in html) is manage
    assert (f"/organisations/{personas.home.pk}/units/{home_profile['faculty'].pk}/delete/" in html) is manage
    assert ("Internalski" in html) is member_contacts


def test_network_profile_lists_its_members(client, personas, home_profile):
    html = _page(client, personas.teacher, f"/organisations/{home_profile['network'].pk}/")
    assert "Members of this network" in html
    assert f'<a href="/organisations/{personas.home.pk}/">Home University</a>' in html


def test_profile_query_count_is_bounded(client, personas, home_profile, django_assert_max_num_queries):
    for number in range(10):
        make_unit(personas.home, name=f"Department {number}", parent=home_profile["faculty"])
        make_contact(personas.home, visibility=ContactVisibility.PUBLIC)
    make_factsheet(personas.home)
    client.force_login(personas.admin)
    with django_assert_max_num_queries(13):  # the factsheet section reads one row
        response = client.get(f"/organisations/{personas.home.pk}/")
    assert response.status_code == 200


# ---------------------------------------------------------------------------------------------------
# Editing the profile


def _form_data(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "abbreviation": organisation.abbreviation,
        "schac_code": organisation.schac_code or "",
        "erasmus_code": organisation.erasmus_code or "",
        "pic": organisation.pic or "",
        "ror_id": organisation.ror_id or "",
        "country_code": organisation.country_code,
        "city": organisation.city_name,
        "city_geonameid": organisation.city_geonameid or "",
        "street_address": "",
        "postal_code": "",
        "website": "",
        "mission": organisation.mission,
        "offers": "",
        "seeks": "",
        "internal_notes": organisation.internal_notes,
        "translations": "",
        "version": organisation.version,
    }
    data.update(changes)
    return data


def test_edit_form_has_the_labelled_fields(client, personas):
    html = _page(client, personas.admin, f"/organisations/{personas.home.pk}/edit/")
    for label in (
        "Name",
        "Kind",
        "Abbreviation",
        "SCHAC code",
        "Erasmus code",
        "PIC",
        "ROR id",
        "Country",
        "City",
        "Street address",
        "Postal code",
        "Website",
        "Logo",
        "Mission",
        "What we offer partners",
        "What we seek in partners",
        "Internal notes",
        "Languages of instruction",
        "Fields of strength",
        "Networks",
    ):
        assert re.search(rf"<label for=\"id_\w+\"[^>]*>{re.escape(label)}</label>", html), label
    assert '<input type="hidden" name="city_geonameid"' in html
    assert "<optgroup" in html  # ISCED fields grouped by broad field
    assert '<button type="submit">Save</button>' in html


def test_admin_saves_valid_changes(client, personas):
    network = make_organisation(name="Ficticious Network", kind=OrganisationKind.NETWORK)
    client.force_login(personas.admin)
    url = f"/organisations/{personas.home.pk}/edit/"
    data = _form_data(
        personas.home,
        mission="Open science across borders.",
        pic="999 888 777",
        erasmus_code="pl warszaw99",
        city="Warsaw",
        city_geonameid=WARSAW,
        languages=["pl", "en"],
        fields=["0533", "04"],
        translations="pl: Uniwersytet Domowy\nde: Heimuniversität",
        networks=[network.pk],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{personas.home.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Saved." in page
    assert "Open science across borders." in page
    home = Organisation.objects.get(pk=personas.home.pk)
    assert (home.mission, home.pic, home.erasmus_code) == (
        "Open science across borders.",
        "999888777",
        "PL WARSZAW99",
    )
    assert (home.city_name, home.timezone) == ("Warsaw", "Europe/Warsaw")
    assert sorted(home.languages.values_list("language_code", flat=True)) == ["en", "pl"]
    assert sorted(home.fields.values_list("isced_code", flat=True)) == ["04", "0533"]
    assert dict(home.translations.values_list("language_code", "name")) == {
        "pl": "Uniwersytet Domowy",
        "de": "Heimuniversität",
    }
    assert list(home.networks.all()) == [network]
    # The form shows what is stored.
    form = client.get(url).content.decode()
    assert 'value="999888777"' in form and "de: Heimuniversität" in form


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schac_code", "not a domain", "is not a SCHAC code"),
        ("erasmus_code", "12", "is not an Erasmus code"),
        ("pic", "12345", "is not a PIC"),
        ("ror_id", "abc", "ROR"),
    ],
)
def test_invalid_identifier_is_shown_next_to_its_field_and_nothing_changes(
    client, personas, field, value, message
):
    client.force_login(personas.admin)
    data = _form_data(personas.home, mission="Should not be saved", **{field: value})
    response = client.post(f"/organisations/{personas.home.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert errors and message in errors.group(1)
    assert 'value="Should not be saved"' not in html  # a textarea: the text sits between the tags
    assert "Should not be saved</textarea>" in html  # what was typed is kept
    home = Organisation.objects.get(pk=personas.home.pk)
    assert home.mission == "" and getattr(home, field) == getattr(personas.home, field)


def test_duplicate_schac_code_is_refused(client, personas):
    client.force_login(personas.admin)
    data = _form_data(personas.home, schac_code="partner.example.edu")
    html = client.post(f"/organisations/{personas.home.pk}/edit/", data).content.decode()
    assert re.search(r'id="id_schac_code_error">.*already exists', html, re.S)
    assert Organisation.objects.get(pk=personas.home.pk).schac_code == "home.example.edu"


def test_city_in_another_country_is_refused_on_the_city_field(client, personas):
    client.force_login(personas.admin)
    data = _form_data(personas.home, country_code="DE", city="Warsaw", city_geonameid=WARSAW)
    html = client.post(f"/organisations/{personas.home.pk}/edit/", data).content.decode()
    assert re.search(r'id="id_city_error">.*not in DE', html, re.S)


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 403), ("outsider", 403), ("teacher", 403)])
def test_only_admins_may_edit(client, personas, persona, status):
    client.force_login(personas.by_name(persona))
    url = f"/organisations/{personas.home.pk}/edit/"
    assert client.get(url).status_code == status
    assert client.post(url, _form_data(personas.home, mission="Hijacked")).status_code == status
    assert Organisation.objects.get(pk=personas.home.pk).mission == ""


def test_editing_a_missing_organisation_is_not_found(client, personas):
    client.force_login(personas.admin)
    assert client.get("/organisations/999999/edit/").status_code == 404


def test_platform_staff_add_organisations(client, personas):
    client.force_login(personas.platform_admin)
    assert "Add organisation" in client.get("/organisations/").content.decode()
    response = client.post(
        "/organisations/new/",
        {"name": "New Institute", "kind": "hei", "country_code": "de", "city": "", "translations": ""},
    )
    created = Organisation.objects.get(name="New Institute")
    assert response["Location"] == f"/organisations/{created.pk}/"
    assert created.country_code == "DE"


def test_others_may_not_add_organisations(client, personas):
    client.force_login(personas.admin)
    assert "Add organisation" not in client.get("/organisations/").content.decode()
    assert client.get("/organisations/new/").status_code == 403
    assert client.post("/organisations/new/", {"name": "X", "kind": "hei"}).status_code == 403


def test_city_picker_offers_matching_cities(client, personas, monkeypatch):
    # The search itself is tested with the reference data; building its name index takes seconds.
    warsaw = City(WARSAW, "Warsaw", "PL", 52.23, 21.01, "Europe/Warsaw", 1702139, "78")
    asked = []

    def search_cities(query, *, country_code=None, limit=20):
        asked.append((query, country_code))
        return [warsaw] if "warsaw".startswith(query.lower()) else []

    monkeypatch.setattr("accord.organisations.views.directory.search_cities", search_cities)
    html = _page(client, personas.admin, "/organisations/cities/?city=Warsa&country_code=PL")
    assert asked == [("Warsa", "PL")]
    assert f'<option value="{WARSAW}" data-name="Warsaw"' in html
    assert "Warsaw, Poland" in html
    assert "<html" not in html
    assert "No matching city" in _page(client, personas.admin, "/organisations/cities/?q=zzzzqx")


# ---------------------------------------------------------------------------------------------------
# Units and contacts


@pytest.mark.parametrize("persona", ["admin", "coordinator"])
def test_managers_add_edit_and_delete_units(client, personas, persona):
    client.force_login(personas.by_name(persona))
    base = f"/organisations/{personas.home.pk}/units"
    assert client.post(f"{base}/new/", {"name": "Faculty of Law", "code": "LAW"}).status_code == 302
    faculty = OrganisationalUnit.objects.get(name="Faculty of Law")
    response = client.post(f"{base}/new/", {"name": "Chair of Civil Law", "parent": faculty.pk}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and 'id="units"' in html and "Unit added." in html
    chair = OrganisationalUnit.objects.get(name="Chair of Civil Law")
    assert chair.parent == faculty

    response = client.post(
        f"{base}/{chair.pk}/edit/", {"name": "Chair of Private Law", "parent": "", "version": 1}
    )
    assert response.status_code == 302
    chair.refresh_from_db()
    assert (chair.name, chair.parent) == ("Chair of Private Law", None)

    confirm = client.get(f"{base}/{chair.pk}/delete/").content.decode()
    assert "Delete the unit" in confirm
    assert f'name="version" value="{chair.version}"' in confirm
    assert client.post(f"{base}/{chair.pk}/delete/", {"version": chair.version}, **HTMX).status_code == 200
    assert not OrganisationalUnit.objects.filter(pk=chair.pk).exists()


def test_unit_forms_come_as_fragments_for_htmx(client, personas):
    client.force_login(personas.admin)
    html = client.get(f"/organisations/{personas.home.pk}/units/new/", **HTMX).content.decode()
    assert "<html" not in html and f'hx-post="/organisations/{personas.home.pk}/units/new/"' in html
    refused = client.post(f"/organisations/{personas.home.pk}/units/new/", {"name": ""}, **HTMX)
    assert refused["HX-Retarget"] == "#units-form-slot"
    assert 'id="id_name_error"' in refused.content.decode()


def test_a_unit_cannot_become_its_own_ancestor(client, personas):
    faculty = make_unit(personas.home, name="Faculty")
    institute = make_unit(personas.home, name="Institute", parent=faculty)
    client.force_login(personas.admin)
    response = client.post(
        f"/organisations/{personas.home.pk}/units/{faculty.pk}/edit/",
        {"name": "Faculty", "parent": institute.pk, "version": faculty.version},
    )
    assert response.status_code == 200
    assert re.search(
        r'id="id_parent_error">.*cannot be placed inside itself', response.content.decode(), re.S
    )
    faculty.refresh_from_db()
    assert faculty.parent is None


@pytest.mark.parametrize("persona", ["teacher", "partner"])
def test_others_may_not_manage_units(client, personas, persona):
    unit = make_unit(personas.home)
    client.force_login(personas.by_name(persona))
    base = f"/organisations/{personas.home.pk}/units"
    assert client.get(f"{base}/new/").status_code == 403
    assert client.post(f"{base}/new/", {"name": "Sneaky"}).status_code == 403
    assert client.post(f"{base}/{unit.pk}/edit/", {"name": "Renamed"}).status_code == 403
    assert client.post(f"{base}/{unit.pk}/delete/").status_code == 403
    unit.refresh_from_db()
    assert unit.name == "Faculty of Science"
    assert OrganisationalUnit.objects.filter(organisation=personas.home).count() == 1


def test_another_organisations_unit_is_not_found_through_mine(client, personas):
    foreign = make_unit(personas.partner_org)
    client.force_login(personas.admin)
    assert client.post(f"/organisations/{personas.home.pk}/units/{foreign.pk}/delete/").status_code == 404


@pytest.mark.parametrize("persona", ["admin", "coordinator"])
def test_managers_add_edit_and_delete_contacts(client, personas, persona):
    unit = make_unit(personas.home)
    client.force_login(personas.by_name(persona))
    base = f"/organisations/{personas.home.pk}/contacts"
    data = {
        "given_name": "Nina",
        "family_name": "Nowak",
        "email": "nina@example.org",
        "phone": "+48 22 123 45 67",
        "role": "admissions",
        "position": "Head of admissions",
        "unit": unit.pk,
        "visibility": "public",
    }
    assert client.post(f"{base}/new/", data).status_code == 302
    contact = Contact.objects.get(family_name="Nowak")
    assert (contact.phone, contact.unit) == ("+48221234567", unit)

    html = client.post(
        f"{base}/{contact.pk}/edit/", {**data, "position": "Director", "version": 1}, **HTMX
    ).content.decode()
    assert 'id="contacts"' in html and "Director" in html and "Contact saved." in html

    refused = client.post(
        f"{base}/{contact.pk}/edit/", {**data, "phone": "12", "version": 2}
    ).content.decode()
    assert 'id="id_phone_error"' in refused

    contact.refresh_from_db()
    opened_at = contact.version
    Contact.objects.filter(pk=contact.pk).update(position="Dean", version=opened_at + 1)
    stale = client.post(f"{base}/{contact.pk}/delete/", {"version": opened_at})
    assert stale.status_code == 412
    assert "since you opened it" in stale.content.decode()
    assert f'name="version" value="{opened_at + 1}"' in stale.content.decode()
    missing = client.post(f"{base}/{contact.pk}/delete/")
    assert missing.status_code == 400 and "nothing was deleted" in missing.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()

    assert client.post(f"{base}/{contact.pk}/delete/", {"version": opened_at + 1}).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_teachers_may_not_manage_contacts(client, personas):
    contact = make_contact(personas.home, family_name="Kept")
    client.force_login(personas.teacher)
    base = f"/organisations/{personas.home.pk}/contacts"
    assert client.get(f"{base}/new/").status_code == 403
    assert (
        client.post(f"{base}/new/", {"given_name": "A", "family_name": "B", "role": "other"}).status_code
        == 403
    )
    assert client.post(f"{base}/{contact.pk}/edit/", {"family_name": "Changed"}).status_code == 403
    assert client.post(f"{base}/{contact.pk}/delete/").status_code == 403
    contact.refresh_from_db()
    assert contact.family_name == "Kept"


def test_directory_offers_exports_of_the_filtered_list_and_import_to_staff(client, personas):
    client.force_login(personas.coordinator)
    page = client.get("/organisations/?country=PL").content.decode()
    assert "/organisations/export.csv?country=PL" in page
    assert "/organisations/export.xlsx?country=PL" in page
    assert "/organisations/import/" not in page
    client.force_login(personas.platform_admin)
    assert "/organisations/import/" in client.get("/organisations/").content.decode()


def test_profile_offers_contact_export_and_import_to_managers(client, personas):
    client.force_login(personas.teacher)
    page = client.get(f"/organisations/{personas.home.pk}/").content.decode()
    assert f"/organisations/{personas.home.pk}/contacts/export.csv" in page
    assert "/organisations/import/contacts/" not in page
    client.force_login(personas.coordinator)
    assert (
        "/organisations/import/contacts/"
        in client.get(f"/organisations/{personas.home.pk}/").content.decode()
    )
