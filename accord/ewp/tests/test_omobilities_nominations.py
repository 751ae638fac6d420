"""Nominations of the exchanges app to a partner reached over EWP travel as outgoing mobilities: the
mobility exists (nominated) from publication, and the partner's decision through Outgoing Mobilities
``update`` decides the nomination too. Partners on this node still decide in Accord, with no mobility."""

from datetime import date

import pytest

from accord.algorithms.ewp.mobility import nomination_proposal_id
from accord.ewp.models import NotificationKind, OutgoingNotification, ServedInstitution
from accord.ewp.serve.omobilities import NominationDecision, ewp_student_mobility, update_request
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost, signed_headers
from accord.exchanges import services as exchanges
from accord.exchanges.choices import NominationStatus, Term
from accord.exchanges.models import Nomination
from accord.exchanges.services.nominations_ewp import term_dates
from accord.exchanges.tests.conftest import agreement_in_effect, application_fields, call_fields
from accord.mobilities import services
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import Mobility

UPDATE = "/ewp/omobilities/update"


def publish_nomination(personas) -> Nomination:
    agreement_in_effect(personas)
    call = exchanges.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    exchanges.places_generate(actor=personas.coordinator, call=call)
    exchanges.call_open(actor=personas.coordinator, call=call)
    (place,) = call.places.all()
    application = exchanges.application_create(
        actor=personas.student, call=call, choices=[place], **application_fields()
    )
    application = exchanges.application_submit(actor=personas.student, application=application)
    exchanges.review_save(actor=personas.teacher, application=application, score=4)
    exchanges.call_close(actor=personas.coordinator, call=call)
    run = exchanges.allocation_run(actor=personas.coordinator, call=call)
    exchanges.run_publish(actor=personas.coordinator, run=run)
    return Nomination.objects.get(application=application)


@pytest.fixture
def on_ewp(personas, ewp_settings, write_catalogue, partner_key):
    ServedInstitution.objects.create(organisation=personas.home)
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    personas.student.first_name, personas.student.last_name = "Jan", "Nowak"
    personas.student.save()
    services.participant_details_save(
        actor=personas.coordinator,
        participant=personas.student,
        birth_date=date(2004, 5, 17),
        nationality="PL",
        gender=1,
        global_id="urn:schac:personalUniqueCode:int:esi:home.example.edu:7",
    )
    return personas


def decide(client, key, mobility, *, approve: bool) -> int:
    proposal = nomination_proposal_id(ewp_student_mobility(Mobility.objects.get(pk=mobility.pk)))
    body = update_request(NominationDecision(approve, str(mobility.pk), proposal, "" if approve else "Full."))
    headers = signed_headers(key, "POST", UPDATE, body)
    return client.generic("POST", UPDATE, body, content_type="text/xml", headers=headers).status_code


@pytest.mark.parametrize("approve", [True, False])
def test_the_partners_decision_over_ewp_decides_the_nomination(client, on_ewp, partner_key, approve):
    nomination = publish_nomination(on_ewp)

    mobility = Mobility.objects.get(source=MobilitySource.NOMINATION, source_id=nomination.pk)
    assert (mobility.status, mobility.receiving_organisation) == (
        MobilityStatus.NOMINATED,
        on_ewp.partner_org,
    )
    assert (mobility.participant, mobility.isced_code, mobility.academic_year) == (
        on_ewp.student,
        "0314",
        "2026/2027",
    )
    assert OutgoingNotification.objects.filter(
        kind=NotificationKind.OMOBILITY, iia_id=str(mobility.pk)
    ).exists()

    assert decide(client, partner_key, mobility, approve=approve) == 200

    nomination.refresh_from_db()
    mobility.refresh_from_db()
    if approve:
        assert (nomination.status, mobility.status) == (NominationStatus.ACCEPTED, MobilityStatus.ACCEPTED)
    else:
        assert (nomination.status, mobility.status) == (NominationStatus.REJECTED, MobilityStatus.CANCELLED)
        assert nomination.reason == "Full."
    assert nomination.decided_by.username == f"ewp:{PARTNER_HEI}"


def test_partners_deciding_in_accord_get_no_mobility_at_publication(personas):
    publish_nomination(personas)
    assert not Mobility.objects.exists()


def test_terms_give_the_planned_dates():
    assert term_dates("2026/2027", Term.FULL_YEAR) == (date(2026, 9, 1), date(2027, 8, 31))
    assert term_dates("2026/2027", Term.AUTUMN) == (date(2026, 9, 1), date(2027, 1, 31))
    assert term_dates("2026/2027", Term.SPRING) == (date(2027, 2, 1), date(2027, 8, 31))
