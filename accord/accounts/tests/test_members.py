"""The members page: who may open it, inviting from it, changing roles, removing, the last admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.accounts import services
from accord.accounts.access import Action, may
from accord.accounts.choices import Role
from accord.accounts.models import Invitation, Membership
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.testing.factories import make_user
from conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db

# What the home organisation's members page answers to each persona.
EXPECTED_STATUS = {
    "platform_admin": 200,
    "admin": 200,
    "coordinator": 403,
    "teacher": 403,
    "student": 403,
    "viewer": 403,
    "partner": 404,
    "outsider": 404,
}


def members_url(personas) -> str:
    return f"/accounts/organisations/{personas.home.pk}/members/"


def membership(personas, persona: str) -> Membership:
    return Membership.objects.get(user=personas.by_name(persona), organisation=personas.home)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_who_may_open_the_members_page(client, personas, persona):
    client.force_login(personas.by_name(persona))
    assert client.get(members_url(personas)).status_code == EXPECTED_STATUS[persona]


def test_missing_organisation_is_not_found(client, personas):
    client.force_login(personas.admin)
    assert client.get("/accounts/organisations/999999/members/").status_code == 404


def test_members_page_lists_members_and_open_invitations(client, personas):
    services.invitation_create(
        actor=personas.admin, organisation=personas.home, email="soon@example.org", role=Role.STUDENT
    )
    client.force_login(personas.admin)
    page = client.get(members_url(personas)).content.decode()
    for username in ["admin", "coordinator", "teacher", "student", "viewer"]:
        assert f"{username}@example.org" in page
    assert "partner@example.org" not in page
    assert "soon@example.org" in page
    assert '<label for="id_email">' in page


def test_members_page_query_count_does_not_grow_with_members(client, personas):
    client.force_login(personas.admin)
    with CaptureQueriesContext(connection) as few:
        client.get(members_url(personas))
    for number in range(5):
        make_user(f"extra{number}", organisation=personas.home, role=Role.STUDENT)
        services.invitation_create(
            actor=personas.admin, organisation=personas.home, email=f"i{number}@example.org", role="viewer"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(members_url(personas))
    assert len(many) == len(few) <= 12


def test_inviting_from_the_page(client, personas, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(members_url(personas), {"email": "new@example.org", "role": Role.TEACHER})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert Invitation.objects.get().email == "new@example.org"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "role": Role.TEACHER}, "Enter a valid e-mail address."),
        ({"email": "teacher@example.org", "role": Role.TEACHER}, "is already a member of this organisation"),
        ({"email": "x@example.org", "role": "overlord"}, "Select a valid choice"),
    ],
)
def test_invitation_errors_are_shown_next_to_the_fields(client, personas, mailoutbox, data, message):
    client.force_login(personas.admin)
    response = client.post(members_url(personas), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'class="errorlist"' in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_coordinators_cannot_invite_from_the_page(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(members_url(personas), {"email": "new@example.org", "role": Role.ADMIN})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_revoking_from_the_page(client, personas):
    invitation, _secret = services.invitation_create(
        actor=personas.admin, organisation=personas.home, email="soon@example.org", role=Role.STUDENT
    )
    client.force_login(personas.admin)
    url = f"/accounts/organisations/{personas.home.pk}/invitations/{invitation.pk}/revoke/"
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "its link no longer works" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_changing_a_role(client, personas):
    client.force_login(personas.admin)
    target = membership(personas, "teacher")
    url = f"/accounts/organisations/{personas.home.pk}/members/{target.pk}/role/"
    response = client.post(url, {"role": Role.COORDINATOR, "version": 1}, follow=True)
    assert "The role is changed." in response.content.decode()
    target.refresh_from_db()
    assert (target.role, target.version, target.updated_by) == (Role.COORDINATOR, 2, personas.admin)

    response = client.post(url, {"role": "overlord", "version": 2}, follow=True)
    assert "Choose one of the roles" in response.content.decode()
    target.refresh_from_db()
    assert target.role == Role.COORDINATOR


def test_removing_a_member(client, personas):
    client.force_login(personas.admin)
    target = membership(personas, "student")
    response = client.post(
        f"/accounts/organisations/{personas.home.pk}/members/{target.pk}/remove/",
        {"version": target.version},
        follow=True,
    )
    assert "The member is removed" in response.content.decode()
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_the_last_admin_can_be_neither_demoted_nor_removed(client, personas):
    client.force_login(personas.admin)
    own = membership(personas, "admin")
    for action, data in [("role", {"role": Role.VIEWER, "version": 1}), ("remove", {"version": 1})]:
        response = client.post(
            f"/accounts/organisations/{personas.home.pk}/members/{own.pk}/{action}/", data, follow=True
        )
        assert "An organisation needs at least one admin." in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMIN

    with pytest.raises(Conflict) as caught:
        services.membership_remove(actor=personas.admin, membership_id=own.pk)
    assert caught.value.code == "last_admin"


def test_with_a_second_admin_the_first_may_step_down(personas):
    second = membership(personas, "coordinator")
    services.membership_change_role(actor=personas.admin, membership_id=second.pk, role=Role.ADMIN)
    own = membership(personas, "admin")
    services.membership_change_role(actor=personas.admin, membership_id=own.pk, role=Role.COORDINATOR)
    own.refresh_from_db()
    assert own.role == Role.COORDINATOR
    # Now only the former coordinator is admin, and is protected in turn.
    with pytest.raises(Conflict):
        services.membership_remove(actor=personas.coordinator, membership_id=second.pk)


def test_members_of_other_organisations_are_out_of_reach(personas):
    foreign = Membership.objects.get(user=personas.partner)
    with pytest.raises(NotFound):
        services.membership_remove(actor=personas.admin, membership_id=foreign.pk)
    with pytest.raises(NotFound):
        services.membership_change_role(actor=personas.admin, membership_id=foreign.pk, role=Role.VIEWER)
    with pytest.raises(ValidationFailed):
        services.membership_change_role(actor=personas.admin, membership_id=foreign.pk, role="overlord")
    assert Membership.objects.filter(pk=foreign.pk, role=Role.COORDINATOR).exists()


def test_non_admins_cannot_change_roles(client, personas):
    client.force_login(personas.coordinator)
    target = membership(personas, "teacher")
    response = client.post(
        f"/accounts/organisations/{personas.home.pk}/members/{target.pk}/role/", {"role": Role.ADMIN}
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.TEACHER


def test_an_admin_demoted_since_the_request_began_cannot_remove_anyone(personas):
    """The roles read at the start of a request are checked again under the membership lock."""
    second_admin = make_user("second_admin", organisation=personas.home, role=Role.ADMIN)
    assert may(personas.admin, Action.MANAGE_MEMBERS, personas.home.pk)  # cached for the request
    Membership.objects.filter(user=personas.admin).update(role=Role.VIEWER)
    target = Membership.objects.get(user=second_admin)
    with pytest.raises(PermissionDenied, match="no longer an admin"):
        services.membership_remove(actor=personas.admin, membership_id=target.pk)
    assert Membership.objects.filter(pk=target.pk).exists()


def test_the_invitation_form_creates_once_however_often_it_is_sent(client, personas):
    client.force_login(personas.admin)
    assert 'name="_idempotency_key"' in client.get(members_url(personas)).content.decode()


def test_a_member_changed_since_the_page_was_opened_is_neither_changed_nor_removed(client, personas):
    """Two admins on one members page: the second one's change, made from the page as it was, is
    refused with who changed the member; a form without its version changes nothing either."""
    second_admin = make_user("second_admin", organisation=personas.home, role=Role.ADMIN)
    target = membership(personas, "teacher")
    services.membership_change_role(
        actor=second_admin, membership_id=target.pk, role=Role.COORDINATOR, expected_version=1
    )
    client.force_login(personas.admin)
    base = f"/accounts/organisations/{personas.home.pk}/members/{target.pk}"
    for action, data in [("role", {"role": Role.VIEWER, "version": 1}), ("remove", {"version": 1})]:
        html = client.post(f"{base}/{action}/", data, follow=True).content.decode()
        assert "second_admin changed this" in html and "since you opened it" in html
    html = client.post(f"{base}/role/", {"role": Role.VIEWER}, follow=True).content.decode()
    assert "no longer says which version" in html
    target.refresh_from_db()
    assert (target.role, target.version) == (Role.COORDINATOR, 2)
