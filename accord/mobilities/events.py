"""What happens to mobilities, published by the mobilities services (see accord.core.events).

The EWP node turns these into change notifications to the partner's node (the sending or the
receiving one); funding and evaluation can react to the same facts.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.core.events import DomainEvent

if TYPE_CHECKING:
    from accord.mobilities.models import Mobility


@dataclass(frozen=True)
class MobilityEvent(DomainEvent):
    mobility: "Mobility"


@dataclass(frozen=True)
class MobilityCreated(MobilityEvent):
    """A mobility was recorded (nominated, or already accepted)."""


@dataclass(frozen=True)
class MobilityStatusChanged(MobilityEvent):
    """The mobility changed status: by hand (the receiver accepted it, either side cancelled it) or
    because its confirmed dates came (ongoing from the arrival, completed after the departure)."""

    from_status: str
    to_status: str


@dataclass(frozen=True)
class MobilityPlanChanged(MobilityEvent):
    """The sending institution changed what was planned: dates, EQF level, field or language."""


@dataclass(frozen=True)
class ParticipantDetailsChanged(MobilityEvent):
    """The participant's personal details that partners receive (birth date, nationality…) changed."""


@dataclass(frozen=True)
class MobilityDatesRecorded(MobilityEvent):
    """The receiving institution recorded the actual arrival (and perhaps departure) dates."""


@dataclass(frozen=True)
class LearningAgreementProposed(MobilityEvent):
    version_number: int


@dataclass(frozen=True)
class LearningAgreementSigned(MobilityEvent):
    version_number: int
    role: str


@dataclass(frozen=True)
class LearningAgreementCommented(MobilityEvent):
    """A signatory commented on a proposal instead of signing it: it no longer awaits approval."""

    version_number: int


@dataclass(frozen=True)
class TranscriptRecorded(MobilityEvent):
    """The receiving institution recorded (or replaced) the transcript of records."""


@dataclass(frozen=True)
class StaffCertificateIssued(MobilityEvent):
    """The receiving institution certified a staff member's attendance (or corrected the certificate):
    the actual days and teaching hours on which a staff mobility is funded."""
