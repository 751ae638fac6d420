"""Shared set-up: a partnership coordinated by the home organisation with partner_org as partner."""

import pytest

from accord.testing.factories import make_partnership


@pytest.fixture
def partnership(personas):
    return make_partnership(personas.home, personas.partner_org, title="Vistula–Iberia Exchange")
