"""Resetting a forgotten password by e-mail, and changing it while signed in."""

import re

import pytest

from accord.accounts.tests.conftest import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-long-passphrase-42"


def reset_link(message) -> str:
    match = re.search(r"https?://\S+/accounts/password-reset/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def test_reset_by_email_and_follow_the_link(client, personas, mailoutbox, settings):
    settings.ACCORD_BASE_URL = "https://accord.example.edu"
    page = client.get("/accounts/password-reset/")
    assert '<label for="id_email">' in page.content.decode()

    response = client.post("/accounts/password-reset/", {"email": "teacher@example.org"})
    assert response.status_code == 302
    assert response.url == "/accounts/password-reset/done/"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["teacher@example.org"]
    assert message.subject == "Reset your Accord password"
    link = reset_link(message)
    assert link.startswith("https://accord.example.edu/accounts/password-reset/")

    path = link.removeprefix("https://accord.example.edu")
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "password", "new_password2": "password"})
    assert "This password is too common" in weak.content.decode()

    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == "/accounts/password-reset/complete/"
    assert "Your new password is saved" in client.get(done.url).content.decode()

    assert sign_in(client, "teacher", NEW_PASSWORD).status_code == 302
    # The link works only once.
    assert "This link is not valid any more" in client.get(path, follow=True).content.decode()


def test_unknown_address_gets_the_same_answer_and_no_mail(client, db, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.url == "/accounts/password-reset/done/"
    assert mailoutbox == []


def test_change_password_while_signed_in(client, personas):
    client.force_login(personas.teacher)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.url == "/accounts/password/done/"
    assert client.get("/accounts/dashboard/").status_code == 200  # still signed in
    personas.teacher.refresh_from_db()
    assert personas.teacher.check_password(NEW_PASSWORD)


def test_password_change_needs_sign_in(client, db):
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
