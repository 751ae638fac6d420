"""The outbox of change notifications: written with the change, sent to a real HTTP peer on loopback,
retried with backoff on 5xx and network errors, refused for good on 4xx, expired after a day."""

import io
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accord.agreements import services
from accord.core.errors import Conflict, PermissionDenied
from accord.ewp.models import NotificationKind, NotificationStatus, OutgoingNotification, ServedInstitution
from accord.ewp.notify.outbox import send_due
from accord.ewp.services import agreement_notify_partners
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost
from accord.ewp.tests.test_iias import partner_copy, shared_agreement

ERROR = (
    b'<error-response xmlns="https://github.com/erasmus-without-paper/ewp-specs-architecture/blob/'
    b'stable-v1/common-types.xsd"><developer-message>iia_id unknown here</developer-message></error-response>'
)


class Peer:
    """A partner's CNR receiver on loopback that answers with the statuses it is given, in turn."""

    def __init__(self):
        self.statuses: list[int] = []
        self.requests: list[tuple[str, dict, dict]] = []
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"] or 0)).decode()
                peer.requests.append((self.path, dict(self.headers), parse_qs(body)))
                status = peer.statuses.pop(0) if peer.statuses else 200
                content = b"<iia-cnr-response/>" if status < 400 else ERROR
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def peer():
    running = Peer()
    yield running
    running.server.shutdown()
    running.server.server_close()


@pytest.fixture
def node(personas, ewp_settings, node_key_pem, write_catalogue, peer):
    ewp_settings.ACCORD_EWP_PRIVATE_KEY = node_key_pem
    ServedInstitution.objects.create(organisation=personas.home)
    write_catalogue(CatalogueHost((PARTNER_HEI,), base_url=peer.url))
    return personas


def test_sharing_owes_the_partner_a_notification_in_the_same_transaction(node):
    agreement = shared_agreement(node)

    (notification,) = OutgoingNotification.objects.all()
    assert (notification.kind, notification.sender_hei_id, notification.partner_hei_id) == (
        NotificationKind.IIA,
        "home.example.edu",
        PARTNER_HEI,
    )
    assert notification.iia_id == str(agreement.pk)
    assert notification.expires_at - notification.next_attempt_at == timedelta(hours=24)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.agreement_terminate(actor=node.coordinator, agreement=agreement, reason="Closed")
        raise RuntimeError("the change is rolled back")
    assert OutgoingNotification.objects.count() == 1


def test_changes_while_a_notification_is_pending_make_no_second_one(node):
    agreement = shared_agreement(node)
    services.agreement_terminate(actor=node.coordinator, agreement=agreement, reason="Closed")

    assert OutgoingNotification.objects.count() == 1


def test_a_change_rolled_back_leaves_no_notification(node):
    with pytest.raises(RuntimeError), transaction.atomic():
        shared_agreement(node)
        assert OutgoingNotification.objects.count() == 1  # written by the event's subscriber
        raise RuntimeError("the change is rolled back")

    assert not OutgoingNotification.objects.exists()


def test_enqueueing_never_reads_the_registry_and_partners_outside_it_are_skipped(
    node, peer, write_catalogue, monkeypatch
):
    write_catalogue(CatalogueHost(("someone.else.edu",)))
    with monkeypatch.context() as patched:
        patched.setattr("accord.ewp.notify.outbox.get_catalogue", _registry_must_not_be_read)
        shared_agreement(node)

    report = send_due()

    (skipped,) = report.skipped
    assert skipped.status == NotificationStatus.SKIPPED
    assert skipped.last_error == f"no host of the registry covers {PARTNER_HEI}"
    assert peer.requests == []
    assert send_due(now=timezone.now() + timedelta(hours=1)).skipped == []


def _registry_must_not_be_read():
    raise AssertionError("the registry was read inside the domain's transaction")


def test_a_delivered_notification_is_signed_and_says_who_changed_what(node, peer):
    agreement = shared_agreement(node)

    report = send_due()

    assert [n.status for n in report.sent] == [NotificationStatus.SENT]
    ((path, headers, form),) = peer.requests
    assert path == "/ewp/iias/cnr"
    assert headers["Authorization"].startswith("Signature ")
    assert form == {"notifier_hei_id": ["home.example.edu"], "iia_id": [str(agreement.pk)]}
    assert OutgoingNotification.objects.get().status == NotificationStatus.SENT


def test_server_errors_are_retried_with_exponential_backoff_until_delivered(node, peer):
    shared_agreement(node)
    peer.statuses = [503, 502]
    now = timezone.now()

    send_due(now=now)
    first = OutgoingNotification.objects.get()
    assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 503)
    assert first.next_attempt_at == now + timedelta(minutes=1)
    assert send_due(now=now + timedelta(seconds=30)).retrying == []  # not due yet

    send_due(now=now + timedelta(minutes=1))
    second = OutgoingNotification.objects.get()
    assert second.next_attempt_at == now + timedelta(minutes=1) + timedelta(minutes=2)

    send_due(now=now + timedelta(minutes=3))
    assert OutgoingNotification.objects.get().status == NotificationStatus.SENT
    assert len(peer.requests) == 3


def test_a_refusal_is_not_retried(node, peer):
    shared_agreement(node)
    peer.statuses = [400]

    report = send_due()

    (failed,) = report.failed
    assert failed.status == NotificationStatus.FAILED
    assert failed.last_error == "HTTP 400: iia_id unknown here"
    assert send_due(now=timezone.now() + timedelta(hours=1)).failed == []
    assert len(peer.requests) == 1


def test_network_errors_are_retried_and_notifications_expire_after_a_day(node, peer, write_catalogue):
    shared_agreement(node)
    peer.server.shutdown()
    peer.server.server_close()  # nobody listens at the partner's address any more

    report = send_due()

    assert [n.status for n in report.retrying] == [NotificationStatus.PENDING]
    assert "Connection refused" in OutgoingNotification.objects.get().last_error
    assert send_due(now=timezone.now() + timedelta(hours=24, seconds=1)).expired == 1
    assert OutgoingNotification.objects.get().status == NotificationStatus.EXPIRED


def test_notify_again_brings_a_fresh_notification(node, peer):
    agreement = shared_agreement(node)
    copy = partner_copy(agreement, node)
    services.partner_copy_approve(actor=node.coordinator, copy=copy, remote_hash=copy.remote_hash)
    send_due()
    with pytest.raises(PermissionDenied):
        agreement_notify_partners(actor=node.partner, agreement=agreement)

    notifications = agreement_notify_partners(actor=node.coordinator, agreement=agreement)

    assert sorted((n.kind, n.iia_id) for n in notifications) == [
        (NotificationKind.IIA, str(agreement.pk)),
        (NotificationKind.IIA_APPROVAL, "their-1"),
    ]
    out = io.StringIO()
    call_command("ewp_send_outbox", stdout=out)
    assert "2 sent, 0 refused, 0 to retry, 0 expired, 0 not on EWP." in out.getvalue()
    approval_form = [form for path, _, form in peer.requests if path.endswith("/approval-cnr")][-1]
    assert approval_form == {
        "approving_hei_id": ["home.example.edu"],
        "owner_hei_id": [PARTNER_HEI],
        "iia_id": ["their-1"],
    }


def test_notify_again_needs_a_partner_on_the_network(node, write_catalogue):
    agreement = shared_agreement(node)
    write_catalogue(CatalogueHost(("someone.else.edu",)))

    with pytest.raises(Conflict, match="Erasmus Without Paper"):
        agreement_notify_partners(actor=node.coordinator, agreement=agreement)
