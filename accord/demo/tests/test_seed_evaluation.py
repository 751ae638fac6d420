"""The demo's evaluation history: five academic years, the partnership dashboard shows them, and a
second run adds nothing."""

import pytest

from accord.accounts.models import User
from accord.demo.evaluation import PREFIX
from accord.demo.partnership import TITLE
from accord.demo.seed import seed_demo
from accord.evaluation.models import IndicatorBinding
from accord.mobilities.models import Mobility
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_five_years_of_history_on_the_partnership_dashboard(client):
    seed_demo()
    history = Mobility.objects.filter(participant__username__startswith=PREFIX)
    assert len(set(history.values_list("academic_year", flat=True))) == 5
    assert IndicatorBinding.objects.filter(definition="mobility.outgoing").exists()
    partnership = Partnership.objects.get(title=TITLE)
    client.force_login(User.objects.get(username="demo-coordinator"))
    page = client.get(f"/evaluation/partnerships/{partnership.pk}/").content.decode()
    assert "no-data" not in page
    count = history.count()
    seed_demo()
    assert Mobility.objects.filter(participant__username__startswith=PREFIX).count() == count
