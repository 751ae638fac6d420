"""Domain events: a domain says what happened, and whoever cares reacts, without the domain knowing them.

An event is a frozen dataclass that subclasses :class:`DomainEvent`, defined in the ``events.py`` of the
app it is about (``accord.agreements.events.AgreementVersionShared``). Services :func:`publish` events
after the change is written; adapters and other domains :func:`subscribe` handlers to them in their
``AppConfig.ready()``. A handler subscribed to a base class also receives its subclasses.

Delivery is synchronous, in the publisher's thread and transaction (docs/decisions/0010-domain-events.md):
a handler that writes (an EWP outbox row, a recomputed grant) commits or rolls back with the change
that caused it, and an exception in a handler fails the change. So handlers must be quick and must not
wait on the network: what is slow or remote they record and leave to ``transaction.on_commit`` or to a
Celery task. Events carry the saved model instances they are about, valid inside that transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

E = TypeVar("E", bound="DomainEvent")


@dataclass(frozen=True)
class DomainEvent:
    """The base of every domain event; subclasses name a fact in the past tense."""


Handler = Callable[[Any], None]
_handlers: dict[type[DomainEvent], list[Handler]] = {}


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call ``handler`` with every event of ``event_type`` (or a subclass) published from now on.

    Subscribing the same handler twice has no effect, so ``ready()`` may run more than once."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def publish(event: DomainEvent) -> None:
    """Deliver ``event`` to its subscribers now, most general event type first, each in the order
    they subscribed."""
    for event_type in reversed(type(event).__mro__):
        for handler in _handlers.get(event_type, ()):
            handler(event)


def subscribers(event_type: type[DomainEvent]) -> list[Handler]:
    """The handlers subscribed to exactly ``event_type``, for tests and for the architecture doc."""
    return list(_handlers.get(event_type, ()))
