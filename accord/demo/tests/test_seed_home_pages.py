"""After ``seed_demo`` every demo persona's home page has something on it: work to do with its count,
or their own next step (each in the persona's own language, so the checks read links, not words)."""

import pytest

from accord.accounts.models import User
from accord.demo.seed import seed_demo

pytestmark = pytest.mark.django_db

TO_REVIEW = "applications/?status=submitted&amp;reviewed=no"
EXPECTED = {
    "demo-coordinator": ["#participants", TO_REVIEW, "#actions-heading"],
    "demo-partner": ['href="/mobilities/staff/"', 'href="/mobilities/#overdue"'],
    "demo-student": ["/propose/", "/exchanges/applications/"],
    "demo-teacher": [TO_REVIEW, "/staff/"],
    "demo-staff": ["#participants", 'href="/mobilities/#overdue"'],
}


def test_each_demo_persona_has_something_on_their_home_page(client):
    seed_demo()
    for username, links in EXPECTED.items():
        client.force_login(User.objects.get(username=username))
        page = client.get("/accounts/dashboard/").content.decode()
        assert 'class="home-items"' in page, username
        for link in links:
            assert link in page, (username, link)
