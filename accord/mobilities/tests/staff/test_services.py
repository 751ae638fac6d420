"""Staff mobility through the services: an invitation, a programme meeting the Erasmus+ rules, three
signatures bound to the programme's hash, a change signed again, arrival and the certificate."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from accord.algorithms.mobility.staff import StaffActivity
from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from accord.mobilities import selectors, services
from accord.mobilities.choices import MobilityStatus, VersionStatus
from accord.mobilities.models import StaffCertificate
from accord.mobilities.services.staff import StaleAgreement
from accord.mobilities.tests.staff.conftest import END, START, invite, sign_all, teaching_programme

pytestmark = pytest.mark.django_db


def test_the_invited_colleague_gets_an_email_with_a_link(personas, staff_mobility):
    invitation = next(m for m in mail.outbox if m.to == [personas.teacher.email])
    assert "invites you to a staff mobility at Partner University" in invitation.subject
    assert f"/mobilities/{staff_mobility.pk}/staff/" in invitation.body
    assert "query optimisation" in invitation.body


def test_only_staff_of_the_sending_institution_are_invited(personas):
    with pytest.raises(ValidationFailed) as refused:
        invite(personas, participant=personas.student)
    assert "participant_id" in refused.value.errors
    with pytest.raises(ValidationFailed):
        invite(personas, mobility_type="long_term_physical")
    with pytest.raises(PermissionDenied):
        invite(personas, actor=personas.teacher)


def test_three_signatures_approve_the_programme(personas, staff_mobility):
    version = services.staff_agreement_propose(
        actor=personas.teacher, mobility=staff_mobility, programme=teaching_programme(), base_version=0
    )
    assert version.staff_programme.teaching_hours == 8
    sign_all(personas, staff_mobility, version)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert staff_mobility.status == MobilityStatus.LA_APPROVED
    overview = selectors.staff_overview(user=personas.partner, mobility=staff_mobility)
    assert overview.approved_programme.outcomes.startswith("A joint module")
    assert overview.next_step.yours and "confirms the arrival" in overview.next_step.text


def test_a_signature_binds_the_programme_hash(personas, staff_mobility):
    version = services.staff_agreement_propose(
        actor=personas.teacher, mobility=staff_mobility, programme=teaching_programme()
    )
    with pytest.raises(Conflict) as refused:
        services.la_sign(
            actor=personas.teacher, mobility=staff_mobility, version_number=1, components_hash="0" * 64
        )
    assert refused.value.code == "hash_mismatch"
    services.la_sign(
        actor=personas.teacher,
        mobility=staff_mobility,
        version_number=1,
        components_hash=version.components_hash,
    )


def test_the_programme_must_meet_the_erasmus_rules(personas, staff_mobility):
    with pytest.raises(ValidationFailed) as refused:
        services.staff_agreement_propose(
            actor=personas.teacher,
            mobility=staff_mobility,
            programme=teaching_programme(planned_end=date(2027, 3, 17), teaching_hours=Decimal(10)),
        )
    assert refused.value.errors["teaching_hours"] == [
        "Erasmus+ asks for at least 11.5 teaching hours over these dates; 10 are planned."
    ]
    with pytest.raises(ValidationFailed) as refused:
        services.staff_agreement_propose(
            actor=personas.teacher,
            mobility=staff_mobility,
            programme=teaching_programme(planned_end=START, activity=StaffActivity.TRAINING, objectives=" "),
        )
    errors = refused.value.errors
    assert errors["planned_end"] == ["A staff mobility lasts at least 2 days, travel excluded; this is 1."]
    assert errors["activity"] == [
        "A mobility of this type plans teaching or teaching combined with training."
    ]
    assert errors["objectives"] == ["This is part of the mobility agreement: fill it in."]


def test_combined_teaching_and_training_needs_four_hours_a_week(personas, staff_mobility):
    version = services.staff_agreement_propose(
        actor=personas.coordinator,
        mobility=staff_mobility,
        programme=teaching_programme(activity=StaffActivity.COMBINED, teaching_hours=Decimal(4)),
    )
    assert version.staff_programme.activity == "combined"


def test_a_change_is_a_new_version_signed_again(personas, staff_mobility):
    first = services.staff_agreement_propose(
        actor=personas.teacher, mobility=staff_mobility, programme=teaching_programme()
    )
    sign_all(personas, staff_mobility, first)
    second = services.staff_agreement_propose(
        actor=personas.coordinator,
        mobility=staff_mobility,
        programme=teaching_programme(planned_end=date(2027, 3, 19), teaching_hours=Decimal(16)),
        base_version=1,
    )
    staff_mobility.refresh_from_db()
    assert (second.number, second.status, second.signatures.count()) == (2, VersionStatus.PROPOSED, 0)
    assert staff_mobility.planned_end == date(2027, 3, 19) and staff_mobility.duration_days == 12
    overview = selectors.staff_overview(user=personas.teacher, mobility=staff_mobility)
    assert overview.approved_programme.teaching_hours == 8  # the signed programme holds until all three sign
    assert overview.next_step.yours and "awaits the signature of the participant" in overview.next_step.text
    with pytest.raises(StaleAgreement):
        services.staff_agreement_propose(
            actor=personas.teacher, mobility=staff_mobility, programme=teaching_programme(), base_version=1
        )
    sign_all(personas, staff_mobility, second)
    assert (
        selectors.staff_overview(
            user=personas.teacher, mobility=staff_mobility
        ).approved_programme.teaching_hours
        == 16
    )


def test_only_the_staff_member_and_the_sender_propose(personas, staff_mobility):
    with pytest.raises(PermissionDenied):
        services.staff_agreement_propose(
            actor=personas.partner, mobility=staff_mobility, programme=teaching_programme()
        )


def test_a_student_mobility_has_no_staff_agreement(personas):
    from accord.mobilities.tests.conftest import create

    mobility = create(personas, None, condition_key="")
    with pytest.raises(DomainError):
        services.staff_agreement_propose(
            actor=personas.coordinator, mobility=mobility, programme=teaching_programme()
        )


def test_the_certificate_completes_the_mobility(personas, signed, django_capture_on_commit_callbacks):
    with pytest.raises(Conflict):
        services.staff_certificate_issue(
            actor=personas.partner, mobility=signed, actual_start=START, actual_end=END
        )
    services.mobility_record_dates(actor=personas.partner, mobility=signed, actual_start=START)
    with pytest.raises(ValidationFailed) as refused:
        services.staff_certificate_issue(
            actor=personas.partner, mobility=signed, actual_start=START, actual_end=END
        )
    assert "teaching_hours" in refused.value.errors
    with pytest.raises(PermissionDenied):
        services.staff_certificate_issue(
            actor=personas.coordinator, mobility=signed, actual_start=START, actual_end=END, teaching_hours=8
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.staff_certificate_issue(
            actor=personas.partner,
            mobility=signed,
            actual_start=START,
            actual_end=END,
            teaching_hours=Decimal(6),
            signer_position="Head of the international office",
        )
    signed.refresh_from_db()
    assert (signed.status, signed.actual_end, signed.duration_days) == (MobilityStatus.COMPLETED, END, 5)
    assert certificate.signer_position == "Head of the international office"
    assert any("certified the attendance" in m.subject for m in mail.outbox)
    overview = selectors.staff_overview(user=personas.teacher, mobility=signed)
    assert overview.certificate_breaches == [
        "Erasmus+ asks for at least 8 teaching hours over these days and 6 were taught: the sending "
        "institution may have to reduce the grant."
    ]
    assert "certificate of attendance can be downloaded" in overview.next_step.text


def test_a_stale_correction_of_the_certificate_is_refused(personas, signed):
    services.mobility_record_dates(actor=personas.partner, mobility=signed, actual_start=START)
    certificate = services.staff_certificate_issue(
        actor=personas.partner, mobility=signed, actual_start=START, actual_end=END, teaching_hours=8
    )
    services.staff_certificate_issue(
        actor=personas.partner,
        mobility=signed,
        actual_start=START,
        actual_end=END,
        teaching_hours=Decimal(10),
        expected_version=certificate.version,
    )
    with pytest.raises(StaleVersion) as refused:
        services.staff_certificate_issue(
            actor=personas.partner,
            mobility=signed,
            actual_start=START,
            actual_end=END,
            teaching_hours=Decimal(9),
            expected_version=certificate.version,
        )
    assert refused.value.theirs["teaching_hours"] == Decimal(10)
    assert StaffCertificate.objects.get(mobility=signed).teaching_hours == 10


def test_the_staff_page_lists_the_next_step_of_each_mobility(personas, signed):
    training = invite(personas, mobility_type="staff_training", participant=personas.viewer)
    rows = dict(selectors.staff_mobilities(user=personas.coordinator))
    assert "confirms the arrival" in rows[signed].text and not rows[signed].yours
    assert rows[training].text.startswith("Draft the mobility agreement") and rows[training].yours
    assert list(dict(selectors.staff_mobilities(user=personas.teacher))) == [signed]


def test_the_steps_publish_the_events_subscribers_hear_for_students(personas, staff_mobility, monkeypatch):
    from accord.core import events as core_events
    from accord.mobilities import events

    heard: list[str] = []
    monkeypatch.setattr(core_events, "_handlers", {})
    core_events.subscribe(events.MobilityEvent, lambda event: heard.append(type(event).__name__))
    version = services.staff_agreement_propose(
        actor=personas.teacher, mobility=staff_mobility, programme=teaching_programme()
    )
    sign_all(personas, staff_mobility, version)
    services.mobility_record_dates(actor=personas.partner, mobility=staff_mobility, actual_start=START)
    services.staff_certificate_issue(
        actor=personas.partner, mobility=staff_mobility, actual_start=START, actual_end=END, teaching_hours=8
    )
    # Confirming the arrival and certifying the attendance each move the status on as well.
    assert heard == [
        "LearningAgreementProposed",
        *["LearningAgreementSigned"] * 3,
        "MobilityStatusChanged",
        "MobilityDatesRecorded",
        "MobilityStatusChanged",
        "MobilityDatesRecorded",
        "StaffCertificateIssued",
    ]


def test_a_staff_agreement_is_not_proposed_as_components(personas, staff_mobility):
    activity = {"ref": "a", "section": "activity", "title": "Lectures", "hours": "8"}
    with pytest.raises(ValidationFailed) as refused:
        services.la_propose(actor=personas.teacher, mobility=staff_mobility, components=[activity])
    assert refused.value.errors["components"] == [
        "A staff mobility agreement is a programme: draft it on the staff mobility page."
    ]


def test_signers_are_e_mailed_a_link_to_the_staff_page(
    personas, staff_mobility, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_agreement_propose(
            actor=personas.teacher, mobility=staff_mobility, programme=teaching_programme()
        )
    asked = next(message for message in mail.outbox if message.to == [personas.teacher.email])
    assert f"/mobilities/{staff_mobility.pk}/staff/" in asked.body
