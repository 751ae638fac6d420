"""Mobilities another system is the master of: copies received from a partner's EWP node.

A mobility received over EWP (``source="ewp"``) is the receiving institution's copy of a mobility the
sending institution's node owns. What the receiving side decides on it (accepting or rejecting the
nomination, signing or commenting a learning agreement proposal) must be accepted by that node first:
the copy only changes once the master has said yes, and is then refreshed from it. The mobilities app
knows nothing of EWP, so the EWP app registers one forwarder per act when it starts
(:func:`register`), and the services call :func:`forward` before recording the act.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from accord.core.errors import DomainError
from accord.mobilities.choices import MobilitySource

Forwarder = Callable[..., None]
_forwarders: dict[str, Forwarder] = {}


def register(act: str, forwarder: Forwarder) -> None:
    _forwarders[act] = forwarder


def is_copy(mobility) -> bool:
    return mobility.source == MobilitySource.EWP


def forward(mobility, act: str, **details: Any) -> None:
    """Have the master of ``mobility`` accept ``act`` before it is recorded here; a no-op for the
    mobilities Accord owns. The forwarder raises ``DomainError`` or ``Conflict`` with the master's
    answer when it refuses or cannot be reached, so that nothing is recorded."""
    if not is_copy(mobility):
        return
    forwarder = _forwarders.get(act)
    if forwarder is None:
        raise DomainError(
            _(
                "This mobility is managed by the sending institution's system, "
                "which does not take this action."
            )
        )
    forwarder(mobility, **details)
