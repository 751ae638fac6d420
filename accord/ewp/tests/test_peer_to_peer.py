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

import pytest

from accord.agreements import services
from accord.agreements.choices import AgreementStatus, PartnerCopySource
from accord.ewp.models import NotificationStatus, OutgoingNotification, ServedInstitution
from accord.ewp.notify.outbox import send_due
from accord.ewp.services import agreement_notify_partners
from accord.ewp.tests.peer import A_HEI, B_HEI
from accord.testing.factories import agreement_document, make_organisation, make_partnership, make_user

pytestmark = pytest.mark.usefixtures("transactional_db")


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

    # A drafts a third version (7 places) and notifies B again: B fetches what A shared, version 2,
    # never the draft: A's hash, B's approval of it and the differences B sees stay as they were.
    before = b.step("state")
    document = agreement_document(a_org, b_org, mobilities_per_year=7)
    services.agreement_update(actor=coordinator, agreement=agreement, content=document, base_version=2)
    for renotified in agreement_notify_partners(actor=coordinator, agreement=agreement):
        renotified.refresh_from_db()
        assert renotified.status == NotificationStatus.SENT, renotified.last_error
    at_b = b.step("state")
    assert at_b["copy_remote_hash"] == before["copy_remote_hash"], at_b
    assert at_b["copy_approved_hash"] == at_b["copy_remote_hash"]
    assert at_b["differences"] == before["differences"], at_b
