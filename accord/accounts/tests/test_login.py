"""Signing in with a username or an e-mail, and the lock after repeated failures (django-axes)."""

import pytest
from axes.models import AccessAttempt

from accord.accounts.tests.conftest import sign_in

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_with_username(client, personas):
    response = sign_in(client, "teacher")
    assert response.status_code == 302
    assert response.url == "/accounts/dashboard/"
    assert client.session["_auth_user_id"] == str(personas.teacher.pk)


def test_sign_in_with_email_in_any_case(client, personas):
    response = sign_in(client, "Teacher@Example.org")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.teacher.pk)


def test_wrong_password_is_explained_next_to_the_form(client, personas):
    response = sign_in(client, "teacher@example.org", WRONG)
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert not is_signed_in(client)


def test_login_page_labels_its_fields(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">Username or e-mail</label>' in page
    assert '<label for="id_password">' in page


def test_next_parameter_is_honoured(client, personas):
    response = sign_in(client, "teacher", next="/accounts/profile/")
    assert response.url == "/accounts/profile/"


def test_sixth_attempt_is_refused_even_with_the_right_password(client, personas):
    for _ in range(4):
        assert sign_in(client, "teacher", WRONG).status_code == 200
    assert sign_in(client, "teacher", WRONG).status_code == 429  # the fifth failure locks
    response = sign_in(client, "teacher")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not is_signed_in(client)


def test_username_and_email_share_one_failure_counter(client, personas):
    for identifier in ["teacher", "teacher@example.org", "TEACHER@example.org", "teacher", "teacher"]:
        sign_in(client, identifier, WRONG)
    response = sign_in(client, "teacher@example.org")
    assert response.status_code == 429
    assert not is_signed_in(client)


def test_a_successful_sign_in_resets_the_counter(client, personas):
    for _ in range(4):
        sign_in(client, "teacher", WRONG)
    assert sign_in(client, "teacher").status_code == 302
    assert AccessAttempt.objects.filter(username="teacher").count() == 0
    client.post("/accounts/logout/")
    for _ in range(4):
        sign_in(client, "teacher", WRONG)
    assert sign_in(client, "teacher").status_code == 302
    assert is_signed_in(client)


def test_the_lock_is_per_account(client, personas):
    for _ in range(5):
        sign_in(client, "teacher", WRONG)
    assert sign_in(client, "student").status_code == 302
