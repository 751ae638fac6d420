"""Rough edges users met on the way from a call to a mobility (issue 13): a capacity saved without a
word, a raw field key in a refusal, "nominated 1 students"."""

from django.core import mail
from django.urls import reverse

from accord.exchanges import services
from accord.exchanges.tests.conftest import application_fields


def test_saving_a_capacity_says_so_in_the_row_and_without_htmx(client, personas, call, places):
    client.force_login(personas.coordinator)
    place = places["Partner"]
    url = reverse("exchanges:place-edit", args=[place.pk])
    row = client.post(url, {"capacity": 1, "reserved": 0, "version": place.version}, HTTP_HX_REQUEST="true")
    assert f"Saved: {place.name} has 1 place, 0 of them reserved." in row.content.decode()
    place.refresh_from_db()
    page = client.post(url, {"capacity": 3, "reserved": 1, "version": place.version}, follow=True)
    assert f"Saved: {place.name} has 3 places, 1 of them reserved." in page.content.decode()


def test_a_missing_document_is_named_in_a_sentence_without_the_field_key(client, personas, call, places):
    services.call_update(actor=personas.coordinator, call=call, required_documents=["Motivation letter"])
    application = services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    client.force_login(personas.student)
    response = client.post(
        reverse("exchanges:application-action", args=[application.pk, "submit"]), follow=True
    )
    page = response.content.decode()
    assert "Upload these documents before submitting: Motivation letter." in page
    assert "documents:" not in page


def test_one_nomination_is_one_student(personas, call, places, django_capture_on_commit_callbacks):
    application = services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    services.application_submit(actor=personas.student, application=application)
    services.call_close(actor=personas.coordinator, call=call)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.run_publish(actor=personas.coordinator, run=run)
    (partner_mail,) = [m for m in mail.outbox if m.to == [personas.partner.email]]
    assert partner_mail.subject.endswith("nominated 1 student")
    assert "nominated this student to you" in partner_mail.body
