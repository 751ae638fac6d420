"""The dashboard: memberships with roles and links, invitations waiting, and the 2FA nudge."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.accounts import services
from accord.accounts.choices import Role
from accord.accounts.models import Membership
from accord.testing.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_memberships_roles_and_links(client, personas):
    client.force_login(personas.admin)
    page = client.get("/accounts/dashboard/").content.decode()
    assert "Home University" in page
    assert "Organisation admin" in page
    assert f'href="/organisations/{personas.home.pk}/"' in page
    assert f'href="/accounts/organisations/{personas.home.pk}/members/"' in page
    assert 'href="/accounts/profile/#tokens"' in page
    assert 'href="/organisations/"' in page


def test_non_admins_get_no_members_link(client, personas):
    client.force_login(personas.teacher)
    page = client.get("/accounts/dashboard/").content.decode()
    assert "Academic coordinator / teacher" in page
    assert "/members/" not in page


@pytest.mark.parametrize(("persona", "nudged"), [("admin", True), ("coordinator", True), ("teacher", False)])
def test_managers_are_nudged_to_turn_on_two_factor(client, personas, persona, nudged):
    client.force_login(personas.by_name(persona))
    page = client.get("/accounts/dashboard/").content.decode()
    assert ("protect your account with two-factor sign-in" in page) is nudged


def test_no_nudge_once_two_factor_is_on(client, personas):
    device = TOTPDevice.objects.create(user=personas.coordinator, name="app", confirmed=True)
    client.force_login(personas.coordinator)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # what django_otp.login stores once verified
    session.save()
    page = client.get("/accounts/dashboard/").content.decode()
    assert "protect your account" not in page
    assert "<strong>on</strong>" in page


def test_pending_invitations_for_my_email(client, personas):
    services.invitation_create(
        actor=personas.admin, organisation=personas.home, email="PARTNER@example.org", role=Role.VIEWER
    )
    client.force_login(personas.partner)
    page = client.get("/accounts/dashboard/").content.decode()
    assert "Invitations waiting for you" in page
    assert "Home University invites you as Viewer" in page


def test_query_count_is_small_and_constant(client, personas):
    client.force_login(personas.coordinator)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/accounts/dashboard/").status_code == 200
    for number in range(6):
        joined = make_organisation(name=f"Extra {number}")
        Membership.objects.create(user=personas.coordinator, organisation=joined, role=Role.COORDINATOR)
        inviting = make_organisation(name=f"Inviting {number}")
        services.invitation_create(
            actor=personas.platform_admin,
            organisation=inviting,
            email="coordinator@example.org",
            role="viewer",
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/accounts/dashboard/").content.decode()
    assert "Extra 5" in page
    assert "Inviting 5" in page
    # 20 before the funding, surveys and virtual exchange panels, which cost one query each at most.
    assert len(many) == len(one) <= 23, [q["sql"] for q in many.captured_queries]
