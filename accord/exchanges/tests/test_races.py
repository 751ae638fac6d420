"""Exchanges under real overlap (threads released together, on PostgreSQL): applications, allocation
runs, publishing and nominations raced twice happen once; two coordinators editing one call keep both
edits, and a stale place edit is refused; a reviewer's two tabs, or an applicant's replacing one document,
save once and refuse the other."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accord.accounts.choices import Role
from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict
from accord.exchanges import services
from accord.exchanges.choices import CallStatus, NominationStatus
from accord.exchanges.models import (
    AllocationRun,
    Application,
    ApplicationDocument,
    Call,
    CallPlace,
    Nomination,
    Review,
)
from accord.exchanges.tests.conftest import application_fields, call_fields
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import Mobility
from accord.testing.factories import make_user
from accord.testing.races import Outcome, race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 15


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


@pytest.fixture
def colleague(personas):
    return make_user("colleague", organisation=personas.home, role=Role.COORDINATOR)


def open_call(personas) -> Call:
    call = services.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    services.place_create(
        actor=personas.coordinator,
        call=call,
        receiving_organisation=personas.partner_org,
        name="Partner",
        capacity=2,
    )
    return services.call_open(actor=personas.coordinator, call=call)


def allocated_call(personas) -> Call:
    call = open_call(personas)
    place = call.places.get()
    created = services.application_create(
        actor=personas.student, call=call, choices=[place], **application_fields()
    )
    services.application_submit(actor=personas.student, application=created)
    return services.call_close(actor=personas.coordinator, call=call)


def refused(outcomes: list[Outcome]) -> list[BaseException]:
    return [outcome.error for outcome in outcomes if outcome.error is not None]


def only_conflicts(errors: list[BaseException]) -> bool:
    return all(isinstance(error, Conflict) for error in errors)


def test_applying_twice_at_once_makes_one_application(personas):
    for _ in range(TRIES):
        call = open_call(personas)
        place = call.places.get()

        def apply(call=call, place=place):
            return services.application_create(
                actor=personas.student,
                call=Call.objects.get(pk=call.pk),
                choices=[place],
                **application_fields(),
            )

        outcomes = race(apply, apply)
        assert Application.objects.filter(call=call, student=personas.student).count() == 1
        assert len(refused(outcomes)) == 1 and only_conflicts(refused(outcomes)), refused(outcomes)


def test_running_the_allocation_twice_at_once_numbers_the_runs_once_each(personas):
    for _ in range(TRIES):
        call = allocated_call(personas)

        def run(call=call):
            return services.allocation_run(actor=personas.coordinator, call=Call.objects.get(pk=call.pk))

        outcomes = race(run, run)
        numbers = sorted(AllocationRun.objects.filter(call=call).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert len(numbers) == 2 - len(refused(outcomes)) and only_conflicts(refused(outcomes))


def test_publishing_twice_at_once_publishes_and_nominates_once(personas):
    published_twice = 0
    for _ in range(TRIES):
        call = allocated_call(personas)
        run = services.allocation_run(actor=personas.coordinator, call=call)

        def publish(run=run):
            return services.run_publish(actor=personas.coordinator, run=AllocationRun.objects.get(pk=run.pk))

        outcomes = race(publish, publish)
        assert Call.objects.get(pk=call.pk).status == CallStatus.PUBLISHED
        assert Nomination.objects.filter(application__call=call).count() == 1
        published_twice += len(refused(outcomes)) != 1
        assert only_conflicts(refused(outcomes)), refused(outcomes)
    assert not published_twice, f"published twice in {published_twice} of {TRIES}"


def test_accepting_a_nomination_twice_at_once_decides_once(personas):
    for _ in range(TRIES):
        call = allocated_call(personas)
        services.run_publish(
            actor=personas.coordinator, run=services.allocation_run(actor=personas.coordinator, call=call)
        )
        nomination = Nomination.objects.get(application__call=call)

        def accept(nomination=nomination):
            return services.nomination_accept(
                actor=personas.partner, nomination=Nomination.objects.get(pk=nomination.pk)
            )

        outcomes = race(accept, accept)
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.ACCEPTED
        # The acceptance started exactly one mobility, accepted.
        (mobility,) = Mobility.objects.filter(source=MobilitySource.NOMINATION, source_id=nomination.pk)
        assert mobility.status == MobilityStatus.ACCEPTED
        assert len(refused(outcomes)) == 1 and only_conflicts(refused(outcomes)), refused(outcomes)


def test_two_coordinators_editing_different_fields_of_one_call_keep_both(personas, colleague):
    lost = 0
    for _ in range(TRIES):
        call = open_call(personas)

        def edit(actor, field, value, call=call):
            return lambda: services.call_update(
                actor=actor, call=Call.objects.get(pk=call.pk), **{field: value}
            )

        outcomes = race(
            edit(personas.coordinator, "title", "Title by one"),
            edit(colleague, "closes_at", timezone.now() + dt.timedelta(days=30)),
        )
        assert not refused(outcomes), refused(outcomes)
        call.refresh_from_db()
        lost += call.title != "Title by one" or call.closes_at < timezone.now() + dt.timedelta(days=20)
    assert not lost, f"lost an edit in {lost} of {TRIES}"


def test_two_coordinators_patching_one_place_over_http_with_the_same_etag_save_once(personas, colleague):
    clients = []
    for user in (personas.coordinator, colleague):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    for _ in range(TRIES):
        place = open_call(personas).places.get()
        url = f"/api/v1/exchanges/places/{place.pk}"
        etag = clients[0].get(url)["ETag"]

        def send(client, capacity, url=url, etag=etag):
            return lambda: (
                client.patch(
                    url, {"capacity": capacity}, content_type="application/json", headers={"If-Match": etag}
                ).status_code
            )

        outcomes = race(send(clients[0], 5), send(clients[1], 6))
        assert sorted(outcome.value for outcome in outcomes) == [200, 412]
        assert CallPlace.objects.get(pk=place.pk).version == place.version + 1


def test_a_stale_place_edit_is_refused_under_the_lock(personas, colleague):
    for _ in range(TRIES):
        place = open_call(personas).places.get()

        def edit(actor, capacity, place=place):
            return lambda: services.place_update(
                actor=actor, place=CallPlace.objects.get(pk=place.pk), capacity=capacity, expected_version=1
            )

        outcomes = race(edit(personas.coordinator, 3), edit(colleague, 4))
        errors = refused(outcomes)
        assert len(errors) == 1 and isinstance(errors[0], StaleVersion), errors


def submitted_application(personas) -> Application:
    call = open_call(personas)
    created = services.application_create(
        actor=personas.student, call=call, choices=[call.places.get()], **application_fields()
    )
    return services.application_submit(actor=personas.student, application=created)


def test_one_reviewer_saving_from_two_tabs_at_once_saves_one_and_refuses_the_other(personas):
    for _ in range(TRIES):
        application = submitted_application(personas)

        def review(score, application=application):
            return lambda: services.review_save(
                actor=personas.teacher,
                application=Application.objects.get(pk=application.pk),
                score=score,
                expected_version=services.NOT_THERE,
            )

        outcomes = race(review(2), review(4))
        errors = refused(outcomes)
        assert len(errors) == 1 and isinstance(errors[0], StaleVersion), errors
        saved = Review.objects.get(application=application)
        assert (saved.version, saved.score) == (1, next(o.value.score for o in outcomes if o.ok))


def test_replacing_one_document_from_two_tabs_at_once_replaces_it_once(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(TRIES):
        call = open_call(personas)
        services.call_update(actor=personas.coordinator, call=call, required_documents=["CV"])
        application = services.application_create(
            actor=personas.student, call=call, choices=[call.places.get()], **application_fields()
        )
        services.document_upload(
            actor=personas.student,
            application=application,
            title="CV",
            uploaded_file=SimpleUploadedFile("cv.pdf", b"%PDF first"),
        )

        def replace(body, application=application):
            return lambda: services.document_upload(
                actor=personas.student,
                application=Application.objects.get(pk=application.pk),
                title="CV",
                uploaded_file=SimpleUploadedFile("cv.pdf", body),
                expected_version=1,
            )

        outcomes = race(replace(b"%PDF tab one"), replace(b"%PDF tab two"))
        errors = refused(outcomes)
        assert len(errors) == 1 and isinstance(errors[0], StaleVersion), errors
        document = ApplicationDocument.objects.get(application=application)
        assert document.version == 2
