"""The demo funding: a funded call with an Erasmus+ budget and a foundation co-funder, grants for its
mobilities, one recomputed after its dates changed, and payments; seeded once."""

import pytest

from accord.accounts.choices import Role
from accord.demo.funding import seed_funding
from accord.demo.staff_mobility import seed_staff_mobilities
from accord.funding.models import Budget, Grant, GrantRecalculation, Payment
from accord.testing.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_funding_is_seeded_once(client):
    home = make_organisation(
        name="Aurora University", schac_code="aurora.example.edu", country_code="PL", city_geonameid=3094802
    )
    partner = make_organisation(
        name="Turia University", schac_code="turia.example.edu", country_code="ES", city_geonameid=2509954
    )
    users = {
        name: make_user(name, organisation=organisation, role=role)
        for name, organisation, role in [
            ("demo-admin", home, Role.ADMIN),
            ("demo-coordinator", home, Role.COORDINATOR),
            ("demo-teacher", home, Role.TEACHER),
            ("demo-student", home, Role.STUDENT),
            ("demo-partner", partner, Role.COORDINATOR),
        ]
    }
    seed_staff_mobilities(home=home, partner=partner, users=users)

    def ensure(demo, organisation):
        return make_user(demo.username, organisation=organisation, role=demo.role, first_name=demo.first_name)

    assert seed_funding(home=home, partner=partner, users=users, ensure=ensure) is True
    assert seed_funding(home=home, partner=partner, users=users, ensure=ensure) is False
    assert Budget.objects.count() == 2
    assert Grant.objects.count() == 3
    recalculation = GrantRecalculation.objects.get()
    assert recalculation.new_total < recalculation.old_total
    assert Payment.objects.count() == 3
    student_grant = Grant.objects.get(mobility__participant__username="demo-funded-student")
    assert student_grant.shares.count() == 2
    client.force_login(student_grant.mobility.participant)
    page = client.get(f"/funding/grants/{student_grant.pk}/").content.decode()
    assert "Recalculations" in page and "still to pay" in page
