"""The EWP page of an institution: who may open it, and every state it shows from real rows and files
(served or not, keys and their rotation, the registry's view, partners, the outbox with retries, the
last pulls, IIA files, the self-test), with the queries it costs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.agreements import services as agreement_services
from accord.algorithms.ewp.http_signature import key_id
from accord.core.models import Job
from accord.ewp.models import (
    IiaPull,
    MobilityPull,
    NotificationKind,
    NotificationStatus,
    OutgoingNotification,
    ServedInstitution,
)
from accord.ewp.node import keys
from accord.ewp.page import selectors
from accord.ewp.tasks import SELFTEST_JOB
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost
from accord.testing.factories import agreement_document, make_partnership

HOME = "home.example.edu"


@pytest.fixture
def node(personas, ewp_settings, tmp_path):
    ewp_settings.ACCORD_EWP_PRIVATE_KEY = tmp_path / "keys" / "node-key.pem"
    ServedInstitution.objects.create(organisation=personas.home)
    make_partnership(personas.home, personas.partner_org)
    return personas


def url(personas, name="ewp:page", *args) -> str:
    return reverse(name, args=[personas.home.pk, *args])


def notification(status, *, attempts=0, code=None, error="", iia_id="1", **fields) -> OutgoingNotification:
    now = timezone.now()
    return OutgoingNotification.objects.create(
        kind=NotificationKind.IIA,
        sender_hei_id=HOME,
        partner_hei_id=PARTNER_HEI,
        iia_id=iia_id,
        status=status,
        attempts=attempts,
        next_attempt_at=fields.pop("next_attempt_at", now),
        expires_at=now + timedelta(hours=24),
        last_status_code=code,
        last_error=error,
        **fields,
    )


# --- who may open it ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    # Everyone signed in sees the directory entry; only its admins (and platform staff) run its node.
    [("admin", 200), ("platform_admin", 200), ("coordinator", 403), ("student", 403), ("outsider", 403)],
)
def test_only_the_institutions_admins_open_the_page(client, node, persona, status):
    client.force_login(getattr(node, persona))
    assert client.get(url(node)).status_code == status


def test_a_refused_user_changes_nothing_whatever_they_send(client, node):
    client.force_login(node.coordinator)
    response = client.post(url(node, "ewp:page-serve"), {"serve": "0", "seen_served": "1"})
    assert response.status_code == 403
    assert ServedInstitution.objects.filter(organisation=node.home).exists()


def test_an_organisation_without_schac_code_has_no_ewp_page(client, node):
    node.home.schac_code = None
    node.home.save(update_fields=["schac_code"])
    client.force_login(node.admin)
    assert client.get(url(node)).status_code == 404


# --- served, keys, registry -----------------------------------------------------------------------------


def test_the_page_says_what_is_missing_before_anything_is_set_up(client, node):
    client.force_login(node.admin)
    page = client.get(url(node)).content.decode()
    assert "Served: partners" in page
    assert f"https://accord.example.edu/ewp/manifest/{HOME}.xml" in page
    assert "The node has no key yet" in page
    assert "No registry catalogue is configured" in page


def test_an_admin_stops_and_starts_serving_and_a_stale_page_is_refused(client, node):
    client.force_login(node.admin)
    client.post(url(node, "ewp:page-serve"), {"serve": "0", "seen_served": "1"})
    assert not ServedInstitution.objects.exists()

    stale = client.post(url(node, "ewp:page-serve"), {"serve": "0", "seen_served": "1"})
    assert stale.status_code == 409
    assert "Someone changed whether this institution is served" in stale.content.decode()

    client.post(url(node, "ewp:page-serve"), {"serve": "1", "seen_served": "0"})
    assert ServedInstitution.objects.filter(organisation=node.home).exists()


def test_the_key_is_created_trusted_by_the_registry_and_rotated_with_overlap(
    client, node, write_catalogue, partner_key, schemas
):
    client.force_login(node.admin)
    client.post(url(node, "ewp:page-key"), {"step": "create", "seen_key_id": ""})
    first = keys.node_private_key()
    assert first is not None
    page = client.get(url(node)).content.decode()
    assert key_id(first.public_key()) in page
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    assert "Not listed in the catalogue yet." in client.get(url(node)).content.decode()

    # The registry read the manifest: the catalogue lists this institution with its key.
    write_catalogue(
        CatalogueHost((HOME,), client_keys=(first,), server_keys=(first,)),
        CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)),
    )
    page = client.get(url(node)).content.decode()
    assert "Trusted: the catalogue lists the current key." in page
    assert "seconds ago" in page or "second ago" in page

    # A second admin's stale "create" is refused; a rotation publishes both keys in the manifest.
    assert client.post(url(node, "ewp:page-key"), {"step": "create", "seen_key_id": ""}).status_code == 409
    client.post(url(node, "ewp:page-key"), {"step": "rotate", "seen_key_id": key_id(first.public_key())})
    second = keys.node_next_key()
    manifest = client.get(f"/ewp/manifest/{HOME}.xml").content
    schemas.validate("manifest", manifest)
    assert manifest.count(b"<rsa-public-key>") == 4  # client and server credentials, two keys each

    # Switching is refused until the registry lists the next key, then signs with it.
    second_id = key_id(second.public_key())
    refused = client.post(url(node, "ewp:page-key"), {"step": "finish", "seen_next_key_id": second_id})
    assert refused.status_code == 409 and keys.node_private_key() is not None
    assert key_id(keys.node_private_key().public_key()) == key_id(first.public_key())
    write_catalogue(CatalogueHost((HOME,), client_keys=(first, second), server_keys=(first, second)))
    client.post(url(node, "ewp:page-key"), {"step": "finish", "seen_next_key_id": second_id})
    assert key_id(keys.node_private_key().public_key()) == second_id
    assert keys.node_next_key() is None

    pem = client.get(url(node, "ewp:page-public-key", "current"))
    assert pem.content.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert client.get(url(node, "ewp:page-public-key", "next")).status_code == 404


def test_partners_show_whether_they_are_on_the_network_and_what_they_serve(
    client, node, write_catalogue, partner_key
):
    write_catalogue(
        CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,), base_url="https://partner.example.edu")
    )
    client.force_login(node.admin)
    page = client.get(url(node)).content.decode()
    assert "Partner University" in page
    assert "iias 7.0.0" in page


# --- outbox, pulls, files -------------------------------------------------------------------------------


def test_the_outbox_shows_waiting_retrying_and_given_up_with_the_partners_answer(client, node):
    notification(NotificationStatus.PENDING, iia_id="1")
    later = timezone.now() + timedelta(minutes=4)
    notification(
        NotificationStatus.PENDING, attempts=3, code=503, error="Busy", iia_id="2", next_attempt_at=later
    )
    notification(NotificationStatus.FAILED, attempts=1, code=400, error="Unknown iia_id", iia_id="3")
    notification(NotificationStatus.EXPIRED, attempts=9, error="Not delivered within 24 hours.", iia_id="4")
    client.force_login(node.admin)

    page = client.get(url(node)).content.decode()

    assert "1 waiting, 1 retrying, 2 given up, 0 not sent" in page
    assert "Retrying after 3 attempts; next at" in page and "503 Busy" in page
    assert "400 Unknown iia_id" in page and "Not delivered within 24 hours." in page
    assert page.count("Send again") == 2


def test_a_given_up_notification_is_sent_again_once(client, node, settings):
    failed = notification(NotificationStatus.FAILED, attempts=1, code=400, error="Refused")
    client.force_login(node.admin)

    response = client.post(url(node, "ewp:page-retry", failed.pk), {"seen_attempts": "1"})

    assert response.status_code == 302
    failed.refresh_from_db()
    # Sent at once on commit: no registry lists the partner here, so the sender skips it.
    assert failed.status in (NotificationStatus.PENDING, NotificationStatus.SKIPPED)
    again = client.post(url(node, "ewp:page-retry", failed.pk), {"seen_attempts": "1"})
    assert again.status_code == 409
    assert "changed since you loaded the page" in again.content.decode()


def test_another_institutions_notification_cannot_be_retried(client, node):
    theirs = notification(NotificationStatus.FAILED, attempts=1)
    theirs.sender_hei_id = "other.example.edu"
    theirs.save()
    client.force_login(node.admin)
    assert client.post(url(node, "ewp:page-retry", theirs.pk), {"seen_attempts": "1"}).status_code == 409
    theirs.refresh_from_db()
    assert theirs.status == NotificationStatus.FAILED


def test_the_last_pulls_show_their_result(client, node):
    now = timezone.now()
    IiaPull.objects.create(partner_hei_id=PARTNER_HEI, pulled_at=now, attempted_at=now, received=3)
    MobilityPull.objects.create(
        partner_hei_id=PARTNER_HEI, attempted_at=now, error="Partner node answered 500"
    )
    client.force_login(node.admin)
    page = client.get(url(node)).content.decode()
    assert "3 received" in page
    assert "Failed: Partner node answered 500" in page


def test_the_exported_file_holds_only_what_was_shared(client, node):
    agreement = agreement_services.agreement_create(
        actor=node.coordinator,
        partnership=make_partnership(node.home, node.partner_org),
        title="Physics",
        content=agreement_document(node.home, node.partner_org),
    )
    client.force_login(node.admin)
    assert b"<iia>" not in client.get(url(node, "ewp:page-iias-export")).content
    agreement_services.agreement_share(actor=node.coordinator, agreement=agreement, version_number=1)
    exported = client.get(url(node, "ewp:page-iias-export"))
    assert exported["Content-Disposition"] == f'attachment; filename="iias-{HOME}.xml"'
    assert exported.content.count(b"<iia>") == 1


def test_a_bad_iia_file_is_refused_with_the_reason(client, node, tmp_path):
    client.force_login(node.admin)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<not-closed>")
    with bad.open("rb") as upload:
        response = client.post(url(node, "ewp:page-iias-import"), {"file": upload})
    assert response.status_code == 400
    assert "This is not a readable XML document" in response.content.decode()


# --- the self-test --------------------------------------------------------------------------------------


def test_the_self_test_needs_a_key_first(client, node):
    client.force_login(node.admin)
    response = client.post(url(node, "ewp:page-selftest"))
    assert response.status_code == 409
    assert not Job.objects.exists()


def test_self_test_results_are_grouped_by_api_failures_first_with_their_reasons(client, node):
    Job.objects.create(
        owner=node.admin,
        kind=SELFTEST_JOB,
        label="EWP self-test",
        status=Job.Status.SUCCEEDED,
        progress=100,
        payload={"hei_id": HOME},
        result={
            "counts": {"pass": 2, "fail": 1, "skip": 0},
            "results": [
                {"name": "echo: GET", "status": "pass", "message": "200 response"},
                {"name": "iias get: GET", "status": "pass", "message": "200"},
                {"name": "iias get: unsigned request → 401", "status": "fail", "message": "answered 200"},
            ],
        },
    )
    groups = selectors.selftest_groups(Job.objects.get())
    assert [(group.api, group.failed) for group in groups] == [("iias get", 1), ("echo", 0)]
    client.force_login(node.admin)
    page = client.get(url(node)).content.decode()
    assert "2 passed, 1 failed, 0 skipped." in page
    assert "iias get: unsigned request → 401 – answered 200" in page
    progress = client.get(url(node, "ewp:page-selftest-progress")).content.decode()
    assert "hx-get" not in progress  # finished: no more polling


# --- cost -----------------------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_with_one_or_many_rows(client, node, django_assert_max_num_queries):
    client.force_login(node.admin)
    notification(NotificationStatus.FAILED, attempts=1, iia_id="a")
    client.get(url(node))
    for index in range(20):
        notification(NotificationStatus.FAILED, attempts=1, iia_id=f"f{index}")
        notification(NotificationStatus.PENDING, attempts=2, iia_id=f"p{index}")
        IiaPull.objects.create(partner_hei_id=f"p{index}.example.edu", pulled_at=timezone.now())
    with django_assert_max_num_queries(16):
        response = client.get(url(node))
    assert response.status_code == 200
