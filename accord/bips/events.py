"""What happens to blended intensive programmes, published by the BIP services (see accord.core.events).

A funding app can recompute the organisational support on ``BipParticipantAccepted`` and
``BipCompleted``; an evaluation app can survey the participants of a completed BIP.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.core.events import DomainEvent

if TYPE_CHECKING:
    from accord.bips.models import Bip, BipParticipant


@dataclass(frozen=True)
class BipEvent(DomainEvent):
    bip: "Bip"


@dataclass(frozen=True)
class BipStatusChanged(BipEvent):
    """The organiser moved the BIP along its lifecycle."""

    from_status: str
    to_status: str


@dataclass(frozen=True)
class BipOpened(BipStatusChanged):
    """The BIP opened for nominations: its partners may now nominate participants."""


@dataclass(frozen=True)
class BipCompleted(BipStatusChanged):
    """The BIP ended; its accepted participants and attendance are final."""


@dataclass(frozen=True)
class BipCancelled(BipStatusChanged):
    """The BIP was cancelled."""


@dataclass(frozen=True)
class BipParticipantEvent(BipEvent):
    participant: "BipParticipant"


@dataclass(frozen=True)
class BipParticipantNominated(BipParticipantEvent):
    """A partner's coordinator nominated one of their students or staff."""


@dataclass(frozen=True)
class BipParticipantAccepted(BipParticipantEvent):
    """The organiser accepted a participant; their mobility exists on the sending side (unless they
    belong to the hosting institution and do not travel)."""


@dataclass(frozen=True)
class BipParticipantDeclined(BipParticipantEvent):
    """The organiser declined a nomination; the place it held is free again."""


@dataclass(frozen=True)
class BipAttendanceRecorded(BipParticipantEvent):
    """The organiser recorded whether the participant attended a component."""

    component_id: int
    attended: bool
