"""The exchanges pages: each renders for those who may see it, 404 for others, and the forms work."""

import pytest
from django.urls import reverse

from accord.exchanges import services
from accord.exchanges.models import Application
from accord.exchanges.tests.conftest import application_fields


@pytest.fixture
def application(personas, call, places):
    created = services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    return services.application_submit(actor=personas.student, application=created)


def test_pages_answer_by_persona(client, personas, call, application):
    pages = {
        reverse("exchanges:call", args=[call.pk]): {"coordinator": 200, "student": 200, "outsider": 404},
        reverse("exchanges:applications", args=[call.pk]): {"teacher": 200, "student": 404, "outsider": 404},
        reverse("exchanges:allocation", args=[call.pk]): {"coordinator": 200, "teacher": 404, "partner": 404},
        reverse("exchanges:application", args=[application.pk]): {
            "student": 200,
            "teacher": 200,
            "viewer": 404,
        },
    }
    for url, expected in pages.items():
        for persona, status in expected.items():
            client.force_login(personas.by_name(persona))
            assert client.get(url).status_code == status, (url, persona)


def test_the_list_shows_calls_and_my_applications(client, personas, call, application):
    client.force_login(personas.student)
    page = client.get(reverse("exchanges:list")).content.decode()
    assert call.title in page and "My applications" in page


def test_the_calls_are_filtered_and_refreshed_in_place(client, personas, call, application):
    client.force_login(personas.student)
    call_link = f'href="{reverse("exchanges:call", args=[call.pk])}"'
    html = client.get(reverse("exchanges:list"), {"status": "draft"}).content.decode()
    assert call_link not in html and "No call to show." in html
    words = call.title[:5]
    response = client.get(reverse("exchanges:list"), {"q": words, "status": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert call_link in html and "<html" not in html and "My applications" not in html
    assert response["HX-Push-Url"] == f"{reverse('exchanges:list')}?q={words}"


def test_the_applications_list_offers_exports_with_its_filters_to_coordinators(
    client, personas, call, application
):
    url = reverse("exchanges:applications", args=[call.pk])
    client.force_login(personas.coordinator)
    html = client.get(url, {"status": "submitted"}).content.decode()
    assert f"{url}export.csv?status=submitted" in html and application.student.username in html
    client.force_login(personas.teacher)
    assert "export.csv" not in client.get(url).content.decode()


def test_a_student_applies_with_rank_selects(client, personas, call, places, students):
    client.force_login(students[1])
    data = {
        **application_fields(languages="en C1"),
        "choice_1": places["Virtual"].pk,
        "choice_2": places["Partner"].pk,
    }
    response = client.post(reverse("exchanges:apply", args=[call.pk]), data)
    application = Application.objects.get(student=students[1])
    assert response.status_code == 302
    assert [c.place_id for c in application.choices.order_by("rank")] == [
        places["Virtual"].pk,
        places["Partner"].pk,
    ]


def test_an_ineligible_choice_shows_the_reason_on_the_form(client, personas, call, places, students):
    client.force_login(students[1])
    data = {**application_fields(languages="en A2"), "choice_1": places["Partner"].pk}
    page = client.post(reverse("exchanges:apply", args=[call.pk]), data).content.decode()
    assert "requires CEFR B2 in en; you have A2" in page


def test_capacity_is_edited_inline_with_htmx(client, personas, call, places):
    client.force_login(personas.coordinator)
    place = places["Partner"]
    response = client.post(
        reverse("exchanges:place-edit", args=[place.pk]),
        {"capacity": 5, "reserved": 1, "version": place.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and f'id="place-{place.pk}"' in response.content.decode()
    place.refresh_from_db()
    assert (place.capacity, place.reserved) == (5, 1)


def test_an_inline_place_edit_from_an_old_version_shows_the_saved_values_and_saves_nothing(
    client, personas, call, places
):
    client.force_login(personas.coordinator)
    place = places["Partner"]
    url = reverse("exchanges:place-edit", args=[place.pk])
    client.post(url, {"capacity": 5, "reserved": 1, "version": place.version}, HTTP_HX_REQUEST="true")
    page = client.post(url, {"capacity": 7, "reserved": 0, "version": place.version}, HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert "since you opened it" in text and "capacity 7" in text
    assert 'value="5"' in text and f'name="version" value="{place.version + 1}"' in text
    place.refresh_from_db()
    assert place.capacity == 5
    missing = client.post(url, {"capacity": 9, "reserved": 0}, HTTP_HX_REQUEST="true").content.decode()
    assert "no longer says which version" in missing
    place.refresh_from_db()
    assert place.capacity == 5


def test_a_call_edited_meanwhile_shows_both_values_and_keeping_mine_saves_it(client, personas, call):
    client.force_login(personas.coordinator)
    url = reverse("exchanges:call-edit", args=[call.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["version"] = call.version
    services.call_update(actor=personas.admin, call=call, title="Their title")
    page = client.post(url, {**data, "title": "My title"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Their title" in text and "My title" in text and "Keep mine and save" in text
    call.refresh_from_db()
    assert call.title == "Their title"
    kept = client.post(url, {**data, "title": "My title", "version": call.version})
    assert kept.status_code == 302
    call.refresh_from_db()
    assert call.title == "My title"


def test_running_on_an_open_call_shows_the_error(client, personas, call, application):
    client.force_login(personas.coordinator)
    response = client.post(reverse("exchanges:allocation", args=[call.pk]), {"action": "run"}, follow=True)
    assert "close it before allocating" in response.content.decode()


def test_partner_rejects_a_nomination_on_the_page(client, personas, call, application):
    services.call_close(actor=personas.coordinator, call=call)
    services.run_publish(
        actor=personas.coordinator, run=services.allocation_run(actor=personas.coordinator, call=call)
    )
    client.force_login(personas.partner)
    page = client.get(reverse("exchanges:nominations")).content.decode()
    assert "Reject" in page
    nomination = application.nominations.get()
    client.post(
        reverse("exchanges:nominations"), {"nomination": nomination.pk, "action": "reject", "reason": "Full"}
    )
    nomination.refresh_from_db()
    assert nomination.status == "rejected"
    client.force_login(personas.student)
    page = client.get(reverse("exchanges:application", args=[application.pk])).content.decode()
    assert "Assigned to your 1st choice" in page and "Full" in page


def test_documents_are_served_only_to_the_applicant_reviewers_and_managers(
    client, personas, call, application, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    call.required_documents = ["Transcript of records"]
    call.save(update_fields=["required_documents"])
    document = services.document_upload(
        actor=personas.student,
        application=application,
        title="Transcript of records",
        uploaded_file=SimpleUploadedFile("grades.pdf", b"%PDF-1.4 grades", content_type="application/pdf"),
    )
    url = reverse("exchanges:application-document", args=[application.pk, document.pk])
    expected = {
        "student": 200,
        "coordinator": 200,
        "teacher": 200,
        "viewer": 404,
        "partner": 404,
        "outsider": 404,
    }
    for persona, status in expected.items():
        client.force_login(personas.by_name(persona))
        response = client.get(url)
        assert response.status_code == status, persona
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 grades"
