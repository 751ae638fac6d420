"""What the EWP node does when the domain says something happened: owe partners' nodes a CNR.

Connected by :meth:`accord.ewp.apps.EwpConfig.ready`. Each handler runs inside the transaction of the
change it hears of (``accord.core.events``), so the outbox row commits with the change or not at all;
the handlers only write rows and never wait on the network (the outbox's sender does that later).
"""

from accord.agreements import events as agreement_events
from accord.core import networks
from accord.core.events import subscribe
from accord.ewp.notify import outbox
from accord.mobilities import events as mobility_events


def _agreement_changed(event: agreement_events.AgreementEvent) -> None:
    outbox.enqueue_iia_cnr(event.agreement)


def _agreement_approved(event: agreement_events.AgreementVersionApproved) -> None:
    if event.came_into_effect:  # partners' nodes see <in-effect> change
        outbox.enqueue_iia_cnr(event.agreement)


def _partner_copy_approved(event: agreement_events.PartnerCopyApproved) -> None:
    outbox.enqueue_iia_approval_cnr(event.copy)


def _mobility_changed(event: mobility_events.MobilityEvent) -> None:
    """A receiver on another node fetches the nomination, decision or participant again."""
    outbox.enqueue_omobility_cnr(event.mobility)


def _dates_recorded(event: mobility_events.MobilityDatesRecorded) -> None:
    """The sending node fetches the actual dates of its mobility from our copy."""
    outbox.enqueue_imobility_cnr(event.mobility)


def _learning_agreement_changed(event: mobility_events.MobilityEvent) -> None:
    """The receiver's node fetches the learning agreement again."""
    outbox.enqueue_omobility_la_cnr(event.mobility)


def _transcript_recorded(event: mobility_events.TranscriptRecorded) -> None:
    """The sending node fetches the transcript again."""
    outbox.enqueue_tor_cnr(event.mobility)


def connect() -> None:
    subscribe(agreement_events.AgreementVersionShared, _agreement_changed)
    subscribe(agreement_events.AgreementTerminated, _agreement_changed)
    subscribe(agreement_events.AgreementVersionApproved, _agreement_approved)
    subscribe(agreement_events.PartnerCopyApproved, _partner_copy_approved)
    for event_type in (
        mobility_events.MobilityCreated,
        mobility_events.MobilityStatusChanged,
        mobility_events.MobilityPlanChanged,
        mobility_events.ParticipantDetailsChanged,
    ):
        subscribe(event_type, _mobility_changed)
    subscribe(mobility_events.MobilityDatesRecorded, _dates_recorded)
    for event_type in (
        mobility_events.LearningAgreementProposed,
        mobility_events.LearningAgreementSigned,
        mobility_events.LearningAgreementCommented,
    ):
        subscribe(event_type, _learning_agreement_changed)
    subscribe(mobility_events.TranscriptRecorded, _transcript_recorded)
    networks.register("ewp", outbox.partner_on_ewp)
