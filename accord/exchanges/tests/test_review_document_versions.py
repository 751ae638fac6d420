"""Reviews and uploaded documents carry a version (issue 23): a reviewer's second tab, or an applicant's,
never overwrites what the first saved. Services refuse a stale version; the API gives ETags and honours
If-Match; the page shows both reviews and lets the reviewer keep hers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.core.concurrency import StaleVersion
from accord.core.errors import PreconditionFailed
from accord.exchanges import services
from accord.exchanges.models import ApplicationDocument, Review
from accord.exchanges.tests.conftest import application_fields

pytestmark = pytest.mark.django_db
API = "/api/v1/exchanges"


@pytest.fixture
def application(personas, call, places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.call_update(actor=personas.coordinator, call=call, required_documents=["Transcript", "CV"])
    application = services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    return application


def pdf(name="t.pdf", body=b"%PDF-1.4 first"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def submitted(personas, application):
    services.document_upload(
        actor=personas.student, application=application, title="Transcript", uploaded_file=pdf()
    )
    services.document_upload(actor=personas.student, application=application, title="CV", uploaded_file=pdf())
    return services.application_submit(actor=personas.student, application=application)


# --- services ------------------------------------------------------------------------------------


def test_a_review_from_an_older_tab_is_refused_and_nothing_is_written(personas, application):
    application = submitted(personas, application)
    first = services.review_save(
        actor=personas.teacher, application=application, score=4, expected_version=services.NOT_THERE
    )
    assert first.version == 1
    with pytest.raises(StaleVersion) as stale:
        services.review_save(
            actor=personas.teacher, application=application, score=2, expected_version=services.NOT_THERE
        )
    assert stale.value.theirs["score"] == 4
    services.review_save(
        actor=personas.teacher, application=application, score=3, comment="Clear", expected_version=1
    )
    with pytest.raises(StaleVersion):
        services.review_save(actor=personas.teacher, application=application, score=1, expected_version=1)
    review = Review.objects.get()
    assert (review.score, review.comment, review.version, review.updated_by) == (
        3,
        "Clear",
        2,
        personas.teacher,
    )
    # Two reviewers each have their own review: neither is stale for the other.
    services.review_save(
        actor=personas.coordinator, application=application, score=5, expected_version=services.NOT_THERE
    )
    assert Review.objects.count() == 2


def test_a_document_is_replaced_in_place_only_from_its_current_version(personas, application):
    first = services.document_upload(
        actor=personas.student,
        application=application,
        title="CV",
        uploaded_file=pdf(),
        expected_version=services.NOT_THERE,
    )
    with pytest.raises(StaleVersion):
        services.document_upload(
            actor=personas.student,
            application=application,
            title="CV",
            uploaded_file=pdf(body=b"%PDF other tab"),
            expected_version=services.NOT_THERE,
        )
    second = services.document_upload(
        actor=personas.student,
        application=application,
        title="CV",
        uploaded_file=pdf(body=b"%PDF new"),
        expected_version=1,
    )
    assert (second.pk, second.version) == (first.pk, 2)
    assert second.file.read() == b"%PDF new"
    with pytest.raises(StaleVersion):
        services.document_remove(actor=personas.student, document=second, expected_version=1)
    assert ApplicationDocument.objects.count() == 1
    services.document_remove(actor=personas.student, document=second, expected_version=2)
    assert not ApplicationDocument.objects.exists()
    with pytest.raises(PreconditionFailed):
        services.document_upload(
            actor=personas.student,
            application=application,
            title="CV",
            uploaded_file=pdf(),
            expected_version=2,
        )


# --- the API -------------------------------------------------------------------------------------


def test_the_review_api_reads_an_etag_and_honours_if_match(client, personas, application):
    application = submitted(personas, application)
    url = f"{API}/applications/{application.pk}/review"
    client.force_login(personas.teacher)
    assert client.get(url).status_code == 404
    early = client.put(
        url, {"score": 4}, content_type="application/json", headers={"If-Match": '"review-1-v1"'}
    )
    assert early.status_code == 412
    assert "without If-Match" in early.json()["message"]

    created = client.put(url, {"score": 4}, content_type="application/json")
    assert created.status_code == 200
    etag = client.get(url)["ETag"]
    assert etag == created["ETag"] == f'"review-{created.json()["id"]}-v1"'

    saved = client.put(
        url, {"score": 3, "comment": "Clear"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = client.put(url, {"score": 1}, content_type="application/json", headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["current"] == {"score": "3.00", "comment": "Clear"}
    malformed = client.put(url, {"score": 1}, content_type="application/json", headers={"If-Match": "v2"})
    assert malformed.status_code == 422
    assert Review.objects.get().score == 3


def test_the_document_api_replaces_and_removes_only_the_file_it_names(client, personas, application):
    client.force_login(personas.student)
    url = f"{API}/applications/{application.pk}/documents"
    uploaded = client.post(url, {"title": "CV", "file": pdf()})
    assert uploaded.status_code == 201, uploaded.content
    location = uploaded["Location"]
    read = client.get(location)
    assert read.status_code == 200 and read.json()["title"] == "CV"
    etag = read["ETag"]
    assert etag == uploaded["ETag"]

    replaced = client.post(url, {"title": "CV", "file": pdf(body=b"%PDF v2")}, headers={"If-Match": etag})
    assert replaced.status_code == 201
    stale = client.post(url, {"title": "CV", "file": pdf(body=b"%PDF lost")}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert client.delete(location, headers={"If-Match": etag}).status_code == 412
    assert ApplicationDocument.objects.get().file.read() == b"%PDF v2"
    nothing_to_replace = client.post(url, {"title": "Transcript", "file": pdf()}, headers={"If-Match": etag})
    assert nothing_to_replace.status_code == 412

    assert client.delete(location, headers={"If-Match": replaced["ETag"]}).status_code == 204
    assert not ApplicationDocument.objects.exists()


# --- the page ------------------------------------------------------------------------------------


def test_a_review_saved_in_another_tab_is_shown_beside_yours_and_yours_can_be_kept(
    client, personas, application
):
    application = submitted(personas, application)
    client.force_login(personas.teacher)
    page = f"/exchanges/applications/{application.pk}/"
    assert 'name="version" value="0"' in client.get(page).content.decode()
    action = f"/exchanges/applications/{application.pk}/review/"
    assert client.post(action, {"score": "4", "comment": "First tab", "version": "0"}).status_code == 302

    refused = client.post(action, {"score": "2", "comment": "Second tab", "version": "0"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "since you opened it" in html and "teacher changed this" in html
    assert "First tab" in html and "Second tab" in html
    assert "Keep mine and save" in html and 'name="version" value="1"' in html
    assert Review.objects.get().comment == "First tab"

    kept = client.post(action, {"score": "2", "comment": "Second tab", "version": "1", "keep": "mine"})
    assert kept.status_code == 302
    assert (Review.objects.get().comment, Review.objects.get().version) == ("Second tab", 2)


def test_a_review_form_without_its_version_saves_nothing_and_says_why(client, personas, application):
    application = submitted(personas, application)
    client.force_login(personas.teacher)
    response = client.post(f"/exchanges/applications/{application.pk}/review/", {"score": "4"})
    assert response.status_code == 200
    assert "no longer says which version" in response.content.decode()
    assert not Review.objects.exists()


def test_a_document_replaced_from_an_older_page_is_refused_with_a_sentence(client, personas, application):
    services.document_upload(actor=personas.student, application=application, title="CV", uploaded_file=pdf())
    client.force_login(personas.student)
    action = f"/exchanges/applications/{application.pk}/upload/"
    stale = client.post(action, {"title": "CV", "version": "0", "file": pdf(body=b"%PDF lost")}, follow=True)
    assert "since you opened it" in stale.content.decode()
    missing = client.post(action, {"title": "CV", "file": pdf(body=b"%PDF lost")}, follow=True)
    assert "no longer says which version" in missing.content.decode()
    document = ApplicationDocument.objects.get()
    assert document.file.read() == b"%PDF-1.4 first"

    remove = f"/exchanges/applications/{application.pk}/remove-document/"
    client.post(remove, {"document": document.pk, "version": "1"})
    assert not ApplicationDocument.objects.exists()
