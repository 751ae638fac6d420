"""What happens in virtual exchange, published by its services (see accord.core.events).

An evaluation app can count virtual participation and send its surveys on ``ExchangeCompleted``
(each student's virtual mobility also publishes the mobilities' own ``MobilityCreated``);
notifications can tell the teachers on ``ExchangeAccepted`` and ``ScheduleChanged``.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.core.events import DomainEvent

if TYPE_CHECKING:
    from accord.virtual_exchange.models import Exchange, Proposal, VeCall


@dataclass(frozen=True)
class ProposalInvited(DomainEvent):
    """A teacher invited the other class of a proposal."""

    proposal: "Proposal"


@dataclass(frozen=True)
class ProposalDeclined(DomainEvent):
    """The invited teacher declined, with a reason."""

    proposal: "Proposal"


@dataclass(frozen=True)
class ExchangeEvent(DomainEvent):
    exchange: "Exchange"


@dataclass(frozen=True)
class ExchangeAccepted(ExchangeEvent):
    """The invited teacher accepted: the exchange exists, with its first schedule."""


@dataclass(frozen=True)
class ScheduleChanged(ExchangeEvent):
    """The exchange's weeks or synchronous sessions changed (its calendars changed with them)."""


@dataclass(frozen=True)
class ExchangeCompleted(ExchangeEvent):
    """The exchange ended; every student's virtual mobility is recorded (``mobility_ids``)."""

    mobility_ids: tuple[int, ...]


@dataclass(frozen=True)
class ExchangeCancelled(ExchangeEvent):
    """The exchange was cancelled before completion."""


@dataclass(frozen=True)
class CallMatched(DomainEvent):
    """A call's classes were paired (again): its proposals were replaced."""

    call: "VeCall"
    pairs: int
