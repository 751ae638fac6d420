"""The mobility pages: what each side sees and does, errors on the form, the PDF, and query counts."""

from datetime import date

from accord.mobilities import services
from accord.mobilities.models import AgreementVersion, ParticipantDetails
from accord.mobilities.tests.conftest import COMPONENTS, create


def test_the_detail_page_shows_each_side_its_actions(client, personas, mobility):
    services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    client.force_login(personas.student)
    page = client.get(f"/mobilities/{mobility.pk}/").content.decode()
    assert "Bases de datos" in page and "Sign version 1 (Participant)" in page
    client.force_login(personas.partner)
    page = client.get(f"/mobilities/{mobility.pk}/").content.decode()
    assert "Sign version 1" not in page  # the receiver signs last
    assert "Record arrival and departure" in page
    client.force_login(personas.outsider)
    assert client.get(f"/mobilities/{mobility.pk}/").status_code == 404


def test_proposing_through_the_form_shows_service_errors_on_the_page(client, personas, mobility):
    client.force_login(personas.student)
    data = {
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-0-section": "studied",
        "c-0-title": "Redes",
        "c-0-credits": "-2",
        "c-0-term": "1/2",
        "base_version": "0",
    }
    response = client.post(f"/mobilities/{mobility.pk}/propose/", data)
    assert response.status_code == 200 and "The ECTS credits cannot be negative." in response.content.decode()
    assert not AgreementVersion.objects.exists()
    data["c-0-credits"] = "6"
    response = client.post(f"/mobilities/{mobility.pk}/propose/", data)
    assert response.status_code == 302 and AgreementVersion.objects.get().number == 1


def test_signing_a_superseded_version_from_a_stale_page_says_so(client, personas, mobility):
    first = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS[:1])
    client.force_login(personas.student)
    response = client.post(
        f"/mobilities/{mobility.pk}/sign/",
        {"version": 1, "components_hash": first.components_hash, "role": "student"},
        follow=True,
    )
    assert "superseded by version 2" in response.content.decode()


def test_an_incomplete_signing_form_says_what_is_missing_and_signs_nothing(client, personas, mobility):
    version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    client.force_login(personas.student)
    response = client.post(f"/mobilities/{mobility.pk}/sign/", {"version": version.number}, follow=True)
    assert "This field is required." in response.content.decode()
    assert not version.signatures.exists()


def test_the_pdf_prints_the_version(client, personas, mobility, approved):
    client.force_login(personas.coordinator)
    response = client.get(f"/mobilities/{mobility.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_the_list_and_its_work_queues_run_a_bounded_number_of_queries(
    client, personas, agreement, django_assert_max_num_queries
):
    for day in range(1, 6):
        create(personas, agreement, planned_start=date(2026, 9, day))
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(12):
        page = client.get("/mobilities/?direction=outgoing").content.decode()
    assert page.count("Partner University") >= 5


def test_filtering_the_list_refreshes_only_the_results(client, personas, agreement):
    create(personas, agreement, planned_start=date(2026, 9, 1))
    client.force_login(personas.coordinator)
    response = client.get("/mobilities/?direction=incoming&q=", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "No mobilities match." in html
    assert response["HX-Push-Url"] == "/mobilities/?direction=incoming"


def test_grading_page_imports_a_table(client, personas):
    services.scale_save(
        actor=personas.coordinator, organisation=personas.home, name="Polish", passing_grades="5,4,3"
    )
    client.force_login(personas.coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    scale = personas.home.grading_scales.get()
    response = client.post(
        "/mobilities/grading/",
        {
            "form": "table",
            "scale": scale.pk,
            "file": SimpleUploadedFile("t.csv", b"grade,count\n5,1\n4,2\n3,1\n"),
        },
    )
    assert response.status_code == 302
    assert personas.home.grade_tables.get().counts == [["5", 1], ["4", 2], ["3", 1]]
    assert client.get("/mobilities/grading/").status_code == 200
    client.force_login(personas.student)
    assert client.get("/mobilities/grading/").status_code == 403


def test_the_sending_coordinator_records_the_students_details_for_ewp(client, personas, mobility):
    client.force_login(personas.coordinator)
    page = client.get(f"/mobilities/{mobility.pk}/").content.decode()
    assert "Missing: a partner on EWP receives the nomination" in page
    data = {"birth_date": "2004-05-17", "nationality": "PL", "gender": "2", "global_id": ""}

    response = client.post(f"/mobilities/{mobility.pk}/participant/", data)

    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not ParticipantDetails.objects.exists()
    data["global_id"] = "urn:schac:personalUniqueCode:int:esi:home.example.edu:1"
    assert client.post(f"/mobilities/{mobility.pk}/participant/", data).status_code == 302
    details = ParticipantDetails.objects.get(user=mobility.participant)
    assert (details.birth_date, details.nationality, details.gender) == (date(2004, 5, 17), "PL", 2)
    assert "Recorded" in client.get(f"/mobilities/{mobility.pk}/").content.decode()
    data["birth_date"] = "2999-01-01"
    response = client.post(f"/mobilities/{mobility.pk}/participant/", data)
    assert "no longer says which version" in response.content.decode()
    data["version"] = details.version
    response = client.post(f"/mobilities/{mobility.pk}/participant/", data)
    assert "must be in the past" in response.content.decode()


def test_details_changed_since_the_form_was_opened_show_both_values(client, personas, mobility):
    client.force_login(personas.coordinator)
    url = f"/mobilities/{mobility.pk}/participant/"
    data = {"birth_date": "2004-05-17", "nationality": "PL", "gender": "2", "global_id": "urn:esi:1"}
    client.post(url, data)
    opened = ParticipantDetails.objects.get(user=mobility.participant).version
    services.participant_details_save(
        actor=personas.admin,
        participant=mobility.participant,
        birth_date=date(2004, 5, 17),
        nationality="ES",
        gender=2,
        global_id="urn:esi:1",
    )
    page = client.post(url, {**data, "nationality": "IT", "version": opened})
    text = page.content.decode()
    assert page.status_code == 200 and "since you opened it" in text and "Keep mine and save" in text
    assert f'name="version" value="{opened + 1}"' in text
    assert ParticipantDetails.objects.get(user=mobility.participant).nationality == "ES"
    assert client.post(url, {**data, "nationality": "IT", "version": opened + 1}).status_code == 302
    assert ParticipantDetails.objects.get(user=mobility.participant).nationality == "IT"


def test_only_the_sending_side_edits_the_students_details(client, personas, mobility):
    for persona in (personas.partner, personas.student):
        client.force_login(persona)
        assert client.get(f"/mobilities/{mobility.pk}/participant/").status_code in {403, 404}
        assert "Student details for EWP" not in client.get(f"/mobilities/{mobility.pk}/").content.decode()
