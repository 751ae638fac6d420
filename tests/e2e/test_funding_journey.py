"""Funding in the browser: the administrator changes the Erasmus+ rules in a new version and puts it
in force; the coordinator computes a student's grant, explained line by line; the plan's dates
change and the grant page shows it recomputed, with the difference to what was paid."""

import copy
import json
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accord.funding import services
from accord.mobilities import services as mobilities

pytestmark = pytest.mark.django_db(transaction=True)

KRAKOW, MADRID = 3094802, 3117735


@pytest.fixture
def setting(personas):
    for organisation, city in ((personas.home, KRAKOW), (personas.partner_org, MADRID)):
        organisation.city_geonameid = city
        organisation.save(update_fields=["city_geonameid"])
    admin = personas.admin
    agency = services.funder_create(
        actor=admin, organisation_id=personas.home.pk, name="Erasmus+ agency", kind="eu"
    )
    programme = services.programme_create(actor=admin, funder=agency, name="Erasmus+ KA131")
    version = services.rule_set_import_shipped(
        actor=admin, programme=programme, key="erasmus-ka131-2024", call_year=2027
    )
    services.budget_create(
        actor=admin, funder=agency, programme=programme, name="KA131 2027", year=2027, amount=Decimal("50000")
    )
    mobility = mobilities.mobility_create(
        actor=personas.coordinator,
        participant=personas.student,
        mobility_type="long_term_physical",
        sending_organisation=personas.home,
        receiving_organisation=personas.partner_org,
        academic_year="2027/2028",
        planned_start=date(2027, 9, 1),
        planned_end=date(2028, 1, 31),
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
    )
    return version.rule_set, mobility


def test_rules_to_grant_to_recomputed_grant(page, personas, setting, sign_in, assert_accessible):
    rule_set, mobility = setting

    # The administrator raises the national agency's rate for group 2 in a new version.
    sign_in("admin")
    page.goto(f"/funding/rules/{rule_set.pk}/")
    assert_accessible(page, context="rule set page")
    page.get_by_role("button", name="Make a new version to change the rules").click()
    assert_accessible(page, context="rule set draft form")
    data = copy.deepcopy(rule_set.versions.get(number=1).data)
    data["activities"]["student-studies"]["components"][0]["rates"]["2"]["amount"] = "560"
    page.get_by_label("Rules (JSON)").fill(json.dumps(data))
    page.get_by_label("What changed").fill("The agency's rate for 2027")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("main")).to_contain_text("The draft is saved")
    page.get_by_role("button", name="Put in force").click()
    expect(page.locator("main")).to_contain_text("Version 2 is in force.")

    # The coordinator computes the student's grant: every amount line by line.
    page.context.clear_cookies()
    sign_in("coordinator")
    page.goto("/funding/")
    assert_accessible(page, context="funding home")
    page.get_by_role("link", name="Compute the grant").click()
    page.get_by_role("button", name="Compute and commit").click()
    explanation = page.locator("#explanation")
    # 1 Sep 2027 – 31 Jan 2028: 153 days = 5 months + 3 days at 560.
    expect(explanation).to_contain_text("Individual support × 5 months")
    expect(explanation).to_contain_text("2800.00")
    expect(explanation).to_contain_text("2856.00 EUR")
    assert_accessible(page, context="grant page")
    grant_url = page.url

    # The plan changes: back on 31 December. The grant follows, with the difference shown.
    page.goto(f"/mobilities/{mobility.pk}/")
    page.get_by_role("link", name="Change the plan").click()
    page.get_by_label("Planned end").fill("2027-12-31")
    page.get_by_role("button", name="Save").click()
    page.goto(grant_url)
    # 122 days = 4 months + 2 days: 2240 + 37.33.
    expect(page.locator("#explanation")).to_contain_text("2277.33 EUR")
    expect(page.locator("#recalculations")).to_contain_text(
        "Was 2856.00 EUR, now 2277.33 EUR: a difference of -578.67 EUR."
    )
    assert_accessible(page, context="grant page after its dates changed")
