"""Mobilities under real overlap (threads released together, on PostgreSQL): three parties signing a
learning agreement at once approve it once, a signature racing a new version is never left on a
version that was already replaced, and a stale edit of dates, plan or participant details is refused."""

from datetime import date

import pytest
from django.test import Client

from accord.accounts.choices import Role
from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import Mobility, MobilityTransition, ParticipantDetails, Signature
from accord.mobilities.tests.conftest import COMPONENTS, create
from accord.testing.factories import make_user
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 15


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


def accepted_mobility(personas, agreement, number: int) -> Mobility:
    student = make_user(f"student{number}", organisation=personas.home, role=Role.STUDENT)
    mobility = create(personas, agreement, participant=student)
    services.mobility_transition(actor=personas.partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    return mobility


def sign(actor, mobility: Mobility, version):
    return lambda: services.la_sign(
        actor=actor,
        mobility=Mobility.objects.get(pk=mobility.pk),
        version_number=version.number,
        components_hash=version.components_hash,
    )


def test_three_parties_signing_at_once_approve_the_version_once(personas, agreement):
    for number in range(TRIES):
        mobility = accepted_mobility(personas, agreement, number)
        student = mobility.participant
        version = services.la_propose(actor=student, mobility=mobility, components=COMPONENTS)
        signers = (student, personas.coordinator, personas.partner)
        outcomes = race(*(sign(signer, mobility, version) for signer in signers))
        for signer, outcome in zip(signers, outcomes, strict=True):
            if not outcome.ok:
                # The receiving institution signs after the other two: it is told so, and signs again.
                assert isinstance(outcome.error, Conflict) and signer == personas.partner, outcome.error
                sign(signer, mobility, version)()
        assert Signature.objects.filter(version=version).count() == 3
        mobility.refresh_from_db()
        assert mobility.status == MobilityStatus.LA_APPROVED
        assert (
            MobilityTransition.objects.filter(mobility=mobility, to_status=MobilityStatus.LA_APPROVED).count()
            == 1
        )


def test_a_signature_racing_a_new_version_never_lands_on_a_replaced_version(personas, agreement):
    stale = 0
    for number in range(TRIES):
        mobility = accepted_mobility(personas, agreement, number)
        student = mobility.participant
        first = services.la_propose(actor=student, mobility=mobility, components=COMPONENTS)
        changed = [dict(component) for component in COMPONENTS]
        changed[0]["title"] = "Bases de datos avanzadas"

        def propose(mobility=mobility, student=student, changed=changed):
            return services.la_propose(
                actor=student,
                mobility=Mobility.objects.get(pk=mobility.pk),
                components=changed,
                base_version=1,
            )

        outcomes = race(sign(personas.partner, mobility, first), propose)
        assert outcomes[1].ok, outcomes[1].error
        second = outcomes[1].value
        stale += Signature.objects.filter(version=first, signed_at__gt=second.created_at).count()
    assert not stale, f"{stale} stale signatures in {TRIES} tries"


def test_two_receivers_recording_dates_from_one_version_save_once(personas, agreement):
    colleague = make_user("partner2", organisation=personas.partner_org, role=Role.COORDINATOR)
    for number in range(TRIES):
        mobility = accepted_mobility(personas, agreement, number)
        proposed = services.la_propose(actor=mobility.participant, mobility=mobility, components=COMPONENTS)
        for actor in (mobility.participant, personas.coordinator, personas.partner):
            sign(actor, mobility, proposed)()
        version = Mobility.objects.get(pk=mobility.pk).version

        def record(actor, day, mobility=mobility, version=version):
            return lambda: services.mobility_record_dates(
                actor=actor,
                mobility=Mobility.objects.get(pk=mobility.pk),
                actual_start=date(2026, 9, day),
                expected_version=version,
            )

        outcomes = race(record(personas.partner, 2), record(colleague, 3))
        errors = [outcome.error for outcome in outcomes if not outcome.ok]
        assert len(errors) == 1 and isinstance(errors[0], StaleVersion), errors


def test_two_coordinators_putting_participant_details_with_one_etag_save_once(personas, agreement):
    colleague = make_user("coordinator2", organisation=personas.home, role=Role.COORDINATOR)
    clients = []
    for user in (personas.coordinator, colleague):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    for number in range(TRIES):
        mobility = accepted_mobility(personas, agreement, number)
        details = {"birth_date": "2004-05-06", "nationality": "PL", "gender": 2, "global_id": "urn:esi:1"}
        url = f"/api/v1/mobilities/{mobility.pk}/participant-details"
        etag = clients[0].put(url, details, content_type="application/json")["ETag"]

        def put(client, nationality, url=url, etag=etag, details=details):
            return lambda: (
                client.put(
                    url,
                    {**details, "nationality": nationality},
                    content_type="application/json",
                    headers={"If-Match": etag},
                ).status_code
            )

        outcomes = race(put(clients[0], "ES"), put(clients[1], "IT"))
        assert sorted(outcome.value for outcome in outcomes) == [200, 412]
        assert ParticipantDetails.objects.get(user=mobility.participant).version == 2


def test_two_coordinators_patching_the_plan_with_one_etag_save_once(personas, agreement):
    colleague = make_user("coordinator3", organisation=personas.home, role=Role.COORDINATOR)
    clients = []
    for user in (personas.coordinator, colleague):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    for number in range(TRIES):
        mobility = accepted_mobility(personas, agreement, number)
        url = f"/api/v1/mobilities/{mobility.pk}"
        etag = clients[0].get(url)["ETag"]

        def patch(client, level, url=url, etag=etag):
            return lambda: (
                client.patch(
                    url, {"eqf_level": level}, content_type="application/json", headers={"If-Match": etag}
                ).status_code
            )

        outcomes = race(patch(clients[0], 7), patch(clients[1], 5))
        assert sorted(outcome.value for outcome in outcomes) == [200, 412]
        saved = Mobility.objects.get(pk=mobility.pk)
        assert (saved.version, saved.eqf_level in {5, 7}) == (mobility.version + 1, True)
