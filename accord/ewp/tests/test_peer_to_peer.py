"""Two Accord nodes complete the IIA cycle over real HTTP on loopback, with no stand-in for either.

Node A is this test process (pytest-django's live server and test database). Node B is a second
Accord process (``manage.py runserver``) with its own SQLite database, its own key and the same
registry catalogue file, which lists both hosts, their HEIs, keys and IIA API URLs. The test acts on
B through ``manage.py shell`` (see ``peer.py``), as B's staff would through its UI.

A shares → A's outbox notifies B → B fetches A's IIA, maps it, creates its own copy and compares →
B shares its copy and approves A's (by A's hash) → B notifies A twice → A fetches B's copy and B's
approval, which matches the hash A serves, so A's agreement comes into effect → A approves B's copy
→ B fetches A's approval and its own copy comes into effect too.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from accord.agreements import services
from accord.agreements.choices import AgreementStatus, PartnerCopySource
from accord.algorithms.http_signature import generate_private_key, private_key_to_pem
from accord.ewp.keys import node_private_key
from accord.ewp.models import NotificationStatus, OutgoingNotification, ServedInstitution
from accord.ewp.outbox import send_due
from accord.ewp.tests.conftest import CatalogueHost
from accord.ewp.tests.peer import A_HEI, B_HEI
from accord.testing.factories import agreement_document, make_organisation, make_partnership, make_user

pytestmark = pytest.mark.usefixtures("transactional_db")
MANAGE = Path(django_settings.BASE_DIR) / "manage.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NodeB:
    def __init__(self, folder: Path, catalogue: Path, key_path: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'b.sqlite3'}",
            "ACCORD_VAR_DIR": str(folder),
            "ACCORD_EWP_PRIVATE_KEY": str(key_path),
            "ACCORD_EWP_REGISTRY_CATALOGUE": str(catalogue),
            "ACCORD_EWP_BASE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_BROKER_URL": "",
            "DEBUG": "1",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.port = port
        self.server: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def step(self, name: str) -> dict:
        output = self.manage("shell", "-c", f"from accord.ewp.tests.peer import main; main({name!r})")
        return json.loads(output.strip().splitlines()[-1])

    def start(self) -> None:
        self.manage("migrate", "--noinput", "--skip-checks")
        self.step("setup")
        self.server = subprocess.Popen(
            [
                sys.executable,
                str(MANAGE),
                "runserver",
                "--noreload",
                "--skip-checks",
                f"127.0.0.1:{self.port}",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            assert self.server.poll() is None, self.server.stderr.read().decode()[-3000:]
            time.sleep(0.2)
        raise AssertionError("node B did not start listening within a minute")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)


@pytest.fixture
def nodes(live_server, settings, tmp_path):
    """A (this process) and B (a subprocess), each with its own key, in one registry catalogue."""
    from accord.ewp.tests.conftest import catalogue_document

    a_key_path, b_key_path = tmp_path / "a-key.pem", tmp_path / "b-key.pem"
    a_key, b_key = generate_private_key(), generate_private_key()
    a_key_path.write_bytes(private_key_to_pem(a_key))
    b_key_path.write_bytes(private_key_to_pem(b_key))
    b = NodeB(tmp_path, tmp_path / "catalogue.xml", b_key_path, free_port())
    (tmp_path / "catalogue.xml").write_bytes(
        catalogue_document(
            CatalogueHost((A_HEI,), client_keys=(a_key,), server_keys=(a_key,), base_url=live_server.url),
            CatalogueHost((B_HEI,), client_keys=(b_key,), server_keys=(b_key,), base_url=b.url),
        )
    )
    settings.ACCORD_EWP_PRIVATE_KEY = a_key_path
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = str(tmp_path / "catalogue.xml")
    settings.ACCORD_EWP_BASE_URL = live_server.url
    assert node_private_key() is not None
    b.start()
    yield b
    b.stop()


def test_two_accord_nodes_agree_over_ewp(nodes):
    b = nodes
    # Node A: its institution, the partner in its directory, a coordinator, an agreement.
    a_org = make_organisation(name="Uniwersytet A", schac_code=A_HEI, country_code="PL")
    b_org = make_organisation(name="Universidad B", schac_code=B_HEI, country_code="ES")
    ServedInstitution.objects.create(organisation=a_org)
    coordinator = make_user("a-coordinator", organisation=a_org, role="coordinator")
    agreement = services.agreement_create(
        actor=coordinator,
        partnership=make_partnership(a_org, b_org),
        title="Physics exchange",
        content=agreement_document(a_org, b_org, mobilities_per_year=3),
    )

    # A shares: the notification is owed in the same transaction and sent once it commits (Celery
    # runs eagerly here), and B fetches A's IIA while handling it.
    services.agreement_share(actor=coordinator, agreement=agreement, version_number=1)
    (notification,) = OutgoingNotification.objects.all()
    assert notification.status == NotificationStatus.SENT, notification.last_error
    at_b = b.step("state")
    assert at_b["agreements"] == 1, at_b
    assert at_b["copy_remote_id"] == str(agreement.pk)
    assert at_b["copy_source"] == PartnerCopySource.EWP
    assert len(at_b["copy_remote_hash"]) == 64  # B recomputed A's hash and found it right
    assert at_b["same_conditions"] and at_b["differences"] == 0
    assert at_b["mobilities_per_year"] == 3
    assert at_b["status"] == AgreementStatus.DRAFT

    # B shares its copy and approves A's: B's node notifies A, which fetches B's copy and approval.
    at_b = b.step("approve")
    assert at_b["copy_approved_hash"] == at_b["copy_remote_hash"]
    assert sorted(at_b["outbox"]) == ["iia:sent", "iia_approval:sent"], at_b
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_EFFECT
    assert sorted(a.organisation.schac_code for a in agreement.current_version.approvals.all()) == [
        A_HEI,
        B_HEI,
    ]
    b_copy = agreement.partner_copies.get()
    assert b_copy.remote_id == str(at_b["id"])
    assert b_copy.remote_hash  # verified

    # A approves B's copy: B fetches A's approval, and B's copy comes into effect as well.
    services.partner_copy_approve(actor=coordinator, copy=b_copy, remote_hash=b_copy.remote_hash)
    assert send_due().sent == []  # already sent on commit
    at_b = b.step("state")
    assert at_b["status"] == AgreementStatus.IN_EFFECT, at_b
    assert at_b["approvals"] == [A_HEI, B_HEI]
    # Nothing is left owed on either side.
    assert not OutgoingNotification.objects.filter(status=NotificationStatus.PENDING).exists()
    assert all(status.endswith(":sent") for status in at_b["outbox"]), at_b

    # A amends (5 places instead of 3) and shares the amendment: B sees the difference, and its
    # approval of A's copy is outdated until B approves the new hash, which brings A's amendment
    # into effect.
    document = agreement_document(a_org, b_org, mobilities_per_year=5)
    services.agreement_update(actor=coordinator, agreement=agreement, content=document, base_version=1)
    services.agreement_share(actor=coordinator, agreement=agreement, version_number=2)
    at_b = b.step("state")
    assert at_b["differences"] and not at_b["same_conditions"], at_b
    assert at_b["copy_approved_hash"] != at_b["copy_remote_hash"]
    agreement.refresh_from_db()
    assert agreement.amendment_pending
    at_b = b.step("approve")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_EFFECT and not agreement.amendment_pending
    assert agreement.approved_version.number == 2
