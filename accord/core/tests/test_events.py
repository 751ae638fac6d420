"""The domain event bus: synchronous delivery in the publisher's transaction, base classes included."""

from dataclasses import FrozenInstanceError, dataclass

import pytest

from accord.core import events
from accord.core.events import DomainEvent, publish, subscribe


@dataclass(frozen=True)
class ThingHappened(DomainEvent):
    name: str


@dataclass(frozen=True)
class SpecialThingHappened(ThingHappened):
    detail: str


@pytest.fixture(autouse=True)
def isolated_bus(monkeypatch):
    monkeypatch.setattr(events, "_handlers", {})


def test_subscribers_hear_their_event_and_its_subclasses_most_general_first():
    heard = []
    subscribe(SpecialThingHappened, lambda event: heard.append(("special", event.detail)))
    subscribe(ThingHappened, lambda event: heard.append(("any", event.name)))

    publish(ThingHappened("plain"))
    publish(SpecialThingHappened("special", detail="extra"))

    assert heard == [("any", "plain"), ("any", "special"), ("special", "extra")]


def test_subscribing_twice_delivers_once():
    heard = []

    def handler(event):
        heard.append(event)

    subscribe(ThingHappened, handler)
    subscribe(ThingHappened, handler)
    publish(ThingHappened("once"))

    assert heard == [ThingHappened("once")]


def test_a_failing_subscriber_fails_the_publisher_and_nothing_is_swallowed():
    def broken(event):
        raise RuntimeError("cannot record")

    subscribe(ThingHappened, broken)

    with pytest.raises(RuntimeError, match="cannot record"):
        publish(ThingHappened("x"))


def test_events_are_immutable_and_events_nobody_hears_are_fine():
    event = ThingHappened("x")
    with pytest.raises(FrozenInstanceError):
        event.name = "y"  # type: ignore[misc]
    publish(event)
