"""Key journeys through the directory, as a coordinator and an organisation admin would make them."""

import re

import pytest
from playwright.sync_api import expect

from accord.organisations.models import Organisation
from accord.testing.factories import make_organisation

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_lands_on_the_dashboard(page, personas, sign_in, assert_accessible):
    sign_in("coordinator")
    expect(page).to_have_url(re.compile(r"/accounts/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("coordinator")
    expect(page.get_by_role("link", name="Home University")).to_be_visible()
    assert_accessible(page, context="dashboard")


def test_wrong_password_is_refused_with_a_message(page, personas, sign_in, assert_accessible):
    page.goto("/accounts/login/")
    assert_accessible(page, context="sign-in page")
    sign_in("coordinator", "not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("main")).to_contain_text("do not match an account")
    assert_accessible(page, context="sign-in page with an error")


def test_directory_search_finds_an_organisation(page, personas, sign_in, assert_accessible):
    make_organisation(
        name="Universidad de los Andes Ficticia", country_code="CO", schac_code="andes.example.edu"
    )
    make_organisation(name="Nordic Institute of Design", country_code="NO", schac_code="nid.example.edu")
    sign_in("coordinator")
    page.goto("/organisations/")
    assert_accessible(page, context="directory")
    page.get_by_label("Search").fill("Andes")
    page.get_by_label("Search").press("Enter")
    results = page.locator("main")
    expect(results.get_by_role("link", name="Universidad de los Andes Ficticia")).to_be_visible()
    expect(results.get_by_role("link", name="Nordic Institute of Design")).to_have_count(0)
    assert_accessible(page, context="directory search results")
    results.get_by_role("link", name="Universidad de los Andes Ficticia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Universidad de los Andes Ficticia")
    assert_accessible(page, context="organisation profile")


def test_admin_edits_the_profile_and_sees_it_saved(page, personas, sign_in, assert_accessible):
    sign_in("admin")
    page.goto(f"/organisations/{personas.home.pk}/")
    page.get_by_role("link", name="Edit profile").click()
    assert_accessible(page, context="organisation edit form")
    page.get_by_label("Mission").fill("Open science across borders.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Saved.")
    expect(page.locator("main")).to_contain_text("Open science across borders.")
    assert_accessible(page, context="saved organisation profile")
    assert Organisation.objects.get(pk=personas.home.pk).mission == "Open science across borders."


def test_invalid_identifier_is_explained_and_nothing_changes(page, personas, sign_in, assert_accessible):
    sign_in("admin")
    page.goto(f"/organisations/{personas.home.pk}/edit/")
    page.get_by_label("PIC").fill("12345")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("is not a PIC")
    assert_accessible(page, context="organisation form with an error")
    assert Organisation.objects.get(pk=personas.home.pk).pic is None


def test_coordinator_has_no_edit_button(page, personas, sign_in, assert_accessible):
    sign_in("coordinator")
    page.goto(f"/organisations/{personas.home.pk}/")
    expect(page.get_by_role("link", name="Edit profile")).to_have_count(0)
    assert_accessible(page, context="organisation profile, as a coordinator")
