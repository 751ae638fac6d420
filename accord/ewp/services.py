"""Writes of the EWP node that people ask for (the rest happens on partners' requests and in tasks),
and the system account through which a partner's node acts on our data.

Attribution: the mobilities services record a signature or a comment by a *user* holding the
receiving role (``signing_roles``: an admin or coordinator of the receiving institution). A partner
acting over EWP is no user of Accord, so its node is represented by one system account per partner
institution (:func:`partner_node_user`: username ``ewp:<hei_id>``, unusable password, an e-mail in
the reserved ``.invalid`` domain, coordinator of that institution only). It can never sign in; it
only lets the existing services record the partner's act with the same checks (order, hash, stale
versions, accepted participant) as a coordinator's. The person who signed at the partner is kept
in the signature's position and in the comment (signer name, position and e-mail as EWP sent them).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.choices import Role
from accord.accounts.models import Membership, User
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
            _("Only admins and coordinators of the agreement's owner can notify its partners.")
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
                _(
                    "No partner of this agreement can be notified over Erasmus Without "
                    "Paper: it has not been shared yet, or no partner is on the network."
                ),
                code="not_on_ewp",
            )
    return notifications


def partner_node_user(organisation) -> User:
    """The system account through which the partner institution's EWP node signs and comments (see the
    module docstring); created on first use. It cannot sign in (unusable password, ``.invalid`` e-mail)."""
    user, created = User.objects.get_or_create(
        username=f"ewp:{organisation.schac_code.lower()}"[:150],
        defaults={
            "email": f"ewp-node-{organisation.pk}@accord.invalid",
            "first_name": "EWP node of",
            "last_name": organisation.schac_code[:150],
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Role.COORDINATOR}
    )
    return user
