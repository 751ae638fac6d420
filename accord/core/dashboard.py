"""The home page's panels: what needs the signed-in person now, gathered from every domain.

The accounts app renders the home page but sits below the domains, so it cannot ask them. Each domain
app instead registers one panel in its ``AppConfig.ready()`` (:func:`register`): a callable
``(user, today) -> list[DashboardItem]`` that reads through the app's own selectors, scoped to the user,
and answers in a bounded number of queries however many items there are. An item either counts work
waiting for the user ("3 learning agreements to sign", linking to the list that shows exactly those)
or tells a participant the next step of their own application or mobility.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any


class Urgency(IntEnum):
    """How soon the item wants attention; the page lists the most urgent first."""

    OVERDUE = 0
    SOON = 1
    WAITING = 2


@dataclass(frozen=True)
class DashboardItem:
    """``label`` is a whole sentence ("2 nominations to decide"); ``count`` is None for an item about
    the user's own journey, whose ``detail`` says the next step."""

    label: str
    url: str
    count: int | None = None
    deadline: date | None = None
    urgency: Urgency = Urgency.WAITING
    detail: str = ""

    @property
    def mine(self) -> bool:
        return self.count is None

    @property
    def overdue(self) -> bool:
        return self.urgency == Urgency.OVERDUE


Panel = Callable[[Any, date], list[DashboardItem]]
_panels: dict[str, Panel] = {}


def register(name: str, panel: Panel) -> None:
    _panels[name] = panel


def items_for(user: Any, today: date) -> list[DashboardItem]:
    """Every registered panel's items for ``user``, most urgent and soonest due first."""
    items = [item for panel in _panels.values() for item in panel(user, today)]
    return sorted(items, key=lambda item: (item.urgency, item.deadline or date.max))


def urgency_of(deadline: date | None, today: date, *, soon_days: int = 14) -> Urgency:
    if deadline is None:
        return Urgency.WAITING
    if deadline < today:
        return Urgency.OVERDUE
    return Urgency.SOON if (deadline - today).days <= soon_days else Urgency.WAITING
