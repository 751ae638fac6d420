"""The demo staff mobilities: one teaching stay under way, one training stay completed with its
certificate, seen by the teacher and the coordinator on the staff mobility page; seeded once."""

import pytest

from accord.accounts.choices import Role
from accord.demo.staff_mobility import seed_staff_mobilities
from accord.mobilities.models import Mobility, StaffCertificate
from accord.testing.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_staff_mobilities_are_seeded_once_and_visible(client):
    home = make_organisation(name="Aurora University", schac_code="aurora.example.edu", country_code="PL")
    partner = make_organisation(name="Turia University", schac_code="turia.example.edu", country_code="ES")
    users = {
        "demo-teacher": make_user("demo-teacher", organisation=home, role=Role.TEACHER),
        "demo-coordinator": make_user("demo-coordinator", organisation=home, role=Role.COORDINATOR),
        "demo-partner": make_user("demo-partner", organisation=partner, role=Role.COORDINATOR),
    }
    assert seed_staff_mobilities(home=home, partner=partner, users=users) == 2
    assert seed_staff_mobilities(home=home, partner=partner, users=users) == 0
    statuses = dict(Mobility.objects.values_list("mobility_type", "status"))
    assert statuses == {"staff_teaching": "ongoing", "staff_training": "completed"}
    assert StaffCertificate.objects.get().mobility.mobility_type == "staff_training"
    for username in ("demo-teacher", "demo-coordinator"):
        client.force_login(users[username])
        page = client.get("/mobilities/staff/").content.decode()
        assert "certifies the attendance at the end of the stay" in page
        assert "the certificate of attendance can be downloaded" in page
