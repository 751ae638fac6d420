"""An admin opens the EWP page, creates the key, sees the registry trust it, runs the self-test, and
sends a failed notification again (issue 20). The page passes axe at each step."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accord.algorithms.ewp.http_signature import generate_private_key
from accord.ewp.models import NotificationKind, NotificationStatus, OutgoingNotification, ServedInstitution
from accord.ewp.node.keys import node_private_key
from accord.ewp.node.local_registry import CatalogueHost, catalogue_document
from accord.testing.factories import make_partnership

pytestmark = pytest.mark.django_db(transaction=True)

HOME, PARTNER = "home.example.edu", "partner.example.edu"


def test_an_admin_runs_the_ewp_node_from_its_page(
    page, live_server, personas, settings, tmp_path, sign_in, assert_accessible
):
    settings.ACCORD_EWP_BASE_URL = live_server.url
    settings.ACCORD_EWP_PRIVATE_KEY = tmp_path / "node-key.pem"
    settings.ACCORD_EWP_SCHEMAS = ""
    catalogue = tmp_path / "catalogue.xml"
    partner_key = generate_private_key()
    catalogue.write_bytes(catalogue_document(CatalogueHost((PARTNER,), client_keys=(partner_key,))))
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = str(catalogue)
    ServedInstitution.objects.create(organisation=personas.home)
    make_partnership(personas.home, personas.partner_org)

    sign_in("admin")
    page.goto(f"/organisations/{personas.home.pk}/")
    page.get_by_role("link", name="EWP node").click()
    expect(page.get_by_test_id("no-key")).to_be_visible()
    assert_accessible(page, context="EWP page without a key")

    page.get_by_role("button", name="Create the key").click()
    expect(page.get_by_test_id("key-id")).to_be_visible()
    expect(page.get_by_test_id("registry-lists-key")).to_contain_text("Not trusted yet")

    # The registry reads the manifest and lists the node's key: the page says the registry trusts it.
    key = node_private_key()
    catalogue.write_bytes(
        catalogue_document(
            CatalogueHost((HOME,), client_keys=(key,), server_keys=(key,)),
            CatalogueHost((PARTNER,), client_keys=(partner_key,)),
        )
    )
    page.reload()
    expect(page.get_by_test_id("registry-lists-key")).to_contain_text("Trusted")
    assert_accessible(page, context="EWP page with a trusted key")

    page.get_by_role("button", name="Run the self-test").click()
    expect(page.get_by_test_id("selftest")).to_contain_text(" 0 failed", timeout=240_000)
    expect(page.get_by_test_id("selftest-group").first).to_be_visible()
    assert_accessible(page, context="EWP page with the self-test's results")

    now = timezone.now()
    failed = OutgoingNotification.objects.create(
        kind=NotificationKind.IIA,
        sender_hei_id=HOME,
        partner_hei_id=PARTNER,
        iia_id="7",
        status=NotificationStatus.FAILED,
        attempts=1,
        next_attempt_at=now,
        expires_at=now + timedelta(hours=20),
        last_status_code=400,
        last_error="Unknown iia_id 7",
    )
    page.reload()
    expect(page.get_by_test_id("given-up")).to_contain_text("400 Unknown iia_id 7")
    page.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("status").filter(has_text="will be sent again")).to_be_visible()
    failed.refresh_from_db()
    assert failed.next_attempt_at > now  # re-armed and tried again at once
    assert_accessible(page, context="EWP page after sending a notification again")
