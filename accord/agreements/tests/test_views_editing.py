"""The agreement pages, editing: conditions and terms edited in place with htmx, renewal and
termination, and refusals that explain themselves (a stale approval, a stale save, bad input next to
its field), after which nothing is saved."""

import pytest

from accord.agreements import services
from accord.agreements.choices import AgreementStatus
from accord.agreements.models import Agreement, AgreementApproval, AgreementVersion
from accord.agreements.tests.test_views import (
    HTMX,
    approve_data,
    condition_data,
    condition_data_for_create,
    field_errors,
    page,
    post,
    url,
)
from accord.testing.factories import agreement_document, make_agreement, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(personas):
    return make_partnership(personas.home, personas.partner_org)


@pytest.fixture
def agreement(personas, partnership):
    return make_agreement(
        personas.coordinator, partnership, agreement_document(personas.home, personas.partner_org)
    )


@pytest.fixture
def shared(personas, agreement):
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    return agreement


def test_bad_input_when_drafting_names_the_fields_and_saves_nothing(client, personas, partnership):
    path = f"/agreements/new/?partnership={partnership.pk}"
    alone = {
        "title": "Bad",
        "agreement_type": "erasmus_iia",
        "owner": personas.home.pk,
        "partners": [personas.home.pk],
    }
    html = post(client, personas.coordinator, path, alone).content.decode()
    assert "at least two partners" in field_errors(html, "partners")

    condition = {f"condition-{key}": value for key, value in condition_data_for_create(personas).items()}
    html = post(client, personas.coordinator, path, {**alone, **condition}).content.decode()
    assert "Choose one of the agreement&#x27;s partners." in field_errors(html, "condition-receiving_partner")

    bad_eqf = {**condition, "condition-eqf_levels": ["9"]}
    html = post(
        client, personas.coordinator, path, {**alone, "partners": [personas.partner_org.pk], **bad_eqf}
    )
    assert "Select a valid choice" in field_errors(html.content.decode(), "condition-eqf_levels")
    assert not Agreement.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Refusals that explain themselves


def test_an_approval_from_a_stale_page_is_refused_with_the_reason(client, personas, shared):
    stale = approve_data(shared)
    services.condition_save(
        actor=personas.coordinator,
        agreement=shared,
        condition={**shared.current_version.content["conditions"][0], "mobilities_per_year": 5},
        base_version=1,
    )
    services.agreement_share(actor=personas.coordinator, agreement=shared, version_number=2)
    approvals = AgreementApproval.objects.count()

    response = post(client, personas.partner, url(shared, "approve/"), stale, follow=True)
    html = response.content.decode()
    assert "Version 1 is not the current version of this agreement: version 2 replaced it." in html
    assert AgreementApproval.objects.count() == approvals

    forged = {**approve_data(shared), "conditions_hash": stale["conditions_hash"]}
    html = post(client, personas.partner, url(shared, "approve/"), forged, follow=True).content.decode()
    assert "you may have been shown a different text" in html
    assert AgreementApproval.objects.count() == approvals


def test_a_save_from_a_stale_form_shows_what_changed_meanwhile(client, personas, agreement):
    form = page(client, personas.coordinator, url(agreement, "conditions/edit/?key=c1"), **HTMX)
    assert 'value="1"' in form
    services.condition_save(
        actor=personas.admin,
        agreement=agreement,
        condition={**agreement.current_version.content["conditions"][0], "mobilities_per_year": 4},
        base_version=1,
    )
    response = post(
        client,
        personas.coordinator,
        url(agreement, "conditions/edit/?key=c1"),
        condition_data(agreement, total_months_per_year="12", base_version="1"),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "this" and html.lstrip().startswith("<form")
    assert "Someone changed this agreement while you were editing" in html
    assert "mobilities per year: 2 → 4" in html and "admin" in html
    assert 'value="12"' in html  # what was typed is kept
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 2
    # The notice offers both: saving the form again ("keep mine") now starts from version 2.
    assert "Keep mine and save" in html and "Keep theirs" in html
    assert 'name="base_version" value="2"' in html
    kept = post(
        client,
        personas.coordinator,
        url(agreement, "conditions/edit/?key=c1"),
        condition_data(agreement, total_months_per_year="12", base_version="2"),
        **HTMX,
    )
    assert kept.status_code == 200
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 3


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"mobility_type": "staff_teaching", "total_months_per_year": None, "total_days_per_year": "5"},
            "eqf_levels",
            "EQF levels apply to student mobility only",
        ),
        ({"last_academic_year": "2025/2026"}, "last_academic_year", "is before the first academic year"),
        ({"mobilities_per_year": "0"}, "mobilities_per_year", "Agree at least one mobility per year."),
        ({"mobilities_per_year": "-2"}, "mobilities_per_year", "Agree at least one mobility per year."),
        ({"language_0": None, "cefr_0": None}, "language_0", "need at least one recommended language skill"),
        ({"subject_areas": ["03"]}, "subject_areas", "needs a four-digit ISCED-F code"),
        ({"receiving_partner": "0"}, "receiving_partner", "must differ from the sending partner"),
        ({"total_days_per_year": "5"}, "total_days_per_year", "Student mobility is counted in months"),
        ({"cefr_0": "D1"}, "cefr_0", "Select a valid choice"),
        ({"first_academic_year": "2026"}, "first_academic_year", "two consecutive years"),
    ],
)
def test_bad_condition_input_shows_errors_by_the_fields_and_saves_nothing(
    client, personas, agreement, overrides, field, message
):
    response = post(
        client,
        personas.coordinator,
        url(agreement, "conditions/edit/?key=c1"),
        condition_data(agreement, **overrides),
        **HTMX,
    )
    assert response.status_code == 200
    assert message in field_errors(response.content.decode(), field)
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 1


def test_a_stale_remove_is_refused_with_the_reason(client, personas, agreement):
    services.condition_save(
        actor=personas.admin,
        agreement=agreement,
        condition={**agreement.current_version.content["conditions"][0], "mobilities_per_year": 4},
        base_version=1,
    )
    response = post(
        client,
        personas.coordinator,
        url(agreement, "conditions/remove/"),
        {"key": "c1", "base_version": 1},
        **HTMX,
    )
    html = response.content.decode()
    assert 'role="alert"' in html and "Someone changed this agreement" in html
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 2


# ---------------------------------------------------------------------------------------------------
# Editing in place: adding and removing conditions, terms


def test_add_and_remove_a_condition_in_place(client, personas, agreement):
    blank = page(client, personas.coordinator, url(agreement, "conditions/edit/"), **HTMX)
    assert blank.lstrip().startswith("<form") and "Add a cooperation condition" in blank
    response = post(
        client,
        personas.coordinator,
        url(agreement, "conditions/edit/"),
        condition_data(
            agreement,
            mobility_type="staff_teaching",
            sending_partner="1",
            receiving_partner="0",
            total_months_per_year=None,
            total_days_per_year="10",
            eqf_levels=None,
            language_1="es",
            cefr_1="C1",
        ),
        **HTMX,
    )
    assert "Saved as version 2." in response.content.decode()
    agreement.refresh_from_db()
    added = agreement.current_version.content["conditions"][1]
    assert (added["mobility_type"], added["sending_partner"], added["total_days_per_year"]) == (
        "staff_teaching",
        1,
        "10",
    )
    assert [skill["language"] for skill in added["language_skills"]] == ["en", "es"]

    response = post(
        client,
        personas.coordinator,
        url(agreement, "conditions/remove/"),
        {"key": added["key"], "base_version": 2},
        **HTMX,
    )
    assert "Saved as version 3." in response.content.decode()
    agreement.refresh_from_db()
    assert len(agreement.current_version.content["conditions"]) == 1


def test_terms_are_edited_in_place(client, personas, agreement):
    fragment = page(client, personas.coordinator, url(agreement, "terms/"), **HTMX)
    assert 'name="housing"' in fragment
    response = post(
        client,
        personas.coordinator,
        url(agreement, "terms/"),
        {
            "title": "CS exchange",
            "agreement_type": "erasmus_iia",
            "tuition_waiver": "on",
            "housing": "Help finding a room",
            "base_version": 1,
        },
        **HTMX,
    )
    html = response.content.decode()
    assert "Saved as version 2." in html and "Help finding a room" in html
    agreement.refresh_from_db()
    assert agreement.title == "CS exchange"
    assert agreement.current_version.content["terms"]["tuition_waiver"] is True


def test_without_javascript_the_forms_are_pages_that_redirect(client, personas, agreement):
    form_page = page(client, personas.coordinator, url(agreement, "conditions/edit/?key=c1"))
    assert "<html" in form_page and "Edit condition 1" in form_page
    response = post(
        client,
        personas.coordinator,
        url(agreement, "conditions/edit/?key=c1"),
        condition_data(agreement, mobilities_per_year="5"),
    )
    assert response.status_code == 302 and response["Location"] == url(agreement) + "#conditions"


def test_renew_and_terminate(client, personas, shared):
    response = post(
        client,
        personas.coordinator,
        url(shared, "renew/"),
        {
            "renew-first_academic_year": "2029/2030",
            "renew-last_academic_year": "2030/2031",
            "renew-base_version": 1,
        },
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.current_version.content["conditions"][0]["first_academic_year"] == "2029/2030"

    refused = post(
        client,
        personas.coordinator,
        url(shared, "renew/"),
        {
            "renew-first_academic_year": "2031/2032",
            "renew-last_academic_year": "2030/2031",
            "renew-base_version": 2,
        },
    )
    assert "is before the first academic year" in field_errors(
        refused.content.decode(), "renew-last_academic_year"
    )

    blank = post(client, personas.coordinator, url(shared, "terminate/"), {"terminate-reason": ""})
    assert field_errors(blank.content.decode(), "terminate-reason")
    post(
        client, personas.coordinator, url(shared, "terminate/"), {"terminate-reason": "The programme closed."}
    )
    shared.refresh_from_db()
    assert shared.status == AgreementStatus.TERMINATED
    html = page(client, personas.partner, url(shared))
    assert "The programme closed." in html and "Approve version" not in html
