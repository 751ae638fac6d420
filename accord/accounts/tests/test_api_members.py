"""The memberships API: members and invitations of an organisation, for its admins."""

import pytest

from accord.accounts.choices import Role
from accord.accounts.models import Invitation
from accord.accounts.tokens import api_token_create

pytestmark = pytest.mark.django_db

BASE = "/api/v1/memberships"


def bearer(user) -> dict:
    _token, secret = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def test_admin_lists_members(client, personas):
    response = client.get(f"{BASE}/organisations/{personas.home.pk}/members", headers=bearer(personas.admin))
    assert response.status_code == 200
    rows = {row["username"]: row for row in response.json()}
    assert set(rows) == {"admin", "coordinator", "teacher", "student", "viewer"}
    assert rows["teacher"]["role"] == Role.TEACHER
    assert rows["teacher"]["email"] == "teacher@example.org"


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 403), ("student", 403), ("partner", 404)])
def test_others_are_refused(client, personas, persona, status):
    response = client.get(
        f"{BASE}/organisations/{personas.home.pk}/members", headers=bearer(personas.by_name(persona))
    )
    assert response.status_code == status
    assert response.json()["code"] == {403: "permission_denied", 404: "not_found"}[status]


def test_anonymous_is_unauthenticated(client, personas):
    response = client.get(f"{BASE}/organisations/{personas.home.pk}/members")
    assert response.status_code == 401


def test_invite_list_and_revoke(client, personas, mailoutbox, django_capture_on_commit_callbacks):
    headers = bearer(personas.admin)
    url = f"{BASE}/organisations/{personas.home.pk}/invitations"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"email": "New@Example.org", "role": "teacher"},
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["email"] == "new@example.org"
    assert created["status"] == "open"
    assert created["invited_by"] == "admin"
    assert "secret" not in created and "secret_hash" not in created
    assert len(mailoutbox) == 1

    listed = client.get(url, headers=headers).json()
    assert [row["id"] for row in listed] == [created["id"]]

    revoked = client.post(f"{BASE}/invitations/{created['id']}/revoke", headers=headers)
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert client.get(url, headers=headers).json() == []


@pytest.mark.parametrize(
    ("payload", "status", "code", "field"),
    [
        ({"email": "nope", "role": "teacher"}, 422, "validation_failed", "email"),
        ({"email": "a@example.org", "role": "overlord"}, 422, "validation_failed", "role"),
        ({"email": "student@example.org", "role": "teacher"}, 409, "already_member", "email"),
    ],
)
def test_invitation_refusals(client, personas, mailoutbox, payload, status, code, field):
    response = client.post(
        f"{BASE}/organisations/{personas.home.pk}/invitations",
        payload,
        content_type="application/json",
        headers=bearer(personas.admin),
    )
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["field"] == field
    assert body["message"]
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_coordinators_cannot_invite_or_revoke(client, personas):
    from accord.accounts import services

    invitation, _secret = services.invitation_create(
        actor=personas.admin, organisation=personas.home, email="x@example.org", role="viewer"
    )
    headers = bearer(personas.coordinator)
    response = client.post(
        f"{BASE}/organisations/{personas.home.pk}/invitations",
        {"email": "y@example.org", "role": "admin"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert client.post(f"{BASE}/invitations/{invitation.pk}/revoke", headers=headers).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_open
