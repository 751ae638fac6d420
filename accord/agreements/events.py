"""What happens to agreements, published by the agreement services (see accord.core.events).

The EWP node turns these into change notifications to partners' nodes; other domains may react too.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.core.events import DomainEvent

if TYPE_CHECKING:
    from accord.agreements.models import Agreement, AgreementVersion, PartnerCopy
    from accord.organisations.models import Organisation


@dataclass(frozen=True)
class AgreementEvent(DomainEvent):
    agreement: "Agreement"


@dataclass(frozen=True)
class AgreementVersionShared(AgreementEvent):
    """The owner shared ``version`` with the partners (which counts as the owner's approval)."""

    version: "AgreementVersion"


@dataclass(frozen=True)
class AgreementVersionApproved(AgreementEvent):
    """``organisation`` approved ``version``; ``came_into_effect`` when it was the last party to."""

    version: "AgreementVersion"
    organisation: "Organisation"
    came_into_effect: bool


@dataclass(frozen=True)
class AgreementTerminated(AgreementEvent):
    """The owner terminated the agreement before its end."""


@dataclass(frozen=True)
class PartnerCopyApproved(DomainEvent):
    """Our institution approved ``copy``: a partner's own copy of an agreement, kept in its system."""

    copy: "PartnerCopy"
