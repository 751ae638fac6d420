"""Taking part in something that starts and ends: events any domain publishes so that others (the
surveys' pre- and post-participation questionnaires) react without being imported.

Mobilities already publish their own status changes; a virtual exchange, a programme or a course
that has participants publishes :class:`ParticipationStarted` when someone is confirmed and
:class:`ParticipationEnded` when they finish, from its service, inside its transaction
(see ``accord.core.events``).
"""

from dataclasses import dataclass
from typing import Any

from accord.core.events import DomainEvent


@dataclass(frozen=True)
class ParticipationEvent(DomainEvent):
    """``source`` names the kind of thing (``"virtual_exchange"``, ``"programme"``) and ``source_id``
    its participation record; ``organisation_id`` is the participant's own institution;
    ``audience`` is ``"student"`` or ``"staff"``; ``period`` the academic year (``"2026/2027"``)."""

    source: str
    source_id: int
    participant: Any
    organisation_id: int
    period: str
    audience: str = "student"
    partnership_id: int | None = None


@dataclass(frozen=True)
class ParticipationStarted(ParticipationEvent):
    """Someone was confirmed as a participant, before the activity begins."""


@dataclass(frozen=True)
class ParticipationEnded(ParticipationEvent):
    """Someone completed the activity."""
