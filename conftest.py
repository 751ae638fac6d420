"""Persona fixtures shared by every app's tests.

``home`` is the organisation the personas work for, ``partner_org`` a second institution (later the
partner in partnerships), ``outsider_org`` a third with no relation to either. ``live_server`` is
pytest-django's, answering without Nagle's delay.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.test.testcases import LiveServerThread
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from accord.accounts.choices import Role
from accord.core.catalogues import compile_stale
from accord.testing.factories import make_organisation, make_user
from accord.testing.live_server import NoDelayWSGIServer

# Property tests check what holds, not how fast: on a shared two-core machine a slow example is noise
# (hypothesis would report it as a flaky failure). Speed is measured in benchmarks/.
hypothesis_settings.register_profile("accord", deadline=None)
hypothesis_settings.load_profile("accord")


def pytest_configure(config):
    """A bare ``pytest`` (without ``make test``) also reads current translations: compile stale ones."""
    compile_stale()


# Tests whose outcome cannot depend on the database backend: the pure cores (no database at all), the
# browser journeys (the pages they drive are tested on every backend by the view tests) and the local EWP
# network, whose two nodes keep their own SQLite files whatever the tests use. CI runs them in its SQLite
# pass and sets this variable for the PostgreSQL pass, so they do not run twice.
BACKEND_INDEPENDENT = ("accord/algorithms/", "tests/e2e/", "accord/ewp/tests/test_ewp_demo.py")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("ACCORD_SKIP_BACKEND_INDEPENDENT") != "1":
        return
    root = Path(str(config.rootpath))
    kept, deselected = [], []
    for item in items:
        relative = Path(str(item.path)).relative_to(root).as_posix()
        (deselected if relative.startswith(BACKEND_INDEPENDENT) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_report_header(config):
    if os.environ.get("ACCORD_SKIP_BACKEND_INDEPENDENT") == "1":
        return "backend-independent tests (pure cores, browser journeys) left out: they ran on SQLite"
    return None


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request made by the test client activates the
    language of the user or browser in the test's own thread, and it would stay for the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Personas:
    home: object
    partner_org: object
    outsider_org: object
    platform_admin: object
    admin: object
    coordinator: object
    teacher: object
    student: object
    viewer: object
    partner: object
    outsider: object

    def by_name(self, name: str):
        return getattr(self, name)


PERSONA_NAMES = (
    "platform_admin",
    "admin",
    "coordinator",
    "teacher",
    "student",
    "viewer",
    "partner",
    "outsider",
)


@pytest.fixture
def personas(db) -> Personas:
    home = make_organisation(name="Home University", schac_code="home.example.edu", country_code="PL")
    partner_org = make_organisation(
        name="Partner University", schac_code="partner.example.edu", country_code="ES"
    )
    outsider_org = make_organisation(
        name="Outsider College", schac_code="outsider.example.edu", country_code="FR"
    )
    return Personas(
        home=home,
        partner_org=partner_org,
        outsider_org=outsider_org,
        platform_admin=make_user("platform_admin", is_staff=True),
        admin=make_user("admin", organisation=home, role=Role.ADMIN),
        coordinator=make_user("coordinator", organisation=home, role=Role.COORDINATOR),
        teacher=make_user("teacher", organisation=home, role=Role.TEACHER),
        student=make_user("student", organisation=home, role=Role.STUDENT),
        viewer=make_user("viewer", organisation=home, role=Role.VIEWER),
        partner=make_user("partner", organisation=partner_org, role=Role.COORDINATOR),
        outsider=make_user("outsider", organisation=outsider_org, role=Role.COORDINATOR),
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashers cost ~0.3 s a user on purpose; tests create hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _live_server_without_nagle():
    with mock.patch.object(LiveServerThread, "server_class", NoDelayWSGIServer):
        yield


@pytest.fixture(scope="session")
def live_server(_live_server_without_nagle, live_server):
    """pytest-django's live server, answering without Nagle's delay (see accord.testing.live_server)."""
    return live_server
