"""Helpers for the accounts tests: real TOTP codes, password sign-in through the login page."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.testing.factories import PASSWORD


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or ``steps_ahead`` time steps later, within tolerance)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, identifier: str, password: str = PASSWORD, **extra):
    """Post the login form as a browser would (axes needs the request, so no ``client.login``)."""
    return client.post("/accounts/login/", {"username": identifier, "password": password, **extra})


@pytest.fixture
def totp_device(personas):
    """The home organisation's admin has a confirmed authenticator app."""
    return TOTPDevice.objects.create(user=personas.admin, name="Authenticator app", confirmed=True)
