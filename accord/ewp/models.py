from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.organisations.models import Organisation


class ServedInstitution(models.Model):
    """An institution of the directory for which this Accord instance is the EWP node.

    Only these institutions appear in the discovery manifests and answer through the Institutions and
    Organizational Units APIs; every other organisation of the directory is a partner that Accord
    knows about, not one it speaks for. The organisation needs a SCHAC code: it is its EWP ``hei_id``.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="ewp_node"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution served over EWP")
        verbose_name_plural = _("institutions served over EWP")

    def __str__(self) -> str:
        return self.organisation.schac_code or self.organisation.name

    def clean(self) -> None:
        if self.organisation_id and not self.organisation.schac_code:
            raise ValidationError(
                {
                    "organisation": _(
                        "Give the organisation a SCHAC code first: "
                        "it identifies the institution on the EWP network."
                    )
                }
            )


class NotificationKind(models.TextChoices):
    IIA = "iia", _("IIA change (IIA CNR v3)")
    IIA_APPROVAL = "iia_approval", _("IIA approval (IIA Approval CNR v2)")
    OMOBILITY_LA = "omobility_la", _("Learning agreement change (OMobility LA CNR v1)")
    OMOBILITY = "omobility", _("Outgoing mobility change (OMobility CNR v2)")
    IMOBILITY = "imobility", _("Incoming mobility change (IMobility CNR v2)")
    TOR = "tor", _("Transcript of records change (IMobility ToR CNR v2)")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Refused by the partner (not retried)")
    EXPIRED = "expired", _("Given up after 24 hours")
    SKIPPED = "skipped", _("Not sent: the partner is not on the EWP network")


# A notification in one of these states will not be sent again unless someone asks (the EWP page's retry).
GIVEN_UP = (NotificationStatus.FAILED, NotificationStatus.EXPIRED)


class OutgoingNotification(models.Model):
    """A change notification (CNR) this node owes a partner's EWP node: the outbox.

    It is written in the same transaction as the change it announces, so a change is never committed
    without its notification, and the sender works from these rows alone, so a restart loses nothing.
    A notification only says "this agreement changed, fetch it again": while one is pending, a further
    change of the same agreement does not add a second one but brings the pending one forward.
    """

    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    sender_hei_id = models.CharField(max_length=255, help_text=_("Our institution, the notifier."))
    partner_hei_id = models.CharField(max_length=255, help_text=_("The institution notified."))
    iia_id = models.CharField(
        max_length=255,
        help_text=_(
            "Our iia-id for an IIA CNR; the partner's iia-id of its copy for an approval CNR; "
            "our omobility-id for a learning agreement CNR."
        ),
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "partner_hei_id", "iia_id"],
                condition=models.Q(status="pending"),
                name="one_pending_notification_per_iia",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.iia_id} to {self.partner_hei_id} ({self.status})"


class PullRecord(models.Model):
    """The last pull of one partner: when the last complete one started (``pulled_at``, from which the
    next asks only for what changed), when one was last attempted, and how that attempt ended, for the
    EWP page (``received``: documents stored; ``error``: why the partner could not be read)."""

    partner_hei_id = models.CharField(max_length=255, unique=True)
    pulled_at = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    received = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True


class IiaPull(PullRecord):
    """When this node last pulled a partner's IIA index completely: the safety net behind CNRs.

    The next pull asks only for what changed since then (``modified_since``), less a margin for clocks.
    """

    def __str__(self) -> str:
        return f"{self.partner_hei_id} pulled at {self.pulled_at:%Y-%m-%d %H:%M}"


class MobilityPull(PullRecord):
    """When this node last pulled a partner's Outgoing Mobilities index completely: the safety net
    behind OMobility CNRs (``modified_since`` from then, less a margin for clocks)."""

    def __str__(self) -> str:
        return f"{self.partner_hei_id} mobilities pulled at {self.pulled_at:%Y-%m-%d %H:%M}"


class RemoteMobility(models.Model):
    """Our copy of a mobility that a partner's EWP node owns: the receiving side's record of a student
    the partner sends (Outgoing Mobilities API). The ``Mobility`` it points to has ``source="ewp"``; the
    sending node stays the master of what the sending side decides, so receiving-side acts on the copy
    (accepting the nomination, signing the learning agreement) are forwarded to that node.
    """

    mobility = models.OneToOneField(
        "mobilities.Mobility", on_delete=models.CASCADE, related_name="ewp_remote"
    )
    sending_hei_id = models.CharField(max_length=255)
    omobility_id = models.CharField(max_length=255, help_text=_("The sending node's id of the mobility."))
    remote_status = models.CharField(max_length=32, blank=True)
    proposal_id = models.CharField(
        max_length=255, blank=True, help_text=_("The nomination's proposal-id when last fetched.")
    )
    fetched_at = models.DateTimeField(
        help_text=_("When the mobility was last fetched from the sending node.")
    )
    la_fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sending_hei_id", "omobility_id"], name="one_copy_per_omobility"),
        ]

    def __str__(self) -> str:
        return f"{self.omobility_id} of {self.sending_hei_id}"
