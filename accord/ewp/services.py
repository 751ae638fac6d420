"""Writes of the EWP node that people ask for (the rest happens on partners' requests and in tasks)."""

from django.db import transaction

from accord.agreements.models import Agreement
from accord.agreements.querysets import AgreementAction, agreement_may
from accord.core.errors import Conflict, PermissionDenied
from accord.ewp.models import OutgoingNotification
from accord.ewp.notify import outbox


def agreement_notify_partners(*, actor, agreement: Agreement) -> list[OutgoingNotification]:
    """ "Notify the partner again": owe every EWP partner a fresh IIA CNR for ``agreement``, and an
    approval CNR for each of their copies we approved, each with a new day of retries."""
    if not agreement_may(actor, AgreementAction.EDIT, agreement):
        raise PermissionDenied(
            "Only admins and coordinators of the agreement's owner can notify its partners."
        )
    partners = agreement.party_links.exclude(organisation_id=agreement.owner_id)
    # Asked before the outbox rows are locked: the registry may have to be fetched.
    on_network = set(
        outbox.on_network(
            [link.organisation.schac_code or "" for link in partners.select_related("organisation")]
        )
    )
    with transaction.atomic():
        notifications = outbox.enqueue_iia_cnr(agreement)
        for copy in agreement.partner_copies.exclude(approved_hash="").exclude(remote_id=""):
            notifications += outbox.enqueue_iia_approval_cnr(copy)
        notifications = [n for n in notifications if n.partner_hei_id in on_network]
        if not notifications:
            raise Conflict(
                "No partner of this agreement can be notified over Erasmus Without Paper: it has not "
                "been shared yet, or no partner is on the network.",
                code="not_on_ewp",
            )
    return notifications
