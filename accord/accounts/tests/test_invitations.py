"""Inviting people by e-mail, accepting as an existing or a new user, and the refusals."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.accounts import services
from accord.accounts.choices import Role
from accord.accounts.models import Invitation, Membership, User, hash_secret
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(personas, django_capture_on_commit_callbacks):
    """Invite as the home admin, running the e-mail that is sent on commit."""

    def _invite(email="newcomer@example.org", role=Role.TEACHER, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_create(
                actor=actor or personas.admin, organisation=personas.home, email=email, role=role
            )

    return _invite


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/invitations/\S+/", message.body).group(0)


# --- creating -------------------------------------------------------------------------------------


def test_invitation_stores_only_the_hash_and_mails_the_link(personas, invite, mailoutbox, settings):
    settings.ACCORD_BASE_URL = "https://accord.example.edu/"
    settings.ACCORD_INVITATION_DAYS = 7
    invitation, secret = invite(email="  NewComer@Example.org ")
    assert invitation.email == "newcomer@example.org"
    assert invitation.secret_hash == hash_secret(secret)
    assert secret not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.invited_by == personas.admin
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["newcomer@example.org"]
    assert "Home University" in message.subject
    assert link_in(message) == f"https://accord.example.edu/accounts/invitations/{secret}/"
    assert "Academic coordinator / teacher" in message.body


@pytest.mark.parametrize(
    ("email", "role", "field", "message"),
    [
        ("not-an-address", Role.TEACHER, "email", "Enter a valid e-mail address."),
        ("", Role.TEACHER, "email", "Enter a valid e-mail address."),
        ("someone@example.org", "overlord", "role", "Choose one of the roles"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_sent(personas, invite, mailoutbox, email, role, field, message):
    with pytest.raises(ValidationFailed) as caught:
        invite(email=email, role=role)
    assert caught.value.field == field
    assert message in caught.value.errors[field][0]
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_existing_members_cannot_be_invited(personas, invite, mailoutbox):
    with pytest.raises(Conflict) as caught:
        invite(email="Student@example.org")
    assert caught.value.code == "already_member"
    assert caught.value.message == "student@example.org is already a member of this organisation."
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("persona", ["coordinator", "teacher", "partner", "outsider"])
def test_only_admins_invite(personas, invite, persona):
    with pytest.raises(PermissionDenied):
        invite(actor=personas.by_name(persona))
    assert not Invitation.objects.exists()


def test_platform_staff_may_invite(personas, invite):
    invitation, _secret = invite(actor=personas.platform_admin)
    assert invitation.is_open


def test_inviting_again_replaces_the_open_invitation(personas, invite):
    first, first_secret = invite()
    second, _secret = invite(role=Role.COORDINATOR)
    first.refresh_from_db()
    assert first.status == "revoked"
    assert second.is_open
    with pytest.raises(Conflict):
        services.invitation_accept_new_user(
            secret=first_secret, username="x", first_name="", last_name="", password="long-enough-pass-1"
        )


# --- accepting ------------------------------------------------------------------------------------


def test_a_new_person_creates_an_account_and_joins(client, personas, invite, mailoutbox):
    _invitation, _secret = invite()
    path = link_in(mailoutbox[0]).split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Join Home University" in body
    assert '<label for="id_username">Username</label>' in body

    weak = client.post(
        f"/{path}",
        {
            "username": "newcomer",
            "first_name": "Nia",
            "last_name": "Nowak",
            "password1": "123",
            "password2": "123",
        },
    )
    assert weak.status_code == 422
    assert "This password is too short" in weak.content.decode()
    assert not User.objects.filter(username="newcomer").exists()

    response = client.post(
        f"/{path}",
        {
            "username": "newcomer",
            "first_name": "Nia",
            "last_name": "Nowak",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.email == "newcomer@example.org"
    assert user.get_full_name() == "Nia Nowak"
    assert Membership.objects.get(user=user).role == Role.TEACHER
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Home University" in client.get("/accounts/dashboard/").content.decode()
    # The link is used up.
    used = client.get(f"/{path}")
    assert used.status_code == 410
    assert "This invitation has already been used." in used.content.decode()


def test_signup_refuses_a_taken_username_and_mismatched_passwords(client, personas, invite):
    _invitation, secret = invite()
    response = client.post(
        f"/accounts/invitations/{secret}/",
        {
            "username": "Teacher",
            "password1": "a-long-unusual-passphrase",
            "password2": "different-one-entirely",
        },
    )
    body = response.content.decode()
    assert "The two passwords differ." in body
    response = client.post(
        f"/accounts/invitations/{secret}/",
        {
            "username": "Teacher",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert "This username is taken" in response.content.decode()
    assert User.objects.count() == 8


def test_an_existing_user_signs_in_and_accepts(client, personas, invite):
    _invitation, secret = invite(email="partner@example.org", role=Role.VIEWER)
    anonymous = client.get(f"/accounts/invitations/{secret}/").content.decode()
    assert "Sign in to accept the invitation" in anonymous
    assert "id_password1" not in anonymous

    client.force_login(personas.partner)
    assert "Accept the invitation" in client.get(f"/accounts/invitations/{secret}/").content.decode()
    response = client.post(f"/accounts/invitations/{secret}/")
    assert response.url == "/accounts/dashboard/"
    membership = Membership.objects.get(user=personas.partner, organisation=personas.home)
    assert membership.role == Role.VIEWER
    # They keep their other organisation.
    assert personas.partner.memberships.count() == 2


def test_someone_else_cannot_accept(client, personas, invite):
    invitation, secret = invite(email="partner@example.org")
    client.force_login(personas.outsider)
    page = client.get(f"/accounts/invitations/{secret}/").content.decode()
    assert "You are signed in with another e-mail address" in page
    client.post(f"/accounts/invitations/{secret}/")
    assert not Membership.objects.filter(organisation=personas.home, user=personas.outsider).exists()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(actor=personas.outsider, secret=secret)
    invitation.refresh_from_db()
    assert invitation.is_open


def test_expired_invitations_are_refused_with_a_clear_message(client, personas, invite):
    invitation, secret = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(f"/accounts/invitations/{secret}/")
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    response = client.post(
        f"/accounts/invitations/{secret}/",
        {
            "username": "late",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 410
    assert not User.objects.filter(username="late").exists()


def test_revoked_invitations_are_refused(client, personas, invite):
    invitation, secret = invite()
    services.invitation_revoke(actor=personas.admin, invitation_id=invitation.pk)
    response = client.get(f"/accounts/invitations/{secret}/")
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_unknown_links_are_not_found(client, db):
    response = client.get("/accounts/invitations/not-a-real-secret/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()
    with pytest.raises(NotFound):
        services.invitation_accept_new_user(
            secret="nope", username="x", first_name="", last_name="", password="long-enough-pass-1"
        )


def test_accepting_never_changes_an_existing_role(personas, invite):
    user = make_user("late_joiner")
    _invitation, secret = invite(email="late_joiner@example.org", role=Role.VIEWER)
    Membership.objects.create(user=user, organisation=personas.home, role=Role.COORDINATOR)
    membership = services.invitation_accept(actor=user, secret=secret)
    assert membership.role == Role.COORDINATOR


# --- revoking -------------------------------------------------------------------------------------


def test_revoking_needs_the_right_to_manage_members(personas, invite):
    invitation, _secret = invite()
    with pytest.raises(NotFound):
        services.invitation_revoke(actor=personas.coordinator, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.is_open


def test_accepted_invitations_cannot_be_revoked(personas, invite):
    invitation, secret = invite(email="partner@example.org")
    services.invitation_accept(actor=personas.partner, secret=secret)
    with pytest.raises(Conflict):
        services.invitation_revoke(actor=personas.admin, invitation_id=invitation.pk)
