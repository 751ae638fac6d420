"""Partner discovery and course equivalence in the browser: a coordinator finds a partner and sees
why it was recommended, then invites it; a student builds a learning agreement with the home course
that suggestions put first (the institution recognised it before)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accord.courses import services as courses
from accord.discovery import services as discovery
from accord.mobilities import services
from accord.organisations.models import OrganisationField, OrganisationLanguage
from accord.partnerships.models import Partnership
from accord.testing.factories import make_organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def lexical_index_only(settings):
    settings.ACCORD_SEMANTIC_INDEX = False


def _profile(organisation, fields, languages, offers, seeks):
    for code in fields:
        OrganisationField.objects.create(organisation=organisation, isced_code=code)
    for code in languages:
        OrganisationLanguage.objects.create(organisation=organisation, language_code=code)
    organisation.mission, organisation.offers, organisation.seeks = "A research university.", offers, seeks
    organisation.save()


def test_find_a_partner_and_see_why(page, personas, sign_in, assert_accessible):
    _profile(personas.home, ["0613"], ["pl", "en"], "computer science in English", "partners in data science")
    fit = make_organisation(name="Campinas Data Institute", country_code="BR")
    _profile(fit, ["0613", "0542"], ["en", "pt"], "data science and statistics", "computer science")
    sign_in("coordinator")
    page.goto("/discovery/")
    assert_accessible(page, context="partner recommendations")
    first = page.locator(".recommendation").first
    expect(first).to_contain_text("Campinas Data Institute")
    first.get_by_text("Why this partner").click()
    expect(first).to_contain_text("Subject overlap (ISCED-F)")
    expect(first).to_contain_text("Shared languages: en")
    # Read on with the focus elsewhere: an open summary that has lost focus must keep its contrast.
    page.evaluate("document.activeElement.blur()")
    assert_accessible(page, context="a recommendation's factors")
    page.get_by_label("South–South cooperation").fill("3")
    page.get_by_role("button", name="Recommend").click()
    expect(page.locator(".recommendation").first).to_contain_text("Campinas Data Institute")
    first = page.locator(".recommendation").first
    first.get_by_role("button", name="Invite to a partnership").click()
    expect(page.locator("main")).to_contain_text("The partnership was started")
    assert Partnership.objects.filter(organisations=fit).exists()


def test_build_a_learning_agreement_with_a_suggested_home_course(
    page, personas, sign_in, time_machine, assert_accessible
):
    time_machine.move_to(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    for code, title, description in (
        ("INF-101", "Bazy danych", "Model relacyjny, SQL, normalizacja, transakcje."),
        ("INF-102", "Sieci komputerowe", "Ethernet, adresacja IP, TCP i UDP."),
        ("EKO-101", "Mikroekonomia", "Teoria konsumenta, monopol, oligopol."),
    ):
        courses.course_create(
            actor=personas.coordinator,
            organisation=personas.home,
            code=code,
            title=title,
            description=description,
            ects=Decimal(6),
            language="pl",
        )
    discovery.equivalence_approve(
        actor=personas.coordinator,
        home_course=personas.home.courses.get(code="INF-101"),
        host_title="Bases de datos",
        host_code="BD-11",
        host_organisation=personas.partner_org,
    )
    mobility = services.mobility_create(
        actor=personas.coordinator,
        participant=personas.student,
        mobility_type="long_term_physical",
        sending_organisation=personas.home,
        receiving_organisation=personas.partner_org,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        eqf_level=6,
        isced_code="0613",
        language="es",
    )
    sign_in("student")
    page.goto(f"/mobilities/{mobility.pk}/")
    page.get_by_role("link", name="Propose the learning agreement").click()
    page.get_by_label("Host course title").fill("Bases de datos")
    page.get_by_label("Host course code").fill("BD-11")
    page.get_by_role("button", name="Suggest home courses").click()
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("INF-101 Bazy danych")
    expect(suggestions.locator(".suggestion").first).to_contain_text(
        "Recognised for this course once before."
    )
    assert_accessible(page, context="learning agreement form with suggested home courses")
    page.get_by_label("Table 1", exact=True).select_option("studied")
    page.get_by_label("Code 1", exact=True).fill("BD-11")
    page.get_by_label("Title 1", exact=True).fill("Bases de datos")
    page.get_by_label("ECTS 1", exact=True).fill("6")
    page.get_by_label("Term 1", exact=True).fill("1/2")
    page.get_by_label("Table 2", exact=True).select_option("recognised")
    page.get_by_label("Code 2", exact=True).fill("INF-101")
    page.get_by_label("Title 2", exact=True).fill("Bazy danych")
    page.get_by_label("ECTS 2", exact=True).fill("6")
    page.get_by_label("Term 2", exact=True).fill("1/2")
    page.get_by_role("button", name="Propose", exact=True).click()
    expect(page.locator("main")).to_contain_text("Version proposed")
