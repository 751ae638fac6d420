"""Invitations follow what happens to participants: a mobility accepted (before arrival) brings the
pre-participation survey, a completed one the post-participation survey, a cancelled one withdraws
the invitations not answered yet; any other activity does the same through
``accord.core.participation``. Handlers only write rows; mail goes after the commit."""

from accord.core.participation import ParticipationEnded, ParticipationEvent, ParticipationStarted
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.events import MobilityCreated, MobilityStatusChanged
from accord.mobilities.models import Mobility
from accord.mobilities.remote import is_copy
from accord.surveys.choices import Audience, Phase, Source
from accord.surveys.models import Invitation
from accord.surveys.services.invitations import Participation, invitation_for_participation

PHASE_AT = {MobilityStatus.ACCEPTED: Phase.PRE, MobilityStatus.COMPLETED: Phase.POST}


def mobility_participation(mobility: Mobility) -> Participation | None:
    if is_copy(mobility):  # the participant's own institution, which holds the master, surveys them
        return None
    participant = mobility.participant
    return Participation(
        source=Source.MOBILITY,
        source_id=mobility.pk,
        user=participant,
        email=participant.email,
        language=getattr(participant, "language", "") or "",
        organisation_id=mobility.sending_organisation_id,
        partnership_id=mobility.agreement.partnership_id if mobility.agreement_id else None,
        period=mobility.academic_year,
        audience=Audience.STAFF if mobility.is_staff_mobility else Audience.STUDENT,
    )


def _invite(mobility: Mobility, status: str) -> None:
    if status == MobilityStatus.CANCELLED:
        # Nobody is reminded about a stay that will not happen; answers already given stay.
        Invitation.objects.filter(
            source=Source.MOBILITY, source_id=mobility.pk, answered_at__isnull=True
        ).delete()
        return
    phase = PHASE_AT.get(MobilityStatus(status)) if status in MobilityStatus.values else None
    if phase is None:
        return
    participation = mobility_participation(mobility)
    if participation is not None:
        invitation_for_participation(participation=participation, phase=phase)


def on_mobility_status(event: MobilityStatusChanged) -> None:
    _invite(event.mobility, event.to_status)


def on_mobility_created(event: MobilityCreated) -> None:
    """A mobility recorded as already accepted starts where an accepted nomination would."""
    _invite(event.mobility, event.mobility.status)


def on_participation(event: ParticipationEvent) -> None:
    participant = event.participant
    invitation_for_participation(
        participation=Participation(
            source=event.source,
            source_id=event.source_id,
            user=participant,
            email=participant.email,
            language=getattr(participant, "language", "") or "",
            organisation_id=event.organisation_id,
            partnership_id=event.partnership_id,
            period=event.period,
            audience=event.audience,
        ),
        phase=Phase.PRE if isinstance(event, ParticipationStarted) else Phase.POST,
    )


SUBSCRIPTIONS = [
    (MobilityStatusChanged, on_mobility_status),
    (MobilityCreated, on_mobility_created),
    (ParticipationStarted, on_participation),
    (ParticipationEnded, on_participation),
]
