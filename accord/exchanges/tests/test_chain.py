"""One chain from a published allocation to the mobility (issue 13, item 1): accepting a nomination
starts the accepted mobility both institutions see, linked to the application, the place, the
agreement and its condition; a declined nomination offers the place to the next student."""

import pytest
from django.core import mail
from django.urls import reverse

from accord.core.errors import Conflict
from accord.exchanges import selectors, services
from accord.exchanges.models import Application, Nomination
from accord.exchanges.services.nominations import nomination_mobility
from accord.exchanges.tests.conftest import application_fields
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import Mobility
from accord.mobilities.tests.conftest import COMPONENTS


def apply(student, call, places, **overrides):
    application = services.application_create(
        actor=student, call=call, choices=places, **application_fields(**overrides)
    )
    return services.application_submit(actor=student, application=application)


def _published(personas, call, applications_of):
    applications = applications_of()
    services.call_close(actor=personas.coordinator, call=call)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    services.run_publish(actor=personas.coordinator, run=run)
    return applications


def _one_seat(personas, place):
    return services.place_update(
        actor=personas.coordinator, place=place, expected_version=place.version, capacity=1, reserved=0
    )


def test_accepting_a_nomination_starts_the_accepted_mobility_both_sides_see(
    personas, call, places, agreement, django_capture_on_commit_callbacks
):
    (application,) = _published(personas, call, lambda: [apply(personas.student, call, [places["Partner"]])])
    nomination = Nomination.objects.get(application=application)
    assert nomination_mobility(nomination) is None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_accept(actor=personas.partner, nomination=nomination)

    mobility = Mobility.objects.get()
    assert mobility.status == MobilityStatus.ACCEPTED
    assert (mobility.source, mobility.source_id) == (MobilitySource.NOMINATION, nomination.pk)
    assert mobility.participant == personas.student
    assert (mobility.sending_organisation, mobility.receiving_organisation) == (
        personas.home,
        personas.partner_org,
    )
    assert (mobility.agreement, mobility.condition_key) == (agreement, "c1")
    assert (mobility.eqf_level, mobility.isced_code, mobility.academic_year) == (6, "0314", "2026/2027")
    # One row: outgoing for the sender, incoming for the receiver.
    assert Mobility.objects.for_user(personas.coordinator).filter(pk=mobility.pk).exists()
    assert Mobility.objects.for_user(personas.partner).filter(pk=mobility.pk).exists()
    student_mail = next(m for m in mail.outbox if m.to == [personas.student.email])
    assert "accepted your nomination" in student_mail.body and "learning agreement" in student_mail.body

    # No second acceptance: the receiving side signs the learning agreement straight away.
    mobility_services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    version = mobility.learning_agreement.current_version
    for actor, role in (
        (personas.student, "student"),
        (personas.coordinator, "sending"),
        (personas.partner, "receiving"),
    ):
        mobility_services.la_sign(
            actor=actor,
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
            role=role,
        )
    mobility.refresh_from_db()
    assert mobility.status == MobilityStatus.LA_APPROVED


def test_a_declined_nomination_is_offered_to_the_next_student_in_one_click(
    client, personas, call, places, students, django_capture_on_commit_callbacks
):
    place = _one_seat(personas, places["Partner"])

    def applications():
        first = apply(students[0], call, [place], grade_average="5.0")
        second = apply(students[1], call, [place], grade_average="3.0")
        return first, second

    first, second = _published(personas, call, applications)
    declined = Nomination.objects.get(application=first)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_reject(actor=personas.partner, nomination=declined, reason="Course full")
    coordinator_mail = next(m for m in mail.outbox if m.to == [personas.coordinator.email])
    assert "Offer the place to the next student" in coordinator_mail.body
    assert reverse("exchanges:allocation", args=[call.pk]) in coordinator_mail.body

    (offer,) = selectors.declined_offers(call=call)
    assert offer.nomination == declined and offer.next_student == "S2"
    client.force_login(personas.coordinator)
    page = client.get(reverse("exchanges:allocation", args=[call.pk])).content.decode()
    assert "declined" in page and "Next on the waiting list: S2" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchanges:allocation", args=[call.pk]), {"action": "offer_next"})
    assert response.status_code == 302
    nomination = Nomination.objects.get(application=second)
    assert nomination.status == "pending" and nomination.place == place
    assert any(m.to == [students[1].email] for m in mail.outbox)
    assert selectors.declined_offers(call=call) == []
    page = client.get(reverse("exchanges:allocation", args=[call.pk])).content.decode()
    assert "offer_next" not in page


def test_the_partner_accepts_on_the_page_and_sees_the_mobility(client, personas, call, places):
    (application,) = _published(personas, call, lambda: [apply(personas.student, call, [places["Partner"]])])
    nomination = Nomination.objects.get(application=application)
    client.force_login(personas.partner)
    response = client.post(
        reverse("exchanges:nominations"), {"nomination": nomination.pk, "action": "accept"}, follow=True
    )
    page = response.content.decode()
    assert "mobility is recorded, accepted, for both institutions" in page
    mobility = Mobility.objects.get()
    assert reverse("mobilities:detail", args=[mobility.pk]) in page
    assert (
        "Accept the participant"
        not in client.get(reverse("mobilities:detail", args=[mobility.pk])).content.decode()
    )


def test_the_student_sees_every_step_and_the_next_thing_to_do(
    client, personas, call, places, django_assert_max_num_queries
):
    client.force_login(personas.student)
    draft = services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    url = reverse("exchanges:application", args=[draft.pk])
    assert "Submit your application before" in client.get(url).content.decode()
    services.application_submit(actor=personas.student, application=draft)
    services.call_close(actor=personas.coordinator, call=call)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    services.run_publish(actor=personas.coordinator, run=run)
    page = client.get(url).content.decode()
    assert "decides on your nomination next" in page
    services.nomination_accept(actor=personas.partner, nomination=Nomination.objects.get(application=draft))
    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()
    assert "Propose your learning agreement" in page
    mobility = Mobility.objects.get()
    assert reverse("mobilities:propose", args=[mobility.pk]) in page
    for step in ("Application submitted", "Nominated to", "Accepted by", "Learning agreement", "Recognition"):
        assert step in page
    # The same steps on the mobility's own page, for the participant only.
    detail = client.get(reverse("mobilities:detail", args=[mobility.pk])).content.decode()
    assert 'data-testid="next-step"' in detail
    client.force_login(personas.coordinator)
    assert (
        'data-testid="next-step"'
        not in client.get(reverse("mobilities:detail", args=[mobility.pk])).content.decode()
    )
    assert Application.objects.get(pk=draft.pk).student == personas.student


def test_accepting_twice_creates_one_mobility(personas, call, places):
    (application,) = _published(personas, call, lambda: [apply(personas.student, call, [places["Partner"]])])
    nomination = Nomination.objects.get(application=application)
    services.nomination_accept(actor=personas.partner, nomination=nomination)
    with pytest.raises(Conflict, match="already accepted"):
        services.nomination_accept(actor=personas.partner, nomination=nomination)
    assert Mobility.objects.count() == 1


def test_a_mobility_that_cannot_be_recorded_keeps_the_nomination_pending(personas, call, places):
    (application,) = _published(personas, call, lambda: [apply(personas.student, call, [places["Partner"]])])
    # The student left the sending institution meanwhile.
    personas.student.memberships.all().delete()
    nomination = Nomination.objects.get(application=application)
    with pytest.raises(Conflict, match="cannot become a mobility yet") as refused:
        services.nomination_accept(actor=personas.partner, nomination=nomination)
    assert "participant_id" not in str(refused.value)
    nomination.refresh_from_db()
    assert nomination.status == "pending" and not Mobility.objects.exists()


def test_the_nominations_page_does_not_grow_in_queries_with_the_nominations(
    client, personas, call, places, students, django_assert_max_num_queries
):
    place = places["Partner"]
    services.place_update(actor=personas.coordinator, place=place, expected_version=place.version, capacity=3)
    _published(personas, call, lambda: [apply(student, call, [place]) for student in students])
    for nomination in Nomination.objects.all():
        services.nomination_accept(actor=personas.partner, nomination=nomination)
    client.force_login(personas.partner)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exchanges:nominations")).content.decode()
    assert page.count("The mobility") == 3
