"""The agreement PDF: what it prints about parties, conditions, terms and approvals, and its hash."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from accord.accounts.choices import Role
from accord.agreements import services
from accord.agreements.pdf import NOT_APPROVED, agreement_pdf_data, render_agreement_pdf
from accord.testing.factories import (
    make_agreement,
    make_contact,
    make_organisation,
    make_partnership,
    make_unit,
    make_user,
)


@pytest.fixture
def lodz(db):
    return make_organisation(
        name="Politechnika Łódzka",
        country_code="PL",
        erasmus_code="PL LODZ02",
        schac_code="p.lodz.pl",
        street_address="ul. Żeromskiego 116",
        postal_code="90-924",
        city_name="Łódź",
    )


@pytest.fixture
def cordoba(db):
    return make_organisation(
        name="Universidad de Córdoba", country_code="ES", erasmus_code="E CORDOBA01", schac_code="uco.es"
    )


@pytest.fixture
def coordinator(lodz):
    return make_user(
        "lodz_coordinator",
        organisation=lodz,
        role=Role.COORDINATOR,
        first_name="Zofia",
        last_name="Łukasiewicz",
    )


@pytest.fixture
def partner_coordinator(cordoba):
    return make_user(
        "uco_coordinator", organisation=cordoba, role=Role.COORDINATOR, first_name="José", last_name="Muñoz"
    )


def two_way_document(lodz, cordoba) -> dict:
    """Students from Łódź to Córdoba and teaching staff back, with terms beyond Erasmus+."""
    lodz_unit = make_unit(lodz, "Wydział Elektrotechniki, Elektroniki, Informatyki i Automatyki")
    return {
        "partners": [
            {
                "organisation_ref": str(lodz.pk),
                "unit_ref": str(lodz_unit.pk),
                "signing_contact": "Prorektor ds. Współpracy Międzynarodowej",
                "signing_date": "2026-03-02",
            },
            {"organisation_ref": str(cordoba.pk), "signing_contact": "Vicerrectora de Internacionalización"},
        ],
        "conditions": [
            {
                "key": "students",
                "mobility_type": "student_studies",
                "sending_partner": 0,
                "receiving_partner": 1,
                "first_academic_year": "2026/2027",
                "last_academic_year": "2028/2029",
                "mobilities_per_year": 3,
                "total_months_per_year": "15",
                "subject_areas": [{"isced_code": "0613", "clarification": "Ingeniería del software"}],
                "eqf_levels": [6, 7],
                "language_skills": [
                    {"language": "es", "cefr_level": "B1"},
                    {"language": "en", "cefr_level": "B2", "isced_code": "0613"},
                ],
                "blended": True,
            },
            {
                "key": "staff",
                "mobility_type": "staff_teaching",
                "sending_partner": 1,
                "receiving_partner": 0,
                "first_academic_year": "2026/2027",
                "last_academic_year": "2027/2028",
                "mobilities_per_year": 2,
                "total_days_per_year": "10",
                "subject_areas": [{"isced_code": "0714"}],
                "language_skills": [{"language": "en", "cefr_level": "C1"}],
                "other_info": "Teaching in English or Polish",
            },
        ],
        "terms": {
            "agreement_type": "erasmus_iia",
            "tuition_waiver": True,
            "insurance": "Students hold health insurance valid in Spain",
            "housing": "The receiving institution helps to find a room",
            "termination_notice": "Written notice by 1 September of the preceding academic year",
        },
    }


@pytest.fixture
def agreement(lodz, cordoba, coordinator):
    partnership = make_partnership(lodz, cordoba)
    contacts = [
        make_contact(lodz, given_name="Łucja", family_name="Wąsowska", email="erasmus@p.lodz.pl"),
        make_contact(cordoba, given_name="Begoña", family_name="Ibáñez", email="relint@uco.es"),
    ]
    return make_agreement(
        coordinator,
        partnership,
        two_way_document(lodz, cordoba),
        title="Łódź – Córdoba exchange",
        contacts=contacts,
    )


def approve_by_both(agreement, coordinator, partner_coordinator):
    version = agreement.current_version
    services.agreement_share(actor=coordinator, agreement=agreement, version_number=version.number)
    services.agreement_approve(
        actor=partner_coordinator,
        agreement=agreement,
        version_number=version.number,
        conditions_hash=version.conditions_hash,
    )
    agreement.refresh_from_db()
    return version


def pdf_text(pdf: bytes) -> str:
    """The text of every page, with runs of white space as one space: table cells wrap their lines."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_of_an_approved_version_prints_parties_conditions_and_approvals(
    agreement, coordinator, partner_coordinator
):
    version = approve_by_both(agreement, coordinator, partner_coordinator)

    pdf = render_agreement_pdf(agreement, version)

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(pdf))
    text = pdf_text(pdf)
    for expected in (
        "Inter-institutional agreement 2021–2029",
        "Łódź – Córdoba exchange",
        "In effect",
        "Politechnika Łódzka",
        "Universidad de Córdoba",
        "PL LODZ02",
        "Wydział Elektrotechniki",
        "ul. Żeromskiego 116, 90-924 Łódź",
        "Łucja Wąsowska",
        "Begoña Ibáñez",
        "0613 Software and applications development and analysis (Ingeniería del software)",
        "0714",
        "Student mobility for studies",
        "Staff mobility for teaching",
        "EQF 6, First cycle (bachelor)",
        "15 months",
        "10 days",
        "2026/2027 – 2028/2029",
        "Teaching in English or Polish",
        "Spanish",
        "B2 (Vantage)",
        "Students hold health insurance valid in Spain",
        "Prorektor ds. Współpracy Międzynarodowej",
        "2026-03-02",
        "Approved by Zofia Łukasiewicz on",
        "Approved by José Muñoz on",
    ):
        assert expected in text, expected
    assert NOT_APPROVED not in text
    # The hash is in the title block and in every page's footer.
    assert text.count(version.conditions_hash) >= len(reader.pages) + 1
    for page in reader.pages:
        footer = f"Version 1 · conditions hash (SHA-256) {version.conditions_hash}"
        assert footer in " ".join(page.extract_text().split())


def test_the_data_lists_each_party_with_its_contacts_unit_and_approval(
    agreement, coordinator, partner_coordinator, django_assert_num_queries
):
    version = approve_by_both(agreement, coordinator, partner_coordinator)

    # Organisations, units, contacts, approvals: one query each, however many parties and conditions.
    with django_assert_num_queries(4):
        data = agreement_pdf_data(agreement, version)

    lodz, cordoba = data.parties
    assert (lodz.name, lodz.country, lodz.unit) == (
        "Politechnika Łódzka",
        "Poland",
        "Wydział Elektrotechniki, Elektroniki, Informatyki i Automatyki",
    )
    assert lodz.contacts == ("Łucja Wąsowska, International office · erasmus@p.lodz.pl",)
    assert cordoba.contacts == ("Begoña Ibáñez, International office · relint@uco.es",)
    assert lodz.approval.approved_by == "Zofia Łukasiewicz"
    assert cordoba.approval.approved_by == "José Muñoz"
    assert [(row.sending, row.receiving, row.mobilities_per_year) for row in data.conditions] == [
        ("PL LODZ02, Wydział Elektrotechniki, Elektroniki, Informatyki i Automatyki", "E CORDOBA01", 3),
        ("E CORDOBA01", "PL LODZ02, Wydział Elektrotechniki, Elektroniki, Informatyki i Automatyki", 2),
    ]
    assert [(row.language, row.level, row.subject_area) for row in data.languages] == [
        ("Spanish", "B1 (Threshold)", ""),
        ("English", "B2 (Vantage)", "0613 Software and applications development and analysis"),
        ("English", "C1 (Effective operational proficiency)", ""),
    ]
    assert ("Tuition waiver", "yes") in data.terms
    assert data.version_note == "the current version, the version in effect"


def test_an_unapproved_version_says_not_approved_for_each_party(agreement):
    version = agreement.current_version

    text = pdf_text(render_agreement_pdf(agreement, version))

    assert "Draft" in text
    assert text.count(NOT_APPROVED) == 2
    assert "Approved by" not in text
    assert version.conditions_hash in text


def test_an_amended_version_shows_the_approvals_of_the_old_one_as_not_counting(
    agreement, lodz, cordoba, coordinator, partner_coordinator
):
    first = approve_by_both(agreement, coordinator, partner_coordinator)
    document = two_way_document(lodz, cordoba)
    document["conditions"][0]["mobilities_per_year"] = 4
    second = services.agreement_update(
        actor=coordinator, agreement=agreement, content=document, base_version=1
    )
    services.agreement_share(actor=coordinator, agreement=agreement, version_number=2)

    old_text = pdf_text(render_agreement_pdf(agreement, first))
    new_data = agreement_pdf_data(agreement, second)

    assert "superseded by a newer version, the version in effect" in old_text
    assert first.conditions_hash in old_text and second.conditions_hash not in old_text
    assert [party.approval_text.startswith("Approved by") for party in new_data.parties] == [True, False]
    assert new_data.parties[1].approval_text == NOT_APPROVED
    assert [row.mobilities_per_year for row in new_data.conditions] == [4, 2]


def test_rendering_the_same_version_twice_gives_the_same_bytes(agreement):
    version = agreement.current_version
    assert render_agreement_pdf(agreement, version) == render_agreement_pdf(agreement, version)
