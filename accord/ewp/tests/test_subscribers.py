"""The EWP node hears the domain through events and answers its questions through registered policies."""

from accord.agreements import events as agreement_events
from accord.core import networks
from accord.core.events import subscribers
from accord.ewp.notify import outbox
from accord.mobilities import events as mobility_events


def test_every_event_that_owes_a_partner_a_notification_is_heard():
    heard = [
        agreement_events.AgreementVersionShared,
        agreement_events.AgreementVersionApproved,
        agreement_events.AgreementTerminated,
        agreement_events.PartnerCopyApproved,
        mobility_events.MobilityCreated,
        mobility_events.MobilityStatusChanged,
        mobility_events.MobilityPlanChanged,
        mobility_events.ParticipantDetailsChanged,
        mobility_events.MobilityDatesRecorded,
        mobility_events.LearningAgreementProposed,
        mobility_events.LearningAgreementSigned,
        mobility_events.LearningAgreementCommented,
        mobility_events.TranscriptRecorded,
    ]
    # Other domains (funding, surveys) hear some of these too; the node must be among the listeners.
    for event_type in heard:
        assert "accord.ewp.notify.subscribers" in [
            handler.__module__ for handler in subscribers(event_type)
        ], event_type.__name__


def test_the_ewp_network_answers_whether_a_partner_is_on_it():
    assert networks._networks["ewp"] is outbox.partner_on_ewp
