"""The partnerships' home-page panel: per partnership, its overdue action items as its log marks them,
only in partnerships the user sees."""

import datetime as dt

import pytest

from accord.partnerships.choices import ActionItemStatus
from accord.partnerships.dashboard import panel
from accord.partnerships.models import ActionItem

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 1)


def _item(partnership, owner, due, status=ActionItemStatus.OPEN):
    return ActionItem.objects.create(
        partnership=partnership, title=f"Due {due}", owner=owner, due_date=due, status=status
    )


def test_overdue_items_per_partnership_match_its_log(client, personas, partnership, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC))
    _item(partnership, personas.teacher, dt.date(2026, 4, 1))
    _item(partnership, personas.partner, dt.date(2026, 4, 20))
    _item(partnership, personas.teacher, dt.date(2026, 4, 2), status=ActionItemStatus.DONE)
    _item(partnership, personas.teacher, dt.date(2026, 5, 20))

    (item,) = panel(personas.coordinator, TODAY)
    assert item.label == "2 overdue action items in Vistula–Iberia Exchange"
    assert (item.deadline, item.overdue) == (dt.date(2026, 4, 1), True)
    client.force_login(personas.coordinator)
    log = client.get(item.url.split("#")[0]).content.decode()
    assert log.count('class="overdue"') == item.count
    assert panel(personas.partner, TODAY) == [item]
    assert panel(personas.outsider, TODAY) == []
