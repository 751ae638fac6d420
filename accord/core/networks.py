"""Partner networks: other systems through which a partner institution takes part in an exchange.

A partner may decide on our students in Accord, or in its own system reached through a network such
as Erasmus Without Paper. Domain apps ask :func:`partner_on_network` which one applies; the adapter of
each network answers by registering a predicate in its ``AppConfig.ready()``, so the domain never
imports an adapter. A predicate may read a remote registry: ask it before opening a transaction,
never while rows are locked.
"""

from collections.abc import Callable
from typing import Any

# (sending institution, receiving institution) -> whether the receiver hears of the sender's
# mobilities through this network; organisations are passed as the domain's model instances.
PartnerPredicate = Callable[[Any, Any], bool]
_networks: dict[str, PartnerPredicate] = {}


def register(network: str, predicate: PartnerPredicate) -> None:
    _networks[network] = predicate


def partner_on_network(sender: Any, receiver: Any) -> bool:
    """Whether ``receiver`` learns of ``sender``'s mobilities through a registered network rather
    than in Accord itself; False when no network adapter is installed."""
    return any(predicate(sender, receiver) for predicate in _networks.values())
