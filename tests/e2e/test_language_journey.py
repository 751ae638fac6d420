"""Choosing a language in the footer switcher: French before signing in, Arabic (right to left) after."""

import re

import pytest
from playwright.sync_api import expect

from accord.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_switches_to_french_then_saves_arabic_once_signed_in(page, personas):
    page.goto("/accounts/login/")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")

    page.get_by_label("Nom d'utilisateur ou e-mail").fill("coordinator")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/accounts/dashboard/$"))
    expect(page).to_have_title("Mon tableau de bord · Accord")

    page.get_by_label("Langue").select_option("ar")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # Right to left, the brand sits at the right end of the header.
    brand = page.locator(".brand").bounding_box()
    assert brand is not None and brand["x"] > 640
    personas.coordinator.refresh_from_db()
    assert personas.coordinator.language == "ar"
