"""The demo home university is served over EWP and its admin's EWP page shows an outbox and pulls."""

import pytest

from accord.accounts.models import User
from accord.demo import data
from accord.demo.ewp import seed_ewp
from accord.demo.seed import seed_demo
from accord.ewp.models import OutgoingNotification
from accord.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_admin_sees_the_home_universitys_ewp_node(client):
    seed_demo()
    spec = next(organisation for organisation in data.ORGANISATIONS if organisation.key == data.HOME_KEY)
    home = Organisation.objects.get(schac_code=spec.schac_code)
    client.force_login(User.objects.get(username="demo-admin"))

    profile = client.get(f"/organisations/{home.pk}/").content.decode()
    page = client.get(f"/ewp/node/{home.pk}/").content.decode()

    assert f"/ewp/node/{home.pk}/" in profile
    assert "0 waiting, 1 retrying, 1 given up" in page
    assert "Unknown iia_id TURIA-IIA-2026-07" in page and "Send again" in page
    assert "1 received" in page and "could not be reached" in page
    assert seed_ewp(home=home, partner=home) is False
    assert OutgoingNotification.objects.count() == 2
