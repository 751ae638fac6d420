"""Two-factor sign-in with an authenticator app (TOTP): set-up, the second sign-in step, turning off."""

import base64

import pytest
import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.accounts.tests.conftest import sign_in, totp_code
from accord.accounts.tokens import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_throttle(settings):
    """django-otp slows down guessing (1 s after a wrong code); tests that retry at once skip that."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def verified_session(client, user, device):
    sign_in(client, user.username)
    return client.post("/accounts/login/verify/", {"code": totp_code(device)})


# --- set-up -------------------------------------------------------------------------------------


def test_set_up_shows_a_qr_code_and_the_secret_then_confirms_with_a_code(client, personas, no_throttle):
    client.force_login(personas.coordinator)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Two-factor sign-in is off" in page
    assert not TOTPDevice.objects.exists()

    assert client.post("/accounts/two-factor/", {"action": "start"}).status_code == 302
    device = TOTPDevice.objects.get(user=personas.coordinator)
    assert device.confirmed is False
    page = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page
    assert 'id="manual-secret"' in page
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] in page

    wrong = client.post("/accounts/two-factor/", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 422
    assert "That code is not valid" in wrong.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False

    response = client.post("/accounts/two-factor/", {"action": "confirm", "code": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    # The session that confirmed the device counts as verified: no detour to the code page.
    assert client.get("/accounts/dashboard/").status_code == 200
    assert "Two-factor sign-in is on" in client.get("/accounts/two-factor/").content.decode()


def test_the_qr_code_encodes_the_otpauth_uri(personas):
    device = TOTPDevice.objects.create(user=personas.admin, name="Authenticator app", confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")
    assert "issuer=Accord" in device.config_url
    assert "<svg" in segno.make(device.config_url).svg_inline()


def test_starting_again_replaces_an_unconfirmed_device(client, personas):
    client.force_login(personas.teacher)
    client.post("/accounts/two-factor/", {"action": "start"})
    first = TOTPDevice.objects.get(user=personas.teacher)
    client.post("/accounts/two-factor/", {"action": "start"})
    assert list(TOTPDevice.objects.filter(user=personas.teacher)) != [first]
    assert TOTPDevice.objects.filter(user=personas.teacher).count() == 1


# --- signing in -----------------------------------------------------------------------------------


def test_password_then_code(client, personas, totp_device):
    response = sign_in(client, "admin")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/verify/")

    page = client.get(response.url)
    assert "Enter your code" in page.content.decode()

    response = client.post(response.url, {"code": totp_code(totp_device)})
    assert response.status_code == 302
    assert response.url == "/accounts/dashboard/"
    assert client.get("/accounts/dashboard/").status_code == 200


def test_until_verified_every_page_leads_to_the_code_step(client, personas, totp_device):
    sign_in(client, "admin")
    for path in ["/accounts/dashboard/", "/accounts/profile/", f"/organisations/{personas.home.pk}/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/verify/?next=")
    # Signing out still works, and so does the code page itself.
    assert client.get("/accounts/login/verify/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_unverified_session_is_anonymous_on_the_api_but_tokens_work(client, personas, totp_device):
    sign_in(client, "admin")
    assert client.get("/api/v1/me").status_code == 401
    _token, secret = api_token_create(user=personas.admin, name="script")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["username"] == "admin"


def test_a_wrong_code_is_refused_and_the_session_stays_unverified(client, personas, totp_device, no_throttle):
    sign_in(client, "admin")
    response = client.post("/accounts/login/verify/", {"code": "123456"})
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert client.get("/accounts/dashboard/").status_code == 302
    response = client.post("/accounts/login/verify/", {"code": "abc"})
    assert "That code is not valid" in response.content.decode()


def test_wrong_codes_slow_down_guessing(client, personas, totp_device):
    sign_in(client, "admin")
    client.post("/accounts/login/verify/", {"code": "123456"})
    response = client.post("/accounts/login/verify/", {"code": totp_code(totp_device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/accounts/dashboard/").status_code == 302


def test_a_code_cannot_be_used_twice(client, personas, totp_device, no_throttle):
    code = totp_code(totp_device)
    sign_in(client, "admin")
    assert client.post("/accounts/login/verify/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    sign_in(client, "admin")
    response = client.post("/accounts/login/verify/", {"code": code})
    assert "That code is not valid" in response.content.decode()


def test_verify_keeps_next_but_refuses_foreign_hosts(client, personas, totp_device):
    sign_in(client, "admin")
    response = client.post(
        "/accounts/login/verify/?next=https://evil.example/", {"code": totp_code(totp_device)}
    )
    assert response.url == "/accounts/dashboard/"


def test_users_without_a_device_sign_in_with_the_password_alone(client, personas, totp_device):
    assert sign_in(client, "coordinator").url == "/accounts/dashboard/"
    assert client.get("/accounts/dashboard/").status_code == 200
    assert client.get("/accounts/login/verify/").status_code == 302


# --- turning it off -------------------------------------------------------------------------------


def test_turning_off_needs_a_current_code(client, personas, totp_device, no_throttle):
    verified_session(client, personas.admin, totp_device)
    response = client.post("/accounts/two-factor/", {"action": "disable", "code": "000000"})
    assert response.status_code == 422
    assert "That code is not valid" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas.admin).exists()

    response = client.post(
        "/accounts/two-factor/", {"action": "disable", "code": totp_code(totp_device, steps_ahead=1)}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.admin).exists()
    assert client.get("/accounts/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    assert sign_in(client, "admin").url == "/accounts/dashboard/"
