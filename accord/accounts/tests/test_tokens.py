"""Personal API tokens: the profile page, the CLI, the API endpoints, and revoked tokens."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accord.accounts.models import ApiToken
from accord.accounts.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def auth(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


# --- profile page ---------------------------------------------------------------------------------


def test_profile_lists_tokens(client, personas):
    token, _secret = api_token_create(user=personas.teacher, name="Laptop script")
    api_token_create(user=personas.student, name="Someone else's")
    client.force_login(personas.teacher)
    page = client.get("/accounts/profile/").content.decode()
    assert "Laptop script" in page
    assert token.prefix in page
    assert "never" in page
    assert "Someone else" not in page


def test_create_shows_the_secret_once(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/accounts/profile/tokens/", {"name": "Nightly export"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    secret = re.search(r'value="(acc_[^"]+)"', body).group(1)
    assert "shown only this once" in body
    token = ApiToken.objects.get(user=personas.teacher)
    assert token.name == "Nightly export"
    assert client.get("/api/v1/me", headers=auth(secret)).json()["username"] == "teacher"
    assert secret not in client.get("/accounts/profile/").content.decode()


def test_create_with_htmx_returns_the_fragment(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/accounts/profile/tokens/", {"name": "htmx"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.startswith('<section id="tokens"')
    assert "acc_" in body


def test_a_token_needs_a_name(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/accounts/profile/tokens/", {"name": "  "})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_from_the_profile(client, personas):
    token, secret = api_token_create(user=personas.teacher, name="Old")
    client.force_login(personas.teacher)
    assert client.get(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 405
    response = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/me", headers=auth(secret)).status_code == 401


def test_nobody_revokes_another_persons_token(client, personas):
    token, _secret = api_token_create(user=personas.student, name="Mine")
    client.force_login(personas.teacher)
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- command line ---------------------------------------------------------------------------------


def test_create_api_token_command_prints_a_working_token(client, personas):
    out = StringIO()
    call_command("create_api_token", "coordinator", "--name", "cron", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("acc_")
    assert ApiToken.objects.get(user=personas.coordinator).name == "cron"
    response = client.get("/api/v1/me", headers=auth(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "coordinator"


def test_create_api_token_command_refuses_unknown_users(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("create_api_token", "ghost", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_create_api_token_command_refuses_deactivated_users(personas):
    personas.viewer.is_active = False
    personas.viewer.save()
    with pytest.raises(CommandError, match="deactivated"):
        call_command("create_api_token", "viewer", stdout=StringIO())


# --- API ------------------------------------------------------------------------------------------


def test_token_endpoints(client, personas):
    _token, secret = api_token_create(user=personas.teacher, name="first")
    created = client.post(
        "/api/v1/me/tokens", {"name": "second"}, content_type="application/json", headers=auth(secret)
    )
    assert created.status_code == 201
    second = created.json()
    assert second["token"].startswith("acc_")
    assert second["prefix"] == second["token"][:12]

    listed = client.get("/api/v1/me/tokens", headers=auth(secret)).json()
    assert {row["name"] for row in listed} == {"first", "second"}
    assert all("token" not in row for row in listed)

    revoked = client.post(f"/api/v1/me/tokens/{second['id']}/revoke", headers=auth(secret))
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    refused = client.get("/api/v1/me", headers=auth(second["token"]))
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"


def test_api_refuses_revoked_unknown_and_malformed_tokens(client, personas):
    token, secret = api_token_create(user=personas.teacher, name="t")
    api_token_revoke(user=personas.teacher, token_id=token.pk)
    for value in [secret, "acc_not-a-token", "garbage"]:
        assert client.get("/api/v1/me", headers=auth(value)).status_code == 401
    assert client.get("/api/v1/me", headers={"X-API-Key": secret}).status_code == 401


def test_tokens_of_deactivated_users_are_refused(client, personas):
    _token, secret = api_token_create(user=personas.teacher, name="t")
    personas.teacher.is_active = False
    personas.teacher.save()
    assert client.get("/api/v1/me", headers=auth(secret)).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token_through_the_api(client, personas):
    other, _ = api_token_create(user=personas.student, name="theirs")
    _token, secret = api_token_create(user=personas.teacher, name="mine")
    assert client.post(f"/api/v1/me/tokens/{other.pk}/revoke", headers=auth(secret)).status_code == 404
