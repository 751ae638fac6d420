"""Staff mobility under real overlap (threads released together, on PostgreSQL): three parties signing
at once approve the agreement once, two proposals from the same version write one, and two corrections
of the certificate from the same version save one."""

from decimal import Decimal

import pytest

from accord.accounts.choices import Role
from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import (
    AgreementVersion,
    Mobility,
    MobilityTransition,
    Signature,
    StaffCertificate,
)
from accord.mobilities.services.staff import StaleAgreement
from accord.mobilities.tests.staff.conftest import END, START, invite, sign_all, teaching_programme
from accord.testing.factories import make_user
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 10


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


def accepted(personas) -> Mobility:
    mobility = invite(personas)
    services.mobility_transition(actor=personas.partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    return mobility


def fresh(mobility: Mobility) -> Mobility:
    return Mobility.objects.get(pk=mobility.pk)


def test_three_parties_signing_at_once_approve_the_staff_agreement_once(personas):
    for _ in range(TRIES):
        mobility = accepted(personas)
        version = services.staff_agreement_propose(
            actor=personas.teacher, mobility=mobility, programme=teaching_programme()
        )

        def sign(actor, mobility=mobility, version=version):
            return lambda: services.la_sign(
                actor=actor,
                mobility=fresh(mobility),
                version_number=version.number,
                components_hash=version.components_hash,
            )

        signers = (personas.teacher, personas.coordinator, personas.partner)
        outcomes = race(*(sign(signer) for signer in signers))
        for signer, outcome in zip(signers, outcomes, strict=True):
            if not outcome.ok:  # the receiver signs after the other two: told so, it signs again
                assert isinstance(outcome.error, Conflict) and signer == personas.partner, outcome.error
                sign(signer)()
        assert Signature.objects.filter(version=version).count() == 3
        assert fresh(mobility).status == MobilityStatus.LA_APPROVED
        approvals = MobilityTransition.objects.filter(mobility=mobility, to_status=MobilityStatus.LA_APPROVED)
        assert approvals.count() == 1


def test_two_proposals_from_one_version_write_one(personas):
    for _ in range(TRIES):
        mobility = accepted(personas)
        services.staff_agreement_propose(
            actor=personas.teacher, mobility=mobility, programme=teaching_programme()
        )

        def propose(actor, hours, mobility=mobility):
            return lambda: services.staff_agreement_propose(
                actor=actor,
                mobility=fresh(mobility),
                programme=teaching_programme(teaching_hours=Decimal(hours)),
                base_version=1,
            )

        outcomes = race(propose(personas.teacher, 9), propose(personas.coordinator, 10))
        errors = [outcome.error for outcome in outcomes if not outcome.ok]
        assert len(errors) == 1 and isinstance(errors[0], StaleAgreement), errors
        assert AgreementVersion.objects.filter(learning_agreement__mobility=mobility).count() == 2


def test_two_corrections_of_the_certificate_from_one_version_save_one(personas):
    colleague = make_user("partner2", organisation=personas.partner_org, role=Role.COORDINATOR)
    for _ in range(TRIES):
        mobility = accepted(personas)
        version = services.staff_agreement_propose(
            actor=personas.teacher, mobility=mobility, programme=teaching_programme()
        )
        sign_all(personas, mobility, version)
        services.mobility_record_dates(actor=personas.partner, mobility=fresh(mobility), actual_start=START)
        certificate = services.staff_certificate_issue(
            actor=personas.partner,
            mobility=fresh(mobility),
            actual_start=START,
            actual_end=END,
            teaching_hours=8,
        )

        def correct(actor, hours, mobility=mobility, seen=certificate.version):
            return lambda: services.staff_certificate_issue(
                actor=actor,
                mobility=fresh(mobility),
                actual_start=START,
                actual_end=END,
                teaching_hours=Decimal(hours),
                expected_version=seen,
            )

        outcomes = race(correct(personas.partner, 9), correct(colleague, 10))
        errors = [outcome.error for outcome in outcomes if not outcome.ok]
        assert len(errors) == 1 and isinstance(errors[0], StaleVersion), errors
        assert StaffCertificate.objects.get(mobility=mobility).version == certificate.version + 1
