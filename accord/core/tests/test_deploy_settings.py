"""A production configuration passes Django's deployment checklist without a single warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#k2!pQz9$Lw4@vB8^nR3&tY6*uM1%eH5(oJ0)cF2_sD7+gA4-iK9=lZ3~qW8",
    "ALLOWED_HOSTS": "accord.example.edu",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args: str, env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    # A production shell has none of the test run's own settings.
    leaked = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {key: value for key, value in os.environ.items() if key not in leaked}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_boolean_is_named(value):
    result = run_manage("check", env_overrides={"DEBUG": value})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr
