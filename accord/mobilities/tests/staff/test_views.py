"""The staff mobility pages: each side's next step and actions, the programme form with the rules'
sentences, signing, arrival, the certificate (and a stale correction), the PDFs and query counts."""

from datetime import date

import pytest

from accord.mobilities import services
from accord.mobilities.choices import SignerRole
from accord.mobilities.models import AgreementVersion, Mobility, StaffCertificate
from accord.mobilities.tests.staff.conftest import END, START, invite, teaching_programme

SIGNER_LABELS = {role: str(label) for role, label in SignerRole.choices}

pytestmark = pytest.mark.django_db

PROGRAMME = {
    "base_version": "0",
    "activity": "teaching",
    "planned_start": "2027-03-08",
    "planned_end": "2027-03-12",
    "teaching_hours": "6",
    "objectives": "Share methods of teaching databases.",
    "activities": "Four lectures on query optimisation.",
    "outcomes": "A joint module.",
    "sending_contact_name": "Tomasz Wiśniewski",
    "sending_contact_email": "coordinator@home.example.edu",
    "receiving_contact_name": "Lucía Navarro",
    "receiving_contact_email": "partner@partner.example.edu",
}


def test_the_staff_member_drafts_the_agreement_and_reads_the_rules_on_the_form(
    client, personas, staff_mobility
):
    client.force_login(personas.teacher)
    page = client.get(f"/mobilities/{staff_mobility.pk}/staff/").content.decode()
    assert "Your turn:" in page and "Draft the mobility agreement" in page
    url = f"/mobilities/{staff_mobility.pk}/staff/propose/"
    response = client.post(url, PROGRAMME)
    assert response.status_code == 200
    assert (
        "Erasmus+ asks for at least 8 teaching hours over these dates; 6 are planned."
        in response.content.decode()
    )
    assert not AgreementVersion.objects.exists()
    response = client.post(url, {**PROGRAMME, "teaching_hours": "8"})
    assert response.status_code == 302
    page = client.get(f"/mobilities/{staff_mobility.pk}/staff/").content.decode()
    assert "Four lectures on query optimisation." in page and "Sign version 1 (Participant)" in page


def test_a_form_opened_before_another_version_is_refused(client, personas, staff_mobility):
    client.force_login(personas.teacher)
    url = f"/mobilities/{staff_mobility.pk}/staff/propose/"
    client.post(url, {**PROGRAMME, "teaching_hours": "8"})
    response = client.post(url, {**PROGRAMME, "teaching_hours": "10"})
    assert response.status_code == 200
    assert "Version 1 was written since you started from version 0" in response.content.decode()


def test_three_sign_on_the_page_and_the_receiver_confirms_arrival_and_certifies(
    client, personas, staff_mobility
):
    client.force_login(personas.teacher)
    client.post(f"/mobilities/{staff_mobility.pk}/staff/propose/", {**PROGRAMME, "teaching_hours": "8"})
    version = AgreementVersion.objects.get()
    for user, role in (
        (personas.teacher, "student"),
        (personas.coordinator, "sending"),
        (personas.partner, "receiving"),
    ):
        client.force_login(user)
        page = client.get(f"/mobilities/{staff_mobility.pk}/staff/").content.decode()
        assert f"Sign version 1 ({SIGNER_LABELS[role]})" in page
        form = {"version": 1, "components_hash": version.components_hash, "role": role}
        response = client.post(f"/mobilities/{staff_mobility.pk}/staff/sign/", form, follow=True)
        assert "Signed." in response.content.decode()
    page = client.get(f"/mobilities/{staff_mobility.pk}/staff/").content.decode()
    assert "Confirm the arrival" in page
    staff_mobility.refresh_from_db()
    response = client.post(
        f"/mobilities/{staff_mobility.pk}/staff/arrival/",
        {"actual_start": "2027-03-08", "version": staff_mobility.version},
        follow=True,
    )
    assert "Arrival confirmed" in response.content.decode()
    url = f"/mobilities/{staff_mobility.pk}/staff/certificate/"
    response = client.post(
        url, {"actual_start": "2027-03-08", "actual_end": "2027-03-12", "teaching_hours": "8"}
    )
    assert response.status_code == 302
    assert Mobility.objects.get(pk=staff_mobility.pk).status == "completed"
    certificate = StaffCertificate.objects.get()
    # A correction from a page opened before another one is shown as a conflict, nothing saved.
    services.staff_certificate_issue(
        actor=personas.partner, mobility=staff_mobility, actual_start=START, actual_end=END, teaching_hours=9
    )
    stale = {"actual_start": "2027-03-08", "actual_end": "2027-03-12", "teaching_hours": "12"}
    response = client.post(url, {**stale, "version": certificate.version})
    assert response.status_code == 200 and "since you opened it" in response.content.decode()
    assert StaffCertificate.objects.get().teaching_hours == 9
    for user in (personas.teacher, personas.coordinator, personas.partner):
        client.force_login(user)
        pdf = client.get(f"/mobilities/{staff_mobility.pk}/staff/certificate.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    agreement_pdf = client.get(f"/mobilities/{staff_mobility.pk}/staff/agreement.pdf?version=1")
    assert agreement_pdf["Content-Type"] == "application/pdf"


def test_outsiders_and_other_sides_are_kept_out(client, personas, staff_mobility):
    client.force_login(personas.outsider)
    assert client.get(f"/mobilities/{staff_mobility.pk}/staff/").status_code == 404
    client.force_login(personas.coordinator)
    assert client.get(f"/mobilities/{staff_mobility.pk}/staff/certificate/").status_code == 403
    assert client.get(f"/mobilities/{staff_mobility.pk}/staff/certificate.pdf").status_code == 404
    client.force_login(personas.student)
    assert client.get("/mobilities/staff/invite/").status_code == 403


def test_a_coordinator_invites_a_colleague(client, personas, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/mobilities/staff/invite/",
            {
                "participant": "teacher",
                "mobility_type": "staff_training",
                "sending_organisation": personas.home.pk,
                "receiving_organisation": personas.partner_org.pk,
                "academic_year": "2026/2027",
                "planned_start": "2027-05-10",
                "planned_end": "2027-05-14",
                "note": "Job shadowing at the partner's international office.",
            },
        )
    mobility = Mobility.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mobilities/{mobility.pk}/staff/"
    assert any("Job shadowing" in message.body for message in mailoutbox)


def test_the_staff_page_queries_do_not_grow_with_the_mobilities(
    client, personas, signed, django_assert_max_num_queries
):
    for number in range(6):
        mobility = invite(
            personas, planned_start=date(2027, 4, 1 + number), planned_end=date(2027, 4, 5 + number)
        )
        services.mobility_transition(actor=personas.partner, mobility=mobility, to_status="accepted")
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(8):
        page = client.get("/mobilities/staff/").content.decode()
    assert page.count("Draft the mobility agreement") == 6
    with django_assert_max_num_queries(16):
        page = client.get(f"/mobilities/{signed.pk}/staff/").content.decode()
    assert "the receiving institution confirms the arrival" in page


def test_a_signer_returns_the_programme_with_a_comment(client, personas, staff_mobility):
    version = services.staff_agreement_propose(
        actor=personas.teacher, mobility=staff_mobility, programme=teaching_programme()
    )
    client.force_login(personas.coordinator)
    response = client.post(
        f"/mobilities/{staff_mobility.pk}/staff/comment/",
        {"version": version.number, "text": "Add the meeting with the programme board."},
        follow=True,
    )
    page = response.content.decode()
    assert "The version was returned with your comment." in page
    assert "Add the meeting with the programme board." in page
    assert "Version 1 was returned with comments: propose a new version." in page
