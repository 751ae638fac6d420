"""The exchanges through the services: calls, places from agreements, applications and every bad
input of issue 4, reviews, allocation runs, overrides, publication, nominations and re-allocation."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accord.agreements.selectors import quota_view
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.exchanges import notifications, selectors, services
from accord.exchanges.choices import ApplicationStatus, CallStatus, NominationStatus
from accord.exchanges.models import Application, ApplicationChoice, CallEvent, CallPlace, Review
from accord.exchanges.services.runs import build_instance
from accord.exchanges.tests.conftest import agreement_in_effect, application_fields, call_fields
from accord.mobilities.choices import MobilitySource
from accord.mobilities.services import mobility_create


def apply(student, call, choices, **overrides):
    application = services.application_create(
        actor=student, call=call, choices=choices, **application_fields(**overrides)
    )
    return services.application_submit(actor=student, application=application)


def test_places_come_from_the_outgoing_conditions_in_effect(personas, call, agreement):
    generated = call.places.get(agreement=agreement)
    assert generated.receiving_organisation == personas.partner_org
    assert (generated.capacity, generated.shared_cap, generated.language, generated.min_cefr) == (
        2,
        2,
        "en",
        "B2",
    )
    assert (generated.isced_codes, generated.eqf_levels) == (["0314"], [6, 7])
    # Generating again adds nothing: every condition is already a place.
    assert services.places_generate(actor=personas.coordinator, call=call) == []


def test_conditions_of_another_year_type_or_direction_give_no_places(personas):
    agreement_in_effect(personas, first_academic_year="2027/2028")
    agreement_in_effect(personas, mobility_type="student_traineeship")
    agreement_in_effect(personas, sending_partner=1, receiving_partner=0)
    call = services.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    assert services.places_generate(actor=personas.coordinator, call=call) == []


def test_a_call_cannot_open_without_places_and_validates_its_rules(personas):
    with pytest.raises(ValidationFailed) as caught:
        services.call_create(
            actor=personas.coordinator,
            owner=personas.home,
            **call_fields(academic_year="2026", max_choices=0, min_cefr="D1", weight_grade=-1),
        )
    assert {"academic_year", "max_choices", "min_cefr", "weight_grade"} <= set(caught.value.errors)
    call = services.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    with pytest.raises(ValidationFailed, match="Add places"):
        services.call_open(actor=personas.coordinator, call=call)


@pytest.mark.parametrize("who", ["teacher", "student", "partner", "outsider"])
def test_only_managers_of_the_owner_create_calls(personas, who):
    with pytest.raises(PermissionDenied):
        services.call_create(actor=personas.by_name(who), owner=personas.home, **call_fields())


def test_student_applies_with_ranked_choices_and_submits(personas, call, places):
    application = apply(personas.student, call, [places["Partner"], places["Virtual"]])
    assert application.status == ApplicationStatus.SUBMITTED
    assert list(application.choices.values_list("place__name", flat=True)) == [
        places["Partner"].name,
        "Virtual seminar",
    ]


def test_applying_after_the_deadline_is_refused(personas, call, places):
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    with pytest.raises(Conflict, match="The call closed on") as caught:
        apply(personas.student, call, [places["Partner"]])
    assert caught.value.field == "closes_at"
    assert not Application.objects.exists()


def test_more_choices_than_allowed_is_refused(personas, call, places):
    extra = services.place_create(
        actor=personas.coordinator,
        call=call,
        receiving_organisation=personas.partner_org,
        name="Extra",
        capacity=1,
    )
    with pytest.raises(ValidationFailed, match="at most 2 choices; you gave 3") as caught:
        apply(personas.student, call, [places["Partner"], places["Virtual"], extra])
    assert caught.value.field == "choices"
    assert not Application.objects.exists()


def test_an_ineligible_choice_is_refused_with_the_reason(personas, call, places):
    with pytest.raises(ValidationFailed) as caught:
        apply(personas.student, call, [places["Virtual"], places["Partner"]], languages={"en": "A2"})
    assert caught.value.errors["choices"] == [
        f"Choice 2 is not open to you: {places['Partner'].name} requires CEFR B2 in en; you have A2."
    ]
    assert not ApplicationChoice.objects.exists()


def test_a_duplicate_application_is_refused(personas, call, places):
    apply(personas.student, call, [places["Partner"]])
    with pytest.raises(Conflict, match="already applied") as caught:
        apply(personas.student, call, [places["Virtual"]])
    assert caught.value.field == "call"
    assert Application.objects.count() == 1


def test_a_grade_outside_its_scale_names_the_field(personas, call, places):
    with pytest.raises(ValidationFailed) as caught:
        apply(personas.student, call, [places["Partner"]], grade_average="6", grading_scale="2-5")
    assert "outside" in caught.value.errors["grade_average"][0]


def test_required_documents_must_be_uploaded_before_submitting(personas, call, places):
    services.call_update(actor=personas.coordinator, call=call, required_documents=["Transcript"])
    application = services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    with pytest.raises(ValidationFailed, match="Upload these documents before submitting: Transcript"):
        services.application_submit(actor=personas.student, application=application)
    services.document_upload(
        actor=personas.student,
        application=application,
        title="Transcript",
        uploaded_file=SimpleUploadedFile("t.pdf", b"%PDF-1.4"),
    )
    assert services.application_submit(actor=personas.student, application=application).status == "submitted"


def test_editing_until_the_deadline_and_withdrawing(personas, call, places):
    application = apply(personas.student, call, [places["Partner"]])
    services.application_update(
        actor=personas.student, application=application, choices=[places["Virtual"], places["Partner"]]
    )
    assert application.choices.first().place == places["Virtual"]
    with pytest.raises(PermissionDenied):
        services.application_update(actor=personas.coordinator, application=application, year_of_study=3)
    services.application_withdraw(actor=personas.student, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_reviews_are_on_the_scale_and_never_by_the_applicant(personas, call, places):
    application = apply(personas.student, call, [places["Partner"]])
    with pytest.raises(ValidationFailed, match="from 0 to 5; 6 is outside") as caught:
        services.review_save(actor=personas.teacher, application=application, score=6)
    assert caught.value.field == "score"
    with pytest.raises(PermissionDenied, match="own application"):
        services.review_save(actor=personas.student, application=application, score=3)
    # Viewers do not see applications (personal data) at all; partners neither.
    with pytest.raises(NotFound):
        services.review_save(actor=personas.viewer, application=application, score=3)
    with pytest.raises(NotFound):
        services.review_save(actor=personas.partner, application=application, score=3)
    services.review_save(actor=personas.teacher, application=application, score=4)
    services.review_save(actor=personas.coordinator, application=application, score=5)
    services.review_save(actor=personas.teacher, application=application, score=3)
    assert sorted(Review.objects.values_list("score", flat=True)) == [3, 5]


def test_allocation_is_refused_while_the_call_is_open(personas, call, places):
    apply(personas.student, call, [places["Partner"]])
    with pytest.raises(Conflict, match="close it before allocating") as caught:
        services.allocation_run(actor=personas.coordinator, call=call)
    assert caught.value.field == "status"
    assert not call.runs.exists()


def _three_applicants(personas, call, places, students):
    applications = [
        apply(students[0], call, [places["Partner"], places["Virtual"]], grade_average="4.0"),
        apply(students[1], call, [places["Partner"], places["Virtual"]], grade_average="5.0"),
        apply(students[2], call, [places["Partner"]], grade_average="3.5", languages={"en": "B2"}),
    ]
    for application, score in zip(applications, (5, 1, 2), strict=True):
        services.review_save(actor=personas.teacher, application=application, score=score)
    services.call_close(actor=personas.coordinator, call=call)
    return applications


def test_the_run_scores_allocates_and_explains(personas, call, places, students):
    first, second, third = _three_applicants(personas, call, places, students)
    run = services.allocation_run(actor=personas.coordinator, call=call)

    result = {a.application_id: a for a in run.assignments.all()}
    assert {result[first.pk].place, result[second.pk].place} == {places["Partner"]}
    assert result[third.pk].place is None
    assert "Your 1st choice" in result[third.pk].explanation
    assert run.result["cutoffs"][places["Partner"].engine_id] is not None
    call.refresh_from_db()
    assert call.status == CallStatus.ALLOCATED


def test_scores_come_from_normalised_grades_language_and_reviews(personas, call, places, students):
    _three_applicants(personas, call, places, students)
    instance = build_instance(call)
    scores = {item["id"]: item["score"] for item in instance["applicants"]}
    # Weights 2:1:1. Student 2: grade 5 on 2-5 -> 10, C1 -> 8.33, review 1/5 -> 2: (20 + 8.33 + 2) / 4.
    assert scores[f"A{Application.objects.get(student=students[1]).pk}"] == pytest.approx(7.5833, abs=1e-3)


def test_override_is_logged_and_shows_the_blocking_pairs(personas, call, places, students):
    first, _second, third = _three_applicants(personas, call, places, students)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    with pytest.raises(ValidationFailed, match="reason"):
        services.assignment_override(
            actor=personas.coordinator, run=run, application=third, place=places["Virtual"], reason=" "
        )
    services.assignment_override(
        actor=personas.coordinator, run=run, application=first, place=None, reason="Visa refused"
    )
    run.refresh_from_db()
    assert [pair["student"] for pair in run.blocking_pairs] == ["S3"] or run.blocking_pairs
    assert any("Visa refused" in message for message in CallEvent.objects.values_list("message", flat=True))


def test_publishing_tells_applicants_and_nominates_to_partners(
    personas, call, places, students, agreement, django_capture_on_commit_callbacks
):
    _three_applicants(personas, call, places, students)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        services.run_publish(actor=personas.teacher, run=run)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_publish(actor=personas.coordinator, run=run)

    nominations = selectors.nominations_for_user(user=personas.partner)
    assert nominations.count() == 2
    assert {m.to[0] for m in mail.outbox} >= {"student@example.org", "partner@example.org"}
    student_mail = next(m for m in mail.outbox if m.to == ["student@example.org"])
    assert "/exchanges/applications/" in student_mail.body
    used = {
        line.condition_key: line.used.mobilities
        for line in quota_view(agreement=agreement, academic_year="2026/2027")
    }
    assert used == {"c1": 2}

    # A mobility recorded from a nomination adds its months, not a second place.
    nomination = nominations.first()
    mobility_create(
        actor=personas.coordinator,
        participant=nomination.application.student,
        mobility_type="long_term_physical",
        sending_organisation=call.owner,
        receiving_organisation=nomination.place.receiving_organisation,
        academic_year="2026/2027",
        planned_start=dt.date(2026, 10, 1),
        planned_end=dt.date(2027, 1, 31),
        agreement=agreement,
        condition_key="c1",
        eqf_level=nomination.application.eqf_level,
        isced_code=nomination.application.isced_code,
        source=MobilitySource.NOMINATION,
        source_id=nomination.pk,
        accepted=True,
    )
    (line,) = [
        line
        for line in quota_view(agreement=agreement, academic_year="2026/2027")
        if line.condition_key == "c1"
    ]
    assert line.used.mobilities == 2
    assert line.used.months > 0
    with pytest.raises(Conflict, match="re-allocate"):
        services.allocation_run(actor=personas.coordinator, call=call)


def test_a_rejection_frees_the_seat_and_reallocation_keeps_everyone_at_least_as_well(
    personas, call, places, students
):
    first, second, third = _three_applicants(personas, call, places, students)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    services.run_publish(actor=personas.coordinator, run=run)
    rejected = selectors.nominations_for_user(user=personas.partner).get(application=second)
    with pytest.raises(ValidationFailed, match="reason"):
        services.nomination_reject(actor=personas.partner, nomination=rejected, reason="")
    with pytest.raises(PermissionDenied):
        services.nomination_accept(actor=personas.coordinator, nomination=rejected)
    services.nomination_reject(actor=personas.partner, nomination=rejected, reason="Course cancelled")
    accepted = selectors.nominations_for_user(user=personas.partner).get(application=first)
    services.nomination_accept(actor=personas.partner, nomination=accepted)

    again = services.reallocation_run(actor=personas.coordinator, call=call)

    result = {a.application_id: a for a in again.assignments.all()}
    assert result[first.pk].place == places["Partner"]
    assert result[third.pk].place == places["Partner"]
    assert result[second.pk].place == places["Virtual"]
    assert "declined your nomination: Course cancelled" in result[second.pk].explanation
    services.run_publish(actor=personas.coordinator, run=again)
    statuses = dict(
        selectors.nominations_for_user(user=personas.coordinator).values_list("application_id", "status")
    )
    assert statuses[third.pk] == NominationStatus.PENDING


def test_withdrawal_after_publication_moves_the_waitlist_up(personas, call, places, students):
    first, _second, third = _three_applicants(personas, call, places, students)
    services.run_publish(
        actor=personas.coordinator, run=services.allocation_run(actor=personas.coordinator, call=call)
    )
    services.application_withdraw(actor=students[0], application=first)
    again = services.reallocation_run(actor=personas.coordinator, call=call)
    assert again.assignments.get(application=third).place == places["Partner"]
    assert not again.assignments.filter(application=first).exists()


def test_bulk_exclusion_needs_a_reason_and_leaves_the_applications_out(personas, call, places, students):
    first, second, _third = _three_applicants(personas, call, places, students)
    with pytest.raises(ValidationFailed, match="Say why"):
        services.applications_bulk(
            actor=personas.coordinator, call=call, application_ids=[first.pk], action="exclude"
        )
    assert (
        services.applications_bulk(
            actor=personas.coordinator,
            call=call,
            application_ids=[first.pk, second.pk],
            action="exclude",
            reason="Late",
        )
        == 2
    )
    run = services.allocation_run(actor=personas.coordinator, call=call)
    assert run.assignments.count() == 1


def test_split_places_share_the_condition_cap_as_a_quota(personas, call, places, agreement):
    spring = services.place_create(
        actor=personas.coordinator,
        call=call,
        receiving_organisation=None,
        source=places["Partner"],
        name="Partner spring",
        capacity=2,
    )
    instance = build_instance(call)
    quota = instance["quotas"][0]
    assert quota["capacity"] == 2
    assert {p["id"] for p in instance["places"] if p.get("quota") == quota["id"]} == {
        places["Partner"].engine_id,
        spring.engine_id,
    }
    assert CallPlace.objects.filter(call=call).count() == 3


def test_telling_applicants_reads_their_languages_once(
    personas, call, places, students, django_assert_max_num_queries
):
    _three_applicants(personas, call, places, students)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    students[1].language = "fr"
    students[1].save(update_fields=["language"])
    application_ids = list(call.applications.values_list("pk", flat=True))
    mail.outbox.clear()
    # One read of the assignments, one of the recipients' languages: not one per applicant.
    with django_assert_max_num_queries(2):
        sent = notifications.applicants_published(run.pk, application_ids)
    assert sent == 3
    with translation.override("fr"):
        french_start = _("the result of “{call}”: {outcome}").split("{call}")[0]
    assert french_start != "the result of “"
    french = next(m for m in mail.outbox if m.to == [students[1].email])
    assert french.subject.startswith("Accord: " + french_start)
