"""The demo's virtual exchange after ``seed_demo``: classes on three continents, a planned exchange
with its schedule, a completed one whose students hold virtual mobilities, and an invitation waiting
on the teacher's home page."""

import pytest
from django.urls import reverse

from accord.accounts.models import User
from accord.demo.seed import seed_demo
from accord.demo.virtual_exchange import TITLE
from accord.mobilities.choices import MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.partnerships.models import Partnership
from accord.virtual_exchange.models import ClassProfile, Exchange

pytestmark = pytest.mark.django_db


def test_the_demo_shows_classes_exchanges_and_virtual_mobilities(client):
    seed_demo()
    zones = set(ClassProfile.objects.values_list("time_zone", flat=True))
    assert {"Europe/Warsaw", "America/Santiago", "Asia/Tokyo"} <= zones
    planned = Exchange.objects.get(status="planned")
    assert planned.sessions.exists() and planned.tasks.exists()
    completed = Exchange.objects.get(status="completed")
    virtual = Mobility.objects.filter(source=MobilitySource.VIRTUAL_EXCHANGE)
    assert virtual.count() == completed.students.count() == 3
    assert {m.mobility_type for m in virtual} == {MobilityType.VIRTUAL}
    assert {m.status for m in virtual} == {MobilityStatus.COMPLETED}

    client.force_login(User.objects.get(username="demo-teacher"))
    home = client.get(reverse("accounts:dashboard")).content.decode()
    assert "virtual exchange invitation" in home
    assert client.get(f"/virtual-exchange/exchanges/{planned.pk}/").status_code == 200
    client.force_login(User.objects.get(username="demo-ve-mapocho"))
    assert (
        client.get(f"/virtual-exchange/exchanges/{planned.pk}/calendar/{planned.second_id}.ics").status_code
        == 200
    )

    assert seed_demo().users_created == 0
    assert Partnership.objects.filter(title=TITLE).count() == 1
